import type { Knex } from 'knex';
import type { TaskRepository, TaskRow, TaskStatus } from './types.js';
import { type Db, type Dialect, isoIn, isoInOrNull, isoOut, isoOutOrNull, jsonIn, jsonOut, type PatchMap, patchColumns } from './columns.js';
import { counted, readPage, windowed } from './paging.js';
import { visibleTaskIds } from './visibility.js';
import { type Candidates, insertCandidates, readCandidates, tasksWithCandidates, updateCandidateStatus, writeCandidates } from './task-candidates.js';

const TABLE = 'tasks';

/** A tasks table record, as stored (candidates live in task_candidates). */
export interface TaskRecord {
  id: string;
  instance_id: string;
  definition_key: string;
  element_id: string;
  name: string | null;
  status: string;
  assignee: string | null;
  priority: number;
  due: unknown;
  follow_up: unknown;
  form_key: string | null;
  inputs: string;
  created_at: unknown;
  ended_at: unknown;
  completed_by: string | null;
}

/** The filter and paging tasks.list accepts. */
export type TaskFilter = Parameters<TaskRepository['list']>[0];
type TaskPatch = Parameters<TaskRepository['update']>[1];

/** The task repository on one knex handle (the pool or a transaction). */
export function taskRepository(db: Db, dialect: Dialect): TaskRepository {
  return {
    async insert(row) {
      await db(TABLE).insert(toRow(row));
      await insertCandidates(db, row.id, row.candidateUsers ?? [], row.candidateGroups ?? [], row.status);
    },
    async cancelOpenByInstance(instanceId, at) {
      const open = db(TABLE).select('id').where({ instance_id: instanceId, status: 'open' });
      await db('task_candidates').whereIn('task_id', open).update({ task_status: 'cancelled' });
      await db(TABLE).where({ instance_id: instanceId, status: 'open' }).update({ status: 'cancelled', ended_at: isoInOrNull(at) });
    },
    async get(id) {
      return withCandidates(db, await db(TABLE).where({ id }).first());
    },
    async statusOf(id) {
      const record: { status: TaskRow['status'] } | undefined = await db(TABLE).select('status').where({ id }).first();
      return record?.status ?? null;
    },
    async openByElement(instanceId, elementId) {
      const query = db(TABLE).where({ instance_id: instanceId, element_id: elementId, status: 'open' });
      return withCandidates(db, await query.orderBy('created_at').first());
    },
    async update(id, patch) {
      const columns = patchColumns(patch, PATCH_COLUMNS);
      if (Object.keys(columns).length > 0) await db(TABLE).where({ id }).update(columns);
      if (patch.status) await updateCandidateStatus(db, id, patch.status);
      if (patch.candidateUsers || patch.candidateGroups) await replaceCandidates(db, id, patch);
    },
    async assign(id, expected, assignee) {
      const query = db(TABLE).where({ id, status: 'open' });
      if (expected === null) query.whereNull('assignee');
      else query.where('assignee', expected);
      return (await query.update({ assignee })) === 1;
    },
    async complete(id, completedBy, endedAt) {
      const changed = await db(TABLE).where({ id, status: 'open' }).update({ status: 'completed', completed_by: completedBy, ended_at: isoInOrNull(endedAt) });
      if (changed === 1) await updateCandidateStatus(db, id, 'completed');
      return changed === 1;
    },
    async list(filter) {
      const page = await readPage<TaskRecord, TaskRecord>(listQuery(db, filter, dialect), counted(filtered(db, filter, dialect)), filter, (r) => r);
      const candidates = await readCandidates(db, page.items.map((r) => r.id));
      return { total: page.total, items: page.items.map((r) => fromRow(r, candidates.get(r.id))) };
    },
  };
}

/** The ordered, windowed query behind tasks.list: due (nulls last), priority high first, oldest first. */
export function listQuery(db: Db, filter: TaskFilter, dialect: Dialect): Knex.QueryBuilder {
  const query = filtered(db, filter, dialect).select(`${TABLE}.*`)
    .orderByRaw('?? asc nulls last', ['due'])
    .orderBy([{ column: 'priority', order: 'desc' }, { column: 'created_at', order: 'asc' }, { column: 'id', order: 'asc' }]);
  return windowed(query, filter);
}

/** Maps a task row to its record. */
export function toRow(row: TaskRow): TaskRecord {
  return {
    id: row.id,
    instance_id: row.instanceId,
    definition_key: row.definitionKey,
    element_id: row.elementId,
    name: row.name,
    status: row.status,
    assignee: row.assignee,
    priority: row.priority,
    due: isoInOrNull(row.due),
    follow_up: isoInOrNull(row.followUp),
    form_key: row.formKey,
    inputs: jsonIn(row.inputs ?? {}),
    created_at: isoIn(row.createdAt),
    ended_at: isoInOrNull(row.endedAt),
    completed_by: row.completedBy,
  };
}

/** Maps a stored record and its candidates to a task row. */
export function fromRow(record: TaskRecord, candidates?: Candidates): TaskRow {
  return {
    id: record.id,
    instanceId: record.instance_id,
    definitionKey: record.definition_key,
    elementId: record.element_id,
    name: record.name,
    status: record.status as TaskStatus,
    assignee: record.assignee,
    candidateUsers: candidates?.candidateUsers ?? [],
    candidateGroups: candidates?.candidateGroups ?? [],
    priority: Number(record.priority),
    due: isoOutOrNull(record.due),
    followUp: isoOutOrNull(record.follow_up),
    formKey: record.form_key,
    inputs: jsonOut(record.inputs) ?? {},
    createdAt: isoOut(record.created_at),
    endedAt: isoOutOrNull(record.ended_at),
    completedBy: record.completed_by,
  };
}

// helpers

const PATCH_COLUMNS: PatchMap<TaskPatch> = {
  status: (v) => ({ status: v }),
  assignee: (v) => ({ assignee: v }),
  endedAt: (v) => ({ ended_at: isoInOrNull(v) }),
  completedBy: (v) => ({ completed_by: v }),
  due: (v) => ({ due: isoInOrNull(v) }),
  priority: (v) => ({ priority: v }),
  candidateGroups: () => ({}),
  candidateUsers: () => ({}),
};

async function withCandidates(db: Db, record: TaskRecord | undefined): Promise<TaskRow | null> {
  if (!record) return null;
  const candidates = await readCandidates(db, [record.id]);
  return fromRow(record, candidates.get(record.id));
}

async function replaceCandidates(db: Db, id: string, patch: TaskPatch): Promise<void> {
  const record: Pick<TaskRecord, 'status'> | undefined = await db(TABLE).where({ id }).first('status');
  if (!record) return;
  const status = record.status as TaskStatus;
  if (patch.candidateUsers) await writeCandidates(db, id, 'user', patch.candidateUsers, status);
  if (patch.candidateGroups) await writeCandidates(db, id, 'group', patch.candidateGroups, status);
}

// Filters combine with AND; a candidate filter matches a task having any of the given values.
function filtered(db: Db, filter: TaskFilter, dialect: Dialect): Knex.QueryBuilder {
  const query = db(TABLE);
  const { status, candidateUser, candidateGroups } = filter;
  const byCandidate = candidateUser !== undefined || candidateGroups !== undefined || filter.visibleTo !== undefined;
  if (filter.assignee !== undefined) query.where('assignee', filter.assignee);
  if (status !== undefined) whereStatus(query, status, byCandidate && dialect === 'sqlite');
  if (filter.instanceId !== undefined) query.where('instance_id', filter.instanceId);
  if (filter.definitionKey !== undefined) query.where('definition_key', filter.definitionKey);
  if (candidateUser !== undefined) query.whereIn('id', tasksWithCandidates(db, 'user', [candidateUser], status));
  if (candidateGroups !== undefined) query.whereIn('id', tasksWithCandidates(db, 'group', candidateGroups, status));
  if (filter.visibleTo !== undefined) query.whereIn('id', visibleTaskIds(db, filter.visibleTo, status));
  return query;
}

// SQLite, lacking statistics, would walk all tasks of that status; the unary plus keeps it off
// the status index so it starts from the (smaller) candidate index instead.
function whereStatus(query: Knex.QueryBuilder, status: TaskStatus, viaCandidates: boolean): void {
  if (viaCandidates) query.whereRaw('+?? = ?', ['status', status]);
  else query.where('status', status);
}
