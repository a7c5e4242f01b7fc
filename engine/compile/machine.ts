/**
 * Turns a compiled config into a live xstate machine: the named guards and actions the config
 * refers to, all pure functions of the context and the event (FEEL through engine/expr).
 */
import { and, or, raise, setup, stateIn, type AnyStateMachine } from 'xstate';
import type { DecisionCall, Listener, ListenerEvent, Mapping } from '../bpmn/model.js';
import { ListenerFailure } from './listeners.js';
import { decide } from './decision-env.js';
import { evaluateCondition, evaluateFeel, evaluateMappings } from '../expr/index.js';
import type { IncidentCode, InstanceContext } from './effects.js';
import type { CompiledProcess, GuardConfig, StateConfig, TransitionConfig } from './machine-config.js';
import { loopActions, loopGuards, loopVarsOf, visibleVars } from './multi-instance.js';
import { compensationActions, compensationGuards } from './compensation.js';
import { adHocActions, adHocGuards } from './ad-hoc.js';
import { activationActions, activationGuards, activationKey, isRunning } from './activations.js';
import {
  activateComplex,
  activationCounts,
  cleared,
  hasAll,
  hasAny,
  hasCount,
  inclusiveReady,
  initial,
  isEmpty,
  markingOf,
  put,
  resetComplex,
  resetsComplex,
  take,
  type ScopeMarking,
  type Upstream,
} from './marking.js';

import { type Args, type MachineEvent, type Vars, assignTo } from './machine-types.js';

const guards = {
  'svc.is': ({ context, event }: Args, p: { id: string; owner?: string }) =>
    event.elementId === p.id && isRunning(context, p.owner ?? p.id, event.activationId),
  ...activationGuards,
  ...loopGuards,
  ...compensationGuards,
  ...adHocGuards,
  'svc.cond': ({ context }: Args, p: { expression: string }) => evaluateCondition(p.expression, scopeOf(context)).value,
  'svc.invalid': ({ context }: Args, p: { conditions: string[] }) =>
    p.conditions.some((e) => conditionError(e, scopeOf(context)) !== null),
  'svc.any': ({ context }: Args, p: { conditions: string[] }) =>
    p.conditions.some((e) => evaluateCondition(e, scopeOf(context)).value),
  'svc.noneOf': ({ context }: Args, p: { conditions: string[] }) =>
    !p.conditions.some((e) => evaluateCondition(e, scopeOf(context)).value),
  'svc.scriptOk': ({ context }: Args, p: { elementId: string; expression: string }) =>
    scriptError(p.expression, scopeOf(context, p.elementId, newestOf(context, p.elementId))) === null,
  'svc.decisionOk': ({ context }: Args, p: { elementId: string; call: DecisionCall }) =>
    decide(p.call, scopeOf(context, p.elementId, newestOf(context, p.elementId)), p.elementId).ok,
  // an event naming a call activity that does not run (or not the activation it names)
  'svc.staleCall': ({ context, event }: Args, p: { ids: string[] }) => {
    if (!p.ids.includes(event.elementId ?? '')) return false;
    const running = context.activations?.[event.elementId!] ?? [];
    return typeof event.activationId === 'string' ? !running.includes(event.activationId) : running.length === 0;
  },
  'svc.pending': ({ context }: Args, p: { id: string }) => (context.pending?.[p.id] ?? 0) > 0,
  'svc.startIs': ({ context }: Args, p: { id: string }) => context.startEvent === p.id,
  'svc.allSeen': ({ context, event }: Args, p: { owner: string; parts: string[]; activity: string }) =>
    p.parts.every((id) => context.allOf?.[seenKey(context, p, event)]?.includes(id)),
  // a job's own incident (its failure, or its BPMN error nobody caught): a retry gives the job its retries back
  'svc.jobIncident': ({ context }: Args, p: { id: string }) => JOB_INCIDENTS.includes(context.incidents?.[p.id] ?? ''),
  'svc.nonePending': ({ context }: Args, p: { ids: string[] }) => p.ids.every((id) => !context.pending?.[id]),
  'svc.marked': ({ context }: Args, p: { scope: string; flows: string[] }) =>
    hasAny(markingOf(context, p.scope), p.flows),
  'svc.markedCount': ({ context }: Args, p: { scope: string; flows: string[]; count: number }) =>
    hasCount(markingOf(context, p.scope), p.flows, p.count),
  'svc.markedAll': ({ context }: Args, p: { scope: string; flows: string[] }) =>
    hasAll(markingOf(context, p.scope), p.flows),
  'svc.inclusiveReady': (
    { context }: Args,
    p: { scope: string; flows: string[]; upstream: Record<string, Upstream> },
  ) => inclusiveReady(markingOf(context, p.scope), p.flows, p.upstream),
  'svc.complexResets': ({ context }: Args, p: ComplexParams) =>
    resetsComplex(markingOf(context, p.scope), p.node, p.flows, p.upstream),
  // waiting for start: some incoming flow holds a token and the activation condition holds (or cannot be evaluated)
  'svc.complexActivates': ({ context }: Args, p: ComplexParams & { condition: string }) =>
    complexWaits(context, p) && evaluateCondition(p.condition, activationScope(context, p)).value === true,
  'svc.complexInvalid': ({ context }: Args, p: ComplexParams & { condition: string }) =>
    complexWaits(context, p) && conditionError(p.condition, activationScope(context, p)) !== null,
  'svc.scopeIdle': ({ context }: Args, p: { scope: string }) => isEmpty(markingOf(context, p.scope)),
  'svc.caught': (
    { event }: Args,
    p: { owner: string; ids: string[]; shadowed: Record<string, string[]>; code: string | null; codeKey: string },
  ) => {
    const thrown = String(event[p.codeKey] ?? '');
    if (p.code !== null && p.code !== thrown) return false;
    if (event.source === 'sla') return event.elementId === p.owner;
    const shadow = p.shadowed[event.elementId ?? ''];
    return p.ids.includes(event.elementId ?? '') && !(shadow && (shadow.includes('*') || shadow.includes(thrown)));
  },
};

const JOB_INCIDENTS: string[] = ['JOB_FAILED', 'UNHANDLED_ERROR'];

const actions = {
  'svc.effect': () => undefined,
  'svc.incidents': assignTo(({ context, event }: Args) => {
    const incidents: Record<string, IncidentCode> = { ...context.incidents };
    for (const change of (event.changes as Array<{ elementId: string; code: IncidentCode | null }> | undefined) ?? []) {
      if (change.code === null) delete incidents[change.elementId];
      else incidents[change.elementId] = change.code;
    }
    return { incidents };
  }),
  // the event of a step a listener failed, kept by the element of its incident until a retry replays it
  'svc.stalled': assignTo(({ context, event }: Args) => {
    const { [String(event.elementId)]: _replaced, ...stalled } = context.stalled ?? {};
    if (event.event) stalled[String(event.elementId)] = event.event as Vars;
    return { stalled: Object.keys(stalled).length > 0 ? stalled : undefined };
  }),
  'svc.conditions': assignTo(({ event }: Args) => ({
    conditions: event.conditions as InstanceContext['conditions'],
  })),
  // variables written from outside the process (a task's variables): set, then the deletions removed
  'svc.variables': assignTo(({ context, event }: Args) => {
    const variables: Vars = { ...context.variables, ...((event.variables as Vars | undefined) ?? {}) };
    for (const name of (event.deletions as string[] | undefined) ?? []) delete variables[name];
    return { variables };
  }),
  'svc.raise': raise<InstanceContext, MachineEvent, MachineEvent, { event: MachineEvent }>((_, p) => p.event),
  'svc.inputs': assignTo(({ context }: Args, p: { elementId: string; mappings: Mapping[] }) => {
    const newest = context.activations?.[p.elementId]?.at(-1);
    const values = evaluateMappings(p.mappings, { ...visibleVars(context), ...loopVarsOf(context, newest) }).values;
    return {
      locals: { ...context.locals, [p.elementId]: values, ...(newest ? { [activationKey(newest)]: values } : {}) },
    };
  }),
  ...activationActions,
  ...loopActions,
  ...compensationActions,
  ...adHocActions,
  // a scope with several start events puts its first token at the one the instance was started at
  'svc.mark': assignTo(({ context }: Args, p: { scope: string; start: string; starts?: string[] }) => ({
    marking: initial(
      context,
      p.scope,
      context.startEvent && p.starts?.includes(context.startEvent) ? context.startEvent : p.start,
    ),
  })),
  'svc.startOutputs': assignTo(({ context }: Args, p: { elementId: string; outputs: Mapping[] }) => ({
    variables: evaluateMappings(p.outputs, context.variables).values,
  })),
  // a parallel multiple boundary event's trigger occurred: remembered for the activation it reached, and what
  // activations of the activity that have ended saw is dropped
  'svc.see': assignTo(({ context, event }: Args, p: { owner: string; part: string; activity: string }) => {
    const key = seenKey(context, p, event);
    const running = context.activations?.[p.activity] ?? [];
    const kept = Object.entries(context.allOf ?? {}).filter(
      ([k]) => !k.startsWith(`${p.owner}#`) || running.includes(k.slice(p.owner.length + 1)),
    );
    const allOf: Record<string, string[]> = Object.fromEntries(kept);
    const seen = allOf[key] ?? [];
    allOf[key] = seen.includes(p.part) ? seen : [...seen, p.part];
    return { allOf };
  }),
  // on the activity's entry and on firing: the triggers the event's activation (and a run without one) saw are forgotten
  'svc.unsee': assignTo(({ context, event }: Args, p: { owner: string; activity: string }) => {
    const keys = [p.owner, seenKey(context, p, event)];
    if (!keys.some((k) => context.allOf?.[k])) return {};
    return { allOf: Object.fromEntries(Object.entries(context.allOf ?? {}).filter(([k]) => !keys.includes(k))) };
  }),
  'svc.unmark': assignTo(({ context }: Args, p: { scope: string }) => ({ marking: cleared(context, p.scope) })),
  'svc.take': assignTo(
    ({ context }: Args, p: { scope: string; node: string; flows: string[]; mode: 'count' | 'each'; count?: number }) =>
      withScope(context, p.scope, take(markingOf(context, p.scope), p.node, p.flows, p.mode, p.count)),
  ),
  'svc.complexActivate': assignTo(({ context }: Args, p: ComplexParams) =>
    withScope(context, p.scope, activateComplex(markingOf(context, p.scope), p.node, p.flows)),
  ),
  'svc.complexReset': assignTo(({ context }: Args, p: ComplexParams) =>
    withScope(context, p.scope, resetComplex(markingOf(context, p.scope), p.node, p.flows, p.upstream)),
  ),
  'svc.put': assignTo(
    (
      { context }: Args,
      p: { scope: string; from: string; flows: string[]; keep?: boolean; times?: number; ended?: boolean },
    ) => {
      const before = markingOf(context, p.scope);
      return withScope(context, p.scope, counted(before, put(before, p.from, p.flows, p.keep, p.times), p.ended));
    },
  ),
  'svc.putSplit': assignTo(
    (
      { context }: Args,
      p: {
        scope: string;
        from: string;
        flows: Array<{ id: string; condition: string | null }>;
        defaultFlow: string | null;
        times?: number;
        ended?: boolean;
      },
    ) => {
      const taken = p.flows
        .filter(
          (f) =>
            f.id !== p.defaultFlow &&
            (f.condition === null || evaluateCondition(f.condition, scopeOf(context)).value === true),
        )
        .map((f) => f.id);
      const flows = taken.length === 0 && p.defaultFlow ? [p.defaultFlow] : taken;
      const before = markingOf(context, p.scope);
      return withScope(context, p.scope, counted(before, put(before, p.from, flows, false, p.times), p.ended));
    },
  ),
  'svc.queue': assignTo(({ context }: Args, p: { id: string }) => ({
    pending: { ...context.pending, [p.id]: (context.pending?.[p.id] ?? 0) + 1 },
  })),
  'svc.dequeue': assignTo(({ context }: Args, p: { id: string }) => {
    const { [p.id]: count = 0, ...rest } = context.pending ?? {};
    return { pending: count > 1 ? { ...rest, [p.id]: count - 1 } : rest };
  }),
  'svc.clearLocals': assignTo(({ context }: Args, p: { elementId: string }) => {
    if (!(p.elementId in context.locals)) return {};
    const { [p.elementId]: _gone, ...locals } = context.locals;
    return { locals };
  }),
  'svc.merge': assignTo(
    ({ context, event }: Args, p: { elementId: string; outputs: Mapping[]; submission?: boolean }) => {
      const result = event.variables ?? {};
      const act = typeof event.activationId === 'string' ? event.activationId : undefined;
      if ((event.type === 'job.completed' || event.type === 'message.received') && isContext(event.localVariables))
        return { variables: mergeWithLocals(context, p.elementId, p.outputs, result, event.localVariables, act) };
      if (!p.submission || p.outputs.length === 0)
        return { variables: mergeOutputs(context, p.elementId, p.outputs, result, act) };
      // a person's submission is kept whole; output mappings add to it and see who completed the task
      const mapped = evaluateMappings(p.outputs, {
        ...scopeOf(context, p.elementId, act),
        ...result,
        completedBy: event.by ?? null,
      }).values;
      return { variables: { ...context.variables, ...result, ...mapped } };
    },
  ),
  'svc.decide': assignTo(({ context }: Args, p: { elementId: string; call: DecisionCall; outputs: Mapping[] }) => {
    const act = newestOf(context, p.elementId);
    const outcome = decide(p.call, scopeOf(context, p.elementId, act), p.elementId);
    const value = outcome.ok ? outcome.value : null;
    const result: Vars = p.call.resultVariable ? { [p.call.resultVariable]: value } : {};
    return { variables: mergeOutputs(context, p.elementId, p.outputs, result, act) };
  }),
  // Camunda 7 listeners, in order: each sees what the ones before it wrote (engine/compile/listeners.ts)
  // a retry of the element's incident re-enters it: what ran on its first entry does not run twice
  'svc.listen': assignTo(
    (
      { context, event }: Args,
      p: { elementId: string; event: ListenerEvent; listeners: Listener[]; onlyOn?: string[] },
    ) =>
      (p.onlyOn && !p.onlyOn.includes(event.type)) ||
      (event.type === 'incident.retry' && event.elementId === p.elementId && ON_ENTRY.includes(p.event))
        ? {}
        : { variables: runListeners(context, p.elementId, p.event, p.listeners) },
  ),
  'svc.script': assignTo(
    (
      { context }: Args,
      p: { elementId: string; expression: string; resultVariable: string | null; outputs: Mapping[] },
    ) => {
      const act = newestOf(context, p.elementId);
      const { value } = evaluateFeel(p.expression, scopeOf(context, p.elementId, act));
      const result: Vars = p.resultVariable ? { [p.resultVariable]: value } : isContext(value) ? value : {};
      return { variables: mergeOutputs(context, p.elementId, p.outputs, result, act) };
    },
  ),
};

type MachineInput = { variables?: Vars; startEvent?: string };
type MachineDefinition = Omit<Parameters<ReturnType<typeof setupOf>['createMachine']>[0], 'context'>;

function setupOf() {
  return setup({
    types: {} as { context: InstanceContext; events: MachineEvent; input: MachineInput },
    guards,
    actions,
  });
}

/** Creates the xstate machine for a compiled process; the same config always gives the same machine. */
export function createProcessMachine(compiled: CompiledProcess): AnyStateMachine {
  const typed = setupOf();
  // the config is JSON built by compileProcess (which checks its shapes), so xstate's static config types cannot follow it
  const config = hydrateState(withIncidentBook(compiled.config)) as MachineDefinition;
  return typed.createMachine({
    ...config,
    context: ({ input }) => ({
      variables: input?.variables ?? {},
      locals: {},
      ...(input?.startEvent ? { startEvent: input.startEvent } : {}),
    }),
  });
}

/** Process variables overlaid with an element's local input values (an activation's, when named): what its expressions see. */
export function scopeOf(context: InstanceContext, elementId?: string, activationId?: string): Vars {
  const own = activationId === undefined ? undefined : context.locals[activationKey(activationId)];
  const loop = loopVarsOf(context, activationId);
  const base = visibleVars(context);
  if (loop) return { ...base, ...loop, ...own };
  const locals = own ?? (elementId ? context.locals[elementId] : undefined);
  if (!locals) return base;
  // the same variables and locals give the same object, so a guard and its action share costly FEEL results
  let byLocals = scopes.get(base);
  if (!byLocals) scopes.set(base, (byLocals = new WeakMap()));
  let scope = byLocals.get(locals);
  if (!scope) byLocals.set(locals, (scope = { ...base, ...locals }));
  return scope;
}

const scopes = new WeakMap<Vars, WeakMap<Vars, Vars>>();

/** Why a condition cannot decide a flow: it does not parse, or gives no boolean (FEEL null included). */
export function conditionError(expression: string, variables: Vars): string | null {
  const { value, error, warnings } = evaluateFeel(expression, variables);
  if (error) return error;
  if (typeof value === 'boolean') return null;
  return `it gave ${value === null ? 'null' : JSON.stringify(value)} instead of true or false${warnings.length > 0 ? ` (${warnings.join('; ')})` : ''}`;
}

/** Why a script failed: an error, or a null result that came with warnings (a missing variable, a bad call). */
export function scriptError(expression: string, variables: Vars): string | null {
  const { value, error, warnings } = evaluateFeel(expression, variables);
  if (error) return error;
  if (value === null && warnings.length > 0) return warnings.join('; ');
  return null;
}

// helpers

/**
 * The process variables after an element's listeners: `setVariable` writes its value, a FEEL script's context
 * result writes its entries. The variables they read are the element's scope (its locals over the process's).
 */
function runListeners(context: InstanceContext, elementId: string, event: ListenerEvent, listeners: Listener[]): Vars {
  let variables = context.variables;
  for (const listener of listeners) {
    const scope = scopeOf({ ...context, variables }, elementId, newestOf(context, elementId));
    const { value, error, warnings } = evaluateFeel(listener.expression, scope);
    // as a script task fails: an error, or a null result that came with warnings (a missing variable, a bad call)
    const reason = error ?? (value === null && warnings.length > 0 ? warnings.join('; ') : null);
    if (reason !== null) throw new ListenerFailure(elementId, event, listener.source ?? listener.expression, reason);
    if (listener.variable !== null) variables = { ...variables, [listener.variable]: value };
    else if (isContext(value)) variables = { ...variables, ...value };
  }
  return variables;
}

const ON_ENTRY: ListenerEvent[] = ['start', 'create'];

/** A complex gateway's station: its scope, the gateway, its incoming flows and where their tokens could come from. */
type ComplexParams = { scope: string; node: string; flows: string[]; upstream: Record<string, Upstream> };

/** The gateway waits for start (no wave open) and some incoming flow holds a token. */
function complexWaits(context: InstanceContext, p: ComplexParams): boolean {
  const m = markingOf(context, p.scope);
  return !m.waves?.[p.node] && hasAny(m, p.flows);
}

/** The variables an activation condition sees: the process's, and the counts of tokens on the incoming flows. */
function activationScope(context: InstanceContext, p: ComplexParams): Vars {
  return { ...scopeOf(context), ...activationCounts(markingOf(context, p.scope), p.flows) };
}

/** The newest running activation of an element (a multi-instance iteration of an eventless activity), if any. */
function newestOf(context: InstanceContext, elementId: string): string | undefined {
  return context.activations?.[elementId]?.at(-1);
}

/** Output mappings see the process variables, the element's locals and the result; without mappings the result is merged as is. */
function mergeOutputs(
  context: InstanceContext,
  elementId: string,
  outputs: Mapping[],
  result: Vars,
  activationId?: string,
): Vars {
  if (outputs.length === 0)
    return Object.keys(result).length === 0 ? context.variables : { ...context.variables, ...result };
  const mapped = evaluateMappings(outputs, { ...scopeOf(context, elementId, activationId), ...result }).values;
  return { ...context.variables, ...mapped };
}

/** An ad-hoc sub-process's marking keeps its count of ended elements, one more when `ended`. */
function counted(before: ScopeMarking, after: ScopeMarking, ended = false): ScopeMarking {
  const count = (before.ended ?? 0) + (ended ? 1 : 0);
  return count > 0 ? { ...after, ended: count } : after;
}

function withScope(context: InstanceContext, scopeId: string, marking: ScopeMarking): Partial<InstanceContext> {
  return { marking: { ...context.marking, [scopeId]: marking } };
}

// Camunda 7: `variables` are set on the process, local variables only feed the output mappings and then end.
function mergeWithLocals(
  context: InstanceContext,
  elementId: string,
  outputs: Mapping[],
  result: Vars,
  local: Vars,
  activationId?: string,
): Vars {
  if (outputs.length === 0) return { ...context.variables, ...result };
  return { ...mergeOutputs(context, elementId, outputs, { ...local, ...result }, activationId), ...result };
}

function isContext(value: unknown): value is Vars {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The root records the incidents a step raised and resolved (the door sends `svc.incidents` after planning). */
function withIncidentBook(root: StateConfig): StateConfig {
  return {
    ...root,
    on: {
      ...root.on,
      'svc.incidents': [{ actions: [{ type: 'svc.incidents' }] }],
      'svc.conditions': [{ actions: [{ type: 'svc.conditions' }] }],
      'variables.set': [{ actions: [{ type: 'svc.variables' }] }],
      'svc.stalled': [{ actions: [{ type: 'svc.stalled' }] }],
    },
  };
}

function hydrateState(state: StateConfig): unknown {
  const out: Record<string, unknown> = { ...state };
  if (state.states) out.states = Object.fromEntries(Object.entries(state.states).map(([k, s]) => [k, hydrateState(s)]));
  if (state.on) out.on = Object.fromEntries(Object.entries(state.on).map(([k, ts]) => [k, ts.map(hydrateTransition)]));
  if (state.always) out.always = state.always.map(hydrateTransition);
  if (state.onDone) out.onDone = state.onDone.map(hydrateTransition);
  return out;
}

function hydrateTransition(t: TransitionConfig): unknown {
  return t.guard ? { ...t, guard: hydrateGuard(t.guard) } : t;
}

function hydrateGuard(guard: GuardConfig): unknown {
  const params = guard.params as Record<string, unknown> | undefined;
  if (guard.type === 'svc.stateIn') return stateIn(`#${params!.id as string}`);
  if (guard.type === 'svc.and') return and((params!.guards as GuardConfig[]).map(hydrateGuard) as never);
  if (guard.type === 'svc.or') return or((params!.guards as GuardConfig[]).map(hydrateGuard) as never);
  return guard;
}

/**
 * Where a parallel multiple boundary event's seen triggers are kept: per activation of its activity (the one
 * the event names, else the only one running), else under the event's id.
 */
function seenKey(context: InstanceContext, p: { owner: string; activity: string }, event: MachineEvent): string {
  const running = context.activations?.[p.activity] ?? [];
  const activation =
    typeof event.activationId === 'string' && running.includes(event.activationId)
      ? event.activationId
      : running.length === 1
        ? running[0]
        : null;
  return activation ? `${p.owner}#${activation}` : p.owner;
}
