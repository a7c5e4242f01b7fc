import type { Knex } from 'knex';

type Table = Knex.CreateTableBuilder;
type TimestampColumn = (t: Table, name: string) => Knex.ColumnBuilder;

/**
 * The insight tables: one fact row per case (kept by the engine's step hook), posted volume series,
 * KPI targets per process, KRIs with their readings, and improvement actions (PDCA).
 */
export async function up(knex: Knex): Promise<void> {
  const ts = timestampColumn(knex);
  await knex.schema.createTable('case_facts', (t) => caseFactColumns(t, ts));
  await knex.schema.createTable('volumes', (t) => {
    t.string('series', 64).notNullable();
    t.string('day', 10).notNullable();
    t.bigInteger('count').notNullable();
    t.primary(['series', 'day']);
  });
  await knex.schema.createTable('kpi_targets', (t) => {
    t.string('definition_key').notNullable();
    t.string('kpi', 64).notNullable();
    t.double('target').notNullable();
    t.primary(['definition_key', 'kpi']);
  });
  await createKriTables(knex, ts);
  await knex.schema.createTable('improvements', (t) => {
    t.string('id').primary();
    t.string('title').notNullable();
    t.text('description');
    t.string('source_kind', 16).notNullable();
    t.string('source_ref').notNullable();
    t.string('definition_key');
    t.string('owner').notNullable();
    t.string('due', 10).notNullable();
    t.string('stage', 8).notNullable();
    t.text('effect_check');
    t.integer('effective');
    ts(t, 'created_at').notNullable();
    t.string('created_by');
    ts(t, 'closed_at');
    t.index(['stage', 'due']);
    t.index(['created_at']);
    t.index(['closed_at']);
    t.index(['owner', 'stage']);
  });
}

/** Drops the insight tables. */
export async function down(knex: Knex): Promise<void> {
  for (const table of ['improvements', 'kri_readings', 'kris', 'kpi_targets', 'volumes', 'case_facts'])
    await knex.schema.dropTableIfExists(table);
}

// helpers

/** PostgreSQL keeps real timestamptz(3); SQLite keeps ISO text in UTC, which sorts correctly. */
function timestampColumn(knex: Knex): TimestampColumn {
  if (knex.client.dialect === 'postgresql') return (t, name) => t.timestamp(name, { useTz: true, precision: 3 });
  return (t, name) => t.text(name);
}

function caseFactColumns(t: Table, ts: TimestampColumn): void {
  t.string('instance_id').primary();
  t.string('definition_key').notNullable();
  t.string('business_key');
  t.string('status', 16).notNullable();
  ts(t, 'started_at').notNullable();
  ts(t, 'ended_at');
  t.string('end_element');
  t.integer('success');
  for (const column of ['channel', 'category', 'priority', 'grp', 'assignee', 'touch_point']) t.string(column);
  ts(t, 'first_response_at');
  t.bigInteger('first_response_ms');
  t.bigInteger('first_response_bms');
  t.bigInteger('resolution_ms');
  t.bigInteger('resolution_bms');
  t.integer('satisfaction');
  t.integer('nps');
  t.integer('survey_sent').notNullable();
  t.integer('fcr');
  t.integer('reopened').notNullable();
  t.integer('transferred').notNullable();
  t.integer('visit_count');
  t.integer('on_time');
  t.double('cost');
  t.index(['definition_key', 'ended_at']);
  t.index(['definition_key', 'started_at']);
  t.index(['ended_at']);
  t.index(['started_at']);
  t.index(['status', 'definition_key', 'started_at']);
}

async function createKriTables(knex: Knex, ts: TimestampColumn): Promise<void> {
  await knex.schema.createTable('kris', (t) => {
    t.string('id').primary();
    t.string('name').notNullable();
    t.string('unit', 16).notNullable();
    t.string('direction', 8).notNullable();
    t.double('amber').notNullable();
    t.double('red').notNullable();
    t.string('owner').notNullable();
    t.string('risk_id');
    t.string('category', 16).notNullable();
    t.string('level', 8).notNullable();
    t.double('last_value');
    ts(t, 'last_at');
    ts(t, 'created_at').notNullable();
  });
  await knex.schema.createTable('kri_readings', (t) => {
    t.bigIncrements('id');
    t.string('kri_id').notNullable().references('id').inTable('kris');
    t.double('value').notNullable();
    ts(t, 'observed_at').notNullable();
    t.string('level', 8).notNullable();
    t.string('action', 16);
    t.string('started_instance_id');
    t.index(['kri_id', 'observed_at']);
  });
}
