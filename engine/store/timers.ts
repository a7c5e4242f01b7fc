import { whereNotSuspended } from './suspension.js';
import type { Knex } from 'knex';
import type { TimerRepository, TimerRow } from './types.js';
import {
  type Db,
  type Dialect,
  type PatchMap,
  isoIn,
  isoInOrNull,
  isoOut,
  isoOutOrNull,
  jsonIn,
  jsonOut,
  patchColumns,
} from './columns.js';

const TABLE = 'timers';

/** A timers table record, as stored. */
export interface TimerRecord {
  id: string;
  instance_id: string;
  element_id: string;
  activation_id?: string | null;
  due: unknown;
  repeat: string | null;
  locked_by: string | null;
  locked_until: unknown;
}

type TimerPatch = Parameters<TimerRepository['update']>[1];

/** The timer repository on one knex handle (the pool or a transaction). */
export function timerRepository(db: Db, dialect: Dialect): TimerRepository {
  return {
    async insert(row) {
      await db(TABLE).insert(toRow(row));
    },
    async deleteByElement(instanceId, elementId, activationId) {
      await db(TABLE)
        .where({
          instance_id: instanceId,
          element_id: elementId,
          ...(activationId ? { activation_id: activationId } : {}),
        })
        .delete();
    },
    async deleteByInstance(instanceId) {
      await db(TABLE).where({ instance_id: instanceId }).delete();
    },
    async get(id) {
      const record = await db(TABLE).where({ id }).first();
      return record ? fromRow(record) : null;
    },
    async update(id, patch) {
      const columns = patchColumns(patch, PATCH_COLUMNS);
      if (Object.keys(columns).length > 0) await db(TABLE).where({ id }).update(columns);
    },
    async delete(id) {
      await db(TABLE).where({ id }).delete();
    },
    async claimDue(now, owner, lockUntil, limit) {
      if (limit <= 0) return [];
      const records: TimerRecord[] = await db(TABLE)
        .whereIn('id', claimableQuery(db, dialect, now, limit))
        .update({ locked_by: owner, locked_until: isoIn(lockUntil) })
        .returning('*');
      return records.map(fromRow).sort(byDue);
    },
    async nextDue() {
      const record = await db(TABLE).min({ due: 'due' }).first();
      return isoOutOrNull(record?.due);
    },
  };
}

/** The ids of up to `limit` due timers whose lock is free or expired, earliest first;
 * on PostgreSQL row-locked with SKIP LOCKED so concurrent claimers take disjoint sets. */
export function claimableQuery(db: Db, dialect: Dialect, now: string, limit: number): Knex.QueryBuilder {
  const at = isoIn(now);
  const query = whereNotSuspended(db, dialect, db(TABLE).select('id'), 'timers.instance_id')
    .where('due', '<=', at)
    .where((free) => free.whereNull('locked_until').orWhere('locked_until', '<', at))
    .orderBy('due')
    .limit(limit);
  return dialect === 'postgres' ? query.forUpdate().skipLocked() : query;
}

/** Maps a timer row to its record. */
export function toRow(row: TimerRow): TimerRecord {
  return {
    id: row.id,
    instance_id: row.instanceId,
    element_id: row.elementId,
    activation_id: row.activationId ?? null,
    due: isoIn(row.due),
    repeat: row.repeat ? jsonIn(row.repeat) : null,
    locked_by: row.lockedBy,
    locked_until: isoInOrNull(row.lockedUntil),
  };
}

/** Maps a stored record to a timer row. */
export function fromRow(record: TimerRecord): TimerRow {
  return {
    id: record.id,
    instanceId: record.instance_id,
    elementId: record.element_id,
    activationId: record.activation_id ?? null,
    due: isoOut(record.due),
    repeat: jsonOut(record.repeat),
    lockedBy: record.locked_by,
    lockedUntil: isoOutOrNull(record.locked_until),
  };
}

// helpers

const PATCH_COLUMNS: PatchMap<TimerPatch> = {
  due: (v) => ({ due: isoIn(v) }),
  repeat: (v) => ({ repeat: v ? jsonIn(v) : null }),
  lockedBy: (v) => ({ locked_by: v }),
  lockedUntil: (v) => ({ locked_until: isoInOrNull(v) }),
};

function byDue(a: TimerRow, b: TimerRow): number {
  return a.due.localeCompare(b.due) || a.id.localeCompare(b.id);
}
