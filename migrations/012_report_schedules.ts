import type { Knex } from 'knex';

/**
 * Scheduled KPI reports: who gets which report (kind, week or month, format, process) by e-mail, when
 * it is next due, and one row per report sent or failed (the run of a period is recorded once).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('report_schedules', (t) => {
    t.string('id', 64).primary();
    t.string('kind', 32).notNullable();
    t.string('period', 8).notNullable();
    t.string('format', 8).notNullable();
    t.string('lang', 4).notNullable();
    t.string('definition_key');
    t.text('recipients').notNullable();
    t.string('next_run_at', 32).notNullable();
    t.integer('attempts').notNullable();
    t.text('last_error');
    t.string('last_sent_at', 32);
    t.string('created_by');
    t.string('created_at', 32).notNullable();
    t.index(['next_run_at']);
  });
  await knex.schema.createTable('report_runs', (t) => {
    t.bigIncrements('id');
    t.string('schedule_id', 64).notNullable();
    t.string('period_from', 32).notNullable();
    t.string('status', 8).notNullable();
    t.string('at', 32).notNullable();
    t.text('error');
    t.unique(['schedule_id', 'period_from', 'status']);
    t.index(['schedule_id', 'at']);
  });
}

/** Drops the report schedule tables. */
export async function down(knex: Knex): Promise<void> {
  for (const table of ['report_runs', 'report_schedules']) await knex.schema.dropTableIfExists(table);
}
