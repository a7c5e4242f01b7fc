/**
 * Fires due timers and runs due in-process jobs. Timers are rows claimed with a lease, so a timer
 * fires once across nodes, and one that fell due while the server was down fires right after start.
 * Due timers are claimed and fired in batches, one transaction per batch (group commit): each timer's
 * step is a savepoint of it, so a failing step is undone alone and retried alone in a transaction of
 * its own, and the others commit together. On PostgreSQL several workers claim and fire batches side by
 * side, each on a connection of its own: SKIP LOCKED gives them disjoint timers, earliest due first.
 */
import { nextCycleDue } from '../../expr/index.js';
import type { GroupUnit, TimerRow } from '../../store/index.js';
import { inGroup } from './group-commit.js';
import type { JobService } from './jobs.js';
import { runStep, type Precondition, type StepDeps } from './step.js';
import { activationOf } from './activation.js';
import type { SettledHandler } from './extension.js';
import { InstanceNotActiveError, InstanceNotFoundError } from '../errors.js';

/** How long a claimed timer stays leased to its node; a dead node's timers are taken over after it. */
export const DEFAULT_TIMER_LEASE_MS = 60_000;
/** Timers claimed and fired per transaction. */
export const TIMER_BATCH = 200;
/** Batches fired side by side on PostgreSQL (each holds a pool connection while it runs); SQLite has one writer. */
export const PG_TIMER_WORKERS = 4;
// Rounds of one tick; a tick that used them all is followed by the next at once, not after the poll interval.
const ROUNDS = 50;

export class Scheduler {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private stopped = true;
  private readonly sources: Array<() => Promise<number>> = [];
  private saturated = false;

  constructor(
    private readonly deps: StepDeps,
    private readonly jobs: JobService,
    private readonly nodeId: string,
    private readonly logger?: { error(o: unknown, m?: string): void },
    private readonly leaseMs = DEFAULT_TIMER_LEASE_MS,
    private readonly batch = TIMER_BATCH,
    private readonly workers = deps.store.dialect === 'postgres' ? PG_TIMER_WORKERS : 1,
  ) {}

  /** Whether start() was called and stop() not since. */
  get isRunning(): boolean {
    return !this.stopped;
  }

  /** Fires all timers due now, runs due in-process jobs and fires other due work (SLA checks), until nothing more is due. */
  async tick(): Promise<{ timers: number; jobs: number; checks: number }> {
    let timers = 0;
    let jobs = 0;
    let checks = 0;
    this.saturated = false;
    for (let round = 0; round < ROUNDS; round++) {
      const fired = await this.fireDueTimersSideBySide();
      const ran = await this.jobs.runHandlers(this.nodeId);
      let checked = 0;
      for (const source of this.sources) checked += await source();
      timers += fired;
      jobs += ran;
      checks += checked;
      if (fired === 0 && ran === 0 && checked === 0) break;
      if (round === ROUNDS - 1) this.saturated = true;
    }
    return { timers, jobs, checks };
  }

  /** Adds due work another service owns (SLA warnings and breaches); `fire` returns how many items it fired. */
  addSource(fire: () => Promise<number>): void {
    this.sources.push(fire);
  }

  start(pollMs: number): void {
    this.stopped = false;
    const loop = () => {
      if (this.stopped) return;
      this.running = this.tick()
        .catch((err) => this.logger?.error({ err }, 'scheduler tick failed'))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(loop, this.saturated ? 0 : pollMs);
        });
    };
    loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  // helpers

  /** One batch per worker, side by side (disjoint claims); the tick's rounds go on while batches come back. */
  private async fireDueTimersSideBySide(): Promise<number> {
    if (this.workers <= 1) return this.fireDueTimers();
    const fired = await Promise.all(Array.from({ length: this.workers }, () => this.fireDueTimers()));
    return fired.reduce((a, b) => a + b, 0);
  }

  /** One batch: claim up to `batch` due timers and fire them in one transaction, publishing after its commit. */
  private async fireDueTimers(): Promise<number> {
    const now = this.deps.clock.now();
    const lease = new Date(now.getTime() + this.leaseMs).toISOString();
    const failed: TimerRow[] = [];
    const claimed = await inGroup(this.deps, async (deps, unit, tx) => {
      const timers = await tx.timers.claimDue(now.toISOString(), this.nodeId, lease, this.batch);
      for (const timer of timers) if (!(await this.fireInGroup(deps, unit, timer))) failed.push(timer);
      return timers;
    });
    for (const timer of failed) await this.fire(timer);
    return claimed.length;
  }

  /** A timer's step as a unit of the batch; false when it failed and was undone (it is then retried alone). */
  private async fireInGroup(deps: StepDeps, unit: GroupUnit, timer: TimerRow): Promise<boolean> {
    try {
      await this.fireStep(deps, timer);
      return true;
    } catch (err) {
      if (err instanceof TimerGone) return true;
      if (err instanceof InstanceNotFoundError || err instanceof InstanceNotActiveError) {
        await unit((tx) => tx.timers.delete(timer.id));
        return true;
      }
      return false;
    }
  }

  /** One timer, one step in a transaction of its own (a step that failed in its batch is retried here). */
  private async fire(timer: TimerRow): Promise<void> {
    try {
      await this.fireStep(this.deps, timer);
    } catch (err) {
      if (err instanceof TimerGone) return;
      if (err instanceof InstanceNotFoundError || err instanceof InstanceNotActiveError) {
        await this.deps.store.timers.delete(timer.id);
        return;
      }
      // the lease stays: once it expires, a tick here or on another node fires it again (no retry loop within a tick)
      this.logger?.error({ err, timerId: timer.id }, 'timer step failed');
    }
  }

  /** The step's precondition that the timer is still leased to this node (not fired, moved or removed meanwhile). */
  private stillLeased(timer: TimerRow): Precondition {
    return async (tx) => {
      const current = await tx.timers.get(timer.id);
      if (!current || current.lockedBy !== this.nodeId) throw new TimerGone();
    };
  }

  /** The timer's step: the step, the timer's removal or next cycle, all in one transaction (or unit). */
  private fireStep(deps: StepDeps, timer: TimerRow): Promise<unknown> {
    return runStep(
      deps,
      timer.instanceId,
      { type: 'timer.fired', elementId: timer.elementId, ...activationOf(timer) },
      { preconditions: [this.stillLeased(timer)], settled: [moveOn(timer)] },
    );
  }
}

class TimerGone extends Error {}

/** The fired timer's own work in its step: on to its next cycle, or gone (unless the step removed it already). */
function moveOn(timer: TimerRow): SettledHandler {
  return async ({ tx }) => {
    const current = await tx.timers.get(timer.id);
    if (!current) return;
    const next = current.repeat ? nextCycleDue(current.due, current.repeat) : null;
    if (next)
      await tx.timers.update(timer.id, { due: next.due, repeat: next.repeat, lockedBy: null, lockedUntil: null });
    else await tx.timers.delete(timer.id);
  };
}
