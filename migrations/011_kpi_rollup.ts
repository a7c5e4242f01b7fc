import type { Knex } from 'knex';

/**
 * The daily KPI roll-up (kept in each step's transaction by the insight hook): one row per local day,
 * process and dimension value with the day's counts and duration histograms as JSON; the SLA clocks
 * already counted in it; and its state (built once from case_facts and slas, then kept incrementally).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('kpi_daily', (t) => {
    t.string('day', 10).notNullable();
    t.string('definition_key').notNullable();
    t.string('dim', 16).notNullable();
    t.string('value').notNullable();
    t.text('counts').notNullable();
    t.text('hist').notNullable();
    t.primary(['dim', 'day', 'definition_key', 'value']);
  });
  await knex.schema.createTable('kpi_rollup_slas', (t) => {
    t.string('sla_id').primary();
    t.string('instance_id').notNullable();
    t.string('definition_key').notNullable();
    t.string('status', 16).notNullable();
    t.string('completed_at', 32).notNullable();
    t.index(['instance_id']);
  });
  await knex.schema.createTable('kpi_rollup_state', (t) => {
    t.string('name', 64).primary();
    t.text('value').notNullable();
  });
}

/** Drops the roll-up tables. */
export async function down(knex: Knex): Promise<void> {
  for (const table of ['kpi_rollup_state', 'kpi_rollup_slas', 'kpi_daily']) await knex.schema.dropTableIfExists(table);
}
