import type { Db, Dialect } from './columns.js';
import type { MessageStartKeyRepository } from './signal-types.js';

const TABLE = 'message_start_keys';

/** The message-start key repository on one knex handle (the pool or a transaction). */
export function messageStartKeyRepository(db: Db, _dialect: Dialect): MessageStartKeyRepository {
  return {
    async holder(definitionKey, correlationKey) {
      const row: { instance_id: string } | undefined = await db(TABLE)
        .select('instance_id')
        .where({ definition_key: definitionKey, correlation_key: correlationKey })
        .first();
      return row ? row.instance_id : null;
    },
    async claim(definitionKey, correlationKey, instanceId) {
      await db(TABLE).insert({
        definition_key: definitionKey,
        correlation_key: correlationKey,
        instance_id: instanceId,
      });
    },
    async release(definitionKey, correlationKey, instanceId) {
      await db(TABLE)
        .where({ definition_key: definitionKey, correlation_key: correlationKey, instance_id: instanceId })
        .delete();
    },
  };
}
