/** Reading and writing the `svc:sla` extension element of a user task, sub-process or process. */
import type { BpmnElement, ModdleElement } from '../bpmn-types';

export type SlaProperty = 'target' | 'warnAt' | 'calendar' | 'pauseWhile';

const PROPERTIES: SlaProperty[] = ['target', 'warnAt', 'calendar', 'pauseWhile'];
const HOLDER_TYPES = ['bpmn:UserTask', 'bpmn:SubProcess', 'bpmn:Process'];

interface Command {
  cmd: string;
  context: Record<string, unknown>;
}
interface CommandStack {
  execute(command: string, context: unknown): void;
}
interface BpmnFactory {
  create(type: string, attrs?: Record<string, unknown>): ModdleElement;
}

/** The business object that may carry an SLA for a selected diagram element (a pool's process too), or null. */
export function slaHolder(element: BpmnElement): ModdleElement | null {
  const bo = element.businessObject;
  const holder = bo.$instanceOf('bpmn:Participant') ? (bo.get('processRef') as ModdleElement | undefined) : bo;
  return holder && HOLDER_TYPES.some((type) => holder.$instanceOf(type)) ? holder : null;
}

/** The holder's svc:Sla, or undefined. */
export function findSla(holder: ModdleElement): ModdleElement | undefined {
  const values = (holder.get('extensionElements') as ModdleElement | undefined)?.get('values') as
    | ModdleElement[]
    | undefined;
  return values?.find((value) => value.$instanceOf('svc:Sla'));
}

export function getSlaValue(holder: ModdleElement, name: SlaProperty): string {
  return (findSla(holder)?.get(name) as string | undefined) ?? '';
}

/**
 * Sets one SLA attribute as a single undoable command: creates extensionElements and svc:sla as
 * needed, and removes the svc:sla again once all its attributes are empty.
 */
export function setSlaValue(
  deps: { commandStack: CommandStack; bpmnFactory: BpmnFactory },
  element: BpmnElement,
  holder: ModdleElement,
  name: SlaProperty,
  raw: string,
): void {
  const value = raw.trim() || undefined;
  const commands: Command[] = [];
  let extensionElements = holder.get('extensionElements') as ModdleElement | undefined;
  let sla = findSla(holder);
  if (!sla && !value) return;
  if (!extensionElements) {
    extensionElements = create(deps.bpmnFactory, 'bpmn:ExtensionElements', { values: [] }, holder);
    commands.push(update(element, holder, { extensionElements }));
  }
  const values = extensionElements.get('values') as ModdleElement[];
  if (!sla) {
    sla = create(deps.bpmnFactory, 'svc:Sla', {}, extensionElements);
    commands.push(update(element, extensionElements, { values: [...values, sla] }));
  }
  const remaining = PROPERTIES.filter((property) => property !== name && sla!.get(property));
  if (!value && remaining.length === 0)
    commands.push(update(element, extensionElements, { values: values.filter((v) => v !== sla) }));
  else commands.push(update(element, sla, { [name]: value }));
  deps.commandStack.execute('properties-panel.multi-command-executor', commands);
}

// helpers

function create(
  factory: BpmnFactory,
  type: string,
  attrs: Record<string, unknown>,
  parent: ModdleElement,
): ModdleElement {
  const element = factory.create(type, attrs);
  element.$parent = parent;
  return element;
}

function update(element: BpmnElement, moddleElement: ModdleElement, properties: Record<string, unknown>): Command {
  return { cmd: 'element.updateModdleProperties', context: { element, moddleElement, properties } };
}
