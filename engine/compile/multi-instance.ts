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
import type { FlowNode, MultiInstance, StandardLoop } from '../bpmn/model.js';
import { evaluateCondition, evaluateFeel } from '../expr/index.js';
import { activationKey, deactivate } from './activations.js';
import type { InstanceContext } from './effects.js';
import type { ActionConfig, StateConfig, TransitionConfig } from './machine-config.js';
import { type Args, type Vars, assignTo } from './machine-types.js';
import { describeNode, effect, isElement, ref, stateKey } from './names.js';

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
  /** activation id → its loop counter (1-based). */
  counters: Record<string, number>;
}

export const loopGuards = {
  'svc.loopFailed': ({ context }: Args, p: { id: string }) => context.loops?.[p.id]?.error !== undefined,
  'svc.loopDone': (
    { context }: Args,
    p: { id: string; completionCondition: string | null; standard?: StandardLoop },
  ) => {
    const loop = context.loops?.[p.id];
    if (!loop || loop.error !== undefined) return false;
    if (p.standard) return (context.activations?.[p.id]?.length ?? 0) === 0 && !runsAgain(context, loop, p.standard);
    if (loop.completed >= loop.total) return true;
    if (!p.completionCondition || loop.completed === 0) return false;
    return evaluateCondition(p.completionCondition, { ...context.variables, ...counts(context, p.id) }).value;
  },
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
    loops: { ...context.loops, [p.elementId]: startLoop(p.mi, context.variables) },
  })),
  // one more instance: an activation with its item, loop counter and the instance count as local values
  'svc.loopNext': assignTo(
    ({ context }: Args, p: { elementId: string; elementVariable: string | null; standard?: boolean }) => {
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
    const id = typeof event.activationId === 'string' ? event.activationId : context.activations?.[p.elementId]?.[0];
    if (!loop || id === undefined) return {};
    const outputs = [...loop.outputs];
    const counter = loop.counters[id];
    if (p.outputElement && counter !== undefined) {
      const scope = {
        ...context.variables,
        ...context.loopVars?.[id],
        ...context.locals[activationKey(id)],
        ...(event.variables ?? {}),
      };
      outputs[counter - 1] = evaluateFeel(p.outputElement, scope).value;
    }
    return { loops: { ...context.loops, [p.elementId]: { ...loop, completed: loop.completed + 1, outputs } } };
  }),
  'svc.loopOutput': assignTo(({ context }: Args, p: { elementId: string; outputCollection: string | null }) => {
    const loop = context.loops?.[p.elementId];
    if (!p.outputCollection || !loop) return {};
    const outputs = Array.from({ length: loop.total }, (_, i) =>
      i in loop.outputs ? (loop.outputs[i] ?? null) : null,
    );
    return { variables: { ...context.variables, [p.outputCollection]: outputs } };
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
  const always: TransitionConfig[] = [
    { guard: { type: 'svc.loopFailed', params: { id: node.id } }, target: `#${incidentKey}` },
    {
      guard: {
        type: 'svc.loopDone',
        params: {
          id: node.id,
          completionCondition: mi.completionCondition,
          ...(mi.standard ? { standard: mi.standard } : {}),
        },
      },
      target: parts.out.target,
      actions: [
        { type: 'svc.loopOutput', params: { elementId: node.id, outputCollection: mi.outputCollection } },
        // the body's way out (a compensation record counts the completed instances) before the loop is cleared
        ...parts.out.actions,
        { type: 'svc.loopClear', params: { elementId: node.id } },
        ...parts.slaStop,
      ],
    },
    {
      guard: {
        type: 'svc.loopMore',
        params: { id: node.id, sequential: mi.sequential, ...(mi.standard ? { standard: mi.standard } : {}) },
      },
      actions: [
        {
          type: 'svc.loopNext',
          params: { elementId: node.id, elementVariable: mi.elementVariable, standard: !!mi.standard },
        },
        ...parts.instanceStart,
      ],
    },
  ];
  return {
    [key]: {
      id: key,
      entry: [...parts.bodyEntry, { type: 'svc.loopStart', params: { elementId: node.id, mi } }],
      // the loop state is cleared by the completion (after its output is taken) or overwritten by the next entry
      exit: parts.bodyExit,
      on,
      always,
    },
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
  return evaluateCondition(standard.condition, { ...context.variables, loopCounter: loop.started }).value;
}

function counts(context: InstanceContext, elementId: string): Vars {
  const loop = context.loops![elementId];
  const active = context.activations?.[elementId]?.length ?? 0;
  return {
    nrOfInstances: loop.total,
    nrOfActiveInstances: active,
    nrOfCompletedInstances: loop.completed,
    numberOfInstances: loop.total,
    numberOfActiveInstances: active,
    numberOfCompletedInstances: loop.completed,
  };
}
