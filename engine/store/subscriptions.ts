import type { Knex } from 'knex';
import type { SubscriptionRepository, SubscriptionRow } from './types.js';
import { type Db, type Dialect, isoIn, isoOut } from './columns.js';

const TABLE = 'subscriptions';

/** A subscriptions table record, as stored. */
export interface SubscriptionRecord {
  id: string;
  instance_id: string;
  element_id: string;
  activation_id?: string | null;
  message_name: string;
  correlation_key: string | null;
  created_at: unknown;
}

/** The message subscription repository on one knex handle (the pool or a transaction). */
export function subscriptionRepository(db: Db, _dialect: Dialect): SubscriptionRepository {
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
    async find(messageName, correlationKey) {
      const records: SubscriptionRecord[] = await findQuery(db, messageName, correlationKey);
      return records.map(fromRow);
    },
    async findByName(messageName) {
      const records: SubscriptionRecord[] = await db(TABLE)
        .select('*')
        .where('message_name', messageName)
        .orderBy([{ column: 'created_at' }, { column: 'id' }]);
      return records.map(fromRow);
    },
  };
}

/** The query behind subscriptions.find: exact name and key (a null key matches only null), oldest first. */
export function findQuery(db: Db, messageName: string, correlationKey: string | null): Knex.QueryBuilder {
  const query = db(TABLE).select('*').where('message_name', messageName);
  if (correlationKey === null) query.whereNull('correlation_key');
  else query.where('correlation_key', correlationKey);
  return query.orderBy([{ column: 'created_at' }, { column: 'id' }]);
}

/** Maps a subscription row to its record. */
export function toRow(row: SubscriptionRow): SubscriptionRecord {
  return {
    id: row.id,
    instance_id: row.instanceId,
    element_id: row.elementId,
    activation_id: row.activationId ?? null,
    message_name: row.messageName,
    correlation_key: row.correlationKey,
    created_at: isoIn(row.createdAt),
  };
}

/** Maps a stored record to a subscription row. */
export function fromRow(record: SubscriptionRecord): SubscriptionRow {
  return {
    id: record.id,
    instanceId: record.instance_id,
    elementId: record.element_id,
    activationId: record.activation_id ?? null,
    messageName: record.message_name,
    correlationKey: record.correlation_key,
    createdAt: isoOut(record.created_at),
  };
}
