import type { Knex } from 'knex';
import type { NotificationRepository, NotificationRow } from './types.js';
import { type Db, type Dialect, isoIn, isoOut, jsonIn, jsonOut } from './columns.js';
import { whereInstanceVisible } from './visibility.js';
import { counted, newestFirst, readPage } from './paging.js';

const TABLE = 'notifications';
const READS = 'notification_reads';

interface NotificationRecord {
  id: string;
  kind: string;
  instance_id: string;
  definition_key: string;
  element_id: string;
  to_user: string | null;
  to_group: string | null;
  channel: string | null;
  template: string | null;
  payload: string;
  created_at: unknown;
}

type NotificationFilter = Parameters<NotificationRepository['list']>[0];

/** The notification repository on one knex handle (the pool or a transaction). */
export function notificationRepository(db: Db, _dialect: Dialect): NotificationRepository {
  return {
    async insert(row) {
      await db(TABLE).insert(toRow(row));
    },
    async insertOnce(row) {
      const exists = await db(TABLE).select('id').where({ id: row.id }).first();
      if (exists) return false;
      await db(TABLE).insert(toRow(row)).onConflict('id').ignore();
      return true;
    },
    list(filter) {
      return readPage(
        newestFirst(filtered(db, filter), 'created_at', filter),
        counted(filtered(db, filter)),
        filter,
        fromRow,
      );
    },
    async readBy(userId, ids) {
      if (ids.length === 0) return new Set();
      const rows = await db(READS).select('notification_id').where('user_id', userId).whereIn('notification_id', ids);
      return new Set(rows.map((row: { notification_id: string }) => row.notification_id));
    },
    async markRead(userId, ids, at) {
      if (ids.length === 0) return;
      const rows = [...new Set(ids)].map((id) => ({ user_id: userId, notification_id: id, read_at: isoIn(at) }));
      await db(READS).insert(rows).onConflict(['user_id', 'notification_id']).ignore();
    },
  };
}

// helpers

/** Filters combine with AND, except that user and groups together mean "to me or to one of my groups". */
function filtered(db: Db, filter: NotificationFilter): Knex.QueryBuilder {
  const query = db(TABLE);
  if (filter.instanceId !== undefined) query.where('instance_id', filter.instanceId);
  if (filter.kind !== undefined) query.where('kind', filter.kind);
  if (filter.visibleTo !== undefined) whereInstanceVisible(db, query, filter.visibleTo, 'notifications.instance_id');
  const groups = filter.groups ?? [];
  if (filter.user !== undefined && groups.length > 0)
    query.where((q) => q.where('to_user', filter.user!).orWhereIn('to_group', groups));
  else if (filter.user !== undefined) query.where('to_user', filter.user);
  else if (groups.length > 0) query.whereIn('to_group', groups);
  return query;
}

function toRow(row: NotificationRow): NotificationRecord {
  return {
    id: row.id,
    kind: row.kind,
    instance_id: row.instanceId,
    definition_key: row.definitionKey,
    element_id: row.elementId,
    to_user: row.toUser,
    to_group: row.toGroup,
    channel: row.channel,
    template: row.template,
    payload: jsonIn(row.payload),
    created_at: isoIn(row.createdAt),
  };
}

function fromRow(record: NotificationRecord): NotificationRow {
  return {
    id: record.id,
    kind: record.kind,
    instanceId: record.instance_id,
    definitionKey: record.definition_key,
    elementId: record.element_id,
    toUser: record.to_user,
    toGroup: record.to_group,
    channel: record.channel,
    template: record.template,
    payload: jsonOut(record.payload) as Record<string, unknown>,
    createdAt: isoOut(record.created_at),
  };
}
