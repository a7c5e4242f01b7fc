import type { CalendarRepository, CalendarRow } from './sla-types.js';
import { type Db, type Dialect, isoIn, isoOut, jsonIn, jsonOut } from './columns.js';

const TABLE = 'calendars';

/** A calendars table record, as stored. */
export interface CalendarRecord {
  id: string;
  name: string;
  zone: string;
  week: string;
  holidays: string;
  extra_working_days: string;
  updated_at: unknown;
}

/** The calendar repository on one knex handle (the pool or a transaction). */
export function calendarRepository(db: Db, _dialect: Dialect): CalendarRepository {
  return {
    async get(id) {
      const record = await db(TABLE).where({ id }).first();
      return record ? fromRow(record) : null;
    },
    async list() {
      const records: CalendarRecord[] = await db(TABLE).orderBy('id');
      return records.map(fromRow);
    },
    async put(row) {
      await db(TABLE).insert(toRow(row)).onConflict('id').merge();
    },
    async insertIfAbsent(row) {
      const inserted = await db(TABLE).insert(toRow(row)).onConflict('id').ignore().returning('id');
      return inserted.length > 0;
    },
  };
}

/** Maps a calendar row to its record. */
export function toRow(row: CalendarRow): CalendarRecord {
  return {
    id: row.id,
    name: row.name,
    zone: row.zone,
    week: jsonIn(row.week),
    holidays: jsonIn(row.holidays),
    extra_working_days: jsonIn(row.extraWorkingDays),
    updated_at: isoIn(row.updatedAt),
  };
}

/** Maps a stored record to a calendar row. */
export function fromRow(record: CalendarRecord): CalendarRow {
  return {
    id: record.id,
    name: record.name,
    zone: record.zone,
    week: jsonOut(record.week),
    holidays: jsonOut(record.holidays),
    extraWorkingDays: jsonOut(record.extra_working_days),
    updatedAt: isoOut(record.updated_at),
  };
}
