/**
 * The one place a step meets the outside world: load the snapshot, run the pure transition, plan
 * its effects, and write snapshot, effects and history in ONE transaction (optimistic on version).
 */
import { DateTime } from 'luxon';
import { initialTransition, transition } from 'xstate';
import { activeElementsOf, planEffects, type Effect, type EngineEvent, type InstanceContext, type ReturnedAction } from '../compile/index.js';
import type { InstanceRow, InstanceStatus, Store, StoreTx } from '../store/index.js';
import { applyEffects, type EffectHooks, type EngineNotification, type StepScope } from './effect-executor.js';
import type { DefinitionRegistry, LoadedDefinition } from './definitions.js';
import { InstanceNotActiveError, InstanceNotFoundError } from './errors.js';
import type { Clock } from './clock.js';
import { newId } from './definitions.js';

export interface StepDeps {
  store: Store;
  registry: DefinitionRegistry;
  clock: Clock;
  hooks: EffectHooks;
  publish(notes: EngineNotification[]): void;
}

export interface StepOptions {
  by?: string | null;
  jobId?: string | null;
  /** Runs first inside the step's transaction (mark the task completed, check a lock…); may throw to abort. */
  before?(tx: StoreTx, instance: InstanceRow): Promise<void>;
  /** Runs last inside the step's transaction. */
  after?(tx: StoreTx, instance: InstanceRow): Promise<void>;
}

export interface StepResult {
  instance: InstanceRow;
  effects: Effect[];
}

/** Sends one event to one instance: a single transaction that either happens whole or not at all. */
export async function runStep(deps: StepDeps, instanceId: string, event: EngineEvent, options: StepOptions = {}): Promise<StepResult> {
  const notes: EngineNotification[] = [];
  const result = await deps.store.transaction(async (tx) => {
    const row = await tx.instances.get(instanceId);
    if (!row) throw new InstanceNotFoundError(instanceId);
    await options.before?.(tx, row);
    if (row.status === 'completed' || row.status === 'terminated') throw new InstanceNotActiveError(instanceId, row.status);
    const def = await deps.registry.load(row.definitionId, tx);
    const [next, actions] = transition(def.machine, def.machine.resolveState(row.snapshot as never), event as never);
    const now = deps.clock.now().toISOString();
    const effects = planEffects(actions as unknown as ReturnedAction[], now);
    const scope: StepScope = { instanceId, definitionKey: row.definitionKey, now, by: options.by ?? null, jobId: options.jobId ?? null, event };
    const applied = await applyEffects(tx, scope, effects, deps.hooks);
    const updated = await settle(tx, def, row, next, effects, event.type === 'instance.cancel' ? 'terminated' : 'completed', now);
    await tx.instances.save(updated, row.version);
    await tx.history.append([...eventHistory(scope, event), ...applied.history, ...endHistory(scope, updated)]);
    await deps.hooks.settled?.(tx, scope, updated, applied.notes);
    await options.after?.(tx, updated);
    notes.push(...applied.notes, ...endNotes(scope, updated));
    return { instance: { ...updated, version: row.version + 1 }, effects };
  });
  deps.publish(notes);
  return result;
}

/** Creates an instance and runs it to its first wait states, in one transaction. */
export async function startInstance(deps: StepDeps, def: LoadedDefinition, input: { variables: Record<string, unknown>; businessKey: string | null; by: string | null }): Promise<StepResult> {
  const notes: EngineNotification[] = [];
  const result = await deps.store.transaction(async (tx) => {
    const id = newId();
    const now = deps.clock.now().toISOString();
    const { variables, businessKey } = await withBusinessKey(tx, def, input, deps.clock.now());
    const [snapshot, actions] = initialTransition(def.machine, { variables });
    const effects = planEffects(actions as unknown as ReturnedAction[], now);
    const row: InstanceRow = {
      id, definitionId: def.row.id, definitionKey: def.row.key, businessKey, status: 'active',
      snapshot: {}, variables, activeElements: [], version: 1, startedAt: now, endedAt: null, startedBy: input.by,
    };
    const persisted = def.machine.getPersistedSnapshot(snapshot) as unknown as { value: unknown; context: InstanceContext; status: string };
    const incident = effects.some((e) => e.type === 'incident.raise');
    const first: InstanceRow = { ...row, snapshot: persisted, variables: persisted.context.variables, activeElements: activeElementsOf(def.compiled, persisted.value), status: incident ? 'incident' : 'active' };
    await tx.instances.insert(first);
    const scope: StepScope = { instanceId: id, definitionKey: def.row.key, now, by: input.by, jobId: null, event: null };
    const applied = await applyEffects(tx, scope, effects, deps.hooks);
    // an instance that ends at once (no wait state) is settled like any ended instance
    const updated = persisted.status === 'done' ? await settle(tx, def, first, snapshot, effects, 'completed', now) : first;
    if (updated !== first) await tx.instances.save(updated, 1);
    const started = { instanceId: id, elementId: null, elementType: null, event: 'instance.started', at: now, by: input.by, details: businessKey ? { businessKey } : null };
    await tx.history.append([started, ...applied.history, ...endHistory(scope, updated)]);
    await deps.hooks.settled?.(tx, scope, updated, applied.notes);
    notes.push({ type: 'instance.started', instanceId: id, definitionKey: def.row.key, at: now }, ...applied.notes, ...endNotes(scope, updated));
    return { instance: { ...updated, version: updated === first ? 1 : 2 }, effects };
  });
  deps.publish(notes);
  return result;
}

// helpers

/**
 * A process that declares `svc:businessKey` keeps its key in that variable: given as the business key or
 * the variable, it fills the other; given as neither, it is generated as PREFIX-yyyyMMdd-nnnn (or
 * PREFIX-yyyy-nnnn with period year; dates in Asia/Shanghai, the number from that period's sequence).
 */
async function withBusinessKey(tx: StoreTx, def: LoadedDefinition, input: { variables: Record<string, unknown>; businessKey: string | null }, now: Date): Promise<{ variables: Record<string, unknown>; businessKey: string | null }> {
  const declared = def.compiled.businessKey;
  if (!declared) return input;
  const given = input.variables[declared.variable];
  let key = typeof given === 'string' && given !== '' ? given : input.businessKey;
  if (!key) {
    const period = DateTime.fromJSDate(now, { zone: 'Asia/Shanghai' }).toFormat(declared.period === 'year' ? 'yyyy' : 'yyyyMMdd');
    const n = await tx.sequences.next(`${declared.prefix}-${period}`);
    key = `${declared.prefix}-${period}-${String(n).padStart(4, '0')}`;
  }
  return { variables: { ...input.variables, [declared.variable]: key }, businessKey: input.businessKey ?? key };
}

/** The row after a transition: snapshot, variables, active elements, and the status the rows imply. */
async function settle(tx: StoreTx, def: LoadedDefinition, row: InstanceRow, next: unknown, effects: Effect[], doneStatus: InstanceStatus, now: string): Promise<InstanceRow> {
  const persisted = def.machine.getPersistedSnapshot(next as never) as unknown as { value: unknown; context: InstanceContext; status: string };
  const done = persisted.status === 'done';
  let status: InstanceStatus = done ? doneStatus : 'active';
  // exit actions have cancelled everything a completed instance armed; a cancelled one is swept for safety
  if (done && doneStatus === 'terminated') await cleanUp(tx, row.id, now);
  else if (mayHaveIncidents(row, effects) && (await tx.incidents.openCount(row.id)) > 0) status = 'incident';
  return {
    ...row, snapshot: persisted, variables: persisted.context.variables, status,
    activeElements: done ? [] : activeElementsOf(def.compiled, persisted.value), endedAt: done ? now : null,
  };
}

/** Incidents arise only in steps (raised as effects) or from failed jobs (which set the status): no need to count otherwise. */
function mayHaveIncidents(row: InstanceRow, effects: Effect[]): boolean {
  return row.status === 'incident' || effects.some((e) => e.type === 'incident.raise' || e.type === 'incident.resolve');
}

/** An ended instance keeps no timers, subscriptions, jobs, open tasks or open incidents. */
async function cleanUp(tx: StoreTx, instanceId: string, now: string): Promise<void> {
  await tx.timers.deleteByInstance(instanceId);
  await tx.subscriptions.deleteByInstance(instanceId);
  await tx.jobs.cancelByInstance(instanceId);
  await tx.tasks.cancelOpenByInstance(instanceId, now);
  await tx.incidents.resolveOpenByInstance(instanceId, now);
}

function eventHistory(scope: StepScope, event: EngineEvent) {
  const elementId = 'elementId' in event ? event.elementId : null;
  const details: Record<string, unknown> = {};
  if ('variables' in event && event.variables && Object.keys(event.variables).length > 0) details.variables = Object.keys(event.variables);
  if (event.type === 'error.thrown') details.errorCode = event.errorCode;
  if (event.type === 'escalation.thrown') details.escalationCode = event.escalationCode;
  return [{ instanceId: scope.instanceId, elementId, elementType: null, event: event.type, at: scope.now, by: scope.by, details: Object.keys(details).length > 0 ? details : null }];
}

function endHistory(scope: StepScope, row: InstanceRow) {
  if (row.status !== 'completed' && row.status !== 'terminated') return [];
  return [{ instanceId: scope.instanceId, elementId: null, elementType: null, event: `instance.${row.status}`, at: scope.now, by: scope.by, details: null }];
}

function endNotes(scope: StepScope, row: InstanceRow): EngineNotification[] {
  if (row.status === 'active') return [];
  return [{ type: `instance.${row.status}`, instanceId: scope.instanceId, definitionKey: scope.definitionKey, at: scope.now }];
}
