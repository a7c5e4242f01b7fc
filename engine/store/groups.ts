import type { GroupRow, UserRepository } from './user-types.js';
import { type Db, isoIn, isoOut } from './columns.js';

const TABLE = 'groups';

/** A groups table record, as stored. */
export interface GroupRecord {
  id: string;
  name: string;
  created_at: unknown;
}

type GroupMethods = Pick<UserRepository, 'getGroup' | 'listGroups' | 'insertGroup' | 'setMembers'>;

/** The group and membership part of the user repository. */
export function groupMethods(db: Db): GroupMethods {
  return {
    async getGroup(id) {
      const record: GroupRecord | undefined = await db(TABLE).where({ id }).first();
      if (!record) return null;
      const members = await membersOf(db, [id]);
      return { ...fromRow(record), members: members.get(id) ?? [] };
    },
    async listGroups() {
      const records: GroupRecord[] = await db(TABLE).orderBy('id');
      const members = await membersOf(
        db,
        records.map((r) => r.id),
      );
      return records.map((r) => ({ ...fromRow(r), members: members.get(r.id) ?? [] }));
    },
    async insertGroup(row) {
      const inserted = await db(TABLE)
        .insert({ id: row.id, name: row.name, created_at: isoIn(row.createdAt) })
        .onConflict('id')
        .ignore()
        .returning('id');
      return inserted.length > 0;
    },
    async setMembers(groupId, usernames) {
      await db('memberships').where({ group_id: groupId }).delete();
      const unique = [...new Set(usernames)];
      if (unique.length > 0)
        await db('memberships').insert(unique.map((username) => ({ username, group_id: groupId })));
    },
  };
}

/** Maps a stored record to a group row. */
export function fromRow(record: GroupRecord): GroupRow {
  return { id: record.id, name: record.name, createdAt: isoOut(record.created_at) };
}

// helpers

async function membersOf(db: Db, groupIds: string[]): Promise<Map<string, string[]>> {
  const byGroup = new Map<string, string[]>(groupIds.map((id) => [id, []]));
  if (groupIds.length === 0) return byGroup;
  const records: Array<{ group_id: string; username: string }> = await db('memberships')
    .select('group_id', 'username')
    .whereIn('group_id', groupIds)
    .orderBy(['group_id', 'username']);
  for (const record of records) byGroup.get(record.group_id)?.push(record.username);
  return byGroup;
}
