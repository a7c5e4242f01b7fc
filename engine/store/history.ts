import type { HistoryRepository, HistoryRow } from './types.js';
import { type Db, type Dialect, isoIn, isoOut, jsonIn, jsonOut, numberOut } from './columns.js';

const TABLE = 'history';
// Keeps each multi-row insert well under SQLite's bound-parameter limit.
export const HISTORY_CHUNK = 100;

/** A history table record, as stored; `actor` holds HistoryRow.by (BY is an SQL keyword). */
export interface HistoryRecord {
  id?: number | string;
  instance_id: string;
  element_id: string | null;
  element_type: string | null;
  event: string;
  at: unknown;
  actor: string | null;
  details: string | null;
}

/** The append-only history repository on one knex handle (the pool or a transaction). */
export function historyRepository(db: Db, _dialect: Dialect): HistoryRepository {
  return {
    async append(rows) {
      for (let i = 0; i < rows.length; i += HISTORY_CHUNK) {
        await db(TABLE).insert(rows.slice(i, i + HISTORY_CHUNK).map(toRow));
      }
    },
    async list(instanceId) {
      const records: HistoryRecord[] = await db(TABLE).where({ instance_id: instanceId }).orderBy('id');
      return records.map(fromRow);
    },
  };
}

/** Maps a history row to its record; the id is left to the database. */
export function toRow(row: HistoryRow): HistoryRecord {
  return {
    instance_id: row.instanceId,
    element_id: row.elementId,
    element_type: row.elementType,
    event: row.event,
    at: isoIn(row.at),
    actor: row.by,
    details: row.details == null ? null : jsonIn(row.details),
  };
}

/** Maps a stored record to a history row. */
export function fromRow(record: HistoryRecord): HistoryRow {
  return {
    id: numberOut(record.id),
    instanceId: record.instance_id,
    elementId: record.element_id,
    elementType: record.element_type,
    event: record.event,
    at: isoOut(record.at),
    by: record.actor,
    details: jsonOut(record.details),
  };
}
