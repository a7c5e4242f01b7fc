import type { Knex } from 'knex';

/**
 * Forms in the database, versioned with their deployments (issue 14, "Forms"):
 * - `forms`: one row per version of a form key (a form-js schema), brought by one deployment; a deployment
 *   whose form is unchanged keeps the earlier version.
 * - `definition_forms`: the form version each process definition version shows for each form key it names,
 *   fixed at deploy, so a running case keeps the form its version was deployed with.
 */
export async function up(knex: Knex): Promise<void> {
  const postgres = knex.client.dialect === 'postgresql';
  await knex.schema.createTable('forms', (t) => {
    t.string('id').primary();
    t.string('form_key', 100).notNullable();
    t.integer('version').notNullable();
    t.string('deployment_id').notNullable();
    t.string('resource').notNullable();
    t.string('hash').notNullable();
    t.text('schema').notNullable();
    if (postgres) t.timestamp('deployed_at', { useTz: true, precision: 3 }).notNullable();
    else t.text('deployed_at').notNullable();
    t.string('deployed_by');
    t.unique(['form_key', 'version']);
    t.index(['deployment_id']);
  });
  await knex.schema.createTable('definition_forms', (t) => {
    t.string('definition_id').notNullable();
    t.string('form_key', 100).notNullable();
    t.string('form_id').notNullable();
    t.primary(['definition_id', 'form_key']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('definition_forms');
  await knex.schema.dropTableIfExists('forms');
}
