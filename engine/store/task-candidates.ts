import type { Knex } from 'knex';
import type { TaskStatus } from './types.js';
import type { Db } from './columns.js';

const TABLE = 'task_candidates';

/** Who may work on a task besides its assignee: a group or a single user. */
export type CandidateKind = 'group' | 'user';

/** Candidate users and groups of one task, in the order they were given. */
export interface Candidates {
  candidateUsers: string[];
  candidateGroups: string[];
}

/** Replaces the candidates of one kind for a task, recording the task's current status with them. */
export async function writeCandidates(
  db: Db,
  taskId: string,
  kind: CandidateKind,
  values: string[],
  taskStatus: TaskStatus,
): Promise<void> {
  await db(TABLE).where({ task_id: taskId, kind }).delete();
  const unique = [...new Set(values)];
  if (unique.length === 0) return;
  await db(TABLE).insert(
    unique.map((value, position) => ({ task_id: taskId, kind, value, position, task_status: taskStatus })),
  );
}

/** Writes the candidates of a new task in one statement. */
export async function insertCandidates(
  db: Db,
  taskId: string,
  users: string[],
  groups: string[],
  taskStatus: TaskStatus,
): Promise<void> {
  const rows = candidateRows(taskId, users, groups, taskStatus);
  if (rows.length > 0) await db(TABLE).insert(rows);
}

/** The candidate records of a new task: users then groups, each deduplicated in the order given. */
export function candidateRows(taskId: string, users: string[], groups: string[], taskStatus: TaskStatus) {
  return [
    ...[...new Set(users)].map((value, position) => ({
      task_id: taskId,
      kind: 'user',
      value,
      position,
      task_status: taskStatus,
    })),
    ...[...new Set(groups)].map((value, position) => ({
      task_id: taskId,
      kind: 'group',
      value,
      position,
      task_status: taskStatus,
    })),
  ];
}

/** Copies a task's new status to its candidate rows. */
export async function updateCandidateStatus(db: Db, taskId: string, taskStatus: TaskStatus): Promise<void> {
  await db(TABLE).where({ task_id: taskId }).update({ task_status: taskStatus });
}

/** Reads the candidates of many tasks at once, keyed by task id (every id present). */
export async function readCandidates(db: Db, taskIds: string[]): Promise<Map<string, Candidates>> {
  const byTask = new Map<string, Candidates>(taskIds.map((id) => [id, { candidateUsers: [], candidateGroups: [] }]));
  if (taskIds.length === 0) return byTask;
  const records: Array<{ task_id: string; kind: CandidateKind; value: string }> = await db(TABLE)
    .select('task_id', 'kind', 'value')
    .whereIn('task_id', taskIds)
    .orderBy(['task_id', 'kind', 'position']);
  for (const record of records) {
    const candidates = byTask.get(record.task_id);
    if (!candidates) continue;
    (record.kind === 'group' ? candidates.candidateGroups : candidates.candidateUsers).push(record.value);
  }
  return byTask;
}

/** The ids of tasks (optionally in one status) having any of the given candidates of one kind, as a subquery. */
export function tasksWithCandidates(
  db: Db,
  kind: CandidateKind,
  values: string[],
  taskStatus?: TaskStatus,
): Knex.QueryBuilder {
  const query = db(TABLE).select('task_id').where('kind', kind).whereIn('value', values);
  return taskStatus === undefined ? query : query.where('task_status', taskStatus);
}
