/** The report_schedules and report_runs tables. */
import type { ReportRunRow, ReportScheduleRow } from './insight-types.js';
import { type Db, jsonIn, jsonOut } from './columns.js';

const TABLE = 'report_schedules';
const RUNS = 'report_runs';

export interface ReportScheduleRepository {
  insertSchedule(row: ReportScheduleRow): Promise<void>;
  listSchedules(): Promise<ReportScheduleRow[]>;
  getSchedule(id: string): Promise<ReportScheduleRow | null>;
  deleteSchedule(id: string): Promise<boolean>;
  dueSchedules(now: string, limit: number): Promise<ReportScheduleRow[]>;
  /** Moves a schedule on, only if it is still due at `expected` (another node has not taken it); true when this call did. */
  advanceSchedule(
    id: string,
    expected: string,
    patch: Pick<ReportScheduleRow, 'nextRunAt' | 'attempts' | 'lastError'> & { lastSentAt?: string },
  ): Promise<boolean>;
  insertRun(row: ReportRunRow): Promise<void>;
  runs(scheduleId: string, limit: number): Promise<ReportRunRow[]>;
}

export function reportScheduleRepository(db: Db): ReportScheduleRepository {
  return {
    insertSchedule: async (row) => {
      await db(TABLE).insert(toRow(row));
    },
    listSchedules: async () => (await db(TABLE).orderBy('created_at')).map(fromRow),
    async getSchedule(id) {
      const row = await db(TABLE).where({ id }).first();
      return row ? fromRow(row) : null;
    },
    async deleteSchedule(id) {
      await db(RUNS).where({ schedule_id: id }).delete();
      return (await db(TABLE).where({ id }).delete()) > 0;
    },
    dueSchedules: async (now, limit) =>
      (await db(TABLE).where('next_run_at', '<=', now).orderBy('next_run_at').limit(limit)).map(fromRow),
    async advanceSchedule(id, expected, patch) {
      const columns: Record<string, unknown> = {
        next_run_at: patch.nextRunAt,
        attempts: patch.attempts,
        last_error: patch.lastError,
      };
      if (patch.lastSentAt) columns.last_sent_at = patch.lastSentAt;
      return (await db(TABLE).where({ id, next_run_at: expected }).update(columns)) > 0;
    },
    insertRun: async (row) => {
      await db(RUNS)
        .insert({
          schedule_id: row.scheduleId,
          period_from: row.periodFrom,
          status: row.status,
          at: row.at,
          error: row.error,
        })
        .onConflict(['schedule_id', 'period_from', 'status'])
        .merge(['at', 'error']);
    },
    async runs(scheduleId, limit) {
      const rows: Array<Record<string, unknown>> = await db(RUNS)
        .where({ schedule_id: scheduleId })
        .orderBy([
          { column: 'at', order: 'desc' },
          { column: 'id', order: 'desc' },
        ])
        .limit(limit);
      return rows.map((r) => ({
        scheduleId: String(r.schedule_id),
        periodFrom: String(r.period_from),
        status: r.status === 'sent' ? 'sent' : 'failed',
        at: String(r.at),
        error: r.error == null ? null : String(r.error),
      }));
    },
  };
}

// helpers

function toRow(r: ReportScheduleRow): Record<string, unknown> {
  return {
    id: r.id,
    kind: r.kind,
    period: r.period,
    format: r.format,
    lang: r.lang,
    definition_key: r.definitionKey,
    recipients: jsonIn(r.recipients),
    next_run_at: r.nextRunAt,
    attempts: r.attempts,
    last_error: r.lastError,
    last_sent_at: r.lastSentAt,
    created_by: r.createdBy,
    created_at: r.createdAt,
  };
}

function fromRow(r: Record<string, unknown>): ReportScheduleRow {
  const text = (v: unknown) => (v == null ? null : String(v));
  return {
    id: String(r.id),
    kind: String(r.kind),
    period: r.period === 'month' ? 'month' : 'week',
    format: String(r.format),
    lang: String(r.lang),
    definitionKey: text(r.definition_key),
    recipients: jsonOut<string[]>(r.recipients),
    nextRunAt: String(r.next_run_at),
    attempts: Number(r.attempts),
    lastError: text(r.last_error),
    lastSentAt: text(r.last_sent_at),
    createdBy: text(r.created_by),
    createdAt: String(r.created_at),
  };
}
