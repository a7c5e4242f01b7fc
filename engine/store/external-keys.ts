import type { ExternalKeyRepository } from './types.js';
import type { Db, Dialect } from './columns.js';

const TABLE = 'external_keys';

/** Stable numeric keys for our ids, one key space for every kind (as Zeebe's keys are unique). */
export function externalKeyRepository(db: Db, _dialect: Dialect): ExternalKeyRepository {
  const find = async (kind: string, ref: string) => {
    const record: { key: number | string } | undefined = await db(TABLE).select('key').where({ kind, ref }).first();
    return record ? String(record.key) : null;
  };
  return {
    async keyOf(kind, ref) {
      const known = await find(kind, ref);
      if (known) return known;
      await db(TABLE).insert({ kind, ref }).onConflict(['kind', 'ref']).ignore();
      return (await find(kind, ref))!;
    },
    async refOf(kind, key) {
      if (!/^[0-9]{1,18}$/.test(key)) return null;
      const record: { ref: string } | undefined = await db(TABLE)
        .select('ref')
        .where({ kind, key: Number(key) })
        .first();
      return record?.ref ?? null;
    },
  };
}
