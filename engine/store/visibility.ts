/**
 * What a staff member or supervisor may see: tasks assigned to them, completed by them, or offered to
 * them or one of their groups, and the instances holding such tasks. Both are correlated EXISTS
 * probes on the row being listed, so a list reads its own index in page order (status first) and
 * checks each row by primary key, instead of collecting every task the groups ever had.
 */
import type { Knex } from 'knex';
import type { Visibility } from './user-types.js';
import type { Db } from './columns.js';

/** Restricts a query on `tasks` (or an alias of it) to the tasks the user may see. */
export function whereTaskVisible(db: Db, query: Knex.QueryBuilder, visibility: Visibility, table = 'tasks'): void {
  query.where((q) => q
    .where(`${table}.assignee`, visibility.user)
    .orWhere(`${table}.completed_by`, visibility.user)
    .orWhereExists(offeredTo(db, visibility, `${table}.id`)));
}

/** Restricts a query on `instances` to those holding a task the user may see. */
export function whereInstanceVisible(db: Db, query: Knex.QueryBuilder, visibility: Visibility): void {
  const holding = db({ vt: 'tasks' }).select(db.raw('1')).whereRaw('?? = ??', ['vt.instance_id', 'instances.id']);
  whereTaskVisible(db, holding, visibility, 'vt');
  query.whereExists(holding);
}

/** Restricts a query to rows whose task (`taskColumn`) has a candidate of this kind among `values`. */
export function whereOfferedTo(db: Db, query: Knex.QueryBuilder, kind: 'user' | 'group', values: string[], taskColumn: string): void {
  query.whereExists(db({ oc: 'task_candidates' }).select(db.raw('1')).whereRaw('?? = ??', ['oc.task_id', taskColumn])
    .where('oc.kind', kind).whereIn('oc.value', values.length > 0 ? values : ['']));
}

// helpers

function offeredTo(db: Db, visibility: Visibility, taskColumn: string): Knex.QueryBuilder {
  return db({ vc: 'task_candidates' }).select(db.raw('1')).whereRaw('?? = ??', ['vc.task_id', taskColumn])
    .where((q) => {
      q.where({ 'vc.kind': 'user', 'vc.value': visibility.user });
      if (visibility.groups.length > 0) q.orWhere((g) => g.where('vc.kind', 'group').whereIn('vc.value', visibility.groups));
    });
}
