/**
 * Jobs of service and send tasks: fetched and locked by workers (in-process handlers or external
 * workers over HTTP), completed, failed with retries and backoff, or answered with a BPMN error.
 */
import type { JobRow } from '../store/index.js';
import { JobNotFoundError, JobNotLockedError } from './errors.js';
import { runStep, type StepDeps } from './step.js';
import { checkVariables } from './variables.js';

export interface JobContext {
  job: JobRow;
  /** The instance's variables when the job was fetched. */
  variables: Record<string, unknown>;
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

export const DEFAULT_LOCK_MS = 5 * 60_000;

export class JobService {
  readonly handlers = new Map<string, JobHandler>();

  constructor(private readonly deps: StepDeps, private readonly logger?: { warn(o: unknown, m?: string): void }) {}

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
      result.push({ job, variables: instance?.variables ?? {} });
    }
    return result;
  }

  /** Completes a locked job and moves its instance on; `by` (the worker's user or token) goes into the history. */
  async complete(jobId: string, workerId: string, variables: unknown, by: string | null = null): Promise<void> {
    const vars = checkVariables(variables);
    const job = await this.lockedJob(jobId, workerId);
    await runStep(this.deps, job.instanceId, { type: 'job.completed', elementId: job.elementId, variables: vars }, {
      jobId,
      by,
      before: async (tx) => {
        await this.lockedJob(jobId, workerId, tx.jobs);
        await tx.jobs.update(jobId, { status: 'completed', lockedUntil: null });
      },
    });
  }

  /** Reports a failure to the machine (`job.failed`): retried after a backoff while retries remain, then an incident. */
  async fail(jobId: string, workerId: string, input: { message: string; retries?: number; retryBackoffMs?: number }, by: string | null = null): Promise<JobRow> {
    const job = await this.lockedJob(jobId, workerId);
    const retries = Math.max(0, input.retries ?? job.retries - 1);
    const retryBackoffMs = input.retryBackoffMs ?? backoffMs(job.retries - retries);
    await runStep(this.deps, job.instanceId, { type: 'job.failed', elementId: job.elementId, message: input.message, retries, retryBackoffMs }, {
      jobId,
      by,
      before: async (tx) => {
        await this.lockedJob(jobId, workerId, tx.jobs);
      },
    });
    return (await this.deps.store.jobs.get(jobId)) ?? job;
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

  /** Runs due jobs of the registered in-process handlers; returns how many ran. */
  async runHandlers(workerId: string): Promise<number> {
    if (this.handlers.size === 0) return 0;
    const batch = await this.fetchAndLock(workerId, [...this.handlers.keys()], 20);
    for (const ctx of batch) await this.runOne(workerId, ctx);
    return batch.length;
  }

  // helpers

  private async runOne(workerId: string, ctx: JobContext): Promise<void> {
    try {
      const result = await this.handlers.get(ctx.job.type)!(ctx);
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
