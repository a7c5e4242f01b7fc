import type { Knex } from 'knex';

/**
 * Deployed DMN decisions, versioned by decision id (the key) like processes: a row per decision and
 * version, holding the whole DMN document (the decisions it requires live beside it) and the file name.
 */
export async function up(knex: Knex): Promise<void> {
  const pg = knex.client.dialect === 'postgresql';
  await knex.schema.createTable('decisions', (t) => {
    t.string('id').primary();
    t.string('key').notNullable();
    t.integer('version').notNullable();
    t.string('name');
    t.string('version_tag');
    t.string('hash', 64).notNullable();
    t.string('resource').notNullable();
    t.text('xml').notNullable();
    if (pg) t.timestamp('deployed_at', { useTz: true, precision: 3 }).notNullable();
    else t.text('deployed_at').notNullable();
    t.string('deployed_by');
    t.unique(['key', 'version']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('decisions');
}
