/**
 * Fires due timers and runs due in-process jobs. Timers are rows claimed with a lease, so a timer
 * fires once across nodes, and one that fell due while the server was down fires right after start.
 */
import { nextCycleDue } from '../expr/index.js';
import type { TimerRow } from '../store/index.js';
import type { JobService } from './jobs.js';
import { runStep, type StepDeps } from './step.js';
import { activationOf } from './activation.js';
import { InstanceNotActiveError, InstanceNotFoundError } from './errors.js';

/** How long a claimed timer stays leased to its node; a dead node's timers are taken over after it. */
export const DEFAULT_TIMER_LEASE_MS = 60_000;
const BATCH = 50;

export class Scheduler {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private stopped = true;
  private readonly sources: Array<() => Promise<number>> = [];

  constructor(private readonly deps: StepDeps, private readonly jobs: JobService, private readonly nodeId: string,
    private readonly logger?: { error(o: unknown, m?: string): void }, private readonly leaseMs = DEFAULT_TIMER_LEASE_MS) {}

  /** Whether start() was called and stop() not since. */
  get isRunning(): boolean {
    return !this.stopped;
  }

  /** Fires all timers due now, runs due in-process jobs and fires other due work (SLA checks), until nothing more is due. */
  async tick(): Promise<{ timers: number; jobs: number; checks: number }> {
    let timers = 0;
    let jobs = 0;
    let checks = 0;
    for (let round = 0; round < 100; round++) {
      const fired = await this.fireDueTimers();
      const ran = await this.jobs.runHandlers(this.nodeId);
      let checked = 0;
      for (const source of this.sources) checked += await source();
      timers += fired;
      jobs += ran;
      checks += checked;
      if (fired === 0 && ran === 0 && checked === 0) break;
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
      this.running = this.tick().catch((err) => this.logger?.error({ err }, 'scheduler tick failed')).finally(() => {
        if (!this.stopped) this.timer = setTimeout(loop, pollMs);
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

  private async fireDueTimers(): Promise<number> {
    const now = this.deps.clock.now();
    const lease = new Date(now.getTime() + this.leaseMs).toISOString();
    const claimed = await this.deps.store.transaction((tx) => tx.timers.claimDue(now.toISOString(), this.nodeId, lease, BATCH));
    for (const timer of claimed) await this.fire(timer);
    return claimed.length;
  }

  /** One timer, one step: the step, the timer's removal or next cycle, all in one transaction. */
  private async fire(timer: TimerRow): Promise<void> {
    try {
      await runStep(this.deps, timer.instanceId, { type: 'timer.fired', elementId: timer.elementId, ...activationOf(timer) }, {
        before: async (tx) => {
          const current = await tx.timers.get(timer.id);
          if (!current || current.lockedBy !== this.nodeId) throw new TimerGone();
        },
        after: async (tx) => {
          const current = await tx.timers.get(timer.id);
          if (!current) return;
          const next = current.repeat ? nextCycleDue(current.due, current.repeat) : null;
          if (next) await tx.timers.update(timer.id, { due: next.due, repeat: next.repeat, lockedBy: null, lockedUntil: null });
          else await tx.timers.delete(timer.id);
        },
      });
    } catch (err) {
      if (err instanceof TimerGone) return;
      if (err instanceof InstanceNotFoundError || err instanceof InstanceNotActiveError) {
        await this.deps.store.timers.delete(timer.id);
        return;
      }
      // leave the lease to expire: another tick (here or on another node) fires it again
      await this.deps.store.timers.update(timer.id, { lockedBy: null, lockedUntil: null }).catch(() => undefined);
      this.logger?.error({ err, timerId: timer.id }, 'timer step failed');
    }
  }
}

class TimerGone extends Error {}
