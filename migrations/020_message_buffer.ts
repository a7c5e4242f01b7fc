import type { Knex } from 'knex';

/** Published messages: buffered until a subscription opens or their time to live ends; `message_id` makes publishing idempotent. */
export async function up(knex: Knex): Promise<void> {
  const pg = knex.client.dialect === 'postgresql';
  const instant = (t: Knex.CreateTableBuilder, name: string) => {
    if (pg) t.timestamp(name, { useTz: true, precision: 3 }).nullable();
    else t.text(name).nullable();
  };
  await knex.schema.createTable('messages', (t) => {
    t.string('id', 64).primary();
    t.string('name', 255).notNullable();
    t.string('correlation_key', 255).nullable();
    t.text('variables').notNullable();
    t.string('message_id', 255).nullable().unique();
    t.string('status', 16).notNullable();
    t.string('instance_id', 64).nullable();
    instant(t, 'published_at');
    instant(t, 'expires_at');
    instant(t, 'delivered_at');
    t.index(['status', 'published_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('messages');
}
