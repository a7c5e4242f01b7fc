import type { Knex } from 'knex';

/**
 * Practice cases (drills) apart from the service KPIs: case_facts gains `practice` (1 for a case a drill
 * started), filled here from the drills already run. When any was, the KPI roll-up had counted it, so its
 * built mark is removed and the next start rebuilds the roll-up without them.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('case_facts', (t) => {
    t.integer('practice').notNullable().defaultTo(0);
    t.index(['practice']);
  });
  const drilled = knex('drills').select('instance_id').whereNotNull('instance_id');
  const marked = await knex('case_facts').whereIn('instance_id', drilled).update({ practice: 1 });
  if (marked > 0) await knex('kpi_rollup_state').where({ name: 'built' }).delete();
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('case_facts', (t) => {
    t.dropIndex(['practice']);
    t.dropColumn('practice');
  });
}
