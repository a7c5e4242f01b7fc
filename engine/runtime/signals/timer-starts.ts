/**
 * Timer start events: due rows of `start_timers` are leased to one node (SKIP LOCKED on PostgreSQL) and
 * each firing starts one instance in a transaction that also moves the timer on (or deletes it) by
 * compare-and-set, so a firing happens once across nodes; a dead node's lease expires and is taken over.
 */
import { nextCycleDue } from '../../expr/index.js';
import type { StartTimerRow } from '../../store/index.js';
import { startInstance, type StepDeps } from '../step/step.js';

const BATCH = 20;

type Logger = { error(o: unknown, m?: string): void };

export class TimerStarts {
  constructor(
    private readonly deps: StepDeps,
    private readonly nodeId: string,
    private readonly leaseMs: number,
    private readonly logger?: Logger,
  ) {}

  /** Fires the due timer starts; returns how many instances were started. */
  async fireDue(): Promise<number> {
    const now = this.deps.clock.now();
    const lease = new Date(now.getTime() + this.leaseMs).toISOString();
    const claimed = await this.deps.store.transaction((tx) =>
      tx.startTimers.claimDue(now.toISOString(), this.nodeId, lease, BATCH),
    );
    let started = 0;
    for (const timer of claimed) if (await this.fire(timer)) started++;
    return started;
  }

  // helpers

  private async fire(timer: StartTimerRow): Promise<boolean> {
    try {
      const def = await this.deps.registry.load(timer.definitionId);
      const next = timer.repeat ? nextCycleDue(timer.due, timer.repeat) : null;
      await startInstance(this.deps, def, {
        variables: {},
        businessKey: null,
        by: null,
        startEvent: timer.elementId,
        concluded: [
          async ({ tx }) => {
            if (!(await tx.startTimers.advance(timer.id, this.nodeId, timer.due, next))) throw new TimerTakenError();
          },
        ],
      });
      return true;
    } catch (err) {
      if (err instanceof TimerTakenError) return false;
      // leave it to fire again on a later tick
      await this.deps.store.startTimers.release(timer.id).catch(() => undefined);
      this.logger?.error({ err, timerId: timer.id }, 'timer start failed');
      return false;
    }
  }
}

class TimerTakenError extends Error {}
