import type { Knex } from 'knex';

/**
 * Deployments as a unit (Camunda's deployment: the files deployed together): a row per deployment, the
 * deployment of each definition version, and the time a deployment was deleted. Deleted versions stay
 * (their instances' history reads the XML) but are no longer listed or started. Definitions deployed
 * before this migration get one deployment each, with the definition's id.
 */
export async function up(knex: Knex): Promise<void> {
  const postgres = knex.client.dialect === 'postgresql';
  const ts = (t: Knex.CreateTableBuilder | Knex.AlterTableBuilder, name: string) =>
    postgres ? t.timestamp(name, { useTz: true, precision: 3 }) : t.text(name);
  await knex.schema.createTable('deployments', (t) => {
    t.string('id').primary();
    t.string('name');
    t.string('source');
    ts(t, 'deployed_at').notNullable();
    t.string('deployed_by');
    ts(t, 'deleted_at');
    t.index(['deleted_at', 'deployed_at']);
  });
  await knex.schema.alterTable('definitions', (t) => {
    t.string('deployment_id');
    ts(t, 'deleted_at');
    t.index(['deployment_id']);
  });
  // counts of running instances per version (statistics, deployment deletion)
  await knex.schema.alterTable('instances', (t) => t.index(['definition_id', 'status']));
  const old: Array<{ id: string; key: string; deployed_at: unknown; deployed_by: string | null }> = await knex(
    'definitions',
  ).select('id', 'key', 'deployed_at', 'deployed_by');
  for (const row of old) {
    await knex('deployments').insert({
      id: row.id,
      name: row.key,
      source: null,
      deployed_at: row.deployed_at,
      deployed_by: row.deployed_by,
      deleted_at: null,
    });
    await knex('definitions').where({ id: row.id }).update({ deployment_id: row.id });
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('instances', (t) => t.dropIndex(['definition_id', 'status']));
  await knex.schema.alterTable('definitions', (t) => {
    t.dropIndex(['deployment_id']);
    t.dropColumn('deployment_id');
    t.dropColumn('deleted_at');
  });
  await knex.schema.dropTableIfExists('deployments');
}
