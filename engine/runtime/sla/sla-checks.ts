/**
 * Fires due SLA warnings and breaches. A row's next check is a durable job claimed with a lease, so it
 * fires once across nodes and after a restart. Checks are claimed and fired in batches, one transaction
 * per batch (Engine.group): each check is a unit of it that records the check and (for task and
 * sub-process SLAs) throws the escalation at the element through the instance's step; a check that
 * fails is undone alone and fired again alone in a transaction of its own.
 */
import type { HistoryRow, SlaRow, StoreTx } from '../../store/index.js';
import type { CalendarBook } from '../calendar/calendar-book.js';
import type { Engine, StepGroup } from '../engine.js';
import { InstanceNotActiveError, InstanceNotFoundError } from '../errors.js';
import { closeRow, dueCheck, nextCheckAt, recordCheck, slaNote, type SlaCheck } from './sla-clock.js';

const LEASE_MS = 60_000;
const BATCH = 200;

/** Where the SLA service reports what needs a person's attention. */
export interface SlaLogger {
  warn(o: unknown, m?: string): void;
  error(o: unknown, m?: string): void;
}

/** The scheduler's side of the SLA clock: claims and fires due checks. */
export class SlaChecks {
  constructor(
    private readonly engine: Engine,
    private readonly calendars: CalendarBook,
    private readonly logger?: SlaLogger,
  ) {}

  /** Claims the rows whose next check is due and fires each; returns how many were claimed. */
  async fireDue(): Promise<number> {
    const now = this.engine.clock.now();
    const lease = new Date(now.getTime() + LEASE_MS).toISOString();
    const failed: SlaRow[] = [];
    const claimed = await this.engine.group(async (steps) => {
      const rows = await steps.tx.sla.claimDue(now.toISOString(), this.engine.nodeId, lease, BATCH);
      for (const row of rows) if (!(await this.fireInGroup(steps, row, now.toISOString()))) failed.push(row);
      return rows;
    });
    for (const row of failed) await this.fire(row, now.toISOString());
    return claimed.length;
  }

  // helpers

  /** A check as a unit of the batch; false when it failed and was undone (it is then fired again alone). */
  private async fireInGroup(steps: StepGroup, row: SlaRow, now: string): Promise<boolean> {
    const check = dueCheck(row, now);
    if (!check) {
      await steps.unit((tx) =>
        tx.sla.update(row.id, { nextCheckAt: nextCheckAt(row), lockedBy: null, lockedUntil: null }),
      );
      return true;
    }
    const record = (tx: StoreTx) => this.record(tx, row, check, now);
    try {
      if (row.kind === 'process') await steps.unit(record);
      else await steps.send(row.instanceId, escalationOf(row, check), null, { preconditions: [record] });
      steps.publish([
        slaNote(
          check.kind === 'breach' ? 'sla.breached' : 'sla.warning',
          { ...row, status: check.kind === 'breach' ? 'breached' : row.status },
          now,
          detailsOf(row, check),
        ),
      ]);
      return true;
    } catch (err) {
      return err instanceof CheckGone;
    }
  }

  private async fire(row: SlaRow, now: string): Promise<void> {
    const check = dueCheck(row, now);
    if (!check) {
      await this.engine.store.sla.update(row.id, { nextCheckAt: nextCheckAt(row), lockedBy: null, lockedUntil: null });
      return;
    }
    const record = (tx: StoreTx) => this.record(tx, row, check, now);
    try {
      if (row.kind === 'process') await this.engine.store.transaction(record);
      else await this.engine.send(row.instanceId, escalationOf(row, check), null, { preconditions: [record] });
      this.engine.publish([
        slaNote(
          check.kind === 'breach' ? 'sla.breached' : 'sla.warning',
          { ...row, status: check.kind === 'breach' ? 'breached' : row.status },
          now,
          detailsOf(row, check),
        ),
      ]);
    } catch (err) {
      if (err instanceof CheckGone) return;
      if (err instanceof InstanceNotFoundError || err instanceof InstanceNotActiveError)
        return this.closeOrphan(row, now);
      // the lease stays: once it expires, a tick here or on another node fires it again (no retry loop within a tick)
      this.logger?.error({ err, slaId: row.id }, 'SLA check failed');
    }
  }

  /** Inside the check's transaction: the row must still be ours and the same check still due. */
  private async record(tx: StoreTx, claimed: SlaRow, check: SlaCheck, now: string): Promise<void> {
    const row = await tx.sla.lock(claimed.id);
    const still = row && row.lockedBy === this.engine.nodeId ? dueCheck(row, now) : null;
    if (!row || !still || still.kind !== check.kind || still.at !== check.at) throw new CheckGone();
    await tx.sla.update(row.id, recordCheck(row, check));
    const event = check.kind === 'breach' ? 'sla.breached' : 'sla.warning';
    const history: HistoryRow = {
      instanceId: row.instanceId,
      elementId: row.elementId,
      elementType: null,
      event,
      at: now,
      by: null,
      details: { slaId: row.id, ...detailsOf(row, check) },
    };
    await tx.history.append([history]);
  }

  // An SLA outliving its instance cannot happen through steps; close it rather than fire it forever.
  private async closeOrphan(row: SlaRow, now: string): Promise<void> {
    const calendar = await this.calendars.get(row.calendarId);
    await this.engine.store.sla.update(row.id, closeRow(calendar, row, now, false).patch);
  }
}

// helpers

class CheckGone extends Error {}

function escalationOf(row: SlaRow, check: SlaCheck) {
  return {
    type: 'escalation.thrown' as const,
    elementId: row.elementId,
    escalationCode: check.kind === 'breach' ? row.breachCode : row.warningCode,
    source: 'sla' as const,
  };
}

function detailsOf(row: SlaRow, check: SlaCheck): Record<string, unknown> {
  const code = check.kind === 'breach' ? row.breachCode : row.warningCode;
  if (check.kind === 'breach') return { breachedAt: check.at, escalationCode: code };
  return { warnedAt: check.at, fraction: row.warnAt[check.index], escalationCode: code };
}
