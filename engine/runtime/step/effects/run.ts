/**
 * One step's working state, handed to every effect handler and every extension's `settled`: the
 * transaction, the scope, the deployed definition, the history and notifications the step collects, and
 * per-step state an extension keeps for itself (keyed by the extension), which ends with the step.
 */
import type { EffectOf, EngineEvent } from '../../../compile/index.js';
import type { HistoryRow, StoreTx } from '../../../store/index.js';
import type { LoadedDefinition } from '../../definitions.js';

export interface StepScope {
  instanceId: string;
  definitionKey: string;
  now: string;
  by: string | null;
  /** The job whose report caused this step, if any (incidents raised by it refer to it). */
  jobId: string | null;
  /** The event the step handles; null when an instance starts. */
  event: EngineEvent | null;
}

export interface EngineNotification {
  type: string;
  instanceId: string;
  definitionKey: string;
  elementId?: string;
  taskId?: string;
  at: string;
  data?: Record<string, unknown>;
}

/**
 * Work a step leaves for other instances (call activities): done after the step's own row is written, in
 * the same transaction, each a step of the instance it concerns (engine/runtime/step/calls.ts).
 */
export type FollowUp =
  | { kind: 'call.start'; effect: EffectOf<'call.start'> }
  | { kind: 'call.cancel'; effect: EffectOf<'call.cancel'> }
  | { kind: 'call.uncaught'; effect: EffectOf<'call.uncaught'> };

export interface StepRun {
  readonly tx: StoreTx;
  readonly scope: StepScope;
  /** The definition version the instance runs. */
  readonly definition: LoadedDefinition;
  /** The instance's snapshot before the step; null when the step starts it. */
  readonly previousSnapshot: unknown | null;
  /** History rows the effects add, appended with the step's own history. */
  readonly history: HistoryRow[];
  /** Notifications published after the commit. */
  readonly notes: EngineNotification[];
  /** State an extension keeps for this step only, created on first use. */
  state<T>(owner: object, init: () => T): T;
  /** Work on other instances, done once this step's row is written, in its transaction. */
  readonly followUps: FollowUp[];
}

export function newRun(
  tx: StoreTx,
  scope: StepScope,
  definition: LoadedDefinition,
  previousSnapshot: unknown | null = null,
): StepRun {
  const states = new Map<object, unknown>();
  return {
    tx,
    scope,
    definition,
    previousSnapshot,
    history: [],
    notes: [],
    followUps: [],
    state<T>(owner: object, init: () => T): T {
      if (!states.has(owner)) states.set(owner, init());
      return states.get(owner) as T;
    },
  };
}

/** Adds a history row of the step's instance. */
export function record(
  run: StepRun,
  elementId: string | null,
  elementType: string | null,
  event: string,
  details: Record<string, unknown> | null = null,
): void {
  const { scope } = run;
  run.history.push({
    instanceId: scope.instanceId,
    elementId,
    elementType,
    event,
    at: scope.now,
    by: scope.by,
    details,
  });
}

/** Adds a notification about the step's instance, published after the commit. */
export function note(
  run: StepRun,
  type: string,
  data: Omit<EngineNotification, 'type' | 'instanceId' | 'definitionKey' | 'at'> = {},
): void {
  const { scope } = run;
  run.notes.push({ type, instanceId: scope.instanceId, definitionKey: scope.definitionKey, at: scope.now, ...data });
}
