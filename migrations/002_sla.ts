import type { Knex } from 'knex';

type Table = Knex.CreateTableBuilder;
type TimestampColumn = (t: Table, name: string) => Knex.ColumnBuilder;

/**
 * Creates the business calendars and the SLA rows with their indexes. The calendars `default` and `24x7` are
 * seeded by the engine at start, in the installation's configured zone (CalendarBook.ensureSeeds); databases
 * this migration seeded before keep their rows.
 */
export async function up(knex: Knex): Promise<void> {
  const ts = timestampColumn(knex);
  await knex.schema.createTable('calendars', (t) => {
    t.string('id', 64).primary();
    t.string('name').notNullable();
    t.string('zone', 64).notNullable();
    t.text('week').notNullable();
    t.text('holidays').notNullable();
    t.text('extra_working_days').notNullable();
    ts(t, 'updated_at').notNullable();
  });
  await knex.schema.createTable('slas', (t) => slaColumns(t, ts));
}

/** Drops the SLA rows and the calendars. */
export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('slas');
  await knex.schema.dropTableIfExists('calendars');
}

// helpers

/** PostgreSQL keeps real timestamptz(3); SQLite keeps ISO text in UTC, which sorts correctly. */
function timestampColumn(knex: Knex): TimestampColumn {
  if (knex.client.dialect === 'postgresql') return (t, name) => t.timestamp(name, { useTz: true, precision: 3 });
  return (t, name) => t.text(name);
}

function slaColumns(t: Table, ts: TimestampColumn): void {
  t.string('id').primary();
  t.string('instance_id').notNullable().references('id').inTable('instances');
  t.string('definition_key').notNullable();
  t.string('element_id').notNullable();
  t.string('element_name');
  t.string('kind', 16).notNullable();
  t.string('task_id');
  t.string('priority');
  t.string('calendar_id', 64).notNullable();
  t.string('target').notNullable();
  t.bigInteger('target_ms').notNullable();
  t.string('target_expression', 1000);
  t.text('warn_at').notNullable();
  t.text('warnings_due').notNullable();
  t.integer('next_warning').notNullable();
  t.string('warning_code').notNullable();
  t.string('breach_code').notNullable();
  t.string('status', 16).notNullable();
  ts(t, 'started_at').notNullable();
  ts(t, 'due_at').notNullable();
  t.bigInteger('paused_ms').notNullable();
  t.integer('pause_count').notNullable();
  t.integer('pause_depth').notNullable();
  ts(t, 'paused_since');
  ts(t, 'warned_at');
  ts(t, 'breached_at');
  ts(t, 'completed_at');
  t.bigInteger('business_ms');
  t.integer('holiday_data_missing').notNullable();
  ts(t, 'next_check_at');
  t.string('locked_by');
  ts(t, 'locked_until');
  t.index(['instance_id', 'element_id', 'completed_at']);
  t.index(['next_check_at']);
  t.index(['status', 'due_at']);
  t.index(['definition_key', 'status', 'due_at']);
  t.index(['task_id']);
  t.index(['completed_at']);
  t.index(['due_at']);
}
