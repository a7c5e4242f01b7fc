import type { Knex } from 'knex';

/**
 * The practice flag's index (150) led the planners astray: for "practice = 0 and ended_at in a period" SQLite
 * took the equality on `practice` (nearly every row) over the range on `ended_at`, so a KPI query of one week
 * read every case (120–315 ms at 1,000,000 cases). A partial index of the few practice cases serves the one
 * query that wants them (the drills left out of the SLA figures) and is no candidate for the others.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('case_facts', (t) => {
    t.dropIndex(['practice']);
  });
  await knex.raw('create index case_facts_practice_cases on case_facts (instance_id) where practice = 1');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index case_facts_practice_cases');
  await knex.schema.alterTable('case_facts', (t) => {
    t.index(['practice']);
  });
}
