import type { Knex } from 'knex';

/**
 * Which instance a correlation key started, per process key: while that instance runs, another message
 * with the same key does not start a second one (Camunda 8's one instance per correlation key).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('message_start_keys', (t) => {
    t.string('definition_key', 255).notNullable();
    t.string('correlation_key', 255).notNullable();
    t.string('instance_id', 64).notNullable();
    t.primary(['definition_key', 'correlation_key']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('message_start_keys');
}
