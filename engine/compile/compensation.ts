/**
 * Compensation (BPMN 2.0 §10.5.4, Camunda 7 semantics). Each completion of an activity with a
 * compensation boundary event is recorded in the context under its scope; a completed sub-process takes
 * its scope's records along as children, so only completed sub-processes are compensated into. A
 * compensation throw takes the records of its scope (or only `activityRef`'s), newest first, removes
 * them (each is compensated at most once) and queues their handlers; a sub-process without a handler of
 * its own is compensated through its children, newest first. The handlers run one at a time in the
 * root's compensation region (one sub-region per handler), and the throw waits until every handler it
 * queued has ended. A throw inside a running handler (a compensation event sub-process) queues its
 * handlers one level deeper: they run next, while that handler waits at its throw. A cancel boundary
 * event compensates its transaction the same way before it leaves.
 */
import type { FlowNode, ProcessModel } from '../bpmn/model.js';
import type { Compilation, Group } from './compile.js';
import type { ActionConfig, GuardConfig, StateConfig, TransitionConfig } from './machine-config.js';
import { type Args, assignTo } from './machine-types.js';
import { entered, left, raise, ref, stateKey } from './names.js';
import { toFlows } from './tokens.js';
import { compileNode } from './nodes.js';

/** One completed activity that may be compensated: `children` are the records of a completed sub-process. */
export interface CompensationRecord {
  id: string;
  children?: CompensationRecord[];
  /** How many instances completed (a multi-instance activity: one handler run per completed instance). */
  times?: number;
}

/** A handler waiting to run (or running) for the throw or cancel boundary event that asked for it. */
export interface CompensationItem {
  handler: string;
  requester: string;
  /**
   * The completed sub-process's own records, when the handler is its compensation event sub-process: a
   * compensation throw inside the handler compensates them.
   */
  children?: CompensationRecord[];
  /** How many handlers were running when it was queued (absent: none); it runs when that many still run. */
  depth?: number;
}

/** The compensation state of an instance, kept in its context. */
export interface CompensationBook {
  /** Records of completed activities, by the scope (process or sub-process) they completed in, oldest first. */
  done: Record<string, CompensationRecord[]>;
  queue: CompensationItem[];
  /** The handlers running, outermost first: each but the last waits at a compensation throw inside it. */
  running?: CompensationItem[];
}

type States = Record<string, StateConfig>;

export const compensationGuards = {
  'svc.compHead': ({ context }: Args, p: { handler: string }) => {
    const head = context.compensation?.queue[0];
    return head?.handler === p.handler && (head.depth ?? 0) === runningOf(context.compensation).length;
  },
  'svc.compensated': ({ context }: Args, p: { requester: string }) => {
    const book = context.compensation;
    if (!book) return true;
    return (
      !runningOf(book).some((i) => i.requester === p.requester) && !book.queue.some((i) => i.requester === p.requester)
    );
  },
};

export const compensationActions = {
  // a scope is entered afresh: records of an earlier run that did not complete are not this run's
  'svc.compOpen': assignTo(({ context }: Args, p: { scope: string }) => {
    const book = bookOf(context.compensation);
    // a compensation event sub-process starting: its records are those of the sub-process it compensates
    if (!(p.scope in book.done) || runningOf(book).at(-1)?.handler === p.scope) return {};
    const { [p.scope]: _stale, ...done } = book.done;
    return { compensation: { ...book, done } };
  }),
  'svc.compRecord': assignTo(
    ({ context }: Args, p: { id: string; scope: string; nested: boolean; handled: boolean; multi: boolean }) => {
      const book = bookOf(context.compensation);
      const done = { ...book.done };
      const children = p.nested ? (done[p.id] ?? []) : [];
      delete done[p.id];
      if (!p.handled && children.length === 0) return p.nested ? { compensation: { ...book, done } } : {};
      const times = p.multi ? (context.loops?.[p.id]?.completed ?? 1) : 1;
      const record: CompensationRecord = {
        id: p.id,
        ...(children.length > 0 ? { children } : {}),
        ...(times !== 1 ? { times } : {}),
      };
      done[p.scope] = [...(done[p.scope] ?? []), record];
      return { compensation: { ...book, done } };
    },
  ),
  'svc.compensate': assignTo(
    (
      { context }: Args,
      p: {
        scope: string;
        activityRef: string | null;
        requester: string;
        handlers: Record<string, string>;
        inside?: string[];
      },
    ) => {
      const book = bookOf(context.compensation);
      const requester = p.requester;
      // thrown inside a running handler: its handlers run next, before what waits for the handlers around it
      const depth = runningOf(book).length;
      const records = book.done[p.scope] ?? [];
      const chosen = records.filter((r) => p.activityRef === null || r.id === p.activityRef);
      const rest = records.filter((r) => !chosen.includes(r));
      const inside = new Set(p.inside ?? []);
      const items = [...chosen]
        .reverse()
        .flatMap((r) => handlersOf(r, p.handlers, requester, inside))
        .map((item) => (depth > 0 ? { ...item, depth } : item));
      const { [p.scope]: _taken, ...others } = book.done;
      const done = rest.length > 0 ? { ...others, [p.scope]: rest } : others;
      const deeper = book.queue.filter((i) => (i.depth ?? 0) >= depth);
      const queue = [...deeper, ...items, ...book.queue.filter((i) => !deeper.includes(i))];
      return { compensation: { ...book, done, queue } };
    },
  ),
  'svc.compNext': assignTo(({ context }: Args) => {
    const book = bookOf(context.compensation);
    const [next, ...queue] = book.queue;
    if (!next) return {};
    const done = next.children ? { ...book.done, [next.handler]: next.children } : book.done;
    return { compensation: { ...book, done, queue, running: [...runningOf(book), next] } };
  }),
  // a handler's region is idle again: the handler that ran there has ended
  'svc.compFinish': assignTo(({ context }: Args, p: { handler: string }) => {
    const running = runningOf(context.compensation);
    const at = running.map((i) => i.handler).lastIndexOf(p.handler);
    if (!context.compensation || at < 0) return {};
    const { running: _all, ...book } = context.compensation;
    const rest = running.filter((_, i) => i !== at);
    return { compensation: rest.length > 0 ? { ...book, running: rest } : book };
  }),
};

/** Whether the process has anything to compensate: then its root gets a compensation region. */
export function usesCompensation(c: Compilation): boolean {
  return Object.values(c.model.nodes).some((n) => n.isForCompensation);
}

/** Whether a node stands outside its scope's flow: a compensation handler, or the boundary event that names one. */
export function outsideFlow(node: FlowNode): boolean {
  return !!node.isForCompensation || (node.type === 'boundaryEvent' && node.event?.kind === 'compensation');
}

/**
 * The root's compensation region: one sub-region per handler, idle until the handler is at the head of the
 * queue at the depth now running, then the handler's states; a handler that ends goes back to its idle state.
 * One handler runs at a time, except that a handler waiting at a compensation throw inside it lets the
 * handlers that throw queued run first.
 */
export function compensationRegion(c: Compilation): StateConfig {
  const key = `${stateKey(c.model.id)}__compensation`;
  const handlers = Object.values(c.model.nodes).filter((n) => n.isForCompensation);
  const regions: States = {};
  for (const handler of handlers) {
    const region = `${key}__${stateKey(handler.id)}`;
    const idle = `${region}__idle`;
    const states: States = {};
    const group: Group = {
      scopeId: handler.scopeId,
      kind: 'path',
      members: new Set([handler.id]),
      entries: [handler.id],
      join: null,
      regionFinal: null,
      idle,
    };
    Object.assign(states, compileNode(c, handler, group));
    const always: TransitionConfig[] = [
      {
        guard: { type: 'svc.compHead', params: { handler: handler.id } },
        target: ref(handler.id),
        actions: [{ type: 'svc.compNext' }],
      },
    ];
    const finish: ActionConfig = { type: 'svc.compFinish', params: { handler: handler.id } };
    regions[region] = {
      id: region,
      initial: idle,
      states: { [idle]: { id: idle, entry: [finish], always }, ...states },
    };
  }
  return { id: key, type: 'parallel', states: regions };
}

/** The action that records a completion of `node`, if it can be compensated; none otherwise. */
export function recordCompletion(c: Compilation, node: FlowNode): ActionConfig[] {
  if (node.isForCompensation || !usesCompensation(c) || c.hidden.has(node.id)) return [];
  const handled = handlerOf(c, node) !== null;
  const nested = node.type === 'subProcess';
  if (!handled && !nested) return [];
  return [
    {
      type: 'svc.compRecord',
      params: { id: node.id, scope: scopeOf(c, node), nested, handled, multi: !!node.multiInstance },
    },
  ];
}

/** A sub-process's entry action that forgets records of an earlier run of it. */
export function openScope(c: Compilation, node: FlowNode): ActionConfig[] {
  return usesCompensation(c) && !c.hidden.has(node.id) ? [{ type: 'svc.compOpen', params: { scope: node.id } }] : [];
}

/**
 * An intermediate or end compensation throw event: queues the handlers, waits until they have ended,
 * then goes on (an end event then ends its path).
 */
export function compensationThrow(
  c: Compilation,
  node: FlowNode,
  group: Group,
  out: { target?: string; actions: ActionConfig[]; states: States },
): States {
  const activityRef = node.event?.kind === 'compensation' ? node.event.activityRef : null;
  const after = node.type === 'endEvent' ? end(node, group) : out;
  return waiting(c, node, compensate(c, scopeOf(c, node), activityRef, node.id), after);
}

/** A transaction's cancel boundary event: compensates the transaction's completed activities, then leaves. */
export function cancelBoundary(
  c: Compilation,
  node: FlowNode,
  out: { target?: string; actions: ActionConfig[]; states: States },
): States {
  return waiting(c, node, compensate(c, node.attachedTo!, null, node.id), out);
}

/** A cancel end event: raises the cancel its transaction's cancel boundary event catches, and waits to be interrupted. */
export function cancelEnd(c: Compilation, node: FlowNode): States {
  const transaction = c.node(scopeOf(c, node));
  const boundary = transaction.boundaryEvents.find((id) => c.node(id)?.event?.kind === 'cancel')!;
  const key = stateKey(node.id);
  c.activeStates[key] = node.id;
  return {
    [key]: {
      id: key,
      entry: [entered(node), raise({ type: 'cancel.thrown', elementId: boundary })],
      exit: [left(node)],
    },
  };
}

/**
 * A compensation event sub-process E of sub-process S (BPMN 2.0 §10.5.4) becomes S's compensation handler: an
 * ordinary sub-process marked for compensation, named by a compensation boundary event on S that only the
 * compiler sees, its start event a none start. Compensating the completed S then runs E instead of S's inner
 * handlers, and a compensation throw inside E compensates S's completed activities (E's records are S's).
 */
export function liftCompensationEventSubProcesses(source: ProcessModel): { model: ProcessModel; lifted: string[] } {
  const esps = Object.values(source.nodes).filter(
    (n) => n.type === 'subProcess' && n.triggeredByEvent && compensationStartOf(source, n.id),
  );
  if (esps.length === 0) return { model: source, lifted: [] };
  const model: ProcessModel = structuredClone(source);
  for (const { id } of esps) {
    const esp = model.nodes[id];
    const start = compensationStartOf(model, id)!;
    start.event = { kind: 'none' };
    esp.triggeredByEvent = false;
    esp.isForCompensation = true;
    const boundaryId = `${esp.scopeId}__compensation__${id}`;
    const host = model.nodes[esp.scopeId];
    model.nodes[boundaryId] = {
      ...structuredClone(start),
      id: boundaryId,
      type: 'boundaryEvent',
      name: null,
      scopeId: host.scopeId,
      incoming: [],
      outgoing: [],
      attachedTo: host.id,
      cancelActivity: true,
      event: { kind: 'compensation', activityRef: null, waitForCompletion: true, handler: id },
      sla: null,
    };
    host.boundaryEvents.push(boundaryId);
  }
  return { model, lifted: esps.map((e) => e.id) };
}

// helpers

function compensationStartOf(model: ProcessModel, espId: string): FlowNode | undefined {
  return Object.values(model.nodes).find(
    (n) => n.scopeId === espId && n.type === 'startEvent' && n.event?.kind === 'compensation',
  );
}

/**
 * The scope whose completed activities a node's completion belongs to and its throw compensates: its
 * sub-process or the process, past the synthetic scopes the event sub-process rewrite wraps around them.
 */
function scopeOf(c: Compilation, node: FlowNode): string {
  let scope = node.scopeId;
  while (c.hidden.has(scope) && c.model.nodes[scope]) scope = c.model.nodes[scope].scopeId;
  return scope;
}

function waiting(
  c: Compilation,
  node: FlowNode,
  ask: ActionConfig,
  out: { target?: string; actions: ActionConfig[]; states: States },
): States {
  const key = stateKey(node.id);
  c.activeStates[key] = node.id;
  const done: GuardConfig = { type: 'svc.compensated', params: { requester: node.id } };
  return {
    [key]: {
      id: key,
      entry: [entered(node), ask],
      exit: [left(node)],
      always: [{ guard: done, target: out.target, actions: out.actions }],
    },
    ...out.states,
  };
}

function compensate(c: Compilation, scope: string, activityRef: string | null, requester: string): ActionConfig {
  const inside = [...c.compensationEventSubProcesses];
  return {
    type: 'svc.compensate',
    params: {
      scope,
      activityRef,
      requester,
      handlers: handlerMap(c),
      ...(inside.length > 0 ? { inside } : {}),
    },
  };
}

/** Where an end compensation event's token goes once the handlers have ended. */
function end(node: FlowNode, group: Group): { target?: string; actions: ActionConfig[]; states: States } {
  if (group.kind === 'token') return { ...toFlows(group, []), states: {} };
  if (group.kind === 'path') return { target: `#${group.idle}`, actions: [], states: {} };
  const endKey = `${stateKey(node.id)}__end`;
  return { target: `#${endKey}`, actions: [], states: { [endKey]: { id: endKey, type: 'final' } } };
}

function handlerOf(c: Compilation, node: FlowNode): string | null {
  for (const id of node.boundaryEvents) {
    const event = c.node(id)?.event;
    if (event?.kind === 'compensation' && event.handler) return event.handler;
  }
  return null;
}

/** Activity id → its handler id, for every activity with a compensation boundary event. */
function handlerMap(c: Compilation): Record<string, string> {
  const map: Record<string, string> = {};
  for (const node of Object.values(c.model.nodes)) {
    const handler = handlerOf(c, node);
    if (handler) map[node.id] = handler;
  }
  return map;
}

/**
 * The handlers a record's compensation runs: its own, or its children's, newest first. A handler in `inside`
 * (a compensation event sub-process) runs inside the sub-process it compensates, so it takes the children along.
 */
function handlersOf(
  record: CompensationRecord,
  handlers: Record<string, string>,
  requester: string,
  inside: Set<string>,
): CompensationItem[] {
  const handler = handlers[record.id];
  const children = handler && inside.has(handler) && record.children ? { children: record.children } : {};
  if (handler) return Array.from({ length: record.times ?? 1 }, () => ({ handler, requester, ...children }));
  return [...(record.children ?? [])].reverse().flatMap((r) => handlersOf(r, handlers, requester, inside));
}

/** The handlers running, outermost first (a snapshot of an earlier version holds one item, not a list). */
function runningOf(book: CompensationBook | undefined): CompensationItem[] {
  const running: unknown = book?.running;
  if (Array.isArray(running)) return running as CompensationItem[];
  return running ? [running as CompensationItem] : [];
}

function bookOf(book: CompensationBook | undefined): CompensationBook {
  return book ?? { done: {}, queue: [] };
}

/**
 * A snapshot taken when the compensation region was one region for every handler (its value a handler's state,
 * or the idle state) is read in today's layout: that handler's sub-region runs it, every other one is idle.
 */
export function upgradeCompensationValue(config: StateConfig, processId: string, value: unknown): unknown {
  const run = `${stateKey(processId)}__run`;
  const region = config.states?.[run]?.states?.[`${run}__comp`];
  const outer = (value as Record<string, Record<string, unknown>> | null)?.[run];
  const old = outer?.[`${run}__comp`];
  if (!region?.states || !outer || old === undefined) return value;
  const regions = Object.entries(region.states);
  const oldKey = typeof old === 'string' ? old : Object.keys(old as object)[0];
  if (regions.some(([key]) => key === oldKey)) return value;
  const comp = Object.fromEntries(regions.map(([key, r]) => [key, r.states && oldKey in r.states ? old : r.initial]));
  return { ...(value as object), [run]: { ...outer, [`${run}__comp`]: comp } };
}
