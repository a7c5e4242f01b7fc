import type { Knex } from 'knex';

/**
 * Indexes that hold exactly what a KPI period reads, so each of its statements is an index-only range scan
 * and costs the period's rows, never a lookup per case into the wide tables:
 * - ended cases by end instant, and by process and end instant, carrying every column the KPI counters,
 *   durations and groupings read; they replace 010's narrow (ended_at) and (definition_key, ended_at)
 *   indexes, which lead the same way (so every query that used those can use these) but which SQLite's
 *   planner preferred for being narrower, with a lookup into the table per case;
 * - cases by process and start instant with the practice flag and grouping values (the complaints of the
 *   complaint rate), replacing 010's (definition_key, started_at) the same way;
 * - a case's practice flag and grouping values by instance, for SLA clocks grouped by channel, category …;
 * - closed SLA clocks by close instant with status, process and instance (060's partial index of closed
 *   clocks, widened under its name);
 * - open SLA clocks by process and status (the backlog's clocks; without it a process's open clocks were
 *   found through the index of all its clocks, or all breached ones, which grows with every closed clock).
 * On SQLite they carry the columns as trailing keys, on PostgreSQL as INCLUDE columns. A SQLite database
 * that was analysed gets the new indexes' statistics too, so its planner weighs them like the others.
 */
export async function up(knex: Knex): Promise<void> {
  const pg = knex.client.dialect === 'postgresql';
  await knex.schema.alterTable('case_facts', (t) => {
    t.dropIndex(['ended_at']);
    t.dropIndex(['definition_key', 'ended_at']);
    t.dropIndex(['definition_key', 'started_at']);
  });
  await knex.raw('drop index if exists slas_closed_completed_at_index');
  for (const index of INDEXES) {
    const include = index.include.join(', ');
    const columns = pg
      ? `(${index.keys.join(', ')})${include ? ` include (${include})` : ''}`
      : `(${[...index.keys, ...index.include].join(', ')})`;
    await knex.raw(
      `create index if not exists ${index.name} on ${index.table} ${columns}${index.where ? ` where ${index.where}` : ''}`,
    );
  }
  if (!pg) {
    const stats = await knex.raw("select 1 from sqlite_master where type = 'table' and name = 'sqlite_stat1'");
    if ((stats as unknown[]).length > 0) for (const index of INDEXES) await knex.raw(`analyze ${index.name}`);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const index of INDEXES) await knex.raw(`drop index if exists ${index.name}`);
  await knex.raw('create index slas_closed_completed_at_index on slas (completed_at) where completed_at is not null');
  await knex.schema.alterTable('case_facts', (t) => {
    t.index(['definition_key', 'started_at']);
    t.index(['definition_key', 'ended_at']);
    t.index(['ended_at']);
  });
}

const DIMENSION_COLUMNS = ['channel', 'category', 'priority', 'grp', 'assignee', 'touch_point'];

/** The ended-case columns a KPI period reads (kpi-queries.ts COUNTS, DURATIONS and DIMENSIONS). */
const CASE_COLUMNS = [
  'status',
  'success',
  'fcr',
  'reopened',
  'transferred',
  'survey_sent',
  'satisfaction',
  'nps',
  'visit_count',
  'on_time',
  'cost',
  'first_response_ms',
  'first_response_bms',
  'resolution_ms',
  'resolution_bms',
  ...DIMENSION_COLUMNS,
];

const INDEXES: Array<{ name: string; table: string; keys: string[]; include: string[]; where?: string }> = [
  {
    name: 'case_facts_kpi_ended',
    table: 'case_facts',
    keys: ['ended_at'],
    include: ['practice', 'definition_key', ...CASE_COLUMNS],
  },
  {
    name: 'case_facts_kpi_process_ended',
    table: 'case_facts',
    keys: ['definition_key', 'ended_at'],
    include: ['practice', ...CASE_COLUMNS],
  },
  {
    name: 'case_facts_kpi_process_started',
    table: 'case_facts',
    keys: ['definition_key', 'started_at'],
    include: ['practice', ...DIMENSION_COLUMNS],
  },
  {
    name: 'case_facts_kpi_dimensions',
    table: 'case_facts',
    keys: ['instance_id'],
    include: ['practice', ...DIMENSION_COLUMNS],
  },
  {
    // 060's index of closed clocks, widened under its own name (the SLA report reads it too)
    name: 'slas_closed_completed_at_index',
    table: 'slas',
    keys: ['completed_at'],
    include: ['status', 'definition_key', 'instance_id'],
    where: 'completed_at is not null',
  },
  {
    name: 'slas_kpi_open',
    table: 'slas',
    keys: ['definition_key', 'status'],
    include: [],
    where: 'completed_at is null',
  },
];
