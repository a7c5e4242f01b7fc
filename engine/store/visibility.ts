/**
 * What a staff member or supervisor may see: tasks assigned to them, completed by them, or offered to
 * them or one of their groups, and the instances holding such tasks. Each branch of the union is
 * served by its own index, so the filter never scans all tasks.
 */
import type { Knex } from 'knex';
import type { TaskStatus } from './types.js';
import type { Visibility } from './user-types.js';
import type { Db } from './columns.js';

/** The ids of the tasks (optionally in one status) a user may see, as a subquery. */
export function visibleTaskIds(db: Db, visibility: Visibility, status?: TaskStatus): Knex.QueryBuilder {
  const assigned = db('tasks').select('id').where('assignee', visibility.user);
  if (status !== undefined) assigned.where('status', status);
  const branches = [
    db('tasks').select('id').where('completed_by', visibility.user),
    offeredTo(db, 'user', [visibility.user], status),
  ];
  if (visibility.groups.length > 0) branches.push(offeredTo(db, 'group', visibility.groups, status));
  return assigned.union(branches);
}

/** The ids of the instances a user may see (those holding a task they may see), as a subquery. */
export function visibleInstanceIds(db: Db, visibility: Visibility): Knex.QueryBuilder {
  return db('tasks').select('instance_id').whereIn('id', visibleTaskIds(db, visibility));
}

// helpers

function offeredTo(db: Db, kind: 'user' | 'group', values: string[], status?: TaskStatus): Knex.QueryBuilder {
  const query = db('task_candidates').select('task_id').where('kind', kind).whereIn('value', values);
  return status === undefined ? query : query.where('task_status', status);
}
