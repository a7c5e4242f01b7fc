/** Which form a user task or start event uses: its zeebe:formDefinition or camunda:formKey / formRef, or a key derived from process and element ids. */
import type { BpmnElement, ModdleElement } from '../bpmn-types';

/** The shape of a form key the engine deploys (Camunda form ids such as `Form_0x1y2z3` included). */
export const FORM_KEY = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;

/** The form key set on the element (as the engine reads it: zeebe formKey or formId, else camunda formKey or formRef), or null. */
export function formKeyOf(element: BpmnElement): string | null {
  const bo = element.businessObject;
  const zeebe = zeebeFormOf(bo);
  const value =
    (zeebe ? (zeebe.get('formKey') ?? zeebe.get('formId')) : undefined) ??
    attribute(bo, 'camunda:formKey') ??
    attribute(bo, 'camunda:formRef');
  return (value as string | undefined)?.trim() || null;
}

/** The element's `zeebe:FormDefinition` extension, if it has one. */
export function zeebeFormOf(bo: ModdleElement): ModdleElement | undefined {
  const extensions = bo.get('extensionElements') as { get(name: string): ModdleElement[] } | undefined;
  return extensions?.get('values')?.find((value) => value.$instanceOf('zeebe:FormDefinition'));
}

/** Whether the diagram is a Camunda 8 one (its moddle knows zeebe). */
export function isZeebe(bo: ModdleElement): boolean {
  return hasZeebePackage(bo);
}

/** A new key for a task without one, e.g. `complaint-handling-firstresponse`. */
export function deriveFormKey(element: BpmnElement): string {
  const process = findProcess(element.businessObject);
  return [process?.id, element.id]
    .filter(Boolean)
    .map((part) => slug(String(part)))
    .join('-')
    .slice(0, 100);
}

// helpers

function attribute(bo: ModdleElement, name: string): unknown {
  // a moddle without the camunda package has no such property; reading it would add an unknown attribute
  try {
    return bo.get(name);
  } catch {
    return undefined;
  }
}

function hasZeebePackage(bo: ModdleElement): boolean {
  const moddle = (bo as unknown as { $model?: { getPackage(prefix: string): unknown } }).$model;
  return !!moddle?.getPackage('zeebe');
}

function findProcess(bo: ModdleElement | undefined): ModdleElement | undefined {
  let current = bo;
  while (current && !current.$instanceOf('bpmn:Process')) current = current.$parent;
  return current;
}

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'form'
  );
}
