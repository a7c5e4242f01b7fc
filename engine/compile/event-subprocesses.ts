/**
 * Event sub-processes (BPMN 2.0 §10.2.5) as boundary events. Before compiling, each scope S with event
 * sub-processes is rewritten so that the machinery of sub-processes and boundary events runs them:
 *
 *   S:      S__start → [S__outer] → S__end, plus the contents of S's interrupting event sub-processes
 *   outer:  outer__start → [S__body] → outer__end, plus the contents of the non-interrupting ones
 *   body:   S's own elements (its start events, flows, boundary events)
 *
 * An event sub-process's start event becomes a boundary event with the same id on `S__body` (non-interrupting)
 * or on `S__outer` (interrupting), its flows leading into the sub-process's own elements, which move into the
 * scope around it. So its trigger is armed exactly while its scope runs, an interrupting one cancels the whole
 * body and every running non-interrupting run in one transition, an error start catches what the body or
 * anything nested in it throws, and the scope completes when the body and every run have ended. The outer
 * scope is a token region, so a non-interrupting event sub-process fires again while a run is under way (each
 * run is its own token and activation). `outer` exists only when there are non-interrupting ones.
 * An event sub-process E holding event sub-processes of its own first gets a synthetic sub-process `E__run`
 * between its start event and a synthetic end: E's other elements move into it, so the nested ones become event
 * sub-processes of an ordinary scope that exists exactly while one run of E is under way (an interrupting nested
 * one cancels that run's work only, a non-interrupting one runs beside it).
 * The synthetic elements are hidden: no active element, no history entry.
 */
import type { FlowNode, ProcessModel } from '../bpmn/model.js';

export interface ExpandedModel {
  model: ProcessModel;
  /** Synthetic element ids: never shown as active elements nor recorded in the history. */
  hidden: Set<string>;
  /** Start events that became boundary events: id → the original node. */
  starts: Map<string, FlowNode>;
  /** The synthetic scope holding the process's own elements (and so its start events); null without rewrite. */
  rootBody: string | null;
  /** Synthetic scopes compiled as token regions (non-interrupting runs in parallel). */
  tokenScopes: Set<string>;
  /** Elements compiled as another type (multiple events), → the type recorded for them. */
  retyped?: ReadonlyMap<string, string>;
  /** What the rewrite cannot express: refused at deploy as not run yet. */
  refusals: Array<{ node: FlowNode; message: string }>;
}

/** The model with every event sub-process expressed as boundary events on synthetic sub-processes. */
export function expandEventSubProcesses(source: ProcessModel): ExpandedModel {
  const result: ExpandedModel = {
    model: source,
    hidden: new Set(),
    starts: new Map(),
    rootBody: null,
    tokenScopes: new Set(),
    refusals: [],
  };
  const esps = Object.values(source.nodes).filter((n) => n.type === 'subProcess' && n.triggeredByEvent);
  if (esps.length === 0) return result;
  const model: ProcessModel = structuredClone(source);
  result.model = model;
  for (const esp of esps) if (esps.some((inner) => inner.scopeId === esp.id)) liftRun(model, esp.id, result);
  const lifted = Object.values(model.nodes).filter((n) => n.type === 'subProcess' && n.triggeredByEvent);
  for (const scopeId of new Set(lifted.map((e) => e.scopeId))) {
    const body = expandScope(model, scopeId, result);
    if (scopeId === model.id) result.rootBody = body;
  }
  return result;
}

// helpers

function expandScope(model: ProcessModel, scopeId: string, out: ExpandedModel): string {
  const esps = Object.values(model.nodes).filter((n) => n.scopeId === scopeId && n.triggeredByEvent);
  const own = Object.values(model.nodes).filter((n) => n.scopeId === scopeId && !n.triggeredByEvent);
  refuseTerminates(model, esps, own, out);
  const interrupting = esps.filter((e) => startOf(model, e.id).cancelActivity);
  const others = esps.filter((e) => !interrupting.includes(e));
  const bodyId = uniqueId(model, `${scopeId}__body`);
  const outerId = others.length > 0 ? uniqueId(model, `${scopeId}__outer`) : bodyId;
  for (const node of own) node.scopeId = bodyId;
  // the outermost wrapper sits in S between a synthetic start and end
  wrap(model, scopeId, outerId, out);
  if (outerId !== bodyId) {
    wrap(model, outerId, bodyId, out);
    out.tokenScopes.add(outerId);
  }
  for (const esp of others) inline(model, esp, bodyId, outerId, false, out);
  for (const esp of interrupting) inline(model, esp, outerId, scopeId, true, out);
  out.hidden.add(bodyId);
  return bodyId;
}

/**
 * Moves everything of event sub-process `espId` but its start event into a synthetic sub-process between that
 * start event and a synthetic end event; the start event's flows leave from the run's own synthetic start.
 */
function liftRun(model: ProcessModel, espId: string, out: ExpandedModel): void {
  const trigger = startOf(model, espId);
  for (const node of Object.values(model.nodes))
    if (node.scopeId === espId && node.type === 'endEvent' && node.event?.kind === 'terminate')
      out.refusals.push({ node, message: 'terminate end events inside event sub-processes' });
  const runId = uniqueId(model, `${espId}__run`);
  const run = synthetic(model, runId, 'subProcess', espId);
  for (const node of Object.values(model.nodes))
    if (node.scopeId === espId && node.id !== trigger.id && node.id !== runId) node.scopeId = runId;
  const runStart = synthetic(model, uniqueId(model, `${runId}__start`), 'startEvent', runId);
  for (const flowId of trigger.outgoing) model.flows[flowId].sourceId = runStart.id;
  runStart.outgoing = trigger.outgoing;
  trigger.outgoing = [];
  const runEnd = synthetic(model, uniqueId(model, `${espId}__end`), 'endEvent', espId);
  connect(model, trigger, run);
  connect(model, run, runEnd);
  model.scopes.push(runId);
  for (const id of [runId, runStart.id, runEnd.id]) out.hidden.add(id);
}

/**
 * A terminate end event inside an event sub-process ends only that run, and one in a scope with
 * non-interrupting event sub-processes ends their runs too; the rewrite expresses neither.
 */
function refuseTerminates(model: ProcessModel, esps: FlowNode[], own: FlowNode[], out: ExpandedModel): void {
  const withRuns = esps.some((e) => !startOf(model, e.id).cancelActivity);
  const terminates = (ids: Set<string>) =>
    Object.values(model.nodes).filter(
      (n) => n.type === 'endEvent' && n.event?.kind === 'terminate' && ids.has(n.scopeId),
    );
  for (const node of terminates(new Set(esps.map((e) => e.id))))
    out.refusals.push({ node, message: 'terminate end events inside event sub-processes' });
  if (withRuns)
    for (const node of terminates(new Set([own[0]?.scopeId ?? ''])))
      out.refusals.push({ node, message: 'terminate end events in a scope with non-interrupting event sub-processes' });
}

/** Puts a synthetic sub-process `innerId` into `scopeId`, between a synthetic start and end event. */
function wrap(model: ProcessModel, scopeId: string, innerId: string, out: ExpandedModel): void {
  const start = synthetic(model, uniqueId(model, `${scopeId}__start`), 'startEvent', scopeId);
  const end = synthetic(model, uniqueId(model, `${scopeId}__end`), 'endEvent', scopeId);
  const inner = model.nodes[innerId] ?? synthetic(model, innerId, 'subProcess', scopeId);
  inner.scopeId = scopeId;
  connect(model, start, inner);
  connect(model, inner, end);
  for (const id of [start.id, end.id, inner.id]) out.hidden.add(id);
  if (!model.scopes.includes(innerId)) model.scopes.push(innerId);
}

/**
 * The event sub-process `esp` becomes its start event as a boundary event on `attachedTo`, its elements
 * moving into `scopeId` (the scope around `attachedTo`).
 */
function inline(
  model: ProcessModel,
  esp: FlowNode,
  attachedTo: string,
  scopeId: string,
  interrupting: boolean,
  out: ExpandedModel,
): void {
  const start = startOf(model, esp.id);
  out.starts.set(start.id, structuredClone(start));
  for (const node of Object.values(model.nodes)) if (node.scopeId === esp.id) node.scopeId = scopeId;
  start.type = 'boundaryEvent';
  start.attachedTo = attachedTo;
  start.cancelActivity = interrupting;
  model.nodes[attachedTo].boundaryEvents.push(start.id);
  delete model.nodes[esp.id];
  model.scopes = model.scopes.filter((s) => s !== esp.id);
}

function startOf(model: ProcessModel, espId: string): FlowNode {
  const start = Object.values(model.nodes).find((n) => n.scopeId === espId && n.type === 'startEvent');
  if (!start) throw new Error(`event sub-process '${espId}' has no start event`);
  return start;
}

function synthetic(model: ProcessModel, id: string, type: FlowNode['type'], scopeId: string): FlowNode {
  const node: FlowNode = {
    id,
    type,
    name: null,
    scopeId,
    incoming: [],
    outgoing: [],
    defaultFlow: null,
    event: type.endsWith('Event') ? { kind: 'none' } : null,
    attachedTo: null,
    cancelActivity: true,
    boundaryEvents: [],
    assignment: null,
    formKey: null,
    jobType: null,
    jobRetries: 0,
    script: null,
    inputs: [],
    outputs: [],
    sla: null,
    documentation: null,
    properties: {},
    headers: {},
  };
  model.nodes[id] = node;
  return node;
}

function connect(model: ProcessModel, from: FlowNode, to: FlowNode): void {
  const id = uniqueId(model, `${from.id}__to__${to.id}`);
  model.flows[id] = { id, name: null, sourceId: from.id, targetId: to.id, condition: null };
  from.outgoing.push(id);
  to.incoming.push(id);
}

function uniqueId(model: ProcessModel, wanted: string): string {
  let id = wanted;
  for (let n = 2; model.nodes[id] || model.flows[id] || id === model.id; n++) id = `${wanted}${n}`;
  return id;
}

/**
 * The config without the synthetic elements' history effects, and with the start events that became boundary
 * events recorded as start events.
 */
export function hideSynthetic<T>(config: T, expanded: ExpandedModel): T {
  if (expanded.hidden.size === 0 && !expanded.retyped?.size) return config;
  return walk(config, expanded) as T;
}

function walk(value: unknown, expanded: ExpandedModel): unknown {
  if (Array.isArray(value)) return value.filter((v) => !isHiddenEffect(v, expanded)).map((v) => walk(v, expanded));
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[key] = walk(v, expanded);
  const params = out.params as Record<string, unknown> | undefined;
  if (out.type === 'svc.effect' && params && typeof params.elementId === 'string') {
    const start = expanded.starts.get(params.elementId);
    if (start && params.elementType === 'boundaryEvent') out.params = { ...params, elementType: 'startEvent' };
    const own = expanded.retyped?.get(params.elementId);
    if (own && typeof params.elementType === 'string') out.params = { ...params, elementType: own };
  }
  return out;
}

function isHiddenEffect(value: unknown, expanded: ExpandedModel): boolean {
  if (!value || typeof value !== 'object') return false;
  const action = value as { type?: unknown; params?: { kind?: unknown; elementId?: unknown } };
  if (action.type !== 'svc.effect' || typeof action.params?.elementId !== 'string') return false;
  const kind = action.params.kind;
  return (kind === 'element.entered' || kind === 'element.left') && expanded.hidden.has(action.params.elementId);
}
