import { whereNotSuspended } from './suspension.js';
import type { Knex } from 'knex';
import type { SlaFilter, SlaListItem, SlaRepository, SlaRow, SlaStatus } from './sla-types.js';
import { type Db, type Dialect, isoIn, isoInOrNull, isoOutOrNull, jsonIn, jsonOut, numberOut } from './columns.js';
import { counted, readPage, windowed } from './paging.js';
import { readCandidates, tasksWithCandidates } from './task-candidates.js';
import { whereOfferedTo } from './visibility.js';
import { slaReport } from './sla-report.js';

const TABLE = 'slas';

/** An slas table record, as stored. */
export type SlaRecord = Record<string, unknown> & { id: string; task_id: string | null };

/** The SLA repository on one knex handle (the pool or a transaction). */
export function slaRepository(db: Db, dialect: Dialect): SlaRepository {
  return {
    async insert(row) {
      await db(TABLE).insert(toRow(row));
    },
    async get(id) {
      const record = await db(TABLE).where({ id }).first();
      return record ? fromRow(record) : null;
    },
    async lock(id) {
      const query = db(TABLE).where({ id });
      const record = await (dialect === 'postgres' ? query.forUpdate() : query).first();
      return record ? fromRow(record) : null;
    },
    async openByElement(instanceId, elementId) {
      const record = await db(TABLE)
        .where({ instance_id: instanceId, element_id: elementId })
        .whereNull('completed_at')
        .orderBy('started_at', 'desc')
        .first();
      return record ? fromRow(record) : null;
    },
    async openByInstance(instanceId) {
      const records: SlaRecord[] = await db(TABLE)
        .where({ instance_id: instanceId })
        .whereNull('completed_at')
        .orderBy('started_at');
      return records.map(fromRow);
    },
    async update(id, patch) {
      const columns = toRow(patch as SlaRow, true);
      if (Object.keys(columns).length > 0) await db(TABLE).where({ id }).update(columns);
    },
    async claimDue(now, owner, lockUntil, limit) {
      if (limit <= 0) return [];
      const records: SlaRecord[] = await db(TABLE)
        .whereIn('id', claimableQuery(db, dialect, now, limit))
        .update({ locked_by: owner, locked_until: isoIn(lockUntil) })
        .returning('*');
      return records
        .map(fromRow)
        .sort((a, b) => a.nextCheckAt!.localeCompare(b.nextCheckAt!) || a.id.localeCompare(b.id));
    },
    async nextDue() {
      const record = await db(TABLE).min({ due: 'next_check_at' }).first();
      return isoOutOrNull(record?.due);
    },
    async list(filter) {
      const page = await readPage<SlaRecord, SlaRow>(
        listQuery(db, filter, dialect),
        counted(filtered(db, filter, dialect)),
        filter,
        fromRow,
      );
      return { total: page.total, items: await withTasks(db, page.items) };
    },
    report: (filter) => slaReport(db, filter),
  };
}

/** The ids of up to `limit` rows whose next check is due and whose lease is free or expired; SKIP LOCKED on PostgreSQL. */
export function claimableQuery(db: Db, dialect: Dialect, now: string, limit: number): Knex.QueryBuilder {
  const at = isoIn(now);
  const query = whereNotSuspended(db, dialect, db(TABLE).select('id'), 'slas.instance_id')
    .where('next_check_at', '<=', at)
    .where((free) => free.whereNull('locked_until').orWhere('locked_until', '<', at))
    .orderBy('next_check_at')
    .limit(limit);
  return dialect === 'postgres' ? query.forUpdate().skipLocked() : query;
}

/** The ordered, windowed query behind sla.list: most urgent (earliest due) first. */
export function listQuery(db: Db, filter: SlaFilter, dialect: Dialect): Knex.QueryBuilder {
  return windowed(
    filtered(db, filter, dialect)
      .select(`${TABLE}.*`)
      .orderBy([
        { column: 'due_at', order: 'asc' },
        { column: 'id', order: 'asc' },
      ]),
    filter,
  );
}

/** Maps an SLA row (or the defined fields of a patch) to its columns. */
export function toRow(row: SlaRow, partial = false): Record<string, unknown> {
  const columns: Record<string, unknown> = {};
  for (const [field, [column, write]] of Object.entries(COLUMNS)) {
    const value = (row as unknown as Record<string, unknown>)[field];
    if (partial && value === undefined) continue;
    columns[column] = write(value);
  }
  return columns;
}

/** Maps a stored record to an SLA row. */
export function fromRow(record: SlaRecord): SlaRow {
  const row: Record<string, unknown> = {};
  for (const [field, [column, , read]] of Object.entries(COLUMNS)) row[field] = read(record[column]);
  return row as unknown as SlaRow;
}

// helpers

type Column = [name: string, write: (v: unknown) => unknown, read: (v: unknown) => unknown];
const same = (v: unknown) => v ?? null;
const num = (v: unknown) => (v == null ? null : numberOut(v));
const iso = (v: unknown) => isoInOrNull(v as string | null);
const json = (v: unknown) => jsonIn(v);

const COLUMNS: Record<keyof SlaRow, Column> = {
  id: ['id', same, same],
  instanceId: ['instance_id', same, same],
  definitionKey: ['definition_key', same, same],
  elementId: ['element_id', same, same],
  elementName: ['element_name', same, same],
  kind: ['kind', same, same],
  taskId: ['task_id', same, same],
  priority: ['priority', same, same],
  calendarId: ['calendar_id', same, same],
  target: ['target', same, same],
  targetMs: ['target_ms', same, num],
  targetExpression: ['target_expression', same, same],
  warnAt: ['warn_at', json, jsonOut],
  warningsDue: ['warnings_due', json, jsonOut],
  nextWarning: ['next_warning', same, num],
  warningCode: ['warning_code', same, same],
  breachCode: ['breach_code', same, same],
  status: ['status', same, (v) => v as SlaStatus],
  startedAt: ['started_at', iso, isoOutOrNull],
  dueAt: ['due_at', iso, isoOutOrNull],
  pausedMs: ['paused_ms', same, num],
  pauseCount: ['pause_count', same, num],
  pauseDepth: ['pause_depth', same, num],
  pausedSince: ['paused_since', iso, isoOutOrNull],
  warnedAt: ['warned_at', iso, isoOutOrNull],
  breachedAt: ['breached_at', iso, isoOutOrNull],
  completedAt: ['completed_at', iso, isoOutOrNull],
  businessMs: ['business_ms', same, num],
  holidayDataMissing: ['holiday_data_missing', (v) => (v ? 1 : 0), (v) => Number(v) === 1],
  nextCheckAt: ['next_check_at', iso, isoOutOrNull],
  lockedBy: ['locked_by', same, same],
  lockedUntil: ['locked_until', iso, isoOutOrNull],
};

// Filters combine with AND; assignee and candidate group are read through the SLA's task.
function filtered(db: Db, filter: SlaFilter, dialect: Dialect): Knex.QueryBuilder {
  const query = db(TABLE);
  const { status } = filter;
  const viaTasks = dialect === 'sqlite' && (filter.assignee !== undefined || filter.candidateGroup !== undefined);
  if (status === 'running' || status === 'at-risk') whereOpenClock(query, viaTasks);
  else if (status !== undefined) whereStatus(query, [status], viaTasks);
  if (status === 'at-risk') query.whereNotNull('warned_at');
  if (filter.definitionKey !== undefined) query.where('definition_key', filter.definitionKey);
  if (filter.instanceId !== undefined) query.where('instance_id', filter.instanceId);
  if (filter.open === true) query.whereNull('completed_at');
  if (filter.open === false) query.whereNotNull('completed_at');
  if (filter.assignee !== undefined)
    query.whereIn('task_id', db('tasks').select('id').where('assignee', filter.assignee));
  if (filter.candidateGroup !== undefined)
    query.whereIn('task_id', tasksWithCandidates(db, 'group', [filter.candidateGroup]));
  const scope = filter.scopeGroups;
  // a probe of each row (by the candidates' primary key), so the list keeps the order of its own index
  if (scope !== undefined)
    query.where((q) =>
      q.whereNull(`${TABLE}.task_id`).orWhere((o) => whereOfferedTo(db, o, 'group', scope, `${TABLE}.task_id`)),
    );
  return query;
}

// SQLite, lacking statistics, would walk every row of the status; the unary plus keeps it off the
// status index so it starts from the person's tasks or the group's candidate index instead.
function whereStatus(query: Knex.QueryBuilder, statuses: SlaStatus[], viaTasks: boolean): void {
  if (!viaTasks) query.whereIn('status', statuses);
  else query.whereRaw(`+?? in (${statuses.map(() => '?').join(', ')})`, ['status', ...statuses]);
}

// Running and paused clocks are open ones (completed_at null): read them from the open-clock index in
// due order, `|| ''` keeping the planner off the status index (two status ranges would need a sort).
function whereOpenClock(query: Knex.QueryBuilder, viaTasks: boolean): void {
  if (viaTasks) whereStatus(query, ['running', 'paused'], true);
  else query.whereNull(`${TABLE}.completed_at`).whereRaw("(?? || '') in ('running', 'paused')", [`${TABLE}.status`]);
}

async function withTasks(db: Db, rows: SlaRow[]): Promise<SlaListItem[]> {
  const taskIds = rows.map((r) => r.taskId).filter((id): id is string => id !== null);
  const assignees = new Map<string, string | null>();
  if (taskIds.length > 0) {
    const records: Array<{ id: string; assignee: string | null }> = await db('tasks')
      .select('id', 'assignee')
      .whereIn('id', taskIds);
    for (const r of records) assignees.set(r.id, r.assignee);
  }
  const candidates = await readCandidates(db, taskIds);
  return rows.map((r) => ({
    ...r,
    assignee: r.taskId ? (assignees.get(r.taskId) ?? null) : null,
    candidateGroups: r.taskId ? (candidates.get(r.taskId)?.candidateGroups ?? []) : [],
  }));
}
