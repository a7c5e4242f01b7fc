/**
 * Edits the form of the selected user task with form-js's editor: opens the latest deployed version and saves by
 * deploying a new version (PUT /api/forms/:formKey), which the processes naming it are deployed again with.
 */
import '@bpmn-io/form-js/dist/assets/form-js.css';
import '@bpmn-io/form-js/dist/assets/form-js-editor.css';
import { FormEditor } from '@bpmn-io/form-js';
import type BpmnModeler from 'bpmn-js/lib/Modeler';
import { api, ApiProblem } from '../../app/api';
import { t } from '../../i18n';
import { openDialog } from '../../shared/dialog';
import { h } from '../../shared/dom';
import { toast, toastError } from '../../shared/toast';
import type { BpmnElement, ModdleElement } from '../bpmn-types';
import { deriveFormKey, FORM_KEY, formKeyOf, isZeebe } from './form-key';
import { SafeMarkdownModule, installSafeHtml } from '../../shared/safe-html';

installSafeHtml();

type FormSchema = { components: unknown[]; [key: string]: unknown };

/** Opens the form editor for a user task or start event; one without a form gets a form key (zeebe:formDefinition or camunda:formKey). */
export async function editTaskForm(modeler: BpmnModeler, element: BpmnElement): Promise<void> {
  const existing = formKeyOf(element);
  const key = existing ?? deriveFormKey(element);
  if (!FORM_KEY.test(key)) return toast(t('designer.formKeyInvalid', { key }), 'error');
  const schema = await loadSchema(key, element.businessObject.name ?? element.id);
  if (!schema) return;
  const host = h('div', { class: 'form-editor-host', 'data-testid': 'form-editor' });
  const title = t('designer.formTitle', { name: element.businessObject.name ?? element.id, key });
  const editor = new FormEditor({ container: host, additionalModules: [SafeMarkdownModule] });
  const dialog = openDialog({
    title,
    body: host,
    wide: true,
    testId: 'form-editor-dialog',
    actions: [
      {
        label: t('common.save'),
        primary: true,
        run: () =>
          save(editor, key).then((saved) => {
            if (saved && !existing) assignFormKey(modeler, element, key);
            return saved;
          }),
      },
    ],
  });
  void dialog.closed.then(() => editor.destroy());
  await editor.importSchema(schema);
}

// helpers

interface Modeling {
  updateProperties(element: BpmnElement, properties: object): void;
  updateModdleProperties(element: BpmnElement, target: ModdleElement, properties: object): void;
}

/** Sets the form key in the diagram's own flavour. */
function assignFormKey(modeler: BpmnModeler, element: BpmnElement, key: string): void {
  const modeling = modeler.get<Modeling>('modeling');
  const bo = element.businessObject;
  if (!isZeebe(bo)) {
    modeling.updateProperties(element, { 'camunda:formKey': key });
    return;
  }
  const factory = modeler.get<{ create(type: string, properties?: object): ModdleElement }>('bpmnFactory');
  let extensions = bo.get('extensionElements') as ModdleElement | undefined;
  if (!extensions) {
    extensions = factory.create('bpmn:ExtensionElements', { values: [] });
    modeling.updateProperties(element, { extensionElements: extensions });
  }
  const values = (extensions.get('values') as ModdleElement[]) ?? [];
  modeling.updateModdleProperties(element, extensions, {
    values: [...values, factory.create('zeebe:FormDefinition', { formKey: key })],
  });
}

async function loadSchema(key: string, taskName: string): Promise<FormSchema | null> {
  try {
    return await api<FormSchema>('GET', `/api/forms/${key}`);
  } catch (error) {
    if (error instanceof ApiProblem && error.status === 404) return blankSchema(key, taskName);
    toastError(error);
    return null;
  }
}

async function save(editor: FormEditor, key: string): Promise<boolean> {
  try {
    const saved = await api<{ version: number }>('PUT', `/api/forms/${key}`, { body: editor.saveSchema() });
    toast(t('designer.formSaved', { key, version: saved.version }), 'success');
    return true;
  } catch (error) {
    toastError(error);
    return false;
  }
}

function blankSchema(key: string, taskName: string): FormSchema {
  return { type: 'default', id: key, components: [{ type: 'text', id: 'Text_intro', text: `### ${taskName}` }] };
}
