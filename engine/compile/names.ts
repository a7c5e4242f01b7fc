/** State keys and the small action/guard builders every compiler module shares. */
import type { FlowNode, Mapping } from '../bpmn/model.js';
import type { ActionConfig, EffectSpec, GuardConfig } from './machine-config.js';

/** The xstate key (and id) of the state for a BPMN element: its id, with dots made safe for '#id' targets. */
export function stateKey(elementId: string): string {
  return elementId.replace(/\./g, '\u2024');
}

/** A '#id' transition target for a state key or element id. */
export function ref(keyOrId: string): string {
  return `#${stateKey(keyOrId)}`;
}

export function effect(spec: EffectSpec): ActionConfig {
  return { type: 'svc.effect', params: spec as unknown as Record<string, unknown> };
}

export function entered(node: FlowNode): ActionConfig {
  return effect({ kind: 'element.entered', elementId: node.id, elementType: node.type });
}

export function left(node: FlowNode): ActionConfig {
  return effect({ kind: 'element.left', elementId: node.id, elementType: node.type });
}

export function isElement(elementId: string): GuardConfig {
  return { type: 'svc.is', params: { id: elementId } };
}

export function and(...guards: GuardConfig[]): GuardConfig {
  return { type: 'svc.and', params: { guards } };
}

export function stateIn(elementId: string): GuardConfig {
  return { type: 'svc.stateIn', params: { id: stateKey(elementId) } };
}

/** Merges the event's variables into the process, through the element's output mappings. */
export function merge(elementId: string, outputs: Mapping[]): ActionConfig {
  return { type: 'svc.merge', params: { elementId, outputs } };
}

export function raise(event: Record<string, unknown>): ActionConfig {
  return { type: 'svc.raise', params: { event } };
}

export const NODE_LABELS: Record<string, string> = {
  startEvent: 'start event',
  endEvent: 'end event',
  intermediateCatchEvent: 'intermediate catch event',
  intermediateThrowEvent: 'intermediate throw event',
  boundaryEvent: 'boundary event',
  task: 'task',
  userTask: 'user task',
  manualTask: 'manual task',
  serviceTask: 'service task',
  sendTask: 'send task',
  receiveTask: 'receive task',
  scriptTask: 'script task',
  businessRuleTask: 'business rule task',
  exclusiveGateway: 'exclusive gateway',
  parallelGateway: 'parallel gateway',
  inclusiveGateway: 'inclusive gateway',
  complexGateway: 'complex gateway',
  eventBasedGateway: 'event-based gateway',
  subProcess: 'sub-process',
  callActivity: 'call activity',
};

/** `user task 'Task_review'`: how messages name an element. */
export function describeNode(node: FlowNode): string {
  return `${NODE_LABELS[node.type] ?? node.type} '${node.id}'`;
}

export function bpmnType(node: FlowNode): string {
  return `bpmn:${node.type[0].toUpperCase()}${node.type.slice(1)}`;
}
