/**
 * Applies a step's effects inside its transaction: task, timer, subscription, job and incident rows,
 * and the history. Notifications for live listeners are collected and published after commit.
 */
import type { Effect, EngineEvent } from '../../compile/index.js';
import type { HistoryRow, InstanceRow, StoreTx } from '../../store/index.js';
import { newId } from '../definitions.js';
import { recordBroadcast } from '../signals/broadcasts.js';

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

/** Hooks for effects another service owns (the SLA clock). */
export interface EffectHooks {
  sla?(tx: StoreTx, scope: StepScope, effect: Effect, notes: EngineNotification[]): Promise<void>;
  /** Runs once per step after the instance row is settled (final variables and status), before commit. */
  settled?(tx: StoreTx, scope: StepScope, instance: InstanceRow, notes: EngineNotification[]): Promise<void>;
}

/** Writes each effect's rows and returns the history rows to append and the notifications to publish. */
export async function applyEffects(
  tx: StoreTx,
  scope: StepScope,
  effects: Effect[],
  hooks: EffectHooks = {},
): Promise<{ history: HistoryRow[]; notes: EngineNotification[] }> {
  const history: HistoryRow[] = [];
  const notes: EngineNotification[] = [];
  const record = (
    elementId: string | null,
    elementType: string | null,
    event: string,
    details: Record<string, unknown> | null = null,
  ) =>
    history.push({ instanceId: scope.instanceId, elementId, elementType, event, at: scope.now, by: scope.by, details });
  const note = (type: string, data: Omit<EngineNotification, 'type' | 'instanceId' | 'definitionKey' | 'at'> = {}) =>
    notes.push({ type, instanceId: scope.instanceId, definitionKey: scope.definitionKey, at: scope.now, ...data });
  const slaEffects: Effect[] = [];
  for (const effect of withoutSupersededCancels(effects)) {
    switch (effect.type) {
      case 'element.entered':
      case 'element.left':
        record(effect.elementId, effect.elementType, effect.type);
        break;
      case 'task.create': {
        const id = newId();
        const t = effect.task;
        await tx.tasks.insert({
          id,
          instanceId: scope.instanceId,
          definitionKey: scope.definitionKey,
          elementId: t.elementId,
          name: t.name,
          status: 'open',
          assignee: t.assignee,
          candidateUsers: t.candidateUsers,
          candidateGroups: t.candidateGroups,
          priority: t.priority,
          due: t.due,
          followUp: t.followUp,
          formKey: t.formKey,
          inputs: t.inputs,
          createdAt: scope.now,
          endedAt: null,
          completedBy: null,
          activationId: t.activationId ?? null,
        });
        note('task.created', {
          elementId: t.elementId,
          taskId: id,
          data: { assignee: t.assignee, candidateGroups: t.candidateGroups },
        });
        break;
      }
      case 'task.cancel': {
        if (completes(scope, effect.elementId, effect.activationId)) break;
        const task = await tx.tasks.openByElement(scope.instanceId, effect.elementId, effect.activationId);
        if (task) {
          await tx.tasks.update(task.id, { status: 'cancelled', endedAt: scope.now });
          record(effect.elementId, 'userTask', 'task.cancelled', { taskId: task.id });
          note('task.cancelled', { elementId: effect.elementId, taskId: task.id });
        }
        break;
      }
      case 'timer.schedule':
        await tx.timers.insert({
          id: newId(),
          instanceId: scope.instanceId,
          elementId: effect.elementId,
          activationId: effect.activationId ?? null,
          due: effect.due,
          repeat: effect.repeat,
          lockedBy: null,
          lockedUntil: null,
        });
        break;
      case 'timer.cancel':
        await tx.timers.deleteByElement(scope.instanceId, effect.elementId, effect.activationId);
        break;
      case 'message.subscribe':
        await tx.subscriptions.insert({
          id: newId(),
          instanceId: scope.instanceId,
          elementId: effect.elementId,
          activationId: effect.activationId ?? null,
          messageName: effect.messageName,
          correlationKey: effect.correlationKey,
          createdAt: scope.now,
        });
        break;
      case 'message.unsubscribe':
        await tx.subscriptions.deleteByElement(scope.instanceId, effect.elementId, effect.activationId);
        break;
      case 'signal.subscribe':
        await tx.signals.subscribe({
          id: newId(),
          instanceId: scope.instanceId,
          elementId: effect.elementId,
          activationId: effect.activationId ?? null,
          signalName: effect.signalName,
          createdAt: scope.now,
        });
        break;
      case 'signal.unsubscribe':
        await tx.signals.unsubscribe(scope.instanceId, effect.elementId, effect.activationId);
        break;
      case 'signal.throw': {
        // the outbox row: delivered to every receiver after the commit, in batches (runtime/signals)
        const id = await recordBroadcast(tx, {
          name: effect.signalName,
          variables: effect.variables,
          thrownByInstance: scope.instanceId,
          thrownBy: scope.by,
          now: scope.now,
        });
        record(effect.elementId, null, 'signal.thrown', { signalId: id, name: effect.signalName });
        note('signal.thrown', { elementId: effect.elementId, data: { signalId: id, name: effect.signalName } });
        break;
      }
      case 'job.create':
        await tx.jobs.insert({
          id: newId(),
          instanceId: scope.instanceId,
          definitionKey: scope.definitionKey,
          elementId: effect.elementId,
          activationId: effect.activationId ?? null,
          type: effect.jobType,
          status: 'pending',
          retries: effect.retries,
          due: scope.now,
          inputs: effect.inputs,
          workerId: null,
          lockedUntil: null,
          errorMessage: null,
          createdAt: scope.now,
        });
        note('job.created', { elementId: effect.elementId, data: { jobType: effect.jobType } });
        break;
      case 'job.cancel':
        await tx.jobs.cancelByElement(scope.instanceId, effect.elementId, effect.activationId);
        break;
      case 'job.retry':
      case 'job.fail': {
        const jobId =
          scope.jobId ?? (await tx.jobs.activeByElement(scope.instanceId, effect.elementId, effect.activationId))?.id;
        if (jobId) await tx.jobs.update(jobId, jobPatch(effect));
        break;
      }
      case 'incident.raise': {
        const id = newId();
        await tx.incidents.insert({
          id,
          instanceId: scope.instanceId,
          definitionKey: scope.definitionKey,
          elementId: effect.elementId,
          code: effect.code,
          message: effect.message,
          jobId: scope.jobId,
          status: 'open',
          createdAt: scope.now,
          resolvedAt: null,
        });
        record(effect.elementId, null, 'incident.raised', {
          incidentId: id,
          code: effect.code,
          message: effect.message,
        });
        note('incident.raised', {
          elementId: effect.elementId,
          data: { incidentId: id, code: effect.code, message: effect.message },
        });
        break;
      }
      case 'incident.resolve':
        await tx.incidents.resolveByElement(scope.instanceId, effect.elementId, scope.now);
        break;
      case 'instance.terminate':
        record(effect.elementId, 'endEvent', 'instance.terminated');
        break;
      case 'sla.start':
      case 'sla.stop':
      case 'sla.pause':
      case 'sla.resume':
      case 'sla.cancel':
        slaEffects.push(effect);
        break;
      default:
        break;
    }
  }
  // SLA effects go last, in their order: an SLA starting on a user task finds the task whose due date it sets.
  for (const effect of slaEffects) await hooks.sla?.(tx, scope, effect, notes);
  return { history, notes };
}

// helpers

/** A job that runs again (pending from its due) or has failed for good; either way no worker holds it. */
function jobPatch(effect: Extract<Effect, { type: 'job.retry' | 'job.fail' }>) {
  if (effect.type === 'job.fail')
    return {
      status: 'failed' as const,
      retries: 0,
      workerId: null,
      lockedUntil: null,
      errorMessage: effect.errorMessage,
    };
  const message = effect.errorMessage === undefined ? {} : { errorMessage: effect.errorMessage };
  return {
    status: 'pending' as const,
    retries: effect.retries,
    due: effect.due,
    workerId: null,
    lockedUntil: null,
    ...message,
  };
}

/** The step completes this element's task (this activation's) itself: its exit cancels nothing there. */
function completes(scope: StepScope, elementId: string, activationId: string | undefined): boolean {
  if (scope.event?.type !== 'task.completed' || scope.event.elementId !== elementId) return false;
  return (
    activationId === undefined || scope.event.activationId === undefined || scope.event.activationId === activationId
  );
}

/** An SLA that is cancelled on exit and stopped by the completion transition in the same step was completed. */
function withoutSupersededCancels(effects: Effect[]): Effect[] {
  const stopped = new Set(
    effects.filter((e) => e.type === 'sla.stop').map((e) => (e as { elementId: string }).elementId),
  );
  if (stopped.size === 0) return effects;
  return effects.filter((e) => !(e.type === 'sla.cancel' && stopped.has(e.elementId)));
}
