/**
 * Signal fan-out: a thrown signal is one outbox row (`signal_broadcasts`); its delivery starts an instance
 * of every definition with a signal start event for it, then steps every instance subscribed when it was
 * thrown, in pages of BATCH. Each delivery is the receiver's own step, and the same transaction moves the
 * broadcast's cursor one receiver on (compare-and-set): a delivery and its cursor move commit together, so a
 * crash or a second node neither loses nor doubles one, and memory stays at one page whatever the count.
 */
import type { SignalBroadcastRow, SignalSubscriptionRow, StartEventRow, StoreTx } from '../../store/index.js';
import { VersionConflictError } from '../../store/index.js';
import { InstanceNotActiveError, InstanceNotFoundError, InstanceSuspendedError } from '../errors.js';
import { runStep, startInstance, type StepDeps } from '../step/step.js';
import { activationOf } from '../step/activation.js';
import { recordBroadcast } from './broadcasts.js';

const BATCH = 100;
/** A broadcast is leased to one node while it delivers; a dead node's broadcast is taken over after it. */
export const DEFAULT_SIGNAL_LEASE_MS = 60_000;

/** What a broadcast has done so far. */
export interface SignalOutcome {
  signalId: string;
  /** Instances started by signal start events (in this call). */
  startedInstanceIds: string[];
  /** Waiting instances the signal reached (in this call). */
  deliveredInstanceIds: string[];
  /** false while receivers remain; the scheduler delivers to them. */
  complete: boolean;
}

type Logger = { error(o: unknown, m?: string): void };

export class SignalFanout {
  constructor(
    private readonly deps: StepDeps,
    private readonly nodeId: string,
    private readonly logger?: Logger,
    private readonly leaseMs = DEFAULT_SIGNAL_LEASE_MS,
  ) {}

  /** Throws a signal from outside a process (the API): records it, then delivers up to `budget` receivers at once. */
  async broadcast(
    input: { name: string; variables: Record<string, unknown>; by: string | null },
    budget = 500,
  ): Promise<SignalOutcome> {
    const now = this.deps.clock.now().toISOString();
    const id = await this.deps.store.transaction((tx) =>
      recordBroadcast(tx, { ...input, thrownByInstance: null, thrownBy: input.by, now }),
    );
    return this.deliver(id, budget);
  }

  /** Delivers one broadcast (when no other node holds it) up to `budget` receivers. */
  async deliver(id: string, budget: number): Promise<SignalOutcome> {
    const outcome: SignalOutcome = { signalId: id, startedInstanceIds: [], deliveredInstanceIds: [], complete: false };
    if (!(await this.deps.store.signals.claimBroadcast(id, this.now(), this.nodeId, this.leaseUntil()))) return outcome;
    const row = await this.deps.store.signals.getBroadcast(id);
    if (!row) return outcome;
    await this.run(row, budget, outcome);
    return outcome;
  }

  /** The scheduler's source: delivers pending broadcasts (this node's leases), up to `budget` receivers in all; returns how many. */
  async deliverPending(budget = 500): Promise<number> {
    const claimed = await this.deps.store.transaction((tx) =>
      tx.signals.claimBroadcasts(this.now(), this.nodeId, this.leaseUntil(), 10),
    );
    let work = 0;
    for (const row of claimed) {
      if (work >= budget) {
        await this.deps.store.signals.update(row.id, { lockedBy: null, lockedUntil: null });
        continue;
      }
      const outcome: SignalOutcome = {
        signalId: row.id,
        startedInstanceIds: [],
        deliveredInstanceIds: [],
        complete: false,
      };
      await this.run(row, budget - work, outcome);
      work += outcome.startedInstanceIds.length + outcome.deliveredInstanceIds.length;
    }
    return work;
  }

  // helpers

  private async run(first: SignalBroadcastRow, budget: number, outcome: SignalOutcome): Promise<void> {
    let row = first;
    let work = 0;
    while (work < budget) {
      if (row.status === 'done') {
        outcome.complete = true;
        return;
      }
      const page = row.startsDone
        ? await this.deps.store.signals.receivers(row.name, row.cursor, row.maxSeq, Math.min(BATCH, budget - work))
        : await this.deps.store.startEvents.listening(
            'signal',
            row.name,
            row.startCursor,
            Math.min(BATCH, budget - work),
          );
      if (page.length === 0) {
        row = await this.finishPhase(row);
        continue;
      }
      const moved = row.startsDone
        ? await this.deliverPage(row, page as SignalSubscriptionRow[], outcome)
        : await this.startPage(row, page as StartEventRow[], outcome);
      work += moved.work;
      if (moved.stop) break;
      row = moved.row;
      await this.deps.store.signals.update(row.id, { lockedUntil: this.leaseUntil() });
    }
    // budget used up or a receiver was busy: the lease goes, the scheduler (here or on another node) goes on
    await this.deps.store.signals.update(row.id, { lockedBy: null, lockedUntil: null });
  }

  private async finishPhase(row: SignalBroadcastRow): Promise<SignalBroadcastRow> {
    if (!row.startsDone) {
      await this.deps.store.signals.update(row.id, { startsDone: true });
      return { ...row, startsDone: true };
    }
    const now = this.now();
    await this.deps.store.signals.update(row.id, { status: 'done', doneAt: now, lockedBy: null, lockedUntil: null });
    return { ...row, status: 'done', doneAt: now };
  }

  private async startPage(
    row: SignalBroadcastRow,
    page: StartEventRow[],
    outcome: SignalOutcome,
  ): Promise<{ row: SignalBroadcastRow; work: number; stop: boolean }> {
    let cursor = row.startCursor;
    let work = 0;
    for (const start of page) {
      const from = cursor;
      try {
        const def = await this.deps.registry.load(start.definitionId);
        const { instance } = await startInstance(this.deps, def, {
          variables: row.variables,
          businessKey: null,
          by: row.thrownBy,
          startEvent: start.elementId,
          concluded: [({ tx }) => this.move(tx, () => tx.signals.advanceStarts(row.id, from, start.id))],
        });
        outcome.startedInstanceIds.push(instance.id);
        work++;
      } catch (err) {
        if (err instanceof CursorMovedError) return { row: await this.reload(row), work, stop: false };
        this.logger?.error({ err, signalId: row.id, definitionId: start.definitionId }, 'signal start failed; skipped');
        if (!(await this.deps.store.signals.skipStart(row.id, from, start.id)))
          return { row: await this.reload(row), work, stop: false };
      }
      cursor = start.id;
    }
    return { row: { ...row, startCursor: cursor }, work, stop: false };
  }

  private async deliverPage(
    row: SignalBroadcastRow,
    page: SignalSubscriptionRow[],
    outcome: SignalOutcome,
  ): Promise<{ row: SignalBroadcastRow; work: number; stop: boolean }> {
    let cursor = row.cursor;
    let work = 0;
    for (const sub of page) {
      const from = cursor;
      const result = await this.deliverTo(row, sub, from);
      if (result === 'moved') return { row: await this.reload(row), work, stop: false };
      if (result === 'busy') return { row: { ...row, cursor }, work, stop: true };
      if (result === 'skipped' && !(await this.deps.store.signals.skip(row.id, from, sub.seq)))
        return { row: await this.reload(row), work, stop: false };
      if (result === 'delivered') {
        outcome.deliveredInstanceIds.push(sub.instanceId);
        work++;
      }
      cursor = sub.seq;
    }
    return { row: { ...row, cursor }, work, stop: false };
  }

  /** One receiver's step; retried on a concurrent step of the same instance. */
  private async deliverTo(
    row: SignalBroadcastRow,
    sub: SignalSubscriptionRow,
    from: number,
  ): Promise<'delivered' | 'skipped' | 'moved' | 'busy'> {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await runStep(
          this.deps,
          sub.instanceId,
          { type: 'signal.received', elementId: sub.elementId, ...activationOf(sub), variables: row.variables },
          {
            by: row.thrownBy,
            preconditions: [
              async (tx) => {
                if (!(await tx.signals.isSubscribed(sub.id))) throw new NotWaitingError();
              },
            ],
            concluded: [({ tx }) => this.move(tx, () => tx.signals.advance(row.id, from, sub.seq))],
          },
        );
        return 'delivered';
      } catch (err) {
        if (err instanceof CursorMovedError) return 'moved';
        if (
          err instanceof NotWaitingError ||
          err instanceof InstanceNotFoundError ||
          err instanceof InstanceNotActiveError ||
          // a suspended instance does not receive the signal (Camunda 7 skips suspended executions)
          err instanceof InstanceSuspendedError
        )
          return 'skipped';
        if (err instanceof VersionConflictError) continue;
        this.logger?.error(
          { err, signalId: row.id, instanceId: sub.instanceId },
          'signal delivery failed; retried later',
        );
        return 'busy';
      }
    }
    return 'busy';
  }

  // the delivery commits only with its cursor move: another node that moved the cursor first wins
  private async move(_tx: StoreTx, advance: () => Promise<boolean>): Promise<void> {
    if (!(await advance())) throw new CursorMovedError();
  }

  private async reload(row: SignalBroadcastRow): Promise<SignalBroadcastRow> {
    return (await this.deps.store.signals.getBroadcast(row.id)) ?? { ...row, status: 'done' };
  }

  private now(): string {
    return this.deps.clock.now().toISOString();
  }

  private leaseUntil(): string {
    return new Date(this.deps.clock.now().getTime() + this.leaseMs).toISOString();
  }
}

class CursorMovedError extends Error {}
class NotWaitingError extends Error {}
