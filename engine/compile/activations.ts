/**
 * Activations: each run of a wait state (one per token that reaches it, one per multi-instance
 * iteration) has an id of its own, handed out from a counter in the context. The effects it arms
 * (task, job, timer, subscription rows) carry the id, the events that complete it name it, and its
 * local values live under it, so two runs of one element at once stay apart: completing one moves
 * only its token. `context.activations[elementId]` lists the running ones, oldest first.
 */
import type { FlowNode } from '../bpmn/model.js';
import type { InstanceContext } from './effects.js';
import { type Args, assignTo } from './machine-types.js';
import type { ActionConfig, GuardConfig, TransitionConfig } from './machine-config.js';
import { and, isElement } from './names.js';

/** The key of an activation's local values in `context.locals`. */
export function activationKey(activationId: string): string {
  return `#${activationId}`;
}

/** Whether an event naming `activationId` (or none) may reach an activation of `owner`. */
export function isRunning(context: InstanceContext, owner: string, activationId: unknown): boolean {
  if (typeof activationId !== 'string') return true;
  const running = context.activations?.[owner];
  return !running || running.includes(activationId);
}

export const activationGuards = {
  'svc.many': ({ context }: Args, p: { id: string }) => (context.activations?.[p.id]?.length ?? 0) > 1,
};

export const activationActions = {
  'svc.activate': assignTo(({ context }: Args, p: { elementId: string }) => {
    const seq = (context.seq ?? 0) + 1;
    return {
      seq,
      activations: {
        ...context.activations,
        [p.elementId]: [...(context.activations?.[p.elementId] ?? []), String(seq)],
      },
    };
  }),
  // the activation the event names ends (the oldest when it names none)
  'svc.deactivate': assignTo(({ context, event }: Args, p: { elementId: string }) => {
    const running = context.activations?.[p.elementId] ?? [];
    const ending =
      typeof event.activationId === 'string' && running.includes(event.activationId) ? event.activationId : running[0];
    return ending === undefined ? {} : without(context, p.elementId, [ending]);
  }),
  'svc.deactivateAll': assignTo(({ context }: Args, p: { elementId: string }) =>
    without(context, p.elementId, context.activations?.[p.elementId] ?? []),
  ),
};

export function activate(elementId: string): ActionConfig {
  return { type: 'svc.activate', params: { elementId } };
}

export function deactivate(elementId: string): ActionConfig {
  return { type: 'svc.deactivate', params: { elementId } };
}

export function deactivateAll(elementId: string): ActionConfig {
  return { type: 'svc.deactivateAll', params: { elementId } };
}

/** The element runs more than one activation (so one ending leaves the state). */
export function many(elementId: string): GuardConfig {
  return { type: 'svc.many', params: { id: elementId } };
}

/** Effect actions made to belong to `owner`'s activation (a boundary event's timer belongs to its activity's). */
export function ownedBy(owner: string, actions: ActionConfig[]): ActionConfig[] {
  return actions.map((a) => (a.type === 'svc.effect' ? { ...a, params: { ...a.params, owner } } : a));
}

/** Effect actions narrowed to the activation the event names (a cancel of that run only). */
export function onlyEvent(actions: ActionConfig[]): ActionConfig[] {
  return actions.map((a) => (a.type === 'svc.effect' ? { ...a, params: { ...a.params, only: 'event' } } : a));
}

/** How a token region's station lets a busy wait state take one more token: the station's ready guard and take. */
export interface ConcurrentTake {
  guard: GuardConfig;
  take: ActionConfig;
}

/** What a wait state arms and disarms per activation, and how it leaves. */
export interface WaitParts {
  node: FlowNode;
  /** Entry actions of one activation (after `svc.activate`). */
  start: ActionConfig[];
  /** Exit actions of one activation: its boundaries' disarm, and the element's own (not needed when it completes). */
  stop: ActionConfig[];
  disarm: ActionConfig[];
  left: ActionConfig;
  /** The completion transition's actions before it puts the token on. */
  completion: ActionConfig[];
  /** The actions that put the token on its outgoing flows. */
  out: ActionConfig[];
}

/**
 * The transitions that make a wait state in a token region run one activation per token: a token
 * arriving while it runs starts another activation in place; one of several activations completing,
 * or being interrupted by its own boundary event, ends only that activation and moves only its token.
 * The last one leaves through the state's ordinary transitions (whose exit cancels what is left).
 */
export function concurrentRuns(
  parts: WaitParts,
  take: ConcurrentTake,
  eventType: string,
  on: Record<string, TransitionConfig[]>,
  boundaryOn: Record<string, TransitionConfig[]>,
): TransitionConfig[] {
  const id = parts.node.id;
  const endOne = [...onlyEvent(parts.stop), deactivate(id), parts.left];
  const cancelOne = [...onlyEvent(parts.disarm), ...endOne];
  (on[eventType] ??= []).unshift({
    guard: and(isElement(id), many(id)),
    actions: [...parts.completion, ...endOne, ...parts.out],
  });
  // an interrupting boundary of one of several activations takes only that activation's token
  for (const list of Object.values(boundaryOn)) {
    for (const t of list.filter((b) => b.target && b.guard))
      list.unshift({ guard: and(t.guard!, many(id)), actions: [...cancelOne, ...(t.actions ?? [])] });
  }
  return [{ guard: take.guard, actions: [take.take, activate(id), ...parts.start] }];
}

// helpers

function without(context: InstanceContext, elementId: string, ending: string[]): Partial<InstanceContext> {
  const left = (context.activations?.[elementId] ?? []).filter((a) => !ending.includes(a));
  const { [elementId]: _all, ...others } = context.activations ?? {};
  const locals = { ...context.locals };
  const loopVars = { ...context.loopVars };
  for (const a of ending) {
    delete locals[activationKey(a)];
    delete loopVars[a];
  }
  return {
    activations: left.length > 0 ? { ...others, [elementId]: left } : others,
    locals,
    ...(context.loopVars ? { loopVars } : {}),
  };
}
