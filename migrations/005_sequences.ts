import type { Knex } from 'knex';

/** Named counters, e.g. the daily sequence of generated business keys (CMP-20261123-0001). */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('sequences', (t) => {
    t.string('name', 128).primary();
    t.bigInteger('value').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('sequences');
}
