import type { UserPatch, UserRepository, UserRow } from './user-types.js';
import {
  type Db,
  type Dialect,
  isoIn,
  isoOut,
  jsonIn,
  jsonOut,
  numberOut,
  type PatchMap,
  patchColumns,
} from './columns.js';
import { tokenMethods } from './api-tokens.js';
import { groupMethods } from './groups.js';
import { pageWindow } from './paging.js';
import { withPrepared } from './prepared.js';

const TABLE = 'users';

/** A users table record, as stored. */
export interface UserRecord {
  username: string;
  display_name: string;
  password_hash: string | null;
  roles: string;
  disabled: boolean | number;
  created_at: unknown;
  updated_at: unknown;
  token_version?: number | string;
}

/** The repository of users, groups, memberships, API tokens and settings on one knex handle. */
export function userRepository(db: Db, dialect: Dialect): UserRepository {
  return {
    async get(username) {
      const record = await db(TABLE).where({ username }).first();
      return record ? fromRow(record) : null;
    },
    async list(filter) {
      const { offset, limit } = pageWindow(filter);
      const total = numberOut((await db(TABLE).count({ n: '*' }).first())?.n);
      const records: UserRecord[] = limit === 0 ? [] : await db(TABLE).orderBy('username').offset(offset).limit(limit);
      return { total, items: records.map(fromRow) };
    },
    async count() {
      return numberOut((await db(TABLE).count({ n: '*' }).first())?.n);
    },
    async insert(row) {
      const inserted = await db(TABLE).insert(toRow(row)).onConflict('username').ignore().returning('username');
      return inserted.length > 0;
    },
    async update(username, patch) {
      return (await db(TABLE).where({ username }).update(patchColumns(patch, PATCH_COLUMNS))) > 0;
    },
    async delete(username) {
      await db('memberships').where({ username }).delete();
      return (await db(TABLE).where({ username }).delete()) > 0;
    },
    async getWithGroups(username) {
      if (dialect !== 'postgres') {
        const record = await db(TABLE).where({ username }).first();
        return record ? { user: fromRow(record), groups: await groupIdsOf(db, username) } : null;
      }
      const result: { rows: Array<UserRecord & { group_ids: string[] }> } = await withPrepared(WITH_GROUPS, (o) =>
        db.raw(WITH_GROUPS, [username]).options(o),
      );
      const [record] = result.rows;
      if (!record) return null;
      const { group_ids, ...user } = record;
      return { user: fromRow(user as UserRecord), groups: group_ids };
    },
    groupsOf: (username) => groupIdsOf(db, username),
    async setGroupsOf(username, groupIds) {
      await db('memberships').where({ username }).delete();
      const unique = [...new Set(groupIds)];
      if (unique.length > 0) await db('memberships').insert(unique.map((group_id) => ({ username, group_id })));
    },
    async enabledWithRole(role) {
      // roles is a small JSON array; the users table is small, so a pattern match is cheap here
      const records: Array<{ username: string }> = await db(TABLE)
        .select('username')
        .where('disabled', false)
        .where('roles', 'like', `%${JSON.stringify(role)}%`);
      return records.map((r) => r.username);
    },
    async existing(usernames) {
      if (usernames.length === 0) return [];
      const records: Array<{ username: string }> = await db(TABLE).select('username').whereIn('username', usernames);
      return records.map((r) => r.username);
    },
    ...groupMethods(db),
    ...tokenMethods(db),
  };
}

/** Maps a user row to its record. */
export function toRow(row: UserRow): UserRecord {
  return {
    username: row.username,
    display_name: row.displayName,
    password_hash: row.passwordHash,
    roles: jsonIn(row.roles),
    disabled: row.disabled,
    created_at: isoIn(row.createdAt),
    updated_at: isoIn(row.updatedAt),
    token_version: row.tokenVersion ?? 0,
  };
}

/** Maps a stored record to a user row. */
export function fromRow(record: UserRecord): UserRow {
  return {
    username: record.username,
    displayName: record.display_name,
    passwordHash: record.password_hash,
    roles: jsonOut<string[]>(record.roles) ?? [],
    disabled: Boolean(record.disabled),
    createdAt: isoOut(record.created_at),
    updatedAt: isoOut(record.updated_at),
    tokenVersion: Number(record.token_version ?? 0),
  };
}

// helpers

// the user and their sorted group ids in one statement
const WITH_GROUPS = `select users.*, array(select m.group_id from memberships m where m.username = users.username
  order by m.group_id) as group_ids from users where users.username = ? limit 1`;

async function groupIdsOf(db: Db, username: string): Promise<string[]> {
  const records: Array<{ group_id: string }> = await db('memberships')
    .select('group_id')
    .where({ username })
    .orderBy('group_id');
  return records.map((r) => r.group_id);
}

const PATCH_COLUMNS: PatchMap<UserPatch> = {
  displayName: (v) => ({ display_name: v }),
  passwordHash: (v) => ({ password_hash: v }),
  roles: (v) => ({ roles: jsonIn(v) }),
  disabled: (v) => ({ disabled: v }),
  tokenVersion: (v) => ({ token_version: v }),
  updatedAt: (v) => ({ updated_at: isoIn(v) }),
};
