import type { Knex } from 'knex';
import type { Page, Paging } from './types.js';
import { numberOut } from './columns.js';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;

/** The offset and limit a list query uses: limit defaults to 50 and is capped at 500. */
export function pageWindow(paging: Paging): { offset: number; limit: number } {
  const offset = Math.max(0, Math.floor(paging.offset ?? 0));
  const limit = Math.min(MAX_LIMIT, Math.max(0, Math.floor(paging.limit ?? DEFAULT_LIMIT)));
  return { offset, limit };
}

/** Runs an ordered, windowed items query and its count query, mapping each record. */
export async function readPage<R, T>(
  items: Knex.QueryBuilder,
  count: Knex.QueryBuilder,
  paging: Paging,
  map: (record: R) => T,
): Promise<Page<T>> {
  const total = numberOut((await count.first())?.n);
  if (pageWindow(paging).limit === 0 || total === 0) return { items: [], total };
  const records = (await items) as R[];
  return { items: records.map(map), total };
}

/** Applies the page window to an ordered query. */
export function windowed(query: Knex.QueryBuilder, paging: Paging): Knex.QueryBuilder {
  const { offset, limit } = pageWindow(paging);
  return query.offset(offset).limit(limit);
}

/** Counts the rows of a filtered query as `n`. */
export function counted(query: Knex.QueryBuilder): Knex.QueryBuilder {
  return query.count({ n: '*' });
}

/** All columns, newest first by `column` (ties by id), windowed: the order of the activity lists. */
export function newestFirst(query: Knex.QueryBuilder, column: string, paging: Paging): Knex.QueryBuilder {
  return windowed(query.select('*').orderBy([{ column, order: 'desc' }, { column: 'id', order: 'desc' }]), paging);
}
