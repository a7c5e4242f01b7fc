import type { Knex } from 'knex';

/** Which inbox notifications each user has read (the inbox's unread count and "mark read"). */
export async function up(knex: Knex): Promise<void> {
  const pg = knex.client.dialect === 'postgresql';
  await knex.schema.createTable('notification_reads', (t) => {
    t.string('user_id', 255).notNullable();
    t.string('notification_id', 64).notNullable();
    if (pg) t.timestamp('read_at', { useTz: true, precision: 3 }).notNullable();
    else t.text('read_at').notNullable();
    t.primary(['user_id', 'notification_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('notification_reads');
}
