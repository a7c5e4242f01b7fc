/**
 * Multi-instance activities. The activity's state is the multi-instance body: on entry it evaluates
 * the input collection (or the loop cardinality) once; each instance is an activation of the element
 * (engine/compile/activations.ts) with its own loop variables (the element variable, `loopCounter`,
 * `nrOfInstances`) and input values. Parallel: every instance starts at once; sequential: the next
 * starts when the previous completed. After each completion the completion condition is evaluated
 * (with `nrOfInstances`, `nrOfActiveInstances`, `nrOfCompletedInstances` and the Camunda 8 names
 * `numberOf…`); when it holds, or all completed, the body leaves and its exit cancels the instances
 * still running. Boundary events belong to the body: one firing interrupts every instance.
 */
import type { FlowNode, MultiInstance, ProcessModel, StandardLoop } from '../bpmn/model.js';
import { evaluateCondition, evaluateFeel } from '../expr/index.js';
import { activationKey, deactivate, deactivateAll } from './activations.js';
import type { InstanceContext } from './effects.js';
import type { ActionConfig, EffectSpec, GuardConfig, StateConfig, TransitionConfig } from './machine-config.js';
import { type Args, type Vars, assignTo } from './machine-types.js';
import { and, describeNode, effect, isElement, ref, stateKey } from './names.js';

/** The running state of one multi-instance body, kept in the context by element id. */
export interface LoopState {
  /** The items of the input collection (null: counted by cardinality). */
  items: unknown[] | null;
  total: number;
  started: number;
  completed: number;
  /** outputElement per instance, by loopCounter − 1. */
  outputs: unknown[];
  /** Why the collection or cardinality could not be read. */
  error?: string;
  /** activation id → its loop counter (1-based), of the running instances. */
  counters: Record<string, number>;
}

export const loopGuards = {
  'svc.loopRunning': ({ context }: Args, p: { id: string }) => (context.activations?.[p.id]?.length ?? 0) > 0,
  'svc.loopFailed': ({ context }: Args, p: { id: string }) => context.loops?.[p.id]?.error !== undefined,
  'svc.loopDone': (
    { context }: Args,
    p: { id: string; completionCondition: string | null; standard?: StandardLoop; parallel?: boolean },
  ) => {
    const loop = context.loops?.[p.id];
    if (!loop || loop.error !== undefined) return false;
    if (p.standard) return (context.activations?.[p.id]?.length ?? 0) === 0 && !runsAgain(context, loop, p.standard);
    if (loop.completed >= loop.total) return true;
    if (!p.completionCondition || loop.completed === 0) return false;
    const vars = { ...visibleVars(context), ...counts(context, p.id, p.parallel === true) };
    return evaluateCondition(p.completionCondition, vars).value;
  },
  // instances of a multi-instance call activity whose child could not start (an incident a retry restarts)
  'svc.callsFailed': ({ context }: Args, p: { id: string }) => (context.callFailures?.[p.id]?.length ?? 0) > 0,
  'svc.loopMore': ({ context }: Args, p: { id: string; sequential: boolean; standard?: StandardLoop }) => {
    const loop = context.loops?.[p.id];
    if (p.standard)
      return !!loop && (context.activations?.[p.id]?.length ?? 0) === 0 && runsAgain(context, loop, p.standard);
    if (!loop || loop.error !== undefined || loop.started >= loop.total) return false;
    return !p.sequential || (context.activations?.[p.id]?.length ?? 0) === 0;
  },
};

export const loopActions = {
  'svc.loopStart': assignTo(({ context }: Args, p: { elementId: string; mi: MultiInstance }) => ({
    loops: { ...context.loops, [p.elementId]: startLoop(p.mi, visibleVars(context)) },
  })),
  // one more instance: an activation with its item, loop counter and the instance count as local values
  'svc.loopNext': assignTo(
    (
      { context }: Args,
      p: { elementId: string; elementVariable: string | null; standard?: boolean; scope?: boolean },
    ) => {
      const loop = context.loops![p.elementId];
      const seq = (context.seq ?? 0) + 1;
      const id = String(seq);
      const counter = loop.started + 1;
      const item = loop.items ? loop.items[loop.started] : undefined;
      const counts = p.standard ? {} : { nrOfInstances: loop.total, numberOfInstances: loop.total };
      const vars: Vars = {
        loopCounter: counter,
        ...counts,
        ...(p.elementVariable ? { [p.elementVariable]: item ?? null } : {}),
      };
      return {
        seq,
        activations: { ...context.activations, [p.elementId]: [...(context.activations?.[p.elementId] ?? []), id] },
        loopVars: { ...context.loopVars, [id]: vars },
        // a sub-process instance's inside sees its loop variables over the process variables
        ...(p.scope ? { scopeVars: { ...context.scopeVars, [p.elementId]: vars } } : {}),
        loops: {
          ...context.loops,
          [p.elementId]: { ...loop, started: counter, counters: { ...loop.counters, [id]: counter } },
        },
      };
    },
  ),
  // an instance completed: count it and keep its output element (evaluated in its own scope, with the result)
  'svc.loopCompleted': assignTo(({ context, event }: Args, p: { elementId: string; outputElement: string | null }) => {
    const loop = context.loops?.[p.elementId];
    // an eventless instance (script, rule, none task) names no activation: the oldest running one completed
    const named = typeof event.activationId === 'string' && loop?.counters[event.activationId] !== undefined;
    const id = named ? (event.activationId as string) : context.activations?.[p.elementId]?.[0];
    if (!loop || id === undefined) return {};
    const outputs = [...loop.outputs];
    const counter = loop.counters[id];
    if (p.outputElement && counter !== undefined) {
      const scope = {
        ...visibleVars(context),
        ...context.loopVars?.[id],
        ...context.locals[activationKey(id)],
        ...(event.variables ?? {}),
      };
      outputs[counter - 1] = evaluateFeel(p.outputElement, scope).value;
    }
    // a completed instance keeps nothing but its output
    const { [id]: _done, ...counters } = loop.counters;
    return {
      loops: { ...context.loops, [p.elementId]: { ...loop, completed: loop.completed + 1, outputs, counters } },
    };
  }),
  'svc.loopOutput': assignTo(({ context }: Args, p: { elementId: string; outputCollection: string | null }) => {
    const loop = context.loops?.[p.elementId];
    if (!p.outputCollection || !loop) return {};
    const outputs = Array.from({ length: loop.total }, (_, i) =>
      i in loop.outputs ? (loop.outputs[i] ?? null) : null,
    );
    return { variables: { ...context.variables, [p.outputCollection]: outputs } };
  }),
  'svc.loopScopeEnd': assignTo(({ context }: Args, p: { elementId: string }) => {
    if (!context.scopeVars || !(p.elementId in context.scopeVars)) return {};
    const { [p.elementId]: _gone, ...scopeVars } = context.scopeVars;
    return { scopeVars };
  }),
  'svc.callFailed': assignTo(({ context, event }: Args, p: { elementId: string }) => {
    const id = event.activationId;
    const failed = context.callFailures?.[p.elementId] ?? [];
    if (typeof id !== 'string' || failed.includes(id)) return {};
    return { callFailures: { ...context.callFailures, [p.elementId]: [...failed, id] } };
  }),
  'svc.callRetried': assignTo(({ context }: Args, p: { elementId: string }) => {
    if (!context.callFailures?.[p.elementId]) return {};
    const { [p.elementId]: _gone, ...callFailures } = context.callFailures;
    return { callFailures };
  }),
  'svc.loopClear': assignTo(({ context }: Args, p: { elementId: string }) => {
    const { [p.elementId]: _gone, ...loops } = context.loops ?? {};
    return { loops };
  }),
};

/** What the wait state of a multi-instance activity is made of (built by nodes.ts' waitFor). */
export interface LoopParts {
  node: FlowNode;
  eventType: string;
  /** Entered once, on the body: history, SLA, pauses, boundary events. */
  bodyEntry: ActionConfig[];
  bodyExit: ActionConfig[];
  /** Per instance: input values and what the element arms (task, job, subscription). */
  instanceStart: ActionConfig[];
  completion: ActionConfig;
  /** The body's own transitions (its boundary events, incident retries). */
  on: Record<string, TransitionConfig[]>;
  /** How the body leaves: its target and actions. */
  out: { target?: string; actions: ActionConfig[] };
  slaStop: ActionConfig[];
}

/** The multi-instance body's state and its incident state. */
export function loopStates(parts: LoopParts): Record<string, StateConfig> {
  const { node } = parts;
  const mi = node.multiInstance!;
  const key = stateKey(node.id);
  const incidentKey = `${key}__loopIncident`;
  const on = parts.on;
  (on[parts.eventType] ??= []).unshift({
    guard: isElement(node.id),
    actions: [
      parts.completion,
      { type: 'svc.loopCompleted', params: { elementId: node.id, outputElement: mi.outputElement } },
      deactivate(node.id),
    ],
  });
  const always = loopAlways(node, { target: parts.out.target, actions: [...parts.slaStop, ...parts.out.actions] }, [
    ...parts.instanceStart,
  ]);
  return {
    [key]: {
      id: key,
      entry: [...parts.bodyEntry, { type: 'svc.loopStart', params: { elementId: node.id, mi } }],
      // the loop state is cleared by the completion (after its output is taken) or overwritten by the next entry
      exit: parts.bodyExit,
      on,
      always,
    },
    ...loopIncident(node, incidentKey),
  };
}

/** The body's eventless transitions: to its incident, out when done, or one more instance (then `instanceStart`). */
function loopAlways(
  node: FlowNode,
  out: { target?: string; actions: ActionConfig[] },
  instanceStart: ActionConfig[],
): TransitionConfig[] {
  const mi = node.multiInstance!;
  const standard = mi.standard ? { standard: mi.standard } : {};
  return [
    { guard: { type: 'svc.loopFailed', params: { id: node.id } }, target: `#${stateKey(node.id)}__loopIncident` },
    {
      guard: {
        type: 'svc.loopDone',
        params: { id: node.id, completionCondition: mi.completionCondition, ...standard },
      },
      target: out.target,
      actions: [
        { type: 'svc.loopOutput', params: { elementId: node.id, outputCollection: mi.outputCollection } },
        // the body's way out (a compensation record counts the completed instances) before the loop is cleared
        ...out.actions,
        { type: 'svc.loopClear', params: { elementId: node.id } },
      ],
    },
    {
      guard: { type: 'svc.loopMore', params: { id: node.id, sequential: mi.sequential, ...standard } },
      actions: [
        {
          type: 'svc.loopNext',
          params: { elementId: node.id, elementVariable: mi.elementVariable, standard: !!mi.standard },
        },
        ...instanceStart,
      ],
    },
  ];
}

/** The incident state of a body whose collection or cardinality could not be read; a retry re-enters the body. */
function loopIncident(node: FlowNode, incidentKey: string): Record<string, StateConfig> {
  const mi = node.multiInstance!;
  return {
    [incidentKey]: {
      id: incidentKey,
      entry: [
        effect({
          kind: 'incident.raise',
          elementId: node.id,
          code: 'EXPRESSION_FAILED',
          message: `the multi-instance input of ${describeNode(node)} (${mi.collection ? `collection "${mi.collection}"` : `loop cardinality "${mi.cardinality}"`}) did not give a list or a whole number of at least 0`,
        }),
      ],
      exit: [effect({ kind: 'incident.resolve', elementId: node.id })],
      on: {
        'incident.retry': [
          {
            guard: isElement(node.id),
            target: ref(node.id),
            actions: [{ type: 'svc.merge', params: { elementId: node.id, outputs: [] } }],
          },
        ],
      },
    },
  };
}

/** What one instance of an eventless activity (script, business rule, none or manual task) does. */
export interface TransientRun {
  /** Whether the instance can run (its script or decision evaluates); null: it always can. */
  ok: GuardConfig | null;
  /** The instance's work: evaluate and merge its result. */
  actions: ActionConfig[];
  /** The incident a failing instance raises; it rests inside the body, and a retry runs that instance again. */
  incident: EffectSpec | null;
}

/**
 * The multi-instance body of an eventless activity: instances run one after another within the step, in
 * input order (parallel and sequential give the same trace, as nothing waits), each an activation with
 * its own loop variables and inputs; the completion condition is checked after each.
 */
export function transientLoopStates(
  node: FlowNode,
  run: TransientRun,
  parts: {
    entry: ActionConfig[];
    exit: ActionConfig[];
    inputs: ActionConfig[];
    out: { target?: string; actions: ActionConfig[] };
  },
): Record<string, StateConfig> {
  const mi = node.multiInstance!;
  const key = stateKey(node.id);
  const runKey = `${key}__run`;
  const incidentKey = `${key}__incident`;
  const running: GuardConfig = { type: 'svc.loopRunning', params: { id: node.id } };
  const finish = [
    ...run.actions,
    { type: 'svc.loopCompleted', params: { elementId: node.id, outputElement: mi.outputElement } },
    deactivate(node.id),
  ];
  const [failed, done, more] = loopAlways(node, parts.out, parts.inputs);
  const always: TransitionConfig[] = [
    failed,
    { guard: run.ok ? and(running, run.ok) : running, actions: finish },
    ...(run.incident ? [{ guard: running, target: `#${incidentKey}` }] : []),
    done,
    more,
  ];
  const states: Record<string, StateConfig> = { [runKey]: { id: runKey, always } };
  if (run.incident)
    states[incidentKey] = {
      id: incidentKey,
      entry: [effect(run.incident)],
      exit: [effect({ kind: 'incident.resolve', elementId: node.id })],
      on: {
        'incident.retry': [
          {
            guard: isElement(node.id),
            target: `#${runKey}`,
            actions: [{ type: 'svc.merge', params: { elementId: node.id, outputs: [] } }],
          },
        ],
      },
    };
  return {
    [key]: {
      id: key,
      entry: [...parts.entry, { type: 'svc.loopStart', params: { elementId: node.id, mi } }],
      exit: [...parts.exit, deactivateAll(node.id)],
      initial: runKey,
      states,
    },
    ...loopIncident(node, `${key}__loopIncident`),
  };
}

/**
 * A multi-instance sub-process (sequential, or a standard loop): the body runs the sub-process scope once
 * per instance, each entry a fresh scope (its own tokens, its loop variables seen by everything inside);
 * boundary events belong to the body, so one firing ends the running instance and every one still to come.
 */
export function subProcessLoop(
  node: FlowNode,
  scope: StateConfig,
  parts: {
    entry: ActionConfig[];
    exit: ActionConfig[];
    inputs: ActionConfig[];
    on: Record<string, TransitionConfig[]>;
    out: { target?: string; actions: ActionConfig[] };
    left: ActionConfig;
  },
): Record<string, StateConfig> {
  const mi = node.multiInstance!;
  const key = stateKey(node.id);
  const nextKey = `${key}__next`;
  const instanceKey = `${key}__instance`;
  const [failed, loopDone, more] = loopAlways(node, parts.out, parts.inputs);
  // parallel (nothing inside waits, parallelSubProcessReason): the instances run one after another in the step
  const parallel = !mi.sequential && !mi.standard;
  const guard = loopDone.guard as { type: string; params: Record<string, unknown> };
  const done = parallel ? { ...loopDone, guard: { ...guard, params: { ...guard.params, parallel } } } : loopDone;
  const start = more.actions as ActionConfig[];
  start[0] = { ...start[0], params: { ...start[0].params, scope: true } };
  return {
    [key]: {
      id: key,
      entry: [...parts.entry, { type: 'svc.loopStart', params: { elementId: node.id, mi } }],
      exit: [
        ...parts.exit,
        { type: 'svc.loopScopeEnd', params: { elementId: node.id } },
        deactivateAll(node.id),
        parts.left,
      ],
      on: parts.on,
      initial: nextKey,
      states: {
        [nextKey]: { id: nextKey, always: [failed, done, { ...more, target: `#${instanceKey}` }] },
        [instanceKey]: {
          ...scope,
          id: instanceKey,
          onDone: [
            {
              target: `#${nextKey}`,
              actions: [
                // Camunda 7: a multi-instance activity's output mappings run per instance
                { type: 'svc.merge', params: { elementId: node.id, outputs: node.outputs } },
                { type: 'svc.loopCompleted', params: { elementId: node.id, outputElement: mi.outputElement } },
                { type: 'svc.loopScopeEnd', params: { elementId: node.id } },
                deactivate(node.id),
              ],
            },
          ],
        },
      },
    },
    ...loopIncident(node, `${key}__loopIncident`),
  };
}

/** The elements a parallel multi-instance sub-process may hold: none of them waits or reaches outside its instance. */
const RUN_THROUGH: ReadonlySet<string> = new Set([
  'startEvent',
  'endEvent',
  'intermediateThrowEvent',
  'task',
  'manualTask',
  'scriptTask',
  'exclusiveGateway',
  'parallelGateway',
  'inclusiveGateway',
  'subProcess',
]);

/**
 * Why a parallel multi-instance sub-process cannot run, or null. It runs when nothing inside waits: its
 * instances then run one after another inside the step (their history is the parallel one's, as a
 * multiset), with `nrOfActiveInstances` counting every instance not yet completed. Inside may be none
 * start events, tasks, manual and script tasks, exclusive, parallel and inclusive gateways, none throw
 * events, none and error end events, and plain sub-processes of the same; no boundary events, no nested
 * multi-instance. Anything that waits needs a scope per instance, which svcflow does not have yet.
 */
export function parallelSubProcessReason(model: ProcessModel, node: FlowNode): string | null {
  const mi = node.multiInstance;
  if (!mi || mi.sequential || mi.standard) return null;
  const inside = (n: FlowNode): boolean => {
    for (let s = model.nodes[n.scopeId]; s; s = model.nodes[s.scopeId]) if (s.id === node.id) return true;
    return false;
  };
  const blocker = Object.values(model.nodes).find((n) => inside(n) && !runsThrough(n));
  if (!blocker) return null;
  return `parallel multi-instance sub-processes with an element inside that waits, catches an event or loops (${describeNode(blocker)}; svcflow runs a parallel one whose inside is only none start events, tasks, manual and script tasks, exclusive, parallel and inclusive gateways, none throw events, none and error end events and plain sub-processes of these, a sequential one, isSequential="true", with any inside, and a parallel multi-instance call activity, a called process per instance)`;
}

function runsThrough(n: FlowNode): boolean {
  if (!RUN_THROUGH.has(n.type) || n.multiInstance) return false;
  if (n.type === 'subProcess') return !n.triggeredByEvent && !n.adHoc;
  const kind = n.event?.kind ?? 'none';
  if (n.type === 'endEvent') return kind === 'none' || kind === 'error';
  if (n.type === 'startEvent' || n.type === 'intermediateThrowEvent') return kind === 'none' && !n.multiple;
  return true;
}

/**
 * Why a multi-instance sub-process cannot run beside the others of its process, or null: the loop variables
 * of a running instance are seen process-wide inside it, so two that are not nested could see each other's.
 */
export function sideBySideReason(model: ProcessModel, node: FlowNode): string | null {
  const chain = (id: string): string[] => {
    const ids: string[] = [];
    for (let n: FlowNode | undefined = model.nodes[id]; n; n = model.nodes[n.scopeId]) ids.push(n.id);
    return ids;
  };
  const mine = chain(node.id);
  const other = Object.values(model.nodes).find(
    (n) =>
      n.id !== node.id &&
      n.type === 'subProcess' &&
      n.multiInstance &&
      !mine.includes(n.id) &&
      !chain(n.id).includes(node.id),
  );
  return other
    ? `two multi-instance sub-processes that are not nested in one another ('${node.id}' and '${other.id}')`
    : null;
}

/** The process variables as the running element sees them: under the loop variables of the sub-process instances it is in. */
export function visibleVars(context: InstanceContext): Vars {
  const scopes = context.scopeVars;
  if (!scopes) return context.variables;
  const layers = Object.values(scopes);
  if (layers.length === 0) return context.variables;
  let cached = visible.get(context.variables);
  if (!cached) visible.set(context.variables, (cached = new WeakMap()));
  let seen = cached.get(scopes);
  if (!seen) cached.set(scopes, (seen = Object.assign({}, context.variables, ...layers) as Vars));
  return seen;
}

const visible = new WeakMap<Vars, WeakMap<object, Vars>>();

/** Loop variables of an activation (its item, loop counter): what its inputs, assignment and outputs see beside the process variables. */
export function loopVarsOf(context: InstanceContext, activationId: string | undefined): Vars | undefined {
  return activationId === undefined ? undefined : context.loopVars?.[activationId];
}

// helpers

function startLoop(mi: MultiInstance, variables: Vars): LoopState {
  const base = { started: 0, completed: 0, outputs: [], counters: {} };
  if (mi.standard) return { ...base, items: null, total: mi.standard.maximum ?? Number.MAX_SAFE_INTEGER };
  if (mi.collection) {
    const { value, error } = evaluateFeel(mi.collection, variables);
    if (error || !Array.isArray(value))
      return { ...base, items: null, total: 0, error: error ?? `it gave ${JSON.stringify(value ?? null)}` };
    return { ...base, items: value, total: value.length };
  }
  const { value, error } = evaluateFeel(mi.cardinality ?? '0', variables);
  const n = typeof value === 'number' ? value : Number(value);
  if (error || !Number.isInteger(n) || n < 0)
    return { ...base, items: null, total: 0, error: error ?? `it gave ${JSON.stringify(value ?? null)}` };
  return { ...base, items: null, total: n };
}

/**
 * A standard loop runs again while its condition holds (BPMN 2.0 §10.3.7), checked before each run
 * (testBefore) or after it (the first run always happens), and never more than loopMaximum times.
 */
function runsAgain(context: InstanceContext, loop: LoopState, standard: StandardLoop): boolean {
  if (standard.maximum !== null && loop.started >= standard.maximum) return false;
  if (!standard.testBefore && loop.started === 0) return true;
  if (!standard.condition) return true;
  return evaluateCondition(standard.condition, { ...visibleVars(context), loopCounter: loop.started }).value;
}

/** The built-in counts; `parallel`: every instance not yet completed counts as active (a parallel sub-process body run one instance after another). */
function counts(context: InstanceContext, elementId: string, parallel = false): Vars {
  const loop = context.loops![elementId];
  const active = parallel ? loop.total - loop.completed : (context.activations?.[elementId]?.length ?? 0);
  return {
    nrOfInstances: loop.total,
    nrOfActiveInstances: active,
    nrOfCompletedInstances: loop.completed,
    numberOfInstances: loop.total,
    numberOfActiveInstances: active,
    numberOfCompletedInstances: loop.completed,
  };
}
