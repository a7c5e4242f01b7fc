import type { ApiTokenRow, UserRepository } from './user-types.js';
import { type Db, isoIn, isoInOrNull, isoOut, isoOutOrNull, jsonIn, jsonOut } from './columns.js';

const TABLE = 'api_tokens';

/** An api_tokens table record, as stored. */
export interface ApiTokenRecord {
  id: string;
  name: string;
  token_hash: string;
  roles: string;
  created_by: string | null;
  created_at: unknown;
  revoked_at: unknown;
}

type TokenMethods = Pick<
  UserRepository,
  'insertToken' | 'tokenByHash' | 'listTokens' | 'revokeToken' | 'setting' | 'settingOrPut'
>;

/** The API token and settings part of the user repository. */
export function tokenMethods(db: Db): TokenMethods {
  return {
    async insertToken(row) {
      await db(TABLE).insert(toRow(row));
    },
    async tokenByHash(tokenHash) {
      const record: ApiTokenRecord | undefined = await db(TABLE).where({ token_hash: tokenHash }).first();
      return record ? fromRow(record) : null;
    },
    async listTokens() {
      const records: ApiTokenRecord[] = await db(TABLE).orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'asc' },
      ]);
      return records.map(fromRow);
    },
    async revokeToken(id, at) {
      return (
        (await db(TABLE)
          .where({ id })
          .whereNull('revoked_at')
          .update({ revoked_at: isoIn(at) })) > 0
      );
    },
    async setting(key) {
      const record: { value: string } | undefined = await db('settings').where({ key }).first('value');
      return record?.value ?? null;
    },
    async settingOrPut(key, value) {
      await db('settings').insert({ key, value }).onConflict('key').ignore();
      const record: { value: string } = await db('settings').where({ key }).first('value');
      return record.value;
    },
  };
}

/** Maps a token row to its record. */
export function toRow(row: ApiTokenRow): ApiTokenRecord {
  return {
    id: row.id,
    name: row.name,
    token_hash: row.tokenHash,
    roles: jsonIn(row.roles),
    created_by: row.createdBy,
    created_at: isoIn(row.createdAt),
    revoked_at: isoInOrNull(row.revokedAt),
  };
}

/** Maps a stored record to a token row. */
export function fromRow(record: ApiTokenRecord): ApiTokenRow {
  return {
    id: record.id,
    name: record.name,
    tokenHash: record.token_hash,
    roles: jsonOut<string[]>(record.roles) ?? [],
    createdBy: record.created_by,
    createdAt: isoOut(record.created_at),
    revokedAt: isoOutOrNull(record.revoked_at),
  };
}
