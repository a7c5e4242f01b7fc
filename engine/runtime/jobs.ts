/**
 * Jobs of service and send tasks: fetched and locked by workers (in-process handlers or external
 * workers over HTTP), completed, failed with retries and backoff, or answered with a BPMN error.
 */
import type { IncidentRow, JobRow } from '../store/index.js';
import { JobNotFoundError, JobNotLockedError } from './errors.js';
import { newId } from './definitions.js';
import { runStep, type StepDeps } from './step.js';
import { checkInstanceVariables, checkVariables } from './variables.js';

export interface JobContext {
  job: JobRow;
  /** The instance's variables when the job was fetched. */
  variables: Record<string, unknown>;
  /**
   * `<job id>:<retries left>`: the same for every run of one attempt (a node died and the lock was taken
   * over), new for each retry after a reported failure. A handler with side effects keys them by it.
   */
  idempotencyKey: string;
}

/** An in-process worker: returns variables to complete the job, or throws (a BpmnError to throw a BPMN error). */
export type JobHandler = (ctx: JobContext) => Promise<Record<string, unknown> | void> | Record<string, unknown> | void;

/** Thrown by a handler to raise a BPMN error at the job's task. */
export class BpmnError extends Error {
  constructor(readonly errorCode: string, message = errorCode, readonly variables: Record<string, unknown> = {}) {
    super(message);
    this.name = 'BpmnError';
  }
}

/** How long a fetched job stays locked unless its worker asks otherwise; a dead worker's job is taken over after it. */
export const DEFAULT_LOCK_MS = 60_000;

export class JobService {
  readonly handlers = new Map<string, JobHandler>();

  /** lockMs: the lock of in-process handlers' jobs, renewed every third of it while the handler runs. */
  constructor(private readonly deps: StepDeps, private readonly logger?: { warn(o: unknown, m?: string): void }, readonly lockMs = DEFAULT_LOCK_MS) {}

  registerHandler(type: string, handler: JobHandler): void {
    this.handlers.set(type, handler);
  }

  /** Locks up to maxJobs due jobs of the given types for a worker. */
  async fetchAndLock(workerId: string, types: string[], maxJobs: number, lockMs = DEFAULT_LOCK_MS): Promise<Array<JobContext>> {
    const now = this.deps.clock.now();
    const jobs = await this.deps.store.transaction((tx) => tx.jobs.fetchAndLock(types, workerId, now.toISOString(), new Date(now.getTime() + lockMs).toISOString(), maxJobs));
    const result: JobContext[] = [];
    for (const job of jobs) {
      const instance = await this.deps.store.instances.get(job.instanceId);
      result.push({ job, variables: instance?.variables ?? {}, idempotencyKey: `${job.id}:${job.retries}` });
    }
    return result;
  }

  /** Completes a locked job and moves its instance on; `by` (the worker's user or token) goes into the history. */
  async complete(jobId: string, workerId: string, variables: unknown, by: string | null = null): Promise<void> {
    const vars = checkVariables(variables);
    const job = await this.lockedJob(jobId, workerId);
    checkInstanceVariables((await this.deps.store.instances.get(job.instanceId))?.variables ?? {}, vars);
    await runStep(this.deps, job.instanceId, { type: 'job.completed', elementId: job.elementId, variables: vars }, {
      jobId,
      by,
      before: async (tx) => {
        await this.lockedJob(jobId, workerId, tx.jobs);
        await tx.jobs.update(jobId, { status: 'completed', lockedUntil: null });
      },
    });
  }

  /** Records a failure: retried after a backoff while retries remain, then an incident. */
  async fail(jobId: string, workerId: string, input: { message: string; retries?: number; retryBackoffMs?: number }, by: string | null = null): Promise<JobRow> {
    const job = await this.lockedJob(jobId, workerId);
    const retries = Math.max(0, input.retries ?? job.retries - 1);
    const now = this.deps.clock.now();
    if (retries > 0) {
      const backoff = input.retryBackoffMs ?? backoffMs(job.retries - retries);
      const patch = { status: 'pending' as const, retries, due: new Date(now.getTime() + backoff).toISOString(), workerId: null, lockedUntil: null, errorMessage: input.message };
      await this.deps.store.jobs.update(jobId, patch);
      return { ...job, ...patch };
    }
    await this.deps.store.transaction(async (tx) => {
      const row = await tx.instances.get(job.instanceId);
      await tx.jobs.update(jobId, { status: 'failed', retries: 0, workerId: null, lockedUntil: null, errorMessage: input.message });
      await tx.incidents.insert({
        id: newId(), instanceId: job.instanceId, definitionKey: job.definitionKey, elementId: job.elementId, code: 'JOB_FAILED',
        message: `job '${job.type}' of '${job.elementId}' failed and has no retries left: ${input.message}`, jobId, status: 'open', createdAt: now.toISOString(), resolvedAt: null,
      });
      await tx.history.append([{ instanceId: job.instanceId, elementId: job.elementId, elementType: null, event: 'incident.raised', at: now.toISOString(), by, details: { code: 'JOB_FAILED', jobId } }]);
      if (row && row.status === 'active') await tx.instances.save({ ...row, status: 'incident' }, row.version);
    });
    this.deps.publish([{ type: 'incident.raised', instanceId: job.instanceId, definitionKey: job.definitionKey, elementId: job.elementId, at: now.toISOString(), data: { code: 'JOB_FAILED' } }]);
    return { ...job, status: 'failed', retries: 0 };
  }

  /** A worker's BPMN error: caught by a boundary event of the task (or an enclosing sub-process), else an incident. */
  async throwError(jobId: string, workerId: string, input: { errorCode: string; message?: string; variables?: unknown }, by: string | null = null): Promise<void> {
    const vars = checkVariables(input.variables);
    const job = await this.lockedJob(jobId, workerId);
    await runStep(this.deps, job.instanceId, { type: 'error.thrown', elementId: job.elementId, errorCode: input.errorCode, message: input.message, variables: vars }, {
      jobId,
      by,
      before: async (tx) => {
        await tx.jobs.update(jobId, { status: 'failed', lockedUntil: null, workerId: null, errorMessage: `BPMN error '${input.errorCode}'${input.message ? `: ${input.message}` : ''}` });
      },
    });
  }

  /** Gives a failed job its retries back and resolves its incident. */
  async retry(incident: IncidentRow, retries: number, variables: Record<string, unknown>, by: string | null): Promise<void> {
    const now = this.deps.clock.now().toISOString();
    await this.deps.store.transaction(async (tx) => {
      await tx.jobs.update(incident.jobId!, { status: 'pending', retries: Math.max(1, retries), due: now, workerId: null, lockedUntil: null });
      await tx.incidents.resolve(incident.id, now);
      await tx.history.append([{ instanceId: incident.instanceId, elementId: incident.elementId, elementType: null, event: 'incident.resolved', at: now, by, details: { incidentId: incident.id } }]);
      const row = await tx.instances.get(incident.instanceId);
      if (row && row.status === 'incident' && (await tx.incidents.openCount(row.id)) === 0) {
        const vars = Object.keys(variables).length > 0 ? { ...row.variables, ...variables } : row.variables;
        const snapshot = row.snapshot as { context?: { variables?: unknown } };
        await tx.instances.save({ ...row, status: 'active', variables: vars, snapshot: { ...snapshot, context: { ...snapshot.context, variables: vars } } }, row.version);
      }
    });
  }

  /** Runs due jobs of the registered in-process handlers; returns how many ran. */
  async runHandlers(workerId: string): Promise<number> {
    if (this.handlers.size === 0) return 0;
    const batch = await this.fetchAndLock(workerId, [...this.handlers.keys()], 20, this.lockMs);
    for (const ctx of batch) await this.runOne(workerId, ctx);
    return batch.length;
  }

  // helpers

  private async runOne(workerId: string, ctx: JobContext): Promise<void> {
    const renewal = this.renewWhileRunning(ctx.job.id, workerId);
    try {
      const result = await this.runHandler(ctx).finally(() => clearInterval(renewal));
      await this.complete(ctx.job.id, workerId, result ?? {});
    } catch (err) {
      if (err instanceof BpmnError) {
        await this.throwError(ctx.job.id, workerId, { errorCode: err.errorCode, message: err.message, variables: err.variables }).catch((e) => this.logger?.warn({ err: e }, 'BPMN error not delivered'));
        return;
      }
      this.logger?.warn({ err, jobId: ctx.job.id, type: ctx.job.type }, 'in-process job handler failed');
      await this.fail(ctx.job.id, workerId, { message: err instanceof Error ? err.message : String(err) }).catch(() => undefined);
    }
  }

  private async runHandler(ctx: JobContext): Promise<Record<string, unknown> | void> {
    return this.handlers.get(ctx.job.type)!(ctx);
  }

  // A long handler keeps its lock: renewed every third of the lock duration while it runs.
  private renewWhileRunning(jobId: string, workerId: string): NodeJS.Timeout {
    const renewal = setInterval(() => {
      const until = new Date(this.deps.clock.now().getTime() + this.lockMs).toISOString();
      this.deps.store.jobs.renewLock(jobId, workerId, until).catch((err) => this.logger?.warn({ err, jobId }, 'job lock not renewed'));
    }, Math.max(1000, this.lockMs / 3));
    renewal.unref();
    return renewal;
  }

  private async lockedJob(jobId: string, workerId: string, jobs = this.deps.store.jobs): Promise<JobRow> {
    const job = await jobs.get(jobId);
    if (!job) throw new JobNotFoundError(jobId);
    if (job.status !== 'locked' || job.workerId !== workerId) throw new JobNotLockedError(jobId, workerId);
    return job;
  }
}

/** 5 s, 10 s, 20 s … capped at 10 minutes. */
function backoffMs(attempt: number): number {
  return Math.min(5_000 * 2 ** Math.max(0, attempt - 1), 600_000);
}
