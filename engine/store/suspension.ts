/**
 * Suspended process instances (Camunda 7's suspension state): their jobs are not handed to workers, their
 * timers and SLA checks are not claimed. Each claim keeps its rows whose instance is not suspended with a
 * correlated NOT EXISTS on the partial index of suspended instances (migration 195), so a claim costs the
 * same while no instance is suspended; rows without an instance are never held back.
 */
import type { Knex } from 'knex';
import type { Db, Dialect } from './columns.js';

/** Keeps the rows of `query` whose instance (`instanceColumn`) is not suspended. */
export function whereNotSuspended(
  db: Db,
  dialect: Dialect,
  query: Knex.QueryBuilder,
  instanceColumn: string,
): Knex.QueryBuilder {
  return query.whereNotExists(
    db({ si: 'instances' })
      .select(db.raw('1'))
      .whereRaw('?? = ??', ['si.id', instanceColumn])
      .whereRaw(dialect === 'postgres' ? 'si.suspended' : 'si.suspended = 1'),
  );
}
