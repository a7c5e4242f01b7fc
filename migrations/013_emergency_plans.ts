import type { Knex } from 'knex';

/** Emergency plans per risk category (S4 §6.5) and scheduled drills, each started as a practice emergency case. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('emergency_plans', (t) => {
    t.string('id', 64).primary();
    t.string('category', 16).notNullable();
    t.string('title').notNullable();
    t.text('steps').notNullable();
    t.string('owner').notNullable();
    t.string('created_at', 32).notNullable();
    t.index(['category']);
  });
  await knex.schema.createTable('drills', (t) => {
    t.string('id', 64).primary();
    t.string('plan_id', 64).notNullable();
    t.string('scheduled_at', 32).notNullable();
    t.string('status', 16).notNullable();
    t.string('instance_id', 64);
    t.text('error');
    t.string('created_by');
    t.index(['status', 'scheduled_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['drills', 'emergency_plans']) await knex.schema.dropTableIfExists(table);
}
