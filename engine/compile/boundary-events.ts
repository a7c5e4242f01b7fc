/**
 * Boundary events. Interrupting ones are transitions out of the activity's state; non-interrupting
 * ones are triggers of an extra region of the scope, taken only while the activity is active.
 * Errors and escalations bubble: a handler catches what its activity or anything inside it threw.
 */
import type { FlowNode } from '../bpmn/model.js';
import type { ActionConfig, GuardConfig, TransitionConfig } from './machine-config.js';
import type { Compilation, Group } from './compile.js';
import { toBoundary } from './tokens.js';
import { ownedBy } from './activations.js';
import { and, effect, isElement, merge, ref, stateIn } from './names.js';

export interface Arming {
  entry: ActionConfig[];
  exit: ActionConfig[];
  on: Record<string, TransitionConfig[]>;
}

/** What an activity does on entry and exit for its boundary events, and the transitions of the interrupting ones. */
export function armBoundaries(c: Compilation, activity: FlowNode, group: Group): Arming {
  const arming: Arming = { entry: [], exit: [], on: {} };
  for (const id of activity.boundaryEvents) {
    const boundary = c.node(id);
    if (!boundary?.event) continue;
    arming.entry.push(...ownedBy(activity.id, armEvent(boundary)), ...forgetParts(boundary));
    arming.exit.push(...ownedBy(activity.id, disarmEvent(boundary)));
    // outside token regions a non-interrupting boundary starts its own path region (niTrigger)
    if (!boundary.cancelActivity && group.kind !== 'token') continue;
    const trigger = triggerOf(c, boundary, activity);
    if (!trigger) continue;
    const out = group.kind === 'token' ? toBoundary(group, boundary) : { target: ref(boundary.id), actions: [] };
    (arming.on[trigger.event] ??= []).push(
      ...partsFirst(boundary, trigger.guard, {
        target: out.target,
        actions: [merge(boundary.id, boundary.outputs), ...forgetParts(boundary), ...out.actions],
      }),
    );
  }
  for (const list of Object.values(arming.on)) list.sort(specificFirst);
  return arming;
}

/** The transitions of a non-interrupting boundary path's idle state: start the path when the event hits an active activity. */
export function niTrigger(c: Compilation, boundary: FlowNode): Record<string, TransitionConfig[]> {
  const activity = c.node(boundary.attachedTo!);
  const trigger = activity && triggerOf(c, boundary, activity);
  if (!trigger) return {};
  return {
    [trigger.event]: partsFirst(boundary, and(trigger.guard, stateIn(activity.id)), {
      target: ref(boundary.id),
      actions: [merge(boundary.id, boundary.outputs), ...forgetParts(boundary)],
    }),
  };
}

/** The transitions of a non-interrupting path that is busy: the firing is queued (its variables merged now). */
export function niQueue(c: Compilation, boundary: FlowNode): Record<string, TransitionConfig[]> {
  const activity = c.node(boundary.attachedTo!);
  const trigger = activity && triggerOf(c, boundary, activity);
  if (!trigger) return {};
  return {
    [trigger.event]: partsFirst(boundary, and(trigger.guard, stateIn(activity.id)), {
      actions: [
        merge(boundary.id, boundary.outputs),
        ...forgetParts(boundary),
        { type: 'svc.queue', params: { id: boundary.id } },
      ],
    }),
  };
}

/**
 * The transitions of a boundary's trigger. One trigger of a parallel multiple boundary event fires only when
 * every other trigger has already occurred while the activity runs; until then its occurrence is remembered
 * (`context.allOf`, per activation of the activity in a token region), and firing forgets them all (a
 * non-interrupting one then waits for all of them again).
 */
function partsFirst(boundary: FlowNode, guard: GuardConfig, fire: Omit<TransitionConfig, 'guard'>): TransitionConfig[] {
  const allOf = boundary.allOf;
  if (!allOf) return [{ guard, ...fire }];
  const params = {
    owner: allOf.owner,
    parts: allOf.parts.filter((id) => id !== boundary.id),
    activity: boundary.attachedTo,
  };
  const see = { owner: allOf.owner, part: boundary.id, activity: boundary.attachedTo };
  return [
    { guard: and(guard, { type: 'svc.allSeen', params }), ...fire },
    { guard, actions: [{ type: 'svc.see', params: see }] },
  ];
}

/** On the activity's entry and on firing: a parallel multiple boundary event starts over with no trigger seen. */
function forgetParts(boundary: FlowNode): ActionConfig[] {
  return boundary.allOf
    ? [{ type: 'svc.unsee', params: { owner: boundary.allOf.owner, activity: boundary.attachedTo } }]
    : [];
}

/** Effects that make an event able to happen: a timer row or a message subscription. */
export function armEvent(node: FlowNode): ActionConfig[] {
  const event = node.event!;
  if (event.kind === 'timer') return [effect({ kind: 'timer.schedule', elementId: node.id, timer: event.timer })];
  if (event.kind === 'message') {
    return [
      effect({
        kind: 'message.subscribe',
        elementId: node.id,
        messageName: event.messageName,
        correlationKey: event.correlationKey,
      }),
    ];
  }
  if (event.kind === 'signal')
    return [effect({ kind: 'signal.subscribe', elementId: node.id, signalName: event.signalName })];
  return [];
}

export function disarmEvent(node: FlowNode): ActionConfig[] {
  const event = node.event!;
  if (event.kind === 'timer') return [effect({ kind: 'timer.cancel', elementId: node.id })];
  if (event.kind === 'message') return [effect({ kind: 'message.unsubscribe', elementId: node.id })];
  if (event.kind === 'signal') return [effect({ kind: 'signal.unsubscribe', elementId: node.id })];
  return [];
}

/**
 * The boundary event that catches an error or escalation thrown by an event inside the process
 * (an end or intermediate throw event): the nearest enclosing sub-process with a boundary for the code,
 * a specific code before a catch-all. Known at compile time, so the throw can go there at once.
 */
export function catcherOf(
  c: Compilation,
  thrower: FlowNode,
  kind: 'error' | 'escalation',
  code: string | null,
): FlowNode | null {
  for (let id: string | undefined = thrower.scopeId; id && id !== c.model.id; id = c.node(id)?.scopeId) {
    const boundaries = (c.node(id)?.boundaryEvents ?? []).map((b) => c.node(b)).filter((b) => b?.event?.kind === kind);
    const codeOf = (b: FlowNode) =>
      (b.event?.kind === 'error'
        ? b.event.errorCode
        : b.event?.kind === 'escalation'
          ? b.event.escalationCode
          : null) ?? null;
    const found =
      boundaries.find((b) => code !== null && codeOf(b) === code) ?? boundaries.find((b) => codeOf(b) === null);
    if (found) return found;
  }
  return null;
}

// helpers

function triggerOf(
  c: Compilation,
  boundary: FlowNode,
  activity: FlowNode,
): { event: string; guard: ReturnType<typeof isElement> } | null {
  const event = boundary.event!;
  switch (event.kind) {
    case 'timer':
      return { event: 'timer.fired', guard: isElement(boundary.id) };
    case 'message':
      return { event: 'message.received', guard: isElement(boundary.id) };
    case 'signal':
      return { event: 'signal.received', guard: isElement(boundary.id) };
    case 'cancel':
      return { event: 'cancel.thrown', guard: isElement(boundary.id) };
    case 'conditional':
      return { event: 'condition.changed', guard: isElement(boundary.id) };
    case 'error':
      return { event: 'error.thrown', guard: caughtGuard(c, boundary, activity, 'error', event.errorCode) };
    case 'escalation':
      return {
        event: 'escalation.thrown',
        guard: caughtGuard(c, boundary, activity, 'escalation', event.escalationCode),
      };
    default:
      return null;
  }
}

/**
 * Which thrown errors/escalations a boundary catches: those thrown at its activity or inside it, unless
 * a boundary nearer the thrower catches the same code first (BPMN: the innermost catcher consumes it).
 * `shadowed` maps an element to the codes nearer boundaries take ('*' = every code). An SLA's escalation
 * (`source: 'sla'`) is thrown at one element and is caught only by that element's own boundaries.
 */
function caughtGuard(
  c: Compilation,
  boundary: FlowNode,
  activity: FlowNode,
  kind: 'error' | 'escalation',
  code: string | null,
) {
  const ids = withDescendants(c, activity.id);
  const shadowed: Record<string, string[]> = {};
  for (const id of ids) {
    const codes = nearerCatches(c, id, activity.id, kind).filter(
      (caught) => code === null || caught === '*' || caught === code,
    );
    if (codes.length > 0) shadowed[id] = codes;
  }
  return {
    type: 'svc.caught',
    params: { owner: activity.id, ids, shadowed, code, codeKey: kind === 'error' ? 'errorCode' : 'escalationCode' },
  };
}

/** Codes caught by boundaries of the element and of its enclosing sub-processes, below `stopAt`. */
function nearerCatches(c: Compilation, elementId: string, stopAt: string, kind: 'error' | 'escalation'): string[] {
  const codes: string[] = [];
  for (let id: string | undefined = elementId; id && id !== stopAt; id = c.node(id)?.scopeId) {
    for (const b of c.node(id)?.boundaryEvents ?? []) {
      const event = c.node(b)?.event;
      if (event?.kind === 'error' && kind === 'error') codes.push(event.errorCode ?? '*');
      if (event?.kind === 'escalation' && kind === 'escalation') codes.push(event.escalationCode ?? '*');
    }
  }
  return codes;
}

/** An activity's id and, for a sub-process, the ids of every element nested in it. */
function withDescendants(c: Compilation, activityId: string): string[] {
  const ids = [activityId];
  for (let i = 0; i < ids.length; i++) {
    for (const node of Object.values(c.model.nodes))
      if (node.scopeId === ids[i] && node.id !== ids[i]) ids.push(node.id);
  }
  return ids;
}

/** A boundary with an error/escalation code catches before a catch-all one. */
function specificFirst(a: TransitionConfig, b: TransitionConfig): number {
  const rank = (t: TransitionConfig) =>
    t.guard?.type === 'svc.caught' && (t.guard.params as { code: unknown }).code === null ? 1 : 0;
  return rank(a) - rank(b);
}
