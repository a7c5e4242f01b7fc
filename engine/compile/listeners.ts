/**
 * Camunda 7 listeners (engine/bpmn/read-listeners.ts) woven into the compiled config as `svc.listen` actions,
 * so they run inside the step that passes their event and a crash never runs half of them. Camunda 7's order:
 * - start: when the element is entered, after its input mappings, before it arms anything (task, job, timer);
 *   a task listener's create right after its task is created;
 * - end: on every transition that leaves the element's state (its completion, after the completion's
 *   variables are merged, or an interrupting boundary event on it), before the flow's take listeners;
 *   a transient element (end, throw events, gateways that only pass) runs it where it is left;
 * - take: when a token moves along the flow (every way a token leaves a node goes through `Compilation.leave`);
 * - complete: after the submitted variables are merged, before the end listeners;
 * - the process's start listeners before anything else of the instance.
 * Where a listener cannot be placed faithfully, the model is refused naming the element, never run without it.
 */
import type { FlowNode, Listener, ListenerEvent, ProcessModel } from '../bpmn/model.js';
import type { ActionConfig, StateConfig, TransitionConfig } from './machine-config.js';
import type { Compilation } from './compile.js';
import { describeNode } from './names.js';

/**
 * A listener whose expression failed while the step ran (a JUEL missing variable, a FEEL error): the step is not
 * applied. The door (process-machine.ts) makes it an incident at the element, or refuses the event that caused it.
 */
export class ListenerFailure extends Error {
  constructor(
    readonly elementId: string,
    readonly event: ListenerEvent,
    readonly expression: string,
    readonly reason: string,
  ) {
    super(
      `the ${TASK_EVENTS.includes(event) ? 'task' : 'execution'} listener on '${event}' of '${elementId}' failed: ${reason} (expression: ${expression})`,
    );
    this.name = 'ListenerFailure';
  }
}

const TASK_EVENTS: ListenerEvent[] = ['create', 'complete'];

/**
 * The action that runs an element's listeners of one event, in document order; with `onlyOn`, only when the
 * step's event is of one of those types (an exit action that runs end listeners when the instance is cancelled).
 */
export function listen(
  elementId: string,
  event: ListenerEvent,
  listeners: Listener[] | undefined,
  onlyOn?: string[],
): ActionConfig[] {
  const own = (listeners ?? []).filter((l) => l.event === event);
  if (own.length === 0) return [];
  return [{ type: 'svc.listen', params: { elementId, event, listeners: own, ...(onlyOn ? { onlyOn } : {}) } }];
}

/** Refuses listeners svcflow could not run at the moment Camunda runs them; call before compiling. */
export function refuseUnplaceable(c: Compilation): void {
  const model = c.model;
  for (const flow of Object.values(model.flows)) {
    if (!flow.listeners?.length) continue;
    const source = model.nodes[flow.sourceId];
    if (source && source.outgoing.length > 1 && source.type !== 'exclusiveGateway')
      c.problems.push(listenerProblem(flow.id, 'bpmn:SequenceFlow', `sequence flow '${flow.id}'`, SPLIT_TAKE));
  }
  for (const node of Object.values(model.nodes)) {
    const events = new Set((node.listeners ?? []).map((l) => l.event));
    if (events.has('complete') && node.outputs.length > 0)
      c.refuse(node, 'a complete task listener together with output mappings');
    if (events.has('end') && interruptibleFromAbove(model, node))
      c.refuse(
        node,
        'end listeners on an element inside a scope that can be interrupted (boundary, event sub-process, terminate)',
      );
  }
}

/** Weaves every element's listeners into the root state; refuses an element whose listeners found no place. */
export function weaveListeners(c: Compilation, root: StateConfig): StateConfig {
  const byId = new Map<string, Listener[]>();
  for (const node of Object.values(c.model.nodes)) if (node.listeners?.length) byId.set(node.id, node.listeners);
  if (byId.size === 0 && !c.model.listeners?.length) return root;
  const woven = weaveState(root, byId);
  const placed = new Set<string>();
  collectPlaced(woven, placed);
  for (const [id, listeners] of byId)
    for (const l of listeners)
      if (!placed.has(`${id}:${l.event}`)) c.refuse(c.node(id), `${l.event} listeners on ${describeNode(c.node(id))}`);
  return withProcessListeners(c, woven);
}

// helpers

/** The process's start listeners before anything else; its end listeners when it completes or is cancelled. */
function withProcessListeners(c: Compilation, root: StateConfig): StateConfig {
  const id = c.model.id;
  const end = listen(id, 'end', c.model.listeners);
  const ending = (ts: TransitionConfig[] | undefined) =>
    ts?.map((t) => ({ ...t, actions: [...(t.actions ?? []), ...end] }));
  const states = Object.fromEntries(
    Object.entries(root.states ?? {}).map(([k, s]) => [k, s.onDone ? { ...s, onDone: ending(s.onDone) } : s]),
  );
  return {
    ...root,
    entry: [...listen(id, 'start', c.model.listeners), ...(root.entry ?? [])],
    states,
    on: { ...root.on, 'instance.cancel': ending(root.on?.['instance.cancel']) ?? [] },
  };
}

const SPLIT_TAKE =
  'has a take listener on a flow leaving a split (a gateway or activity with several outgoing flows other than an exclusive gateway); not supported yet';

function listenerProblem(id: string, type: string, what: string, message: string) {
  return { code: 'UNSUPPORTED_ELEMENT' as const, elementId: id, elementType: type, message: `${what} ${message}` };
}

/**
 * Whether something other than the element's own completion or boundary events can end it while it waits:
 * an interrupting boundary event of an enclosing sub-process, an interrupting event sub-process of an enclosing
 * scope, or a terminate end event in one. (Its end listeners would not run then.)
 */
function interruptibleFromAbove(model: ProcessModel, node: FlowNode): boolean {
  const nodes = Object.values(model.nodes);
  for (let scope = node.scopeId; ; scope = model.nodes[scope].scopeId) {
    const inScope = nodes.filter((n) => n.scopeId === scope);
    if (inScope.some((n) => n.type === 'endEvent' && n.event?.kind === 'terminate')) return true;
    if (
      inScope.some(
        (n) =>
          n.triggeredByEvent && nodes.some((s) => s.scopeId === n.id && s.type === 'startEvent' && s.cancelActivity),
      )
    )
      return true;
    const owner = model.nodes[scope];
    if (!owner) return false;
    if (owner.boundaryEvents.some((b) => model.nodes[b]?.cancelActivity)) return true;
  }
}

function weaveState(state: StateConfig, byId: Map<string, Listener[]>): StateConfig {
  const out: StateConfig = { ...state };
  if (state.entry) out.entry = weaveList(state.entry, byId, 'entry');
  if (state.exit) out.exit = weaveList(state.exit, byId, 'exit');
  const leaving = leftIn(state.exit ?? []).filter((id) => byId.has(id));
  const inner = descendants(state);
  const transitions = (ts: TransitionConfig[], type: string | null) =>
    ts.map((t) => {
      const actions = weaveList(t.actions ?? [], byId, 'transition');
      const exits =
        type !== 'incident.retry' && t.target !== undefined && !isIncident(t.target) && !inner.has(t.target);
      return {
        ...t,
        actions: exits ? leaving.reduce((acc, id) => withEnd(acc, id, byId.get(id)!, type), actions) : actions,
      };
    });
  if (state.on) out.on = Object.fromEntries(Object.entries(state.on).map(([k, ts]) => [k, transitions(ts, k)]));
  if (state.always) out.always = transitions(state.always, null);
  if (state.onDone) out.onDone = transitions(state.onDone, null);
  if (state.states)
    out.states = Object.fromEntries(Object.entries(state.states).map(([k, s]) => [k, weaveState(s, byId)]));
  return out;
}

/**
 * Start and create listeners after what starts them; end listeners before the `element.left` of an element left
 * on entry, and, for a wait state (left on exit), there only when the instance is cancelled: every other way out of
 * it runs them on its transition.
 */
function weaveList(
  actions: ActionConfig[],
  byId: Map<string, Listener[]>,
  where: 'entry' | 'exit' | 'transition',
): ActionConfig[] {
  const out: ActionConfig[] = [];
  for (let i = 0; i < actions.length; i++) {
    const action = actions[i];
    const spec = effectOf(action);
    const listeners = spec ? byId.get(spec.elementId) : undefined;
    if (spec && listeners && spec.kind === 'element.left' && where !== 'transition')
      out.push(...listen(spec.elementId, 'end', listeners, where === 'exit' ? ['instance.cancel'] : undefined));
    out.push(action);
    if (!spec || !listeners) continue;
    if (spec.kind === 'element.entered') {
      // the element's input mappings come first, when they follow at once
      const next = actions[i + 1];
      if (next?.type === 'svc.inputs' && paramsOf(next).elementId === spec.elementId) out.push(actions[++i]);
      out.push(...listen(spec.elementId, 'start', listeners));
    }
    if (spec.kind === 'task.create') out.push(...listen(spec.elementId, 'create', listeners));
  }
  return out;
}

/** A leaving transition's actions with the element's complete and end listeners after its own result is merged. */
function withEnd(actions: ActionConfig[], id: string, listeners: Listener[], type: string | null): ActionConfig[] {
  const own = actions.findIndex(
    (a) => ['svc.merge', 'svc.script', 'svc.decide'].includes(a.type) && paramsOf(a).elementId === id,
  );
  const at = own + 1;
  const ending = [
    ...(type === 'task.completed' ? listen(id, 'complete', listeners) : []),
    ...listen(id, 'end', listeners),
  ];
  return [...actions.slice(0, at), ...ending, ...actions.slice(at)];
}

function collectPlaced(state: StateConfig, placed: Set<string>): void {
  const lists = [
    state.entry,
    state.exit,
    ...Object.values(state.on ?? {}).flatMap((ts) => ts.map((t) => t.actions)),
    ...(state.always ?? []).map((t) => t.actions),
    ...(state.onDone ?? []).map((t) => t.actions),
  ];
  // a listener placed only for cancellation does not count: the element's own ways out must run it too
  for (const list of lists)
    for (const a of list ?? [])
      if (a.type === 'svc.listen' && !paramsOf(a).onlyOn)
        placed.add(`${paramsOf(a).elementId}:${String(paramsOf(a).event)}`);
  for (const s of Object.values(state.states ?? {})) collectPlaced(s, placed);
}

function leftIn(actions: ActionConfig[]): string[] {
  return actions.flatMap((a) => {
    const spec = effectOf(a);
    return spec?.kind === 'element.left' ? [spec.elementId] : [];
  });
}

function descendants(state: StateConfig): Set<string> {
  const ids = new Set<string>();
  const walk = (s: StateConfig) => {
    for (const [key, child] of Object.entries(s.states ?? {})) {
      ids.add(`#${child.id ?? key}`);
      walk(child);
    }
  };
  walk(state);
  return ids;
}

function isIncident(target: string): boolean {
  return /__(loop)?[iI]ncident$/.test(target);
}

function effectOf(action: ActionConfig): { kind: string; elementId: string } | null {
  if (action.type !== 'svc.effect') return null;
  const p = paramsOf(action);
  return typeof p.kind === 'string' && typeof p.elementId === 'string'
    ? { kind: p.kind, elementId: p.elementId }
    : null;
}

function paramsOf(action: ActionConfig): Record<string, unknown> {
  return (action.params ?? {}) as Record<string, unknown>;
}
