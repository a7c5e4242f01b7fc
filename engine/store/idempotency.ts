import type { IdempotencyRecord, IdempotencyRepository } from './types.js';
import { type Db, type Dialect, isoIn, isoOut, jsonIn, jsonOut } from './columns.js';

const TABLE = 'idempotency_keys';

interface IdempotencyRow {
  scope: string;
  owner: string;
  key: string;
  fingerprint: string;
  reservation: string;
  status_code: number | null;
  response: string | null;
  created_at: unknown;
}

/** Idempotency-Key records; reserve() is one insert-or-ignore, so of two concurrent first requests one holds the key. */
export function idempotencyRepository(db: Db, _dialect: Dialect): IdempotencyRepository {
  return {
    async get(scope, owner, key) {
      const row: IdempotencyRow | undefined = await db(TABLE).where({ scope, owner, key }).first();
      return row ? fromRow(row) : null;
    },
    async reserve(record, staleBefore) {
      const where = { scope: record.scope, owner: record.owner, key: record.key };
      await db(TABLE).insert(toRow(record)).onConflict(['scope', 'owner', 'key']).ignore();
      if (staleBefore !== undefined) {
        // compare-and-set: of two retries taking over a dead request's key, one wins
        await db(TABLE)
          .where(where)
          .whereNull('status_code')
          .where('created_at', '<', isoIn(staleBefore))
          .update({
            reservation: record.reservation,
            fingerprint: record.fingerprint,
            created_at: isoIn(record.createdAt),
          });
      }
      const row: Pick<IdempotencyRow, 'reservation'> | undefined = await db(TABLE)
        .select('reservation')
        .where(where)
        .first();
      return row?.reservation === record.reservation;
    },
    async finish(scope, owner, key, reservation, statusCode, response) {
      const changed = await db(TABLE)
        .where({ scope, owner, key, reservation })
        .whereNull('status_code')
        .update({ status_code: statusCode, response: jsonIn(response) });
      return Number(changed) === 1;
    },
    async release(scope, owner, key, reservation) {
      await db(TABLE).where({ scope, owner, key, reservation }).whereNull('status_code').delete();
    },
    async deleteBefore(at) {
      return db(TABLE).where('created_at', '<', isoIn(at)).delete();
    },
  };
}

function toRow(record: IdempotencyRecord): IdempotencyRow {
  return {
    scope: record.scope,
    owner: record.owner,
    key: record.key,
    fingerprint: record.fingerprint,
    reservation: record.reservation,
    status_code: record.statusCode,
    response: record.statusCode === null ? null : jsonIn(record.response),
    created_at: isoIn(record.createdAt),
  };
}

function fromRow(row: IdempotencyRow): IdempotencyRecord {
  return {
    scope: row.scope,
    owner: row.owner,
    key: row.key,
    fingerprint: row.fingerprint,
    reservation: row.reservation,
    statusCode: row.status_code === null ? null : Number(row.status_code),
    response: row.response === null ? null : jsonOut(row.response),
    createdAt: isoOut(row.created_at),
  };
}
