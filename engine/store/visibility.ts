/**
 * What a staff member or supervisor may see: tasks assigned to them, completed by them, or offered to
 * them or one of their groups, and the instances holding such tasks. A list in one status probes each
 * row (correlated EXISTS by primary key), so it reads its own index in page order instead of
 * collecting every task the groups ever had; a list of every status starts from the candidates.
 */
import type { Knex } from 'knex';
import type { Visibility } from './user-types.js';
import type { Db } from './columns.js';

/** Restricts a query on `tasks` (or an alias of it) to the tasks the user may see. */
export function whereTaskVisible(db: Db, query: Knex.QueryBuilder, visibility: Visibility, table = 'tasks'): void {
  query.where((q) =>
    q
      .where(`${table}.assignee`, visibility.user)
      .orWhere(`${table}.completed_by`, visibility.user)
      .orWhereExists(offeredTo(db, visibility, `${table}.id`)),
  );
}

/** Restricts a query to rows whose instance (`instanceColumn`) holds a task the user may see. */
export function whereInstanceVisible(
  db: Db,
  query: Knex.QueryBuilder,
  visibility: Visibility,
  instanceColumn = 'instances.id',
): void {
  const holding = db({ vt: 'tasks' }).select(db.raw('1')).whereRaw('?? = ??', ['vt.instance_id', instanceColumn]);
  whereTaskVisible(db, holding, visibility, 'vt');
  query.whereExists(holding);
}

/** Restricts a query to rows whose task (`taskColumn`) has a candidate of this kind among `values`. */
export function whereOfferedTo(
  db: Db,
  query: Knex.QueryBuilder,
  kind: 'user' | 'group',
  values: string[],
  taskColumn: string,
): void {
  query.whereExists(
    db({ oc: 'task_candidates' })
      .select(db.raw('1'))
      .whereRaw('?? = ??', ['oc.task_id', taskColumn])
      .where('oc.kind', kind)
      .whereIn('oc.value', values.length > 0 ? values : ['']),
  );
}

/** The ids of every task (any status) the user may see, as a subquery: each branch from its own index. */
export function visibleTaskIds(db: Db, visibility: Visibility): Knex.QueryBuilder {
  const branches = [
    db('tasks').select('id').where('completed_by', visibility.user),
    candidateTaskIds(db, 'user', [visibility.user]),
  ];
  if (visibility.groups.length > 0) branches.push(candidateTaskIds(db, 'group', visibility.groups));
  return db('tasks').select('id').where('assignee', visibility.user).union(branches);
}

/** The ids of the instances a user may see (those holding a task they may see), as a subquery. */
export function visibleInstanceIds(db: Db, visibility: Visibility): Knex.QueryBuilder {
  return db('tasks').select('instance_id').whereIn('id', visibleTaskIds(db, visibility));
}

/** The ids of the tasks (any status) offered to any of these candidates, as a subquery. */
export function candidateTaskIds(db: Db, kind: 'user' | 'group', values: string[]): Knex.QueryBuilder {
  return db('task_candidates')
    .select('task_id')
    .where('kind', kind)
    .whereIn('value', values.length > 0 ? values : ['']);
}

// helpers

function offeredTo(db: Db, visibility: Visibility, taskColumn: string): Knex.QueryBuilder {
  return db({ vc: 'task_candidates' })
    .select(db.raw('1'))
    .whereRaw('?? = ??', ['vc.task_id', taskColumn])
    .where((q) => {
      q.where({ 'vc.kind': 'user', 'vc.value': visibility.user });
      if (visibility.groups.length > 0)
        q.orWhere((g) => g.where('vc.kind', 'group').whereIn('vc.value', visibility.groups));
    });
}
