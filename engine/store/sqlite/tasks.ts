import type { TaskRepository, TaskRow, TaskStatus } from '../types.js';
import { type TaskFilter, type TaskRecord, fromRow, toRow } from '../tasks.js';
import type { Candidates, CandidateKind } from '../task-candidates.js';
import { isoInOrNull } from '../columns.js';
import { encodeCursor, pageWindow } from '../paging.js';
import type { SqliteSession } from './store.js';
import { insertSql, valuesOf } from './repositories.js';

type TaskPatch = Parameters<TaskRepository['update']>[1];

const TASK_COLUMNS = [
  'id',
  'instance_id',
  'definition_key',
  'element_id',
  'name',
  'status',
  'assignee',
  'priority',
  'due',
  'follow_up',
  'form_key',
  'inputs',
  'created_at',
  'ended_at',
  'completed_by',
  'activation_id',
] as const;
const CANDIDATE_COLUMNS = ['task_id', 'kind', 'value', 'position', 'task_status'] as const;
// `|| ''`: an instance's few tasks come from its index and are sorted, never a walk of the list_key index
const ORDER = 'order by "list_key" || \'\'';

const SQL = {
  insert: insertSql('tasks', TASK_COLUMNS),
  insertCandidate: insertSql('task_candidates', CANDIDATE_COLUMNS),
  get: 'select * from "tasks" where "id" = ? limit 1',
  statusOf: 'select "status" from "tasks" where "id" = ? limit 1',
  openByElement:
    'select * from "tasks" where "instance_id" = ? and "element_id" = ? and "status" = \'open\' order by "created_at" asc limit 1',
  openByActivation:
    'select * from "tasks" where "instance_id" = ? and "element_id" = ? and "activation_id" = ? and "status" = \'open\' limit 1',
  candidates: 'select "kind", "value" from "task_candidates" where "task_id" = ? order by "kind", "position"',
  candidateStatus: 'update "task_candidates" set "task_status" = ? where "task_id" = ?',
  cancelCandidates:
    'update "task_candidates" set "task_status" = \'cancelled\' where "task_id" in (select "id" from "tasks" where "instance_id" = ? and "status" = \'open\')',
  cancelOpen:
    'update "tasks" set "status" = \'cancelled\', "ended_at" = ? where "instance_id" = ? and "status" = \'open\'',
  countByInstance: 'select count(*) as "n" from "tasks" where "instance_id" = ?',
  countByInstanceStatus: 'select count(*) as "n" from "tasks" where "status" = ? and "instance_id" = ?',
  byInstance: `select * from "tasks" where "instance_id" = ? ${ORDER} limit ? offset ?`,
  byInstanceStatus: `select * from "tasks" where "status" = ? and "instance_id" = ? ${ORDER} limit ? offset ?`,
};

/** Every fixed task statement written here, for the query-plan tests. */
export const TASK_STATEMENTS: readonly string[] = Object.values(SQL);

const PATCH_COLUMNS: Record<string, [column: string, write: (v: never) => unknown]> = {
  status: ['status', (v: string) => v],
  assignee: ['assignee', (v: string | null) => v],
  endedAt: ['ended_at', (v: string | null) => isoInOrNull(v)],
  completedBy: ['completed_by', (v: string | null) => v],
  due: ['due', (v: string | null) => isoInOrNull(v)],
  priority: ['priority', (v: number) => v],
};

/** The hot task statements as prepared statements; other filters of list and candidate rewrites stay knex-built. */
export function fastTasks(session: SqliteSession, base: TaskRepository): TaskRepository {
  const withCandidates = (record: TaskRecord | undefined) =>
    record ? fromRow(record, candidatesOf(session, record.id)) : null;
  return {
    ...base,
    async insert(row) {
      session.run(SQL.insert, valuesOf(toRow(row), TASK_COLUMNS));
      insertCandidates(session, row);
    },
    async get(id) {
      return withCandidates(session.get<TaskRecord>(SQL.get, [id]));
    },
    async statusOf(id) {
      return session.get<{ status: TaskStatus }>(SQL.statusOf, [id])?.status ?? null;
    },
    async openByElement(instanceId, elementId, activationId) {
      if (activationId)
        return withCandidates(session.get<TaskRecord>(SQL.openByActivation, [instanceId, elementId, activationId]));
      return withCandidates(session.get<TaskRecord>(SQL.openByElement, [instanceId, elementId]));
    },
    async update(id, patch) {
      updateColumns(session, id, patch);
      if (patch.status) session.run(SQL.candidateStatus, [patch.status, id]);
      if (patch.candidateUsers || patch.candidateGroups)
        await base.update(id, { candidateUsers: patch.candidateUsers, candidateGroups: patch.candidateGroups });
    },
    async cancelOpenByInstance(instanceId, at) {
      session.run(SQL.cancelCandidates, [instanceId]);
      session.run(SQL.cancelOpen, [isoInOrNull(at), instanceId]);
    },
    async list(filter) {
      return isByInstance(filter) ? listByInstance(session, filter) : base.list(filter);
    },
  };
}

// helpers

function insertCandidates(session: SqliteSession, row: TaskRow): void {
  const rows = [
    ...[...new Set(row.candidateUsers ?? [])].map((value, position) => ['user', value, position]),
    ...[...new Set(row.candidateGroups ?? [])].map((value, position) => ['group', value, position]),
  ];
  session.atomically(rows.length, () => {
    for (const [kind, value, position] of rows)
      session.run(SQL.insertCandidate, [row.id, kind, value, position, row.status]);
  });
}

function candidatesOf(session: SqliteSession, taskId: string): Candidates {
  const candidates: Candidates = { candidateUsers: [], candidateGroups: [] };
  for (const record of session.all<{ kind: CandidateKind; value: string }>(SQL.candidates, [taskId])) {
    (record.kind === 'group' ? candidates.candidateGroups : candidates.candidateUsers).push(record.value);
  }
  return candidates;
}

function updateColumns(session: SqliteSession, id: string, patch: TaskPatch): void {
  const columns: string[] = [];
  const values: unknown[] = [];
  for (const [field, value] of Object.entries(patch)) {
    const mapping = PATCH_COLUMNS[field];
    if (value === undefined || !mapping) continue;
    columns.push(`"${mapping[0]}" = ?`);
    values.push(mapping[1](value as never));
  }
  if (columns.length > 0) session.run(`update "tasks" set ${columns.join(', ')} where "id" = ?`, [...values, id]);
}

function isByInstance(filter: TaskFilter): boolean {
  if (filter.instanceId === undefined) return false;
  return Object.entries(filter).every(
    ([key, value]) =>
      value === undefined || key === 'instanceId' || key === 'status' || key === 'offset' || key === 'limit',
  );
}

async function listByInstance(
  session: SqliteSession,
  filter: TaskFilter,
): Promise<{ items: TaskRow[]; total: number; nextCursor: string | null }> {
  const where = filter.status === undefined ? [filter.instanceId] : [filter.status, filter.instanceId];
  const total = Number(
    session.get<{ n: number }>(filter.status === undefined ? SQL.countByInstance : SQL.countByInstanceStatus, where)
      ?.n ?? 0,
  );
  const { offset, limit } = pageWindow(filter);
  if (limit === 0 || total === 0) return { items: [], total, nextCursor: null };
  const records = session.all<TaskRecord>(filter.status === undefined ? SQL.byInstance : SQL.byInstanceStatus, [
    ...where,
    limit + 1,
    offset,
  ]);
  const page = records.slice(0, limit);
  const nextCursor = records.length > limit ? encodeCursor(page[page.length - 1].list_key ?? '') : null;
  return { total, nextCursor, items: page.map((record) => fromRow(record, candidatesOf(session, record.id))) };
}
