/**
 * The marking of a token region: the tokens of one scope, kept in the machine context. A token waits
 * on a sequence flow (or on `@<nodeId>` when it was placed at a node directly: a start or boundary
 * event) until the node's station takes it; while the node runs, its token is `busy` at the node.
 * Pure functions: each returns a new marking.
 */
import type { InstanceContext } from './effects.js';

export interface ScopeMarking {
  /** The next token id of this scope. */
  next: number;
  /** Token ids waiting on each flow, oldest first; empty flows are absent. */
  flows: Record<string, number[]>;
  /** The token each running node holds, by node id. */
  busy: Record<string, number>;
  /** Tokens a running node holds beyond its first (one per further activation), by node id. */
  extra?: Record<string, number>;
  /** Ad-hoc sub-processes: how many times one of its elements ended (its completion condition waits for one). */
  ended?: number;
  /** Complex gateways waiting for reset (BPMN 2.0 §13.3.5, `waitingForStart` false), by node id; absent: waiting for start. */
  waves?: Record<string, ComplexWave>;
}

/** The wave a complex gateway fired for: the incoming flows that gave their token, and the first token id made after. */
export interface ComplexWave {
  given: string[];
  before: number;
}

export type Marking = Record<string, ScopeMarking>;

/** What an inclusive join must know: for each of its incoming flows, where a token could still come from. */
export interface Upstream {
  flows: string[];
  nodes: string[];
}

/** The token waiting at a node placed there directly (start and boundary events). */
export function atNode(nodeId: string): string {
  return `@${nodeId}`;
}

export function markingOf(context: InstanceContext, scopeId: string): ScopeMarking {
  return context.marking?.[scopeId] ?? { next: 1, flows: {}, busy: {} };
}

/** A fresh marking for a scope that starts with one token at `nodeId`. */
export function initial(context: InstanceContext, scopeId: string, nodeId: string): Marking {
  return { ...context.marking, [scopeId]: { next: 2, flows: { [atNode(nodeId)]: [1] }, busy: {} } };
}

export function cleared(context: InstanceContext, scopeId: string): Marking {
  const { [scopeId]: _gone, ...rest } = context.marking ?? {};
  return rest;
}

export function hasAny(m: ScopeMarking, flows: string[]): boolean {
  return flows.some((f) => (m.flows[f]?.length ?? 0) > 0);
}

export function hasAll(m: ScopeMarking, flows: string[]): boolean {
  return flows.every((f) => (m.flows[f]?.length ?? 0) > 0);
}

export function isEmpty(m: ScopeMarking): boolean {
  return Object.keys(m.flows).length === 0 && Object.keys(m.busy).length === 0;
}

/**
 * The spec's inclusive join rule: some incoming flow holds a token, and no token elsewhere in the scope
 * (waiting on a flow or busy at a node) can reach an empty incoming flow without passing the join.
 */
export function inclusiveReady(m: ScopeMarking, incoming: string[], upstream: Record<string, Upstream>): boolean {
  if (!hasAny(m, incoming)) return false;
  return incoming.every((f) => (m.flows[f]?.length ?? 0) > 0 || !canStillCome(m, upstream[f]));
}

/** At least `count` tokens on `flows` together (an activity's startQuantity). */
export function hasCount(m: ScopeMarking, flows: string[], count: number): boolean {
  return flows.reduce((n, f) => n + (m.flows[f]?.length ?? 0), 0) >= count;
}

/**
 * Takes tokens, making the node busy: `count` tokens from the flows in order (one, for a merge), or
 * one from every flow that has one (`each`: joins).
 */
export function take(
  m: ScopeMarking,
  nodeId: string,
  flows: string[],
  mode: 'count' | 'each',
  count = 1,
): ScopeMarking {
  const next = { ...m.flows };
  let held: number | null = null;
  let left = count;
  for (const f of flows) {
    const tokens = next[f];
    if (!tokens || tokens.length === 0) continue;
    const n = mode === 'each' ? 1 : Math.min(left, tokens.length);
    held ??= tokens[0];
    if (tokens.length > n) next[f] = tokens.slice(n);
    else delete next[f];
    left -= n;
    if (mode === 'count' && left <= 0) break;
  }
  if (held === null) return { ...m, flows: next };
  // a node that already runs takes the token into one more activation
  if (nodeId in m.busy) return { ...m, flows: next, extra: { ...m.extra, [nodeId]: (m.extra?.[nodeId] ?? 0) + 1 } };
  return { ...m, flows: next, busy: { ...m.busy, [nodeId]: held } };
}

/** The node's token leaves along `flows`, `times` tokens each (the first keeps its id, more are new tokens); `keep`: the node stays busy. */
export function put(m: ScopeMarking, nodeId: string, flows: string[], keep = false, times = 1): ScopeMarking {
  const nextFlows = { ...m.flows };
  let next = m.next;
  const others = keep ? 0 : (m.extra?.[nodeId] ?? 0);
  let reuse = keep || others > 0 ? undefined : m.busy[nodeId];
  for (const f of flows) {
    for (let i = 0; i < times; i++) {
      const id = reuse ?? next++;
      reuse = undefined;
      nextFlows[f] = [...(nextFlows[f] ?? []), id];
    }
  }
  const busy = { ...m.busy };
  const extra = { ...m.extra };
  // one of several activations ends: the node stays busy with the others' tokens
  if (others > 1) extra[nodeId] = others - 1;
  else if (others === 1) delete extra[nodeId];
  else if (!keep) delete busy[nodeId];
  return {
    next,
    flows: nextFlows,
    busy,
    ...(Object.keys(extra).length > 0 ? { extra } : {}),
    ...(m.waves ? { waves: m.waves } : {}),
  };
}

/** What a complex gateway's activation condition sees of its incoming flows: flows holding a token, tokens per flow. */
export function activationCounts(
  m: ScopeMarking,
  incoming: string[],
): { activationCount: number; activationCounts: Record<string, number> } {
  const counts = Object.fromEntries(incoming.map((f) => [f, m.flows[f]?.length ?? 0]));
  return { activationCount: incoming.filter((f) => counts[f] > 0).length, activationCounts: counts };
}

/**
 * A complex gateway activates: it takes one token from each incoming flow holding one and, unless every flow gave
 * one, waits for the rest of the wave. What it puts out are new tokens, so that the wave's own tokens (older than
 * the activation) tell themselves apart from those of later waves, which may come round a loop.
 */
export function activateComplex(m: ScopeMarking, nodeId: string, incoming: string[]): ScopeMarking {
  const given = incoming.filter((f) => (m.flows[f]?.length ?? 0) > 0);
  const taken = take(m, nodeId, incoming, 'each');
  const fresh = { ...taken, next: taken.next + 1, busy: { ...taken.busy, [nodeId]: taken.next } };
  return withWave(fresh, nodeId, given.length === incoming.length ? null : { given, before: taken.next });
}

/**
 * A complex gateway waiting for reset takes the wave's late tokens (without firing) once one arrived, or when no
 * token of the wave can still reach a flow the wave has not given; it waits for start again once every such flow
 * is settled. Tokens younger than the activation belong to a later wave and wait.
 */
export function resetsComplex(
  m: ScopeMarking,
  nodeId: string,
  incoming: string[],
  upstream: Record<string, Upstream>,
): boolean {
  const wave = m.waves?.[nodeId];
  if (!wave) return false;
  const missing = incoming.filter((f) => !wave.given.includes(f));
  const old = olderThan(m, wave.before);
  return hasAny(old, missing) || missing.every((f) => !canStillCome(old, upstream[f]));
}

export function resetComplex(
  m: ScopeMarking,
  nodeId: string,
  incoming: string[],
  upstream: Record<string, Upstream>,
): ScopeMarking {
  const wave = m.waves?.[nodeId];
  if (!wave) return m;
  const flows = { ...m.flows };
  const late = incoming.filter((f) => !wave.given.includes(f) && (flows[f] ?? []).some((t) => t < wave.before));
  for (const f of late) {
    const rest = flows[f].filter((t, i) => i !== flows[f].findIndex((u) => u < wave.before));
    if (rest.length > 0) flows[f] = rest;
    else delete flows[f];
  }
  const given = [...wave.given, ...late];
  const old = olderThan({ ...m, flows }, wave.before);
  const settled = incoming.every((f) => given.includes(f) || !canStillCome(old, upstream[f]));
  return withWave({ ...m, flows }, nodeId, settled ? null : { given, before: wave.before });
}

// helpers

function withWave(m: ScopeMarking, nodeId: string, wave: ComplexWave | null): ScopeMarking {
  const { [nodeId]: _old, ...others } = m.waves ?? {};
  const waves = wave ? { ...others, [nodeId]: wave } : others;
  const { waves: _all, ...rest } = m;
  return Object.keys(waves).length > 0 ? { ...rest, waves } : rest;
}

/** The marking with only the tokens made before `before` (a wave's own), waiting or busy. */
function olderThan(m: ScopeMarking, before: number): ScopeMarking {
  const flows: Record<string, number[]> = {};
  for (const [f, tokens] of Object.entries(m.flows)) {
    const old = tokens.filter((t) => t < before);
    if (old.length > 0) flows[f] = old;
  }
  const busy = Object.fromEntries(Object.entries(m.busy).filter(([, t]) => t < before));
  return { next: m.next, flows, busy };
}

function canStillCome(m: ScopeMarking, up: Upstream | undefined): boolean {
  if (!up) return false;
  return up.nodes.some((n) => n in m.busy) || hasAny(m, up.flows);
}
