import type { Knex } from 'knex';
import { type Db, type Dialect, isoIn, isoInOrNull, isoOut, isoOutOrNull, jsonIn, jsonOut } from './columns.js';
import type { StartTimerRepository, StartTimerRow } from './signal-types.js';

const TABLE = 'start_timers';

/** Timer start events on one knex handle (the pool or a transaction). */
export function startTimerRepository(db: Db, dialect: Dialect): StartTimerRepository {
  return {
    async replace(definitionKey, rows) {
      await db(TABLE).where({ definition_key: definitionKey }).delete();
      if (rows.length > 0) await db(TABLE).insert(rows.map(toRow));
    },
    async claimDue(now, owner, lockUntil, limit) {
      const records = await db(TABLE)
        .whereIn('id', claimable(db, dialect, now, limit))
        .update({ locked_by: owner, locked_until: isoIn(lockUntil) })
        .returning('*');
      return records
        .map(fromRow)
        .sort((a: StartTimerRow, b: StartTimerRow) => a.due.localeCompare(b.due) || a.id.localeCompare(b.id));
    },
    async advance(id, owner, due, next) {
      const held = db(TABLE).where({ id, locked_by: owner, due: isoIn(due) });
      if (next === null) return Number(await held.delete()) === 1;
      return (
        Number(
          await held.update({
            due: isoIn(next.due),
            repeat: next.repeat ? jsonIn(next.repeat) : null,
            locked_by: null,
            locked_until: null,
          }),
        ) === 1
      );
    },
    async release(id) {
      await db(TABLE).where({ id }).update({ locked_by: null, locked_until: null });
    },
    async list(definitionKey) {
      return (await db(TABLE).where({ definition_key: definitionKey }).orderBy('due')).map(fromRow);
    },
  };
}

// helpers

function claimable(db: Db, dialect: Dialect, now: string, limit: number): Knex.QueryBuilder {
  const at = isoIn(now);
  const query = db(TABLE)
    .select('id')
    .where('due', '<=', at)
    .where((free) => free.whereNull('locked_until').orWhere('locked_until', '<', at))
    .orderBy('due')
    .limit(limit);
  return dialect === 'postgres' ? query.forUpdate().skipLocked() : query;
}

function toRow(row: StartTimerRow): Record<string, unknown> {
  return {
    id: row.id,
    definition_id: row.definitionId,
    definition_key: row.definitionKey,
    element_id: row.elementId,
    due: isoIn(row.due),
    repeat: row.repeat ? jsonIn(row.repeat) : null,
    locked_by: row.lockedBy,
    locked_until: isoInOrNull(row.lockedUntil),
  };
}

function fromRow(r: Record<string, unknown>): StartTimerRow {
  return {
    id: String(r.id),
    definitionId: String(r.definition_id),
    definitionKey: String(r.definition_key),
    elementId: String(r.element_id),
    due: isoOut(r.due),
    repeat: jsonOut(r.repeat),
    lockedBy: (r.locked_by as string | null) ?? null,
    lockedUntil: isoOutOrNull(r.locked_until),
  };
}
