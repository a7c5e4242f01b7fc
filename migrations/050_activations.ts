import type { Knex } from 'knex';

const TABLES = ['tasks', 'jobs', 'timers', 'subscriptions'] as const;

/**
 * Work rows name the activation of their element they belong to (one per token at a wait state, one per
 * multi-instance iteration), so two runs of one element at once complete and cancel apart. Null on rows
 * written before: they belong to the element's only activation.
 */
export async function up(knex: Knex): Promise<void> {
  for (const table of TABLES) {
    await knex.schema.alterTable(table, (t) => {
      t.string('activation_id').nullable();
    });
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const table of TABLES) {
    await knex.schema.alterTable(table, (t) => {
      t.dropColumn('activation_id');
    });
  }
}
