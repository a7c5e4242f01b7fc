import type { Knex } from 'knex';

/** Numeric keys for the Camunda 8 REST adapter (/v2): Zeebe clients expect int64 keys, svcflow rows have uuids. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('external_keys', (t) => {
    t.bigIncrements('key').primary();
    t.string('kind', 32).notNullable();
    t.string('ref', 255).notNullable();
    t.unique(['kind', 'ref']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('external_keys');
}
