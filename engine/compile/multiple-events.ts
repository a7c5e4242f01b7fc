/**
 * Multiple and parallel multiple events (BPMN 2.0 §10.5.1), rewritten before compiling into elements that run
 * one definition each, so every trigger uses the machinery it has on its own:
 *
 *   catch E, multiple:           E becomes an event-based gateway → one catch per definition → exclusive merge
 *   catch E, parallel multiple:  E becomes a parallel split → one catch per definition → parallel join
 *   boundary B, multiple:        one boundary per definition on the same activity → B, an exclusive merge
 *   boundary B, parallel:        the same, each trigger remembered while the activity runs; the last one fires
 *   start S (of the process):    one start event per definition → S, an exclusive merge
 *   throw E (intermediate, end): E throws the first definition, then one throw per further definition, in order
 *
 * The synthetic elements are hidden (no history entry); while they wait, the original event is the active
 * element, and the original keeps its element type in what the engine records.
 */
import type { FlowNode, NodeType, ProcessModel, SequenceFlow } from '../bpmn/model.js';

export interface MultipleExpansion {
  model: ProcessModel;
  /** Synthetic element ids. */
  hidden: Set<string>;
  /** Synthetic element id → the multiple event it stands for (shown as active while it waits). */
  owners: Map<string, string>;
  /** Original events compiled as another type (a gateway), → their own type, for what is recorded. */
  retyped: Map<string, NodeType>;
  refusals: Array<{ node: FlowNode; message: string }>;
}

/** The model with every multiple event expressed by single-definition events and gateways. */
export function expandMultipleEvents(source: ProcessModel): MultipleExpansion {
  const out: MultipleExpansion = {
    model: source,
    hidden: new Set(),
    owners: new Map(),
    retyped: new Map(),
    refusals: [],
  };
  const multiples = Object.values(source.nodes).filter((n) => n.multiple);
  if (multiples.length === 0) return out;
  const model: ProcessModel = structuredClone(source);
  out.model = model;
  for (const original of multiples) {
    const node = model.nodes[original.id];
    const reason = refusalOf(model, node);
    if (reason) out.refusals.push({ node: original, message: reason });
    else if (node.type === 'intermediateCatchEvent') expandCatch(model, node, out);
    else if (node.type === 'boundaryEvent') expandBoundary(model, node, out);
    else if (node.type === 'startEvent') expandStart(model, node, out);
    else expandThrow(model, node, out);
  }
  return out;
}

// helpers

function refusalOf(model: ProcessModel, node: FlowNode): string | null {
  const label = node.multiple?.parallel ? 'parallel multiple' : 'multiple';
  const catches = node.type === 'intermediateCatchEvent' || node.type === 'boundaryEvent';
  if (node.listeners?.length) return `execution listeners on ${label} events; put them on the next activity`;
  if (node.type === 'boundaryEvent' && node.multiple?.parallel && model.nodes[node.attachedTo ?? '']?.multiInstance)
    return `${label} boundary events on multi-instance or looping activities; model the triggers inside the activity`;
  if (catches && node.outgoing.length !== 1)
    return `${label} events with ${node.outgoing.length} outgoing flows; give it one outgoing flow`;
  if (node.type === 'startEvent' && node.outgoing.length !== 1)
    return `${label} start events with ${node.outgoing.length} outgoing flows; give it one outgoing flow`;
  if (catches && node.inputs.length > 0) return `input mappings on ${label} catch events; map the variables after it`;
  const afterGateway = node.incoming.some((f) => model.nodes[model.flows[f]?.sourceId]?.type === 'eventBasedGateway');
  if (afterGateway) return `${label} events after an event-based gateway; add one target per definition`;
  return null;
}

function expandCatch(model: ProcessModel, node: FlowNode, out: MultipleExpansion): void {
  const parallel = node.multiple!.parallel;
  const events = node.multiple!.events;
  const mergeId = fresh(model, `${node.id}__merge`);
  const merge = synthetic(node, mergeId, parallel ? 'parallelGateway' : 'exclusiveGateway', out);
  moveOutgoing(model, node, merge);
  const outputs = node.outputs;
  retype(node, parallel ? 'parallelGateway' : 'eventBasedGateway', out);
  events.forEach((event, i) => {
    const catcher = synthetic(node, fresh(model, `${node.id}__${i + 1}`), 'intermediateCatchEvent', out);
    catcher.event = event;
    catcher.outputs = outputs;
    connect(model, node, catcher);
    connect(model, catcher, merge);
  });
}

function expandBoundary(model: ProcessModel, node: FlowNode, out: MultipleExpansion): void {
  const activity = model.nodes[node.attachedTo ?? ''];
  const catchers = node.multiple!.events.map((event, i) => {
    const catcher = synthetic(node, fresh(model, `${node.id}__${i + 1}`), 'boundaryEvent', out);
    Object.assign(catcher, { event, attachedTo: node.attachedTo, cancelActivity: node.cancelActivity });
    catcher.outputs = node.outputs;
    return catcher;
  });
  if (activity)
    activity.boundaryEvents = activity.boundaryEvents.flatMap((id) =>
      id === node.id ? catchers.map((c) => c.id) : [id],
    );
  // parallel multiple: each trigger is remembered while the activity runs; the last one to occur fires
  if (node.multiple!.parallel) {
    const parts = catchers.map((c) => c.id);
    for (const catcher of catchers) catcher.allOf = { owner: node.id, parts };
  }
  retype(node, 'exclusiveGateway', out);
  Object.assign(node, { attachedTo: null, cancelActivity: true, outputs: [] });
  for (const catcher of catchers) connect(model, catcher, node);
}

/** A multiple start event: one start event per definition, each merging into the original (its entry). */
function expandStart(model: ProcessModel, node: FlowNode, out: MultipleExpansion): void {
  const starts = node.multiple!.events.map((event, i) => {
    const starter = synthetic(node, fresh(model, `${node.id}__${i + 1}`), 'startEvent', out);
    Object.assign(starter, { event, outputs: node.outputs, formKey: node.formKey });
    return starter;
  });
  retype(node, 'exclusiveGateway', out);
  node.outputs = [];
  for (const starter of starts) connect(model, starter, node);
}

function expandThrow(model: ProcessModel, node: FlowNode, out: MultipleExpansion): void {
  const events = node.multiple!.events;
  const last = events.length - 1;
  let previous = node;
  const ending = node.type === 'endEvent';
  const outgoing = node.outgoing;
  node.outgoing = [];
  if (ending) retype(node, 'intermediateThrowEvent', out);
  else delete node.multiple;
  node.event = events[0];
  for (let i = 1; i <= last; i++) {
    const type: NodeType = ending && i === last ? 'endEvent' : 'intermediateThrowEvent';
    const thrower = synthetic(node, fresh(model, `${node.id}__${i + 1}`), type, out);
    thrower.event = events[i];
    thrower.inputs = node.inputs;
    connect(model, previous, thrower);
    previous = thrower;
  }
  previous.outgoing = outgoing;
  for (const id of outgoing) model.flows[id].sourceId = previous.id;
}

/** A hidden element standing for part of `owner`, in its scope. */
function synthetic(owner: FlowNode, id: string, type: NodeType, out: MultipleExpansion): FlowNode {
  const node: FlowNode = {
    ...structuredClone(owner),
    id,
    type,
    name: owner.name,
    incoming: [],
    outgoing: [],
    defaultFlow: null,
    event: null,
    attachedTo: null,
    cancelActivity: true,
    boundaryEvents: [],
    inputs: [],
    outputs: [],
    sla: null,
  };
  delete node.multiple;
  delete node.listeners;
  out.hidden.add(id);
  out.owners.set(id, owner.id);
  return node;
}

/** The original event runs as `type`; it keeps its own type in what is recorded. */
function retype(node: FlowNode, type: NodeType, out: MultipleExpansion): void {
  out.retyped.set(node.id, node.type);
  node.type = type;
  if (type.endsWith('Gateway')) node.event = null;
  delete node.multiple;
}

function moveOutgoing(model: ProcessModel, from: FlowNode, to: FlowNode): void {
  to.outgoing = from.outgoing;
  for (const id of from.outgoing) model.flows[id].sourceId = to.id;
  from.outgoing = [];
}

function connect(model: ProcessModel, from: FlowNode, to: FlowNode): void {
  if (!model.nodes[to.id]) model.nodes[to.id] = to;
  if (!model.nodes[from.id]) model.nodes[from.id] = from;
  const flow: SequenceFlow = {
    id: fresh(model, `${from.id}__to__${to.id}`),
    name: null,
    sourceId: from.id,
    targetId: to.id,
    condition: null,
  };
  model.flows[flow.id] = flow;
  from.outgoing.push(flow.id);
  to.incoming.push(flow.id);
}

function fresh(model: ProcessModel, base: string): string {
  let id = base;
  for (let n = 2; model.nodes[id] || model.flows[id]; n++) id = `${base}_${n}`;
  return id;
}
