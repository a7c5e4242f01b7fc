/**
 * The rules of BPMN 2.0 that need the whole document: references name an element of the right kind
 * (or anything at all), message flows connect different pools from a sender to a receiver, and a
 * compensation boundary event leads to its handler by an association. Each refusal names the element.
 */
import type { ModdleElement } from 'bpmn-moddle';
import { report, type ReadContext } from './moddle/access.js';

/** Reference property → the type the referenced element must have (attachedToRef: BOUNDARY_INVALID says it). */
const REFERENCE_TYPES: Record<string, string> = {
  errorRef: 'bpmn:Error',
  escalationRef: 'bpmn:Escalation',
  messageRef: 'bpmn:Message',
  signalRef: 'bpmn:Signal',
  itemSubjectRef: 'bpmn:ItemDefinition',
  itemRef: 'bpmn:ItemDefinition',
  dataObjectRef: 'bpmn:DataObject',
  dataStoreRef: 'bpmn:DataStore',
  processRef: 'bpmn:Process',
  default: 'bpmn:SequenceFlow',
};

/** Unresolved references the other readers do not already report (flows' ends, error and escalation codes, boundaries, defaults). */
const CHECKED_ELSEWHERE = new Set(['errorRef', 'escalationRef', 'messageRef', 'attachedToRef', 'default']);

/** Reports every document-level spec violation into the context. */
export function checkDocumentRules(definitions: ModdleElement, ctx: ReadContext): void {
  walk(definitions, (element) => {
    checkReferenceTypes(element, ctx);
    checkUnresolved(element, ctx);
    if (element.$type === 'bpmn:MessageFlow') checkMessageFlow(element, ctx);
    if (element.$type === 'bpmn:BoundaryEvent') checkCompensationBoundary(element, ctx);
  });
}

// helpers

function checkReferenceTypes(element: ModdleElement, ctx: ReadContext): void {
  for (const [property, type] of Object.entries(REFERENCE_TYPES)) {
    const target = element[property] as ModdleElement | undefined;
    if (!target || typeof target !== 'object' || typeof target.$instanceOf !== 'function' || target.$instanceOf(type))
      continue;
    report(
      ctx,
      'REFERENCE_INVALID',
      element,
      `refers with ${property} to '${target.id}', which is ${article(target.$type)} ${target.$type}, and the model is invalid because ${property} must name ${article(type)} ${type}; point it at the right element`,
    );
  }
}

function checkUnresolved(element: ModdleElement, ctx: ReadContext): void {
  for (const [property, id] of ctx.refs.get(element) ?? []) {
    const flowEnd = element.$type === 'bpmn:SequenceFlow' && (property === 'sourceRef' || property === 'targetRef');
    if (flowEnd || CHECKED_ELSEWHERE.has(property)) continue;
    report(
      ctx,
      'REFERENCE_MISSING',
      element,
      `refers with ${property} to '${id}', which is not defined in the document; define it or fix the reference`,
    );
  }
}

/** BPMN 2.0 §9.3: a message flow connects two pools, from an element that can send to one that can receive. */
function checkMessageFlow(flow: ModdleElement, ctx: ReadContext): void {
  const source = flow.sourceRef as ModdleElement | undefined;
  const target = flow.targetRef as ModdleElement | undefined;
  if (!source || !target) return;
  const from = processOf(source);
  if (from && from === processOf(target)) {
    report(
      ctx,
      'MESSAGE_FLOW_INVALID',
      flow,
      `connects '${source.id}' and '${target.id}' in the same pool, and the model is invalid because a message flow connects two pools (BPMN 2.0 §9.3); use a sequence flow`,
    );
  } else if (!canSend(source)) {
    report(
      ctx,
      'MESSAGE_FLOW_INVALID',
      flow,
      `starts at '${source.id}' (${source.$type}), and the model is invalid because only a pool, an activity or a throw or end event can send a message (BPMN 2.0 §9.3)`,
    );
  } else if (!canReceive(target)) {
    report(
      ctx,
      'MESSAGE_FLOW_INVALID',
      flow,
      `ends at '${target.id}' (${target.$type}), and the model is invalid because only a pool, an activity or a start, catch or boundary event can receive a message (BPMN 2.0 §9.3)`,
    );
  }
}

function checkCompensationBoundary(boundary: ModdleElement, ctx: ReadContext): void {
  const compensates = (boundary.eventDefinitions ?? []).some(
    (d: ModdleElement) => d.$type === 'bpmn:CompensateEventDefinition',
  );
  const siblings: ModdleElement[] = boundary.$parent?.flowElements ?? [];
  if (!compensates || !siblings.some((f) => f.$type === 'bpmn:SequenceFlow' && f.sourceRef === boundary)) return;
  report(
    ctx,
    'FLOW_INVALID',
    boundary,
    'is a compensation boundary event with outgoing sequence flows, and the model is invalid because it leads to its compensation handler by an association (BPMN 2.0 §10.5.4); replace the flows with an association',
  );
}

// Lenient as bpmn.io and Camunda are: any event of the right direction may end a message flow (diagrams
// often draw one into a none start event); gateways, sequence flows and artifacts may not.
function canSend(element: ModdleElement): boolean {
  return (
    element.$instanceOf('bpmn:Participant') ||
    element.$instanceOf('bpmn:Activity') ||
    element.$type === 'bpmn:IntermediateThrowEvent' ||
    element.$type === 'bpmn:EndEvent'
  );
}

function canReceive(element: ModdleElement): boolean {
  return (
    element.$instanceOf('bpmn:Participant') ||
    element.$instanceOf('bpmn:Activity') ||
    ['bpmn:StartEvent', 'bpmn:IntermediateCatchEvent', 'bpmn:BoundaryEvent'].includes(element.$type)
  );
}

/** The process an element belongs to: a pool's process, or the process around a flow node. */
function processOf(element: ModdleElement): ModdleElement | null {
  if (element.$type === 'bpmn:Participant') return element.processRef ?? null;
  let current: ModdleElement | undefined = element.$parent;
  while (current && current.$type !== 'bpmn:Process') current = current.$parent;
  return current ?? null;
}

/** Visits every element the document contains (not the ones it only refers to). */
function walk(element: ModdleElement, visit: (element: ModdleElement) => void): void {
  visit(element);
  const descriptor = element.$descriptor as { properties?: Array<{ name: string; isReference?: boolean }> } | undefined;
  for (const property of descriptor?.properties ?? []) {
    if (property.isReference) continue;
    const value = element[property.name.replace(/^\w+:/, '')] ?? element.get?.(property.name);
    for (const child of Array.isArray(value) ? value : [value]) {
      if (child && typeof child === 'object' && typeof child.$type === 'string' && child !== element.$parent)
        walk(child, visit);
    }
  }
}

function article(type: string): string {
  return /^bpmn:[AEIOU]/.test(type) ? 'an' : 'a';
}
