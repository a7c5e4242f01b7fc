import type { Knex } from 'knex';
import {
  VersionConflictError,
  type InstanceRepository,
  type InstanceRow,
  type InstanceStatus,
  type InstanceSummary,
} from './types.js';
import { type Db, type Dialect, isoIn, isoInOrNull, isoOut, isoOutOrNull, jsonIn, jsonOut } from './columns.js';
import { counted, decodeCursor, readKeysetPage } from './paging.js';
import { whereInstanceVisible } from './visibility.js';
import { withPrepared } from './prepared.js';
import { HISTORY_CHUNK, historyRepository, toRow as historyToRow } from './history.js';

const TABLE = 'instances';
const SUMMARY_CHUNK = 500;

/** An instances table record, as stored. */
export interface InstanceRecord {
  id: string;
  definition_id: string;
  definition_key: string;
  business_key: string | null;
  status: string;
  snapshot: string;
  variables: string;
  active_elements: string;
  version: number;
  started_at: unknown;
  ended_at: unknown;
  started_by: string | null;
  parent_instance_id?: string | null;
  root_instance_id?: string | null;
  caller_element_id?: string | null;
  caller_activation_id?: string | null;
  suspended?: unknown;
}

/** The filter and paging instances.list accepts. */
export type InstanceFilter = Parameters<InstanceRepository['list']>[0];

/** The instance repository on one knex handle (the pool or a transaction). */
export function instanceRepository(db: Db, dialect: Dialect): InstanceRepository {
  return {
    async insert(row) {
      await db(TABLE).insert(toRow(row));
    },
    async get(id) {
      const query = () => db(TABLE).where({ id }).first();
      // the hot read of every step: prepared once per connection
      const record =
        dialect === 'postgres'
          ? await withPrepared(query().toSQL().sql, (options) => query().options(options))
          : await query();
      return record ? fromRow(record) : null;
    },
    async save(row, expectedVersion, history = []) {
      const { snapshot, variables, active_elements, status, ended_at } = toRow(row);
      const update = db(TABLE)
        .where({ id: row.id, version: expectedVersion })
        .update({ snapshot, variables, active_elements, status, ended_at, version: db.raw('?? + 1', ['version']) });
      if (dialect === 'postgres' && history.length > 0 && history.length <= HISTORY_CHUNK) {
        // one round trip: the history rows ride on the update as a data-modifying CTE (rolled back with the
        // transaction when the version does not match)
        const insert = db('history').insert(history.map(historyToRow)).toSQL();
        const saved = update.toSQL();
        const result: { rowCount: number } = await db.raw(`with appended as (${insert.sql}) ${saved.sql}`, [
          ...insert.bindings,
          ...saved.bindings,
        ]);
        if (result.rowCount === 0) throw new VersionConflictError(row.id, expectedVersion);
        return;
      }
      const changed: number = await update;
      if (changed === 0) throw new VersionConflictError(row.id, expectedVersion);
      await historyRepository(db, dialect).append(history);
    },
    async setSuspended(id, suspended) {
      const changed: number = await db(TABLE)
        .where({ id })
        .whereIn('status', ['active', 'incident'])
        .update({ suspended: suspended ? 1 : 0, version: db.raw('?? + 1', ['version']) });
      return changed === 1;
    },
    async runningChildren(parentId, elementId, activationId) {
      const query = db(TABLE)
        .where({ parent_instance_id: parentId })
        .whereIn('status', ['active', 'incident'])
        .orderBy([
          { column: 'started_at', order: 'asc' },
          { column: 'id', order: 'asc' },
        ]);
      if (elementId !== undefined) query.where({ caller_element_id: elementId });
      if (activationId !== undefined) query.where({ caller_activation_id: activationId });
      return ((await query) as InstanceRecord[]).map(fromRow);
    },
    async summaries(ids) {
      const found = new Map<string, InstanceSummary>();
      const unique = [...new Set(ids)];
      // one statement for a page of tasks; chunks keep SQLite under its bound-parameter limit
      for (let i = 0; i < unique.length; i += SUMMARY_CHUNK) {
        const records: Array<{ id: string; business_key: string | null; definition_id: string; suspended: unknown }> =
          await db(TABLE)
            .select('id', 'business_key', 'definition_id', 'suspended')
            .whereIn('id', unique.slice(i, i + SUMMARY_CHUNK));
        for (const r of records)
          found.set(r.id, {
            businessKey: r.business_key,
            definitionId: r.definition_id,
            suspended: r.suspended === true || Number(r.suspended) === 1,
          });
      }
      return found;
    },
    list(filter) {
      return readKeysetPage(listQuery(db, filter), () => counted(filtered(db, filter)), filter, cursorKey, fromRow);
    },
  };
}

/** The ordered query behind instances.list, after the cursor if one is given: newest first, by id. */
export function listQuery(db: Db, filter: InstanceFilter): Knex.QueryBuilder {
  const query = filtered(db, filter)
    .select(`${TABLE}.*`)
    .orderBy([
      { column: `${TABLE}.started_at`, order: 'desc' },
      { column: `${TABLE}.id`, order: 'desc' },
    ]);
  if (filter.cursor !== undefined) {
    const [startedAt, id] = splitKey(decodeCursor(filter.cursor, isCursorKey));
    query.whereRaw('(??, ??) < (?, ?)', [`${TABLE}.started_at`, `${TABLE}.id`, startedAt, id]);
  }
  return query;
}

/** Maps an instance row to its record. */
export function toRow(row: InstanceRow): InstanceRecord {
  return {
    id: row.id,
    definition_id: row.definitionId,
    definition_key: row.definitionKey,
    business_key: row.businessKey,
    status: row.status,
    snapshot: jsonIn(row.snapshot),
    variables: jsonIn(row.variables ?? {}),
    active_elements: jsonIn(row.activeElements ?? []),
    version: row.version,
    started_at: isoIn(row.startedAt),
    ended_at: isoInOrNull(row.endedAt),
    started_by: row.startedBy,
    parent_instance_id: row.parentInstanceId ?? null,
    root_instance_id: row.rootInstanceId ?? null,
    caller_element_id: row.callerElementId ?? null,
    caller_activation_id: row.callerActivationId ?? null,
  };
}

/** Maps a stored record to an instance row. */
export function fromRow(record: InstanceRecord): InstanceRow {
  return {
    id: record.id,
    definitionId: record.definition_id,
    definitionKey: record.definition_key,
    businessKey: record.business_key,
    status: record.status as InstanceStatus,
    snapshot: jsonOut(record.snapshot),
    variables: jsonOut(record.variables) ?? {},
    activeElements: jsonOut(record.active_elements) ?? [],
    version: Number(record.version),
    startedAt: isoOut(record.started_at),
    endedAt: isoOutOrNull(record.ended_at),
    startedBy: record.started_by,
    parentInstanceId: record.parent_instance_id ?? null,
    rootInstanceId: record.root_instance_id ?? null,
    callerElementId: record.caller_element_id ?? null,
    callerActivationId: record.caller_activation_id ?? null,
    suspended: record.suspended === true || Number(record.suspended) === 1,
  };
}

// helpers

function filtered(db: Db, filter: InstanceFilter): Knex.QueryBuilder {
  const query = db(TABLE);
  if (filter.definitionKey !== undefined) query.where(`${TABLE}.definition_key`, filter.definitionKey);
  if (filter.status !== undefined) query.where(`${TABLE}.status`, filter.status);
  if (filter.statuses !== undefined) query.whereIn(`${TABLE}.status`, filter.statuses);
  if (filter.definitionId !== undefined) query.where(`${TABLE}.definition_id`, filter.definitionId);
  if (filter.businessKey !== undefined) query.where(`${TABLE}.business_key`, filter.businessKey);
  if (filter.parentInstanceId !== undefined) query.where(`${TABLE}.parent_instance_id`, filter.parentInstanceId);
  if (filter.startedAfter !== undefined) query.where(`${TABLE}.started_at`, '>=', isoIn(filter.startedAfter));
  if (filter.suspended !== undefined) query.where(`${TABLE}.suspended`, filter.suspended ? 1 : 0);
  if (filter.visibleTo !== undefined) whereInstanceVisible(db, query, filter.visibleTo);
  return query;
}

// A cursor holds the last row's started_at (ISO, UTC) and id.
const CURSOR_KEY = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\|.+$/;

function cursorKey(record: InstanceRecord): string {
  return `${isoOut(record.started_at)}|${record.id}`;
}

function isCursorKey(key: string): boolean {
  return CURSOR_KEY.test(key);
}

function splitKey(key: string): [string, string] {
  const bar = key.indexOf('|');
  return [key.slice(0, bar), key.slice(bar + 1)];
}
