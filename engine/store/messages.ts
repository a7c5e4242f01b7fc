import type { MessageRepository, MessageRow } from './types.js';
import { type Db, type Dialect, isoIn, isoInOrNull, isoOut, isoOutOrNull, jsonIn, jsonOut } from './columns.js';

const TABLE = 'messages';

interface MessageRecord {
  id: string;
  name: string;
  correlation_key: string | null;
  variables: string;
  message_id: string | null;
  status: string;
  instance_id: string | null;
  published_at: unknown;
  expires_at: unknown;
  delivered_at: unknown;
}

/** The published-message repository on one knex handle (the pool or a transaction). */
export function messageRepository(db: Db, _dialect: Dialect): MessageRepository {
  return {
    async insert(row) {
      await db(TABLE).insert(toRow(row));
    },
    async byMessageId(messageId) {
      const record: MessageRecord | undefined = await db(TABLE).where('message_id', messageId).first();
      return record ? fromRow(record) : null;
    },
    async buffered(now, limit) {
      const records: MessageRecord[] = await db(TABLE)
        .where('status', 'buffered')
        .where('expires_at', '>', isoIn(now))
        .orderBy([{ column: 'published_at' }, { column: 'id' }])
        .limit(limit);
      return records.map(fromRow);
    },
    async markDelivered(id, instanceId, at) {
      const changed = await db(TABLE)
        .where({ id, status: 'buffered' })
        .update({ status: 'delivered', instance_id: instanceId, delivered_at: isoIn(at) });
      return Number(changed) === 1;
    },
  };
}

// helpers

function toRow(row: MessageRow): MessageRecord {
  return {
    id: row.id,
    name: row.name,
    correlation_key: row.correlationKey,
    variables: jsonIn(row.variables),
    message_id: row.messageId,
    status: row.status,
    instance_id: row.instanceId,
    published_at: isoIn(row.publishedAt),
    expires_at: isoIn(row.expiresAt),
    delivered_at: isoInOrNull(row.deliveredAt),
  };
}

function fromRow(record: MessageRecord): MessageRow {
  return {
    id: record.id,
    name: record.name,
    correlationKey: record.correlation_key,
    variables: jsonOut(record.variables),
    messageId: record.message_id,
    status: record.status === 'delivered' ? 'delivered' : 'buffered',
    instanceId: record.instance_id,
    publishedAt: isoOut(record.published_at),
    expiresAt: isoOut(record.expires_at),
    deliveredAt: isoOutOrNull(record.delivered_at),
  };
}
