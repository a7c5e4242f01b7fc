import type { Knex } from 'knex';

/** A signal subscription names the activation of its element (one per token or multi-instance iteration), as messages do. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('signal_subscriptions', (t) => {
    t.string('activation_id', 64).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('signal_subscriptions', (t) => {
    t.dropColumn('activation_id');
  });
}
