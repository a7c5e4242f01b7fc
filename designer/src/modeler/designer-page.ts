/** The designer page (process owners): modeler, properties panel, checker and engine problems, deploy. */
import '../styles/designer.css';
import type BpmnModeler from 'bpmn-js/lib/Modeler';
import { api } from '../app/api';
import type { Page } from '../app/router';
import { t } from '../i18n';
import { confirmDialog } from '../shared/dialog';
import { renderCalendarBanner } from '../shared/calendar-banner';
import { h, replace } from '../shared/dom';
import { toastError } from '../shared/toast';
import type { BpmnElement } from './bpmn-types';
import { createModeler, flavourOf, type Flavour } from './create-modeler';
import { check, deploy } from './deploy';
import { download, fileNameFor, loadDraft, newDiagramXml, pickFile, saveDraft } from './diagram-io';
import { editTaskForm } from './form-editor/form-editor-dialog';
import { chooseDeployedDefinition } from './open-definition';
import { ProblemsList } from './problems-list';
import { createToolbar } from './toolbar';

export function createPage(): Page {
  let current: { modeler: BpmnModeler; flavour: Flavour } | null = null;
  let host: HTMLElement | null = null;
  // A diagram of the other flavour gets a modeler of its own kind: the properties panel follows the model.
  const build = (flavour: Flavour): BpmnModeler => {
    current?.modeler.destroy();
    const canvas = h('div', { class: 'designer-canvas', 'data-testid': 'canvas' });
    const panel = h('aside', {
      class: 'designer-panel',
      'aria-label': t('designer.properties'),
      'data-testid': 'properties-panel',
      'data-flavour': flavour,
    });
    const modeler = createModeler(canvas, panel, flavour);
    const problems = new ProblemsList(modeler);
    const toolbar = createToolbar(modeler, actionsFor(modeler, problems, openXml));
    const calendarBanner = h('div', {});
    void renderCalendarBanner(calendarBanner);
    replace(
      host!,
      h(
        'div',
        { class: 'designer' },
        calendarBanner,
        toolbar,
        h('div', { class: 'designer-body' }, canvas, panel),
        problems.element,
      ),
    );
    modeler.on('commandStack.changed', () => void keepDraft(modeler));
    current = { modeler, flavour };
    return modeler;
  };
  const openXml = async (xml: string): Promise<void> => {
    const flavour = flavourOf(xml);
    const modeler = current?.flavour === flavour ? current.modeler : build(flavour);
    await open(modeler, xml);
  };
  return {
    async mount(container) {
      host = container;
      await openXml(await initialXml());
    },
    unmount() {
      current?.modeler.destroy();
      current = null;
    },
  };
}

// helpers

function actionsFor(modeler: BpmnModeler, problems: ProblemsList, openXml: (xml: string) => Promise<void>) {
  return {
    newDiagram: async () => {
      if (
        canUndo(modeler) &&
        !(await confirmDialog(t('designer.new'), t('designer.discardConfirm'), t('designer.discard')))
      )
        return;
      await openXml(newDiagramXml());
    },
    openFile: async () => {
      const xml = await pickFile();
      if (xml) await openXml(xml);
    },
    openDeployed: async () => {
      const xml = await chooseDeployedDefinition();
      if (xml) await openXml(xml);
    },
    downloadBpmn: async () =>
      download(
        fileNameFor(processId(modeler), 'bpmn'),
        (await modeler.saveXML({ format: true })).xml ?? '',
        'application/xml',
      ),
    downloadSvg: async () =>
      download(fileNameFor(processId(modeler), 'svg'), (await modeler.saveSVG()).svg, 'image/svg+xml'),
    editForm: (element: BpmnElement) => void editTaskForm(modeler, element).catch(toastError),
    check: () => void check(modeler, problems).catch(toastError),
    deploy: () => void deploy(modeler, problems).catch(toastError),
  };
}

/** `?definition=<id>` opens a deployed version; otherwise the tab's draft or a new diagram. */
async function initialXml(): Promise<string> {
  const definitionId = new URLSearchParams(location.search).get('definition');
  if (definitionId) {
    try {
      return await api<string>('GET', `/api/definitions/${encodeURIComponent(definitionId)}/xml`, { text: true });
    } catch (error) {
      toastError(error);
    }
  }
  return loadDraft() ?? newDiagramXml();
}

async function open(modeler: BpmnModeler, xml: string): Promise<void> {
  try {
    await modeler.importXML(xml);
    const canvas = modeler.get<{ zoom(level: string | number, center?: string): number }>('canvas');
    // A small diagram fitted to the viewport would be blown up; show it at 100 % instead.
    if (canvas.zoom('fit-viewport', 'auto') > 1) canvas.zoom(1, 'auto');
    saveDraft(xml);
  } catch (error) {
    toastError(new Error(t('designer.importFailed', { reason: (error as Error).message })));
  }
}

async function keepDraft(modeler: BpmnModeler): Promise<void> {
  const { xml } = await modeler.saveXML();
  if (xml) saveDraft(xml);
}

function canUndo(modeler: BpmnModeler): boolean {
  return modeler.get<{ canUndo(): boolean }>('commandStack').canUndo();
}

/** The (first) process id, which names the downloaded files. */
function processId(modeler: BpmnModeler): string | undefined {
  const roots =
    (modeler.getDefinitions() as { rootElements?: Array<{ $type: string; id: string }> } | undefined)?.rootElements ??
    [];
  return roots.find((root) => root.$type === 'bpmn:Process')?.id;
}
