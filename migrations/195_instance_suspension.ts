import type { Knex } from 'knex';

/**
 * A process instance can be suspended (Camunda 7's suspension state): `suspended` is false on every instance
 * written before. The partial index holds only the suspended instances, so the job, timer and SLA claims that
 * skip them look up a handful of rows, never the whole table.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('instances', (t) => {
    t.boolean('suspended').notNullable().defaultTo(false);
  });
  const pg = knex.client.dialect === 'postgresql';
  await knex.raw(
    `create index if not exists instances_suspended_idx on instances (id) where suspended = ${pg ? 'true' : '1'}`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists instances_suspended_idx');
  await knex.schema.alterTable('instances', (t) => {
    t.dropColumn('suspended');
  });
}
