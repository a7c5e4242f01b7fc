/**
 * Signals and triggered starts in the compiled machine. A signal catch (intermediate, boundary,
 * event-based gateway target) is armed by a `signal.subscribe` effect and fires on `signal.received`;
 * a throw (intermediate or end event) asks the runtime to broadcast with `signal.throw`. The process's
 * start events are listed so that the runtime can start an instance at a message, signal or timer start.
 */
import type { FlowNode, ProcessModel, TimerDefinition } from '../bpmn/model.js';
import type { ActionConfig, StateConfig } from './machine-config.js';
import { effect, ref, stateKey } from './names.js';

/** A start event of the process scope and what triggers it. */
export type StartTrigger = (
  | { elementId: string; kind: 'none' }
  | { elementId: string; kind: 'message'; name: string }
  | { elementId: string; kind: 'signal'; name: string }
  | { elementId: string; kind: 'timer'; timer: TimerDefinition }
) & {
  /** The form a person fills in when starting at this start event (`camunda:formKey`); absent: none. */
  formKey?: string;
};

/** The start events of the process scope (not of sub-processes), in document order. */
export function startTriggersOf(model: ProcessModel): StartTrigger[] {
  return Object.values(model.nodes)
    .filter((n) => n.type === 'startEvent' && n.scopeId === model.id)
    .map((n): StartTrigger => ({ ...triggerOf(n), ...(n.formKey ? { formKey: n.formKey } : {}) }));
}

function triggerOf(n: FlowNode): StartTrigger {
  const event = n.event;
  if (event?.kind === 'message') return { elementId: n.id, kind: 'message', name: event.messageName };
  if (event?.kind === 'signal') return { elementId: n.id, kind: 'signal', name: event.signalName };
  if (event?.kind === 'timer') return { elementId: n.id, kind: 'timer', timer: event.timer };
  return { elementId: n.id, kind: 'none' };
}

/** The effect that broadcasts a throw event's signal, with the variables its mappings pass; none for other events. */
export function signalThrow(node: FlowNode): ActionConfig[] {
  if (node.event?.kind !== 'signal') return [];
  return [
    effect({
      kind: 'signal.throw',
      elementId: node.id,
      signalName: node.event.signalName,
      inputs: node.inputs,
      passed: node.event.passed ?? null,
    }),
  ];
}

/**
 * A transient state that enters the start event the instance was started at (`context.startEvent`),
 * else `fallback` (the none start event): a scope with several start events has one entry per start.
 */
export function startChooser(key: string, starts: FlowNode[], fallback: FlowNode): StateConfig {
  return {
    id: `${key}__entry`,
    always: [
      ...starts
        .filter((s) => s.id !== fallback.id)
        .map((s) => ({ guard: { type: 'svc.startIs', params: { id: s.id } }, target: ref(s.id) })),
      { target: ref(fallback.id) },
    ],
  };
}

/** The key of a scope's start chooser state. */
export function chooserKey(scopeId: string): string {
  return `${stateKey(scopeId)}__entry`;
}

/**
 * A message or signal start event's output mappings decide which of the payload's variables the new
 * instance keeps (as Camunda 8 does for messages); without mappings it keeps them all.
 */
export function startOutputs(node: FlowNode): ActionConfig[] {
  const triggered = node.event?.kind === 'message' || node.event?.kind === 'signal';
  return triggered && node.outputs.length > 0
    ? [{ type: 'svc.startOutputs', params: { elementId: node.id, outputs: node.outputs } }]
    : [];
}
