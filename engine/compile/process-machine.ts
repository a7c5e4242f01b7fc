/**
 * The one door to a compiled machine: `start` and `step` take and give persisted (JSON) snapshots,
 * run xstate's pure transitions, plan the effects and say where the instance stands. Nothing outside
 * engine/compile imports xstate or reads a snapshot's insides.
 */
import { upgradeCompensationValue } from './compensation.js';
import type { AnyMachineSnapshot, AnyStateMachine } from 'xstate';
import type { Effect, EngineEvent, IncidentCode, InstanceContext } from './effects.js';
import type { CompiledProcess } from './machine-config.js';
import { createProcessMachine, scopeOf } from './machine.js';
import { planEffects, type ReturnedAction } from './plan-effects.js';
import { withDecisions, type DecisionEnv } from './decision-env.js';
import { watchConditions } from './conditions.js';
import { ListenerFailure } from './listeners.js';
import { DEFAULT_CRON_ZONE } from '../expr/index.js';
import { pureInitialTransition, pureTransition } from './pure-transition.js';

declare const persisted: unique symbol;
/** A persisted snapshot: plain JSON, stored as is and handed back to `step`; opaque outside engine/compile. */
export interface ProcessSnapshot {
  readonly [persisted]: 'ProcessSnapshot';
}

export type MachineStatus = 'active' | 'completed' | 'terminated' | 'incident';

/** What a start or a step gives back. */
export interface MachineOutcome {
  snapshot: ProcessSnapshot;
  effects: Effect[];
  status: MachineStatus;
  /** The BPMN elements the instance rests in, sorted. */
  activeElements: string[];
  /** The process variables after the step. */
  variables: Record<string, unknown>;
}

/** One definition version's machine, typed at the seam. */
export interface ProcessMachine {
  readonly compiled: CompiledProcess;
  /** Starts an instance at `startEvent` (a message, signal or timer start event), else at the none start event. */
  start(
    input: { variables?: Record<string, unknown>; startEvent?: string },
    now: string,
    env?: DecisionEnv,
  ): MachineOutcome;
  /** `env` holds the deployed decisions of the process's business rule tasks (`compiled.decisions`), resolved by the caller. */
  step(snapshot: unknown, event: EngineEvent, now: string, env?: DecisionEnv): MachineOutcome;
  /** What an element's expressions see in a snapshot: the variables overlaid with its local inputs (an activation's, when named). */
  scopeAt(snapshot: unknown, elementId: string, activationId?: string): Record<string, unknown>;
}

/** What a machine needs to know of the installation it runs in. */
export interface MachineOptions {
  /** The IANA zone cron timer cycles are read in (EngineConfig.zone); default UTC. */
  zone?: string;
}

/** Builds the machine of a compiled process; the same config and options always give the same machine. */
export function processMachine(compiled: CompiledProcess, options: MachineOptions = {}): ProcessMachine {
  const machine = createProcessMachine(compiled);
  const zone = options.zone ?? DEFAULT_CRON_ZONE;
  return {
    compiled,
    start: (input, now, env) =>
      withDecisions(env && { now, ...env }, () =>
        settle(
          machine,
          compiled,
          () =>
            pureInitialTransition(machine, {
              variables: input.variables ?? {},
              ...(input.startEvent ? { startEvent: input.startEvent } : {}),
            }),
          null,
          now,
          zone,
        ),
      ),
    step: (snapshot, event, now, env) =>
      withDecisions(env && { now, ...env }, () => {
        const persisted = asPersisted(snapshot);
        const value = upgradeCompensationValue(compiled.config, compiled.processId, persisted.value);
        const restored = machine.resolveState({ ...persisted, value } as never);
        if (event.type === 'call.incident') return calledIncident(machine, compiled, restored, event);
        const stalled =
          event.type === 'incident.retry'
            ? (restored.context as InstanceContext).stalled?.[event.elementId]
            : undefined;
        if (stalled && event.type === 'incident.retry')
          return replay(machine, compiled, restored, event, stalled as unknown as EngineEvent, now, zone);
        return settle(
          machine,
          compiled,
          () => pureTransition(machine, restored, event),
          { restored, event },
          now,
          zone,
        );
      }),
    scopeAt: (snapshot, elementId, activationId) => scopeOf(contextOf(asPersisted(snapshot)), elementId, activationId),
  };
}

// helpers

interface Persisted {
  status: string;
  value: unknown;
  context: InstanceContext;
  [key: string]: unknown;
}
type Transition = () => [AnyMachineSnapshot, readonly unknown[]];

/**
 * Runs a transition and settles it: effects planned, incidents the planning raised recorded in the
 * context (a machine event, so the next step knows), and a machine that fails (an exception or a
 * snapshot in status `error`) turned into an incident at the element, leaving the previous state; a failed
 * listener's incident keeps the step's event for its retry (`replay`). `before` comes first among the effects.
 */
function settle(
  machine: AnyStateMachine,
  compiled: CompiledProcess,
  run: Transition,
  previous: { restored: AnyMachineSnapshot; event: EngineEvent } | null,
  now: string,
  zone: string,
  before: Effect[] = [],
): MachineOutcome {
  let next: AnyMachineSnapshot;
  let effects: Effect[];
  try {
    const [snapshot, actions] = run();
    if (snapshot.status === 'error') throw snapshot.error;
    const watched = watchConditions(machine, compiled.conditionals ?? [], snapshot);
    if (watched.snapshot.status === 'error') throw watched.snapshot.error;
    next = watched.snapshot;
    effects = planEffects([...actions, ...watched.actions] as ReturnedAction[], now, zone);
  } catch (err) {
    // a start is refused whole; so is a task's completion, which Camunda 7 rolls back (the task stays open)
    if (!previous || (err instanceof ListenerFailure && previous.event.type === 'task.completed')) throw err;
    next = previous.restored;
    if (err instanceof ListenerFailure) {
      effects = [{ type: 'incident.raise', elementId: err.elementId, code: 'EXPRESSION_FAILED', message: err.message }];
      next = pureTransition(machine, next, { type: 'svc.stalled', elementId: err.elementId, event: previous.event })[0];
    } else effects = [machineFailure(compiled, previous.restored, previous.event, err)];
  }
  if (previous) effects.push(...stepFailureRetried(previous.restored, previous.event, effects));
  const recorded = recordIncidents(machine, next, [...before, ...effects]);
  return outcome(machine, compiled, recorded, [...before, ...effects], previous?.event ?? null);
}

/**
 * Retrying the incident of a step a listener failed runs that step again, on the retry's variables: its
 * incident resolved, and raised anew (the step still not applied) when the listener fails once more.
 */
function replay(
  machine: AnyStateMachine,
  compiled: CompiledProcess,
  restored: AnyMachineSnapshot,
  retry: Extract<EngineEvent, { type: 'incident.retry' }>,
  stalled: EngineEvent,
  now: string,
  zone: string,
): MachineOutcome {
  let base = pureTransition(machine, restored, { type: 'svc.stalled', elementId: retry.elementId, event: null })[0];
  if (retry.variables && Object.keys(retry.variables).length > 0)
    base = pureTransition(machine, base, { type: 'variables.set', variables: retry.variables })[0];
  const resolve: Effect = { type: 'incident.resolve', elementId: retry.elementId };
  return settle(
    machine,
    compiled,
    () => pureTransition(machine, base, stalled),
    { restored: base, event: stalled },
    now,
    zone,
    [resolve],
  );
}

/** A called instance's incidents open or close the call activity's own mark in the context; no transition runs. */
function calledIncident(
  machine: AnyStateMachine,
  compiled: CompiledProcess,
  restored: AnyMachineSnapshot,
  event: Extract<EngineEvent, { type: 'call.incident' }>,
): MachineOutcome {
  const current = (restored.context as InstanceContext).incidents?.[event.elementId];
  const changes: Array<{ elementId: string; code: IncidentCode | null }> = [];
  if (event.open && current === undefined)
    changes.push({ elementId: event.elementId, code: 'CALLED_INSTANCE_INCIDENT' });
  if (!event.open && current === 'CALLED_INSTANCE_INCIDENT') changes.push({ elementId: event.elementId, code: null });
  const next =
    changes.length === 0 || restored.status === 'done'
      ? restored
      : pureTransition(machine, restored, { type: 'svc.incidents', changes })[0];
  return outcome(machine, compiled, next, [], event);
}

/** Incidents raised and resolved by a step go into the context through the machine's own `svc.incidents` event. */
function recordIncidents(
  machine: AnyStateMachine,
  snapshot: AnyMachineSnapshot,
  effects: Effect[],
): AnyMachineSnapshot {
  const changes = effects.flatMap((e): Array<{ elementId: string; code: IncidentCode | null }> => {
    if (e.type === 'incident.raise') return [{ elementId: e.elementId, code: e.code }];
    return e.type === 'incident.resolve' ? [{ elementId: e.elementId, code: null }] : [];
  });
  if (changes.length === 0 || snapshot.status === 'done') return snapshot;
  return pureTransition(machine, snapshot, { type: 'svc.incidents', changes })[0];
}

function outcome(
  machine: AnyStateMachine,
  compiled: CompiledProcess,
  snapshot: AnyMachineSnapshot,
  effects: Effect[],
  event: EngineEvent | null,
): MachineOutcome {
  const stored = JSON.parse(JSON.stringify(machine.getPersistedSnapshot(snapshot))) as Persisted;
  const context = contextOf(stored);
  const done = stored.status === 'done';
  const status: MachineStatus = done
    ? event?.type === 'instance.cancel'
      ? 'terminated'
      : 'completed'
    : stored.status === 'error' || Object.keys(context.incidents ?? {}).length > 0
      ? 'incident'
      : 'active';
  return {
    snapshot: stored as unknown as ProcessSnapshot,
    effects,
    status,
    activeElements: done ? [] : activeElementsOf(compiled, stored.value, context),
    variables: context.variables,
  };
}

/** Retrying a failed step resolves its incident; the machine stays where the failed step left it. */
function stepFailureRetried(snapshot: AnyMachineSnapshot, event: EngineEvent, effects: Effect[]): Effect[] {
  if (event.type !== 'incident.retry') return [];
  const incidents = (snapshot.context as InstanceContext).incidents ?? {};
  if (incidents[event.elementId] !== 'STEP_FAILED') return [];
  if (effects.some((e) => e.type === 'incident.resolve' && e.elementId === event.elementId)) return [];
  return [{ type: 'incident.resolve', elementId: event.elementId }];
}

/** The element a failing step is charged to: the event's element, else the first active one, else the process. */
function machineFailure(
  compiled: CompiledProcess,
  snapshot: AnyMachineSnapshot,
  event: EngineEvent,
  err: unknown,
): Effect {
  const active = activeElementsOf(compiled, snapshot.value);
  const elementId = 'elementId' in event ? event.elementId : (active[0] ?? compiled.processId);
  const text = err instanceof Error ? err.message : String(err);
  const code: IncidentCode = 'STEP_FAILED';
  return {
    type: 'incident.raise',
    elementId,
    code,
    message: `the step for '${event.type}' at '${elementId}' failed inside the machine: ${text}`,
  };
}

/** The BPMN elements a snapshot's state value is resting in, and the joins tokens wait at, sorted. */
export function activeElementsOf(compiled: CompiledProcess, value: unknown, context?: InstanceContext): string[] {
  const found = new Set<string>();
  for (const scope of Object.values(context?.marking ?? {})) {
    for (const flow of Object.keys(scope.flows)) if (compiled.joinFlows?.[flow]) found.add(compiled.joinFlows[flow]);
  }
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      if (compiled.activeStates[v]) found.add(compiled.activeStates[v]);
      return;
    }
    if (v && typeof v === 'object') {
      for (const [key, child] of Object.entries(v)) {
        if (compiled.activeStates[key]) found.add(compiled.activeStates[key]);
        walk(child);
      }
    }
  };
  walk(value);
  return [...found].sort();
}

/** The local variables an element holds in a persisted snapshot (its input mappings); {} when none or not a snapshot. */
export function elementLocals(snapshot: unknown, elementId: string): Record<string, unknown> {
  return isPersisted(snapshot) ? (contextOf(snapshot).locals[elementId] ?? {}) : {};
}

function asPersisted(snapshot: unknown): Persisted {
  if (!isPersisted(snapshot))
    throw new TypeError('not a persisted process snapshot (expected status, value and context)');
  return snapshot;
}

function isPersisted(snapshot: unknown): snapshot is Persisted {
  if (typeof snapshot !== 'object' || snapshot === null) return false;
  const s = snapshot as Record<string, unknown>;
  return typeof s.status === 'string' && 'value' in s && typeof s.context === 'object' && s.context !== null;
}

function contextOf(snapshot: Persisted): InstanceContext {
  const context = snapshot.context;
  return { ...context, variables: context.variables ?? {}, locals: context.locals ?? {} };
}
