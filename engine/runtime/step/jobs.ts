/**
 * Jobs of service and send tasks: fetched and locked by workers (in-process handlers or external
 * workers over HTTP), completed, failed with retries and backoff, or answered with a BPMN error.
 */
import { isDeepStrictEqual } from 'node:util';
import type { IncidentRow, JobLockFilter, JobRow } from '../../store/index.js';
import { JobLockedError, JobNotActiveError, JobNotFoundError, JobNotLockedError } from '../errors.js';
import { JobWaiters } from './job-waiters.js';
import { runStep, type Precondition, type StepDeps } from './step.js';
import { activationOf } from './activation.js';
import { checkInstanceVariables, checkVariables } from '../variables.js';

export interface JobContext {
  job: JobRow;
  /** The instance's variables when the job was fetched. */
  variables: Record<string, unknown>;
  /** The instance's definition version and business key. */
  definitionId?: string;
  businessKey?: string | null;
  /** The task's `zeebe:taskHeaders` (Camunda 8 custom headers); empty when it has none. */
  headers?: Record<string, string>;
  /**
   * `<job id>:<retries left>`: the same for every run of one attempt (a node died and the lock was taken
   * over), new for each retry after a reported failure. A handler with side effects keys them by it.
   */
  idempotencyKey: string;
}

/** Which jobs a worker wants: instance filters, plus process variables that must equal the given values. */
export interface JobFetchFilter extends JobLockFilter {
  variables?: Record<string, unknown>;
}

/** The longest a worker's fetch may wait for work (Camunda's own limit for asyncResponseTimeout). */
export const MAX_LONG_POLL_MS = 30 * 60_000;
// Candidate instances scanned for a variable-value filter.
const VARIABLE_FILTER_SCAN = 1000;

/** An in-process worker: returns variables to complete the job, or throws (a BpmnError to throw a BPMN error). */
export type JobHandler = (ctx: JobContext) => Promise<Record<string, unknown> | void> | Record<string, unknown> | void;

/** Thrown by a handler to raise a BPMN error at the job's task. */
export class BpmnError extends Error {
  constructor(
    readonly errorCode: string,
    message = errorCode,
    readonly variables: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'BpmnError';
  }
}

/** How long a fetched job stays locked unless its worker asks otherwise; a dead worker's job is taken over after it. */
export const DEFAULT_LOCK_MS = 60_000;

export class JobService {
  readonly handlers = new Map<string, JobHandler>();
  readonly waiters = new JobWaiters();

  /** lockMs: the lock of in-process handlers' jobs, renewed every third of it while the handler runs. */
  constructor(
    private readonly deps: StepDeps,
    private readonly logger?: { warn(o: unknown, m?: string): void },
    readonly lockMs = DEFAULT_LOCK_MS,
  ) {}

  registerHandler(type: string, handler: JobHandler): void {
    this.handlers.set(type, handler);
  }

  /** Locks up to maxJobs due jobs of the given types for a worker. */
  async fetchAndLock(
    workerId: string,
    types: string[],
    maxJobs: number,
    lockMs = DEFAULT_LOCK_MS,
    filter: JobFetchFilter = {},
  ): Promise<Array<JobContext>> {
    const now = this.deps.clock.now();
    const lockFilter = await this.withVariableFilter(types, filter);
    if (lockFilter.instanceIds?.length === 0) return [];
    const jobs = await this.deps.store.transaction((tx) =>
      tx.jobs.fetchAndLock(
        types,
        workerId,
        now.toISOString(),
        new Date(now.getTime() + lockMs).toISOString(),
        maxJobs,
        lockFilter,
      ),
    );
    const result: JobContext[] = [];
    for (const job of jobs) {
      const instance = await this.deps.store.instances.get(job.instanceId);
      const headers = instance ? await this.headersOf(instance.definitionId, job.elementId) : {};
      result.push({
        job,
        variables: instance?.variables ?? {},
        definitionId: instance?.definitionId,
        businessKey: instance?.businessKey ?? null,
        headers,
        idempotencyKey: `${job.id}:${job.retries}`,
      });
    }
    return result;
  }

  /**
   * Long polling: runs `fetch` and, while it finds nothing, waits (no query in between) for a job of the types
   * to be created or released, or for the next backoff to end, up to `timeoutMs` or until the signal aborts.
   */
  async awaitJobs<T>(
    types: string[],
    timeoutMs: number,
    fetch: () => Promise<T[]>,
    signal?: AbortSignal,
  ): Promise<T[]> {
    const deadline = Date.now() + Math.min(timeoutMs, MAX_LONG_POLL_MS);
    for (;;) {
      const found = await fetch();
      const remaining = deadline - Date.now();
      if (found.length > 0 || remaining <= 0 || signal?.aborted) return found;
      await this.waiters.wait(types, Math.min(remaining, await this.untilNextDue(types)), signal);
    }
  }

  /** Extends the lock of a job the worker holds, counting from now. */
  async extendLock(jobId: string, workerId: string, durationMs: number): Promise<JobRow> {
    const job = await this.lockedJob(jobId, workerId);
    if (job.lockedUntil && job.lockedUntil < this.deps.clock.now().toISOString())
      throw new JobNotLockedError(jobId, workerId);
    return this.relock(job, workerId, durationMs);
  }

  /** Locks one job by id for a worker; refused while another worker's lock holds. */
  async lock(jobId: string, workerId: string, durationMs: number): Promise<JobRow> {
    const job = await this.activeJob(jobId);
    const now = this.deps.clock.now().toISOString();
    if (job.status === 'locked' && job.workerId !== workerId && (job.lockedUntil ?? '') > now)
      throw new JobLockedError(jobId, job.workerId ?? '');
    return this.relock(job, workerId, durationMs);
  }

  /** Releases a job's lock so any worker may fetch it again. */
  async unlock(jobId: string): Promise<void> {
    const job = await this.activeJob(jobId);
    await this.deps.store.jobs.update(jobId, { status: 'pending', workerId: null, lockedUntil: null });
    this.released(job);
  }

  /** Sets a job's retries: a failed job with retries > 0 resolves its incident; 0 on an active job raises one. */
  async setRetries(jobId: string, retries: number, by: string | null = null): Promise<void> {
    const job = await this.deps.store.jobs.get(jobId);
    if (!job || job.status === 'completed' || job.status === 'cancelled') throw new JobNotFoundError(jobId);
    if (job.status === 'failed') {
      if (retries === 0) return;
      const incident = await this.incidentOf(job);
      if (incident) await this.retry(incident, retries, {}, by);
      else
        await this.deps.store.jobs.update(jobId, {
          status: 'pending',
          retries,
          due: this.deps.clock.now().toISOString(),
        });
      this.released(job);
      return;
    }
    if (retries > 0) return this.deps.store.jobs.update(jobId, { retries });
    await this.raiseIncident(job, job.errorMessage ?? 'retries set to 0', by);
  }

  /** Completes a locked job and moves its instance on; `by` (the worker's user or token) goes into the history. */
  async complete(
    jobId: string,
    workerId: string,
    variables: unknown,
    by: string | null = null,
    localVariables?: unknown,
  ): Promise<void> {
    const vars = checkVariables(variables);
    const locals = localVariables === undefined ? undefined : checkVariables(localVariables);
    const job = await this.lockedJob(jobId, workerId);
    checkInstanceVariables((await this.deps.store.instances.get(job.instanceId))?.variables ?? {}, vars);
    await runStep(
      this.deps,
      job.instanceId,
      {
        type: 'job.completed',
        elementId: job.elementId,
        ...activationOf(job),
        variables: vars,
        ...(locals ? { localVariables: locals } : {}),
      },
      {
        jobId,
        by,
        preconditions: [
          this.stillLocked(jobId, workerId),
          (tx) => tx.jobs.update(jobId, { status: 'completed', lockedUntil: null }),
        ],
      },
    );
  }

  /** Reports a failure to the machine (`job.failed`): retried after a backoff while retries remain, then an incident. */
  async fail(
    jobId: string,
    workerId: string,
    input: { message: string; retries?: number; retryBackoffMs?: number },
    by: string | null = null,
  ): Promise<JobRow> {
    const job = await this.lockedJob(jobId, workerId);
    const retries = Math.max(0, input.retries ?? job.retries - 1);
    const retryBackoffMs = input.retryBackoffMs ?? backoffMs(job.retries - retries);
    await runStep(
      this.deps,
      job.instanceId,
      {
        type: 'job.failed',
        elementId: job.elementId,
        ...activationOf(job),
        message: input.message,
        retries,
        retryBackoffMs,
      },
      { jobId, by, preconditions: [this.stillLocked(jobId, workerId)] },
    );
    const updated = (await this.deps.store.jobs.get(jobId)) ?? job;
    if (updated.status === 'pending') this.released(updated);
    return updated;
  }

  /** A worker's BPMN error: caught by a boundary event of the task (or an enclosing sub-process), else an incident. */
  async throwError(
    jobId: string,
    workerId: string,
    input: { errorCode: string; message?: string; variables?: unknown },
    by: string | null = null,
  ): Promise<void> {
    const vars = checkVariables(input.variables);
    const job = await this.lockedJob(jobId, workerId);
    await runStep(
      this.deps,
      job.instanceId,
      {
        type: 'error.thrown',
        elementId: job.elementId,
        ...activationOf(job),
        errorCode: input.errorCode,
        message: input.message,
        variables: vars,
      },
      {
        jobId,
        by,
        preconditions: [
          (tx) =>
            tx.jobs.update(jobId, {
              status: 'failed',
              lockedUntil: null,
              workerId: null,
              errorMessage: `BPMN error '${input.errorCode}'${input.message ? `: ${input.message}` : ''}`,
            }),
        ],
      },
    );
  }

  /** Retries a job's incident: the machine gives the same job its retries back (`incident.retry`). */
  async retry(
    incident: IncidentRow,
    retries: number,
    variables: Record<string, unknown>,
    by: string | null,
  ): Promise<void> {
    await runStep(
      this.deps,
      incident.instanceId,
      { type: 'incident.retry', elementId: incident.triggerId ?? incident.elementId, variables, retries },
      { jobId: incident.jobId, by },
    );
    const job = incident.jobId ? await this.deps.store.jobs.get(incident.jobId) : undefined;
    if (job && job.status === 'pending') this.released(job);
  }

  /** The custom headers (`zeebe:taskHeaders`) of an element of a deployed version; compiled once per version. */
  async headersOf(definitionId: string, elementId: string): Promise<Record<string, string>> {
    const { compiled } = await this.deps.registry.load(definitionId);
    return compiled.elementHeaders?.[elementId] ?? {};
  }

  /** The extension properties (`camunda:properties`) of an element of a deployed version; compiled once per version. */
  async propertiesOf(definitionId: string, elementId: string): Promise<Record<string, string>> {
    const { compiled } = await this.deps.registry.load(definitionId);
    return compiled.elementProperties?.[elementId] ?? {};
  }

  /** Runs due jobs of the registered in-process handlers; returns how many ran. */
  async runHandlers(workerId: string): Promise<number> {
    if (this.handlers.size === 0) return 0;
    const batch = await this.fetchAndLock(workerId, [...this.handlers.keys()], 20, this.lockMs);
    for (const ctx of batch) await this.runOne(workerId, ctx);
    return batch.length;
  }

  // helpers

  // A job that fails for good (retries set to 0) is a machine event like a worker's last failure.
  private async raiseIncident(job: JobRow, message: string, by: string | null): Promise<void> {
    await runStep(
      this.deps,
      job.instanceId,
      { type: 'job.failed', elementId: job.elementId, ...activationOf(job), message, retries: 0, retryBackoffMs: 0 },
      { jobId: job.id, by },
    );
  }

  private async relock(job: JobRow, workerId: string, durationMs: number): Promise<JobRow> {
    const patch = {
      status: 'locked' as const,
      workerId,
      lockedUntil: new Date(this.deps.clock.now().getTime() + durationMs).toISOString(),
    };
    await this.deps.store.jobs.update(job.id, patch);
    return { ...job, ...patch };
  }

  private async activeJob(jobId: string): Promise<JobRow> {
    const job = await this.deps.store.jobs.get(jobId);
    if (!job) throw new JobNotFoundError(jobId);
    if (job.status !== 'pending' && job.status !== 'locked') throw new JobNotActiveError(jobId, job.status);
    return job;
  }

  private async incidentOf(job: JobRow): Promise<IncidentRow | undefined> {
    const open = await this.deps.store.incidents.list({
      instanceId: job.instanceId,
      status: 'open',
      offset: 0,
      limit: 100,
    });
    return open.items.find((incident) => incident.jobId === job.id);
  }

  // A job available again wakes long-polling workers of its type.
  private released(job: JobRow): void {
    this.deps.publish([
      {
        type: 'job.released',
        instanceId: job.instanceId,
        definitionKey: job.definitionKey,
        elementId: job.elementId,
        at: this.deps.clock.now().toISOString(),
        data: { jobId: job.id, jobType: job.type },
      },
    ]);
  }

  // How long until a job of these types comes due (a backoff or a lock ending); jobs due already but not
  // lockable for this worker (filtered out) do not shorten the wait.
  private async untilNextDue(types: string[]): Promise<number> {
    const next = await this.deps.store.jobs.nextDue(types);
    const ms = next ? Date.parse(next) - this.deps.clock.now().getTime() : Number.POSITIVE_INFINITY;
    return ms > 0 ? ms + 5 : Number.POSITIVE_INFINITY;
  }

  // A variable-value filter becomes the ids of the waiting instances whose variables match.
  private async withVariableFilter(types: string[], filter: JobFetchFilter): Promise<JobLockFilter> {
    const { variables, ...lockFilter } = filter;
    if (!variables || Object.keys(variables).length === 0) return lockFilter;
    const ids = new Set<string>();
    for (const type of types) {
      const page = await this.deps.store.jobs.list({ type, status: 'pending', offset: 0, limit: VARIABLE_FILTER_SCAN });
      for (const job of page.items) ids.add(job.instanceId);
    }
    const matching: string[] = [];
    for (const id of ids) {
      const instance = await this.deps.store.instances.get(id);
      if (
        instance &&
        Object.entries(variables).every(([name, value]) => isDeepStrictEqual(instance.variables[name], value))
      )
        matching.push(id);
    }
    return { ...lockFilter, instanceIds: matching };
  }

  private async runOne(workerId: string, ctx: JobContext): Promise<void> {
    const renewal = this.renewWhileRunning(ctx.job.id, workerId);
    try {
      const result = await this.runHandler(ctx).finally(() => clearInterval(renewal));
      await this.complete(ctx.job.id, workerId, result ?? {});
    } catch (err) {
      if (err instanceof BpmnError) {
        await this.throwError(ctx.job.id, workerId, {
          errorCode: err.errorCode,
          message: err.message,
          variables: err.variables,
        }).catch((e) => this.logger?.warn({ err: e }, 'BPMN error not delivered'));
        return;
      }
      this.logger?.warn({ err, jobId: ctx.job.id, type: ctx.job.type }, 'in-process job handler failed');
      await this.fail(ctx.job.id, workerId, { message: err instanceof Error ? err.message : String(err) }).catch(
        () => undefined,
      );
    }
  }

  private async runHandler(ctx: JobContext): Promise<Record<string, unknown> | void> {
    return this.handlers.get(ctx.job.type)!(ctx);
  }

  // A long handler keeps its lock: renewed every third of the lock duration while it runs.
  private renewWhileRunning(jobId: string, workerId: string): NodeJS.Timeout {
    const renewal = setInterval(
      () => {
        const until = new Date(this.deps.clock.now().getTime() + this.lockMs).toISOString();
        this.deps.store.jobs
          .renewLock(jobId, workerId, until)
          .catch((err) => this.logger?.warn({ err, jobId }, 'job lock not renewed'));
      },
      Math.max(1000, this.lockMs / 3),
    );
    renewal.unref();
    return renewal;
  }

  /** The step's precondition that the job is still locked by this worker, read in the step's transaction. */
  private stillLocked(jobId: string, workerId: string): Precondition {
    return async (tx) => {
      await this.lockedJob(jobId, workerId, tx.jobs);
    };
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
