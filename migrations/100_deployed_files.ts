import type { Knex } from 'knex';

/**
 * Deploy-changed-only for the shipped process files: per file of the processes directory, the hash of the
 * content last deployed from it. A restart deploys a file only when its content differs, so a version an
 * owner deployed from the designer is not replaced by the unchanged file in the checkout.
 */
export async function up(knex: Knex): Promise<void> {
  const postgres = knex.client.dialect === 'postgresql';
  await knex.schema.createTable('deployed_files', (t) => {
    t.string('file').primary();
    t.string('hash').notNullable();
    if (postgres) t.timestamp('deployed_at', { useTz: true, precision: 3 }).notNullable();
    else t.text('deployed_at').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('deployed_files');
}
