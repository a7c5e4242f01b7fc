import type { Knex } from 'knex';

/** What the built-in job handlers did: notifications to customers and staff, surveys, CRM and billing records. */
export async function up(knex: Knex): Promise<void> {
  const pg = knex.client.dialect === 'postgresql';
  await knex.schema.createTable('notifications', (t) => {
    t.string('id', 64).primary();
    t.string('kind', 64).notNullable();
    t.string('instance_id', 64).notNullable();
    t.string('definition_key', 255).notNullable();
    t.string('element_id', 255).notNullable();
    t.string('to_user', 255).nullable();
    t.string('to_group', 255).nullable();
    t.string('channel', 64).nullable();
    t.string('template', 255).nullable();
    t.text('payload').notNullable();
    if (pg) t.timestamp('created_at', { useTz: true, precision: 3 }).notNullable();
    else t.text('created_at').notNullable();
    t.index(['to_user', 'created_at']);
    t.index(['to_group', 'created_at']);
    t.index(['instance_id', 'created_at']);
    t.index(['kind', 'created_at']);
    t.index(['created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('notifications');
}
