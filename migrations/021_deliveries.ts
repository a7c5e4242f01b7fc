import type { Knex } from 'knex';

/** The delivery log of notifications (one row per channel, with retries) and the survey links sent, with their answers. */
export async function up(knex: Knex): Promise<void> {
  const pg = knex.client.dialect === 'postgresql';
  const instant = (t: Knex.CreateTableBuilder, name: string, nullable = true) => {
    const column = pg ? t.timestamp(name, { useTz: true, precision: 3 }) : t.text(name);
    if (nullable) column.nullable();
    else column.notNullable();
  };
  await knex.schema.createTable('deliveries', (t) => {
    t.string('id', 64).primary();
    t.string('notification_id', 64).notNullable();
    t.string('instance_id', 64).notNullable();
    t.string('channel', 32).notNullable();
    t.string('recipient', 255).notNullable();
    t.string('template', 255).nullable();
    t.text('subject').notNullable();
    t.text('body').notNullable();
    t.text('data').notNullable();
    t.string('status', 16).notNullable();
    t.integer('attempts').notNullable();
    t.text('last_error').nullable();
    instant(t, 'next_attempt_at');
    instant(t, 'sent_at');
    instant(t, 'created_at', false);
    t.index(['status', 'next_attempt_at']);
    t.index(['instance_id', 'created_at']);
  });
  await knex.schema.createTable('survey_links', (t) => {
    t.string('id', 64).primary();
    t.string('instance_id', 64).notNullable();
    t.string('message_name', 255).notNullable();
    t.string('correlation_key', 255).notNullable();
    instant(t, 'expires_at', false);
    t.integer('score').nullable();
    t.text('comment').nullable();
    instant(t, 'answered_at');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('survey_links');
  await knex.schema.dropTableIfExists('deliveries');
}
