/** How every message names an element: `user task 'Task_review' (Review complaint)`. */
import type { EventDefinition } from './model.js';
import type { Problem, ProblemCode } from './problems.js';

/** What describeElement needs: an id, a type ('userTask' or 'bpmn:UserTask'), and optionally a name and event. */
export interface Describable {
  id: string;
  type: string;
  name?: string | null;
  event?: EventDefinition | null;
}

const LABELS: Record<string, string> = {
  sequenceFlow: 'flow',
  subProcess: 'sub-process',
  adHocSubProcess: 'ad-hoc sub-process',
  eventBasedGateway: 'event-based gateway',
};

/** Names an element the way problem messages open: type label, quoted id, and the name in parentheses. */
export function describeElement(element: Describable): string {
  const isEvent = element.type.endsWith('Event');
  const kind = isEvent && element.event && element.event.kind !== 'none' ? `${element.event.kind} ` : '';
  const label = `${kind}${labelOf(element.type)} '${element.id}'`;
  const name = collapse(element.name);
  return name && name !== element.id ? `${label} (${name})` : label;
}

/** The qualified BPMN type of a node type or label: 'userTask' → 'bpmn:UserTask'; qualified names pass through. */
export function bpmnTypeOf(type: string): string {
  return type.includes(':') ? type : `bpmn:${type.charAt(0).toUpperCase()}${type.slice(1)}`;
}

/** A problem about an element whose message is the element's description followed by `tail`. */
export function problemAbout(code: ProblemCode, element: Describable, tail: string): Problem {
  return {
    code,
    elementId: element.id,
    elementType: bpmnTypeOf(element.type),
    message: `${describeElement(element)} ${tail}`,
  };
}

// helpers

function labelOf(type: string): string {
  const local = localName(type);
  return LABELS[local] ?? local.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`);
}

function localName(type: string): string {
  const local = type.includes(':') ? type.slice(type.indexOf(':') + 1) : type;
  return local.charAt(0).toLowerCase() + local.slice(1);
}

function collapse(name: string | null | undefined): string {
  return (name ?? '').replace(/\s+/g, ' ').trim();
}
