/** The designer's toolbar: buttons that follow the modeler's state (undo/redo, form editing for user tasks). */
import type BpmnModeler from 'bpmn-js/lib/Modeler';
import { t, type MessageKey } from '../i18n';
import { h } from '../shared/dom';
import type { BpmnElement } from './bpmn-types';

export interface ToolbarActions {
  newDiagram(): void;
  openFile(): void;
  openDeployed(): void;
  downloadBpmn(): void;
  downloadSvg(): void;
  editForm(element: BpmnElement): void;
  check(): void;
  deploy(): void;
}

interface CommandStack {
  canUndo(): boolean;
  canRedo(): boolean;
  undo(): void;
  redo(): void;
}

/** Builds the toolbar and keeps its buttons enabled or disabled as the diagram changes. */
export function createToolbar(modeler: BpmnModeler, actions: ToolbarActions): HTMLElement {
  const commandStack = modeler.get<CommandStack>('commandStack');
  let selectedTask: BpmnElement | null = null;
  const button = (id: string, key: MessageKey, run: () => void, extra: Record<string, unknown> = {}) =>
    h('button', { type: 'button', 'data-action': id, onclick: run, ...extra }, t(key));
  const undo = button('undo', 'designer.undo', () => commandStack.undo(), { title: 'Ctrl+Z', disabled: true });
  const redo = button('redo', 'designer.redo', () => commandStack.redo(), { title: 'Ctrl+Y', disabled: true });
  const editForm = button('edit-form', 'designer.editForm', () => selectedTask && actions.editForm(selectedTask), {
    disabled: true,
  });
  modeler.on('commandStack.changed', () => {
    undo.disabled = !commandStack.canUndo();
    redo.disabled = !commandStack.canRedo();
  });
  modeler.on('selection.changed', (event: { newSelection: BpmnElement[] }) => {
    const [only] = event.newSelection;
    selectedTask = event.newSelection.length === 1 && hasForm(only) ? only : null;
    editForm.disabled = !selectedTask;
  });
  return h(
    'div',
    { class: 'toolbar', role: 'toolbar', 'aria-label': t('designer.toolbar') },
    h(
      'div',
      { class: 'toolbar-group' },
      button('new', 'designer.new', actions.newDiagram),
      button('open-file', 'designer.openFile', actions.openFile),
      button('open-deployed', 'designer.openDeployed', actions.openDeployed),
    ),
    h(
      'div',
      { class: 'toolbar-group' },
      button('download-bpmn', 'designer.downloadBpmn', actions.downloadBpmn),
      button('download-svg', 'designer.downloadSvg', actions.downloadSvg),
    ),
    h('div', { class: 'toolbar-group' }, undo, redo, editForm),
    h(
      'div',
      { class: 'toolbar-group toolbar-end' },
      button('check', 'designer.check', actions.check),
      button('deploy', 'designer.deploy', actions.deploy, { class: 'primary' }),
    ),
  );
}

// helpers

/** User tasks and the none start events of a process (their start form) have forms. */
function hasForm(element: BpmnElement): boolean {
  if (element.type === 'bpmn:UserTask') return true;
  const bo = element.businessObject;
  return (
    element.type === 'bpmn:StartEvent' &&
    !(bo.get('eventDefinitions') as unknown[] | undefined)?.length &&
    !!bo.$parent?.$instanceOf('bpmn:Process')
  );
}
