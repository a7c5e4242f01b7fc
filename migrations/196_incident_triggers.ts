import type { Knex } from 'knex';

/**
 * An incident raised at one trigger of a multiple event names the BPMN event in `element_id` (what every
 * reader shows) and the compiler-made element that stands for that trigger in `trigger_id` (what a retry
 * re-enters and what resolves it). Null on every other incident, whose `element_id` is both.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('incidents', (t) => {
    t.string('trigger_id', 255).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('incidents', (t) => {
    t.dropColumn('trigger_id');
  });
}
