/** Which form a user task uses: its camunda:formKey / formRef, or a key derived from process and task ids. */
import type { BpmnElement, ModdleElement } from '../bpmn-types';

/** The shape of a form key the engine serves from processes/forms/<formKey>.form. */
export const FORM_KEY = /^[a-z0-9][a-z0-9-]*$/;

/** The form key set on the task, or null. */
export function formKeyOf(element: BpmnElement): string | null {
  const bo = element.businessObject;
  const value = (bo.get('camunda:formKey') ?? bo.get('camunda:formRef')) as string | undefined;
  return value?.trim() || null;
}

/** A new key for a task without one, e.g. `complaint-handling-firstresponse`. */
export function deriveFormKey(element: BpmnElement): string {
  const process = findProcess(element.businessObject);
  return [ process?.id, element.id ].filter(Boolean).map((part) => slug(String(part))).join('-').slice(0, 100);
}

// helpers

function findProcess(bo: ModdleElement | undefined): ModdleElement | undefined {
  let current = bo;
  while (current && !current.$instanceOf('bpmn:Process')) current = current.$parent;
  return current;
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'form';
}
