/**
 * Conditional events (intermediate catch, boundary, event sub-process start, event-based gateway target), with
 * Camunda 7's semantics: the condition is evaluated when the event is armed (its scope, activity or gateway
 * entered) and after every step that leaves it armed; it fires when it turns from false to true, once per
 * such change. With `camunda:variableName` it is evaluated only when one of the named variables changed
 * (`variableEvents`: only changes of those kinds — create, update, delete). The machine door runs this after
 * each transition: it sends `condition.changed` for each firing, one at a time (a firing may disarm others or
 * arm new ones), and keeps what it saw in the context (`svc.conditions`).
 */
import type { AnyMachineSnapshot, AnyStateMachine } from 'xstate';
import { pureTransition } from './pure-transition.js';
import type { FlowNode, ProcessModel } from '../bpmn/model.js';
import { evaluateCondition } from '../expr/index.js';
import type { ConditionWatch, InstanceContext } from './effects.js';
import { scopeOf } from './machine.js';
import { stateKey } from './names.js';

/** A conditional event and the state whose being active arms it. */
export interface ConditionalEvent {
  elementId: string;
  /** The state key that is active while the event is armed (the catch, the boundary's activity, the gateway). */
  armedIn: string;
  condition: string;
  variableNames: string[];
  variableEvents: string[];
}

/** At most this many firings in one step: a model whose firings keep arming each other stops there. */
const MAX_FIRINGS = 100;

/** The conditional events of a (rewritten) model. */
export function conditionalsOf(model: ProcessModel): ConditionalEvent[] {
  return Object.values(model.nodes).flatMap((node): ConditionalEvent[] => {
    const event = node.event;
    if (event?.kind !== 'conditional') return [];
    return [
      {
        elementId: node.id,
        armedIn: stateKey(armingElement(model, node)),
        condition: event.condition,
        variableNames: event.variableNames,
        variableEvents: event.variableEvents,
      },
    ];
  });
}

/**
 * Fires the conditional events whose condition turned true in `snapshot`, each through the machine; returns the
 * settled snapshot and the actions of every transition it made, in order.
 */
export function watchConditions(
  machine: AnyStateMachine,
  conditionals: ConditionalEvent[],
  snapshot: AnyMachineSnapshot,
): { snapshot: AnyMachineSnapshot; actions: unknown[] } {
  if (conditionals.length === 0) return { snapshot, actions: [] };
  let current = snapshot;
  const actions: unknown[] = [];
  for (let round = 0; round < MAX_FIRINGS && current.status === 'active'; round++) {
    const context = current.context as InstanceContext;
    const { book, firing } = review(conditionals, activeKeys(current.value), context);
    if (!sameBook(book, context.conditions ?? {}))
      current = pureTransition(machine, current, { type: 'svc.conditions', conditions: book })[0];
    if (!firing) break;
    const [next, fired] = pureTransition(machine, current, { type: 'condition.changed', elementId: firing });
    current = next;
    actions.push(...fired);
  }
  return { snapshot: current, actions };
}

// helpers

/** The new book of armed conditions, and the first one that fires now (its watch already says true). */
function review(
  conditionals: ConditionalEvent[],
  active: Set<string>,
  context: InstanceContext,
): { book: Record<string, ConditionWatch>; firing: string | null } {
  const before = context.conditions ?? {};
  const book: Record<string, ConditionWatch> = {};
  let firing: string | null = null;
  for (const c of conditionals) {
    if (!active.has(c.armedIn)) continue;
    const scope = scopeOf(context, c.elementId);
    const seen = watched(c, scope);
    const previous = before[c.elementId];
    // a change the filter does not watch is not evaluated: the condition's last value stays, the variables move on
    if (previous && !changedAsFiltered(c, previous.seen, seen)) {
      book[c.elementId] = { value: previous.value, seen };
      continue;
    }
    const value = evaluateCondition(c.condition, scope).value;
    book[c.elementId] = { value, seen };
    if (value && !previous?.value && firing === null) firing = c.elementId;
  }
  return { book, firing };
}

/** Without a variable filter every step counts; with one, only a change of a named variable of a named kind. */
function changedAsFiltered(c: ConditionalEvent, before: Record<string, string>, now: Record<string, string>): boolean {
  if (c.variableNames.length === 0) return true;
  const kinds = c.variableEvents.length > 0 ? c.variableEvents : ['create', 'update', 'delete'];
  return c.variableNames.some((name) => {
    const was = before[name];
    const is = now[name];
    if (was === undefined && is !== undefined) return kinds.includes('create');
    if (was !== undefined && is === undefined) return kinds.includes('delete');
    return was !== is && kinds.includes('update');
  });
}

function watched(c: ConditionalEvent, scope: Record<string, unknown>): Record<string, string> {
  const seen: Record<string, string> = {};
  for (const name of c.variableNames)
    if (Object.hasOwn(scope, name) && scope[name] !== undefined) seen[name] = JSON.stringify(scope[name]);
  return seen;
}

function sameBook(a: Record<string, ConditionWatch>, b: Record<string, ConditionWatch>): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Every state key in a snapshot's value. */
function activeKeys(value: unknown): Set<string> {
  const keys = new Set<string>();
  const walk = (v: unknown): void => {
    if (typeof v === 'string') keys.add(v);
    else if (v && typeof v === 'object')
      for (const [key, child] of Object.entries(v)) {
        keys.add(key);
        walk(child);
      }
  };
  walk(value);
  return keys;
}

/** The element whose state is active while the event is armed. */
function armingElement(model: ProcessModel, node: FlowNode): string {
  if (node.type === 'boundaryEvent' && node.attachedTo) return node.attachedTo;
  const gateway = node.incoming
    .map((f) => model.nodes[model.flows[f]?.sourceId ?? ''])
    .find((n) => n?.type === 'eventBasedGateway');
  return gateway ? gateway.id : node.id;
}
