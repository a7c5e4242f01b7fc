/**
 * The one place a step meets the outside world: load the snapshot, let the definition's
 * ProcessMachine take the event, and write snapshot, effects and history in ONE transaction
 * (optimistic on version). Starting an instance is the same step with no row before it.
 */
import { DateTime } from 'luxon';
import { ListenerFailure, type Effect, type EngineEvent, type MachineOutcome } from '../../compile/index.js';
import type { HistoryRow, InstanceRow, Store, StoreTx } from '../../store/index.js';
import type { EffectRegistry, EngineNotification, StepScope } from './effect-executor.js';
import { newRun, type FollowUp, type StepRun } from './effects/run.js';
import { followCalls } from './calls.js';
import type { SettledHandler } from './extension.js';
import type { DefinitionRegistry, LoadedDefinition } from '../definitions.js';
import {
  InstanceNotActiveError,
  InstanceSuspendedError,
  InstanceNotFoundError,
  ListenerFailedError,
  NoneStartEventMissingError,
} from '../errors.js';
import type { Clock } from '../clock.js';
import { newId } from '../definitions.js';
import { checkSteppedVariables } from '../variables.js';

export interface StepDeps {
  store: Store;
  registry: DefinitionRegistry;
  clock: Clock;
  /** The installation's zone (EngineConfig.zone): the dates of generated business keys. */
  zone: string;
  /** The handler of each effect kind. */
  effects: EffectRegistry;
  /** What attached services do in every step once its instance row is settled, in order. */
  settled: SettledHandler[];
  publish(notes: EngineNotification[]): void;
}

/**
 * What must hold before a command's step may run, checked first inside its transaction on the instance row as
 * read (the job still locked by its worker, the timer still leased here, the task still open); throws to
 * refuse the step, and may claim what it checked (mark the task completed) in the same transaction.
 */
export type Precondition = (tx: StoreTx, instance: InstanceRow) => Promise<void>;

/**
 * A command to the step: who sends it, the job it reports on, and the work it declares inside the step —
 * its preconditions, and handlers of the same kind services attach through Engine.extend (`settled`), run
 * at one of two points of the command's own step: `settled` after the extensions' once its row is settled,
 * `concluded` once the steps it caused in other instances (a call activity's child started, cancelled or
 * ended) are applied too. Both run in the step's transaction, before commit, and may throw to undo it all.
 */
export interface StepOptions {
  by?: string | null;
  jobId?: string | null;
  /** Checked in order, first inside the step's transaction; any may throw to refuse the step. */
  preconditions?: readonly Precondition[];
  /** The command's own work once its step's row is settled, in order (not in the steps it causes elsewhere). */
  settled?: readonly SettledHandler[];
  /**
   * The command's own work last in the transaction, in order, given its step's run and the instance as the
   * steps it caused in other instances left it (read again when there were any).
   */
  concluded?: readonly SettledHandler[];
}

export interface StepResult {
  instance: InstanceRow;
  effects: Effect[];
}

/** The events a suspended instance still takes. */
const PASS_SUSPENSION: ReadonlySet<string> = new Set(['instance.cancel', 'call.incident']);

/** Sends one event to one instance: a single transaction that either happens whole or not at all. */
export function runStep(
  deps: StepDeps,
  instanceId: string,
  event: EngineEvent,
  options: StepOptions = {},
): Promise<StepResult> {
  return commit(deps, options, (tx) => prepareStep(deps, tx, instanceId, event, options));
}

/** Loads an instance and lets its machine take the event (nothing written yet). */
async function prepareStep(
  deps: StepDeps,
  tx: StoreTx,
  instanceId: string,
  event: EngineEvent,
  options: StepOptions,
): Promise<Prepared> {
  const row = await tx.instances.get(instanceId);
  if (!row) throw new InstanceNotFoundError(instanceId);
  // the one suspension rule: nothing moves a suspended instance on but its cancellation (and the mirror of a
  // called instance's incidents, which moves no token)
  if (row.suspended && !PASS_SUSPENSION.has(event.type)) throw new InstanceSuspendedError(instanceId);
  for (const precondition of options.preconditions ?? []) await precondition(tx, row);
  if (row.status === 'completed' || row.status === 'terminated')
    throw new InstanceNotActiveError(instanceId, row.status);
  // the one suspension rule: nothing moves a suspended instance on but its cancellation (and the mirror of a
  // called instance's incidents, which moves no token)
  if (row.suspended && !PASS_SUSPENSION.has(event.type)) throw new InstanceSuspendedError(instanceId);
  const def = await deps.registry.load(row.definitionId, tx);
  const now = deps.clock.now().toISOString();
  const scope: StepScope = {
    instanceId,
    definitionKey: row.definitionKey,
    now,
    by: options.by ?? null,
    jobId: options.jobId ?? null,
    event,
  };
  const env = await deps.registry.decisions.envFor(def.compiled, tx);
  return {
    row,
    def,
    fresh: false,
    scope,
    outcome: def.machine.step(row.snapshot, event, now, env),
    opening: eventHistory(scope, event),
  };
}

/**
 * Creates an instance and runs it to its first wait states, in one transaction: at `startEvent` (a message,
 * signal or timer start event) when given, else at the none start event. The start declares its work as
 * any command does (`settled`, `concluded`; a start has no row to check preconditions on).
 */
export function startInstance(
  deps: StepDeps,
  def: LoadedDefinition,
  input: StartInput & Pick<StepOptions, 'settled' | 'concluded'>,
): Promise<StepResult> {
  if (!input.startEvent && !def.compiled.noneStartEvent)
    return Promise.reject(new NoneStartEventMissingError(def.row.id));
  const { by, settled, concluded } = input;
  return commit(deps, { by, settled, concluded }, (tx) => prepareStart(deps, tx, def, input));
}

/** What starts an instance: its variables, business key, starter, start event, and the call that started it. */
export interface StartInput {
  variables: Record<string, unknown>;
  businessKey: string | null;
  by: string | null;
  startEvent?: string;
  /** The call activity whose step starts this instance (a called instance). */
  caller?: CallerLink;
}

/** A called instance's link to the call activity that started it. */
export interface CallerLink {
  parentInstanceId: string;
  rootInstanceId: string;
  elementId: string;
  activationId: string | null;
}

/** One step applied inside a transaction: the row before and after it, and the work it left for other instances. */
export interface AppliedStep {
  before: InstanceRow;
  instance: InstanceRow;
  by: string | null;
  /** When the step happened. */
  at: string;
  followUps: FollowUp[];
  /** The step raised or resolved incidents of its instance, or ended it (its callers mirror them). */
  incidentsChanged: boolean;
}

/** Steps of other instances inside a transaction already open (the call activity cascade). */
export interface NestedSteps {
  step(instanceId: string, event: EngineEvent, by: string | null): Promise<AppliedStep>;
  start(def: LoadedDefinition, input: StartInput): Promise<AppliedStep>;
}

// helpers

/** What a step or a start computed before anything is written. */
interface Prepared {
  /** The row before the step (for a start: the new row, not yet inserted). */
  row: InstanceRow;
  def: LoadedDefinition;
  fresh: boolean;
  scope: StepScope;
  outcome: MachineOutcome;
  opening: HistoryRow[];
}

/** Builds a new instance row and runs its machine to its first wait states (nothing written yet). */
async function prepareStart(deps: StepDeps, tx: StoreTx, def: LoadedDefinition, input: StartInput): Promise<Prepared> {
  const now = deps.clock.now().toISOString();
  const { variables, businessKey } = await withBusinessKey(tx, def, input, deps.clock.now(), deps.zone);
  const caller = input.caller;
  const row: InstanceRow = {
    id: newId(),
    definitionId: def.row.id,
    definitionKey: def.row.key,
    businessKey,
    status: 'active',
    snapshot: {},
    variables,
    activeElements: [],
    version: 1,
    startedAt: now,
    endedAt: null,
    startedBy: input.by,
    parentInstanceId: caller?.parentInstanceId ?? null,
    rootInstanceId: caller?.rootInstanceId ?? null,
    callerElementId: caller?.elementId ?? null,
    callerActivationId: caller?.activationId ?? null,
  };
  const scope: StepScope = {
    instanceId: row.id,
    definitionKey: def.row.key,
    now,
    by: input.by,
    jobId: null,
    event: null,
  };
  const details = {
    ...(businessKey ? { businessKey } : {}),
    ...(input.startEvent ? { startEvent: input.startEvent } : {}),
    ...(caller ? { parentInstanceId: caller.parentInstanceId, callActivity: caller.elementId } : {}),
  };
  const started: HistoryRow = {
    instanceId: row.id,
    elementId: input.startEvent ?? null,
    elementType: null,
    event: 'instance.started',
    at: now,
    by: input.by,
    details: Object.keys(details).length > 0 ? details : null,
  };
  const env = await deps.registry.decisions.envFor(def.compiled, tx);
  return {
    row,
    def,
    fresh: true,
    scope,
    outcome: def.machine.start({ variables, startEvent: input.startEvent }, now, env),
    opening: [started],
  };
}

/**
 * The shared second half of every step, in one transaction: the step itself (effects, the instance row,
 * history, hooks), then the steps it causes in other instances (a call activity's child started or
 * cancelled, a child's end handed back), then the command's `concluded` work, which sees the instance as
 * all of them left it.
 */
async function commit(
  deps: StepDeps,
  options: StepOptions,
  prepare: (tx: StoreTx) => Promise<Prepared>,
): Promise<StepResult> {
  const notes: EngineNotification[] = [];
  const result = await transactionOf(deps, async (tx) => {
    const prepared = await prepare(tx);
    const { applied: first, run } = await apply(deps, tx, prepared, notes, options.settled);
    const nested: NestedSteps = {
      step: async (instanceId, event, by) =>
        (await apply(deps, tx, await prepareStep(deps, tx, instanceId, event, { by }), notes)).applied,
      start: async (def, input) => (await apply(deps, tx, await prepareStart(deps, tx, def, input), notes)).applied,
    };
    const cascaded = await followCalls(deps.registry, tx, nested, first);
    const instance = cascaded ? ((await tx.instances.get(first.instance.id)) ?? first.instance) : first.instance;
    for (const concluded of options.concluded ?? []) await concluded(run, instance);
    return { instance, effects: prepared.outcome.effects };
  });
  deps.publish(notes);
  return result;
}

/** The store's transaction; a listener that failed where the step is refused whole answers LISTENER_FAILED. */
async function transactionOf<T>(deps: StepDeps, work: (tx: StoreTx) => Promise<T>): Promise<T> {
  try {
    return await deps.store.transaction(work);
  } catch (err) {
    if (err instanceof ListenerFailure) throw new ListenerFailedError(err.elementId, err.expression, err.message);
    throw err;
  }
}

/** One step inside the transaction: effects, the instance row, history, the settled work of services, then the command's. */
async function apply(
  deps: StepDeps,
  tx: StoreTx,
  { row, def, fresh, scope, outcome, opening }: Prepared,
  notes: EngineNotification[],
  declared: readonly SettledHandler[] = [],
): Promise<{ applied: AppliedStep; run: StepRun }> {
  const updated = settledRow(row, outcome, scope.now);
  checkSteppedVariables(fresh ? null : row.variables, updated.variables);
  if (fresh) await tx.instances.insert(updated);
  const run = newRun(tx, scope, def, fresh ? null : row.snapshot);
  await deps.effects.apply(run, outcome.effects);
  // exit actions have cancelled everything a completed instance armed; a cancelled one is swept for safety
  if (updated.status === 'terminated') await cleanUp(tx, row.id, scope.now);
  const history = asModelled(def, [...opening, ...run.history, ...endHistory(scope, updated)]);
  if (fresh) await tx.history.append(history);
  else await tx.instances.save(updated, row.version, history);
  for (const settled of deps.settled) await settled(run, updated);
  for (const settled of declared) await settled(run, updated);
  if (fresh)
    notes.push({ type: 'instance.started', instanceId: row.id, definitionKey: row.definitionKey, at: scope.now });
  notes.push(...asModelled(def, run.notes), ...endNotes(scope, updated));
  const applied: AppliedStep = {
    before: row,
    instance: { ...updated, version: fresh ? 1 : row.version + 1 },
    by: scope.by,
    at: scope.now,
    followUps: run.followUps,
    incidentsChanged:
      updated.status === 'terminated' ||
      updated.status === 'completed' ||
      outcome.effects.some((e) => e.type === 'incident.raise' || e.type === 'incident.resolve'),
  };
  return { applied, run };
}

/** The row after a step: what the machine says of the snapshot, the variables, the active elements and the status. */
function settledRow(row: InstanceRow, outcome: MachineOutcome, now: string): InstanceRow {
  const ended = outcome.status === 'completed' || outcome.status === 'terminated';
  return {
    ...row,
    snapshot: outcome.snapshot,
    variables: outcome.variables,
    status: outcome.status,
    activeElements: outcome.activeElements,
    endedAt: ended ? now : null,
  };
}

/**
 * A process that declares `svc:businessKey` keeps its key in that variable: given as the business key or
 * the variable, it fills the other; given as neither, it is generated as PREFIX-yyyyMMdd-nnnn (or
 * PREFIX-yyyy-nnnn with period year; dates in the installation's zone, the number from that period's sequence).
 */
async function withBusinessKey(
  tx: StoreTx,
  def: LoadedDefinition,
  input: { variables: Record<string, unknown>; businessKey: string | null },
  now: Date,
  zone: string,
): Promise<{ variables: Record<string, unknown>; businessKey: string | null }> {
  const declared = def.compiled.businessKey;
  if (!declared) return input;
  const given = input.variables[declared.variable];
  let key = typeof given === 'string' && given !== '' ? given : input.businessKey;
  if (!key) {
    const period = DateTime.fromJSDate(now, { zone }).toFormat(declared.period === 'year' ? 'yyyy' : 'yyyyMMdd');
    const n = await tx.sequences.next(`${declared.prefix}-${period}`);
    key = `${declared.prefix}-${period}-${String(n).padStart(4, '0')}`;
  }
  return { variables: { ...input.variables, [declared.variable]: key }, businessKey: input.businessKey ?? key };
}

/** An ended instance keeps no timers, subscriptions, jobs, open tasks or open incidents. */
async function cleanUp(tx: StoreTx, instanceId: string, now: string): Promise<void> {
  await tx.timers.deleteByInstance(instanceId);
  await tx.subscriptions.deleteByInstance(instanceId);
  await tx.signals.unsubscribeInstance(instanceId);
  await tx.jobs.cancelByInstance(instanceId);
  await tx.tasks.cancelOpenByInstance(instanceId, now);
  await tx.incidents.resolveOpenByInstance(instanceId, now);
}

/** History rows and notifications name the BPMN element, not the compiler-made one standing for part of it. */
function asModelled<T extends { elementId?: string | null }>(def: LoadedDefinition, rows: T[]): T[] {
  const owners = def.compiled.elementOwners;
  if (!owners) return rows;
  return rows.map((r) => (r.elementId && owners[r.elementId] ? { ...r, elementId: owners[r.elementId] } : r));
}

function eventHistory(scope: StepScope, event: EngineEvent): HistoryRow[] {
  const elementId = 'elementId' in event ? event.elementId : null;
  const details: Record<string, unknown> = {};
  if ('variables' in event && event.variables && Object.keys(event.variables).length > 0)
    details.variables = Object.keys(event.variables);
  if (event.type === 'error.thrown') details.errorCode = event.errorCode;
  if (event.type === 'escalation.thrown') details.escalationCode = event.escalationCode;
  if (event.type === 'job.failed') Object.assign(details, { message: event.message, retries: event.retries });
  return [
    {
      instanceId: scope.instanceId,
      elementId,
      elementType: null,
      event: event.type,
      at: scope.now,
      by: scope.by,
      details: Object.keys(details).length > 0 ? details : null,
    },
  ];
}

function endHistory(scope: StepScope, row: InstanceRow): HistoryRow[] {
  if (row.status !== 'completed' && row.status !== 'terminated') return [];
  return [
    {
      instanceId: scope.instanceId,
      elementId: null,
      elementType: null,
      event: `instance.${row.status}`,
      at: scope.now,
      by: scope.by,
      details: null,
    },
  ];
}

function endNotes(scope: StepScope, row: InstanceRow): EngineNotification[] {
  if (row.status === 'active') return [];
  return [
    { type: `instance.${row.status}`, instanceId: scope.instanceId, definitionKey: scope.definitionKey, at: scope.now },
  ];
}
