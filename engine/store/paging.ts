import type { Knex } from 'knex';
import { InvalidCursorError, type KeysetPaging, type Page, type Paging } from './types.js';
import { numberOut } from './columns.js';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;

/** The offset and limit a list query uses: limit defaults to 50 and is capped at 500. */
export function pageWindow(paging: Paging): { offset: number; limit: number } {
  const offset = Math.max(0, Math.floor(paging.offset ?? 0));
  const limit = Math.min(MAX_LIMIT, Math.max(0, Math.floor(paging.limit ?? DEFAULT_LIMIT)));
  return { offset, limit };
}

/** Runs an ordered, windowed items query and its count query (skipped with `withTotal: false`), mapping each record. */
export async function readPage<R, T>(
  items: Knex.QueryBuilder,
  count: Knex.QueryBuilder,
  paging: Paging & { withTotal?: boolean },
  map: (record: R) => T,
): Promise<Page<T>> {
  if (paging.withTotal === false)
    return { items: pageWindow(paging).limit === 0 ? [] : ((await items) as R[]).map(map) };
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
  return windowed(
    query.select('*').orderBy([
      { column, order: 'desc' },
      { column: 'id', order: 'desc' },
    ]),
    paging,
  );
}

/**
 * Reads one page of a query ordered by a unique key, without OFFSET: asks for one row more than the
 * page to learn whether another follows, and counts every match only when `withTotal` is not false.
 * `after` narrows the query to the rows after a decoded cursor; `keyOf` gives a record's cursor key.
 */
export async function readKeysetPage<R, T>(
  ordered: Knex.QueryBuilder,
  count: () => Knex.QueryBuilder,
  paging: KeysetPaging,
  keyOf: (record: R) => string,
  map: (record: R) => T,
): Promise<Page<T>> {
  const { offset, limit } = pageWindow(paging);
  const total = paging.withTotal === false ? undefined : numberOut((await count().first())?.n);
  if (limit === 0 || total === 0) return { items: [], ...(total === undefined ? {} : { total }), nextCursor: null };
  if (paging.cursor === undefined && offset > 0) ordered.offset(offset);
  const records = (await ordered.limit(limit + 1)) as R[];
  const page = records.slice(0, limit);
  const nextCursor = records.length > limit ? encodeCursor(keyOf(page[page.length - 1])) : null;
  return { items: page.map(map), ...(total === undefined ? {} : { total }), nextCursor };
}

/** The opaque text a list hands out for a key. */
export function encodeCursor(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

/** The key inside a cursor, checked by `valid`; InvalidCursorError when it is not one this list gave. */
export function decodeCursor(cursor: string, valid: (key: string) => boolean): string {
  const key = /^[A-Za-z0-9_-]+$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  if (!valid(key)) throw new InvalidCursorError(cursor);
  return key;
}
