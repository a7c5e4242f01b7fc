import type { SequenceRepository } from './types.js';
import type { Db, Dialect } from './columns.js';

const TABLE = 'sequences';

/** Named counters; next() must run inside a transaction, so two callers never get the same value. */
export function sequenceRepository(db: Db, _dialect: Dialect): SequenceRepository {
  return {
    async next(name) {
      await db(TABLE).insert({ name, value: 0 }).onConflict('name').ignore();
      await db(TABLE).where({ name }).increment('value', 1);
      const record: { value: number | string } | undefined = await db(TABLE).select('value').where({ name }).first();
      return Number(record?.value ?? 0);
    },
  };
}
