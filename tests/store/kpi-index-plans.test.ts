/**
 * Issue #15: every statement of a KPI period reads an index that holds exactly what it needs (migration
 * 190_kpi_reads): the period's cases, SLA clocks and complaints are index-only range scans, and the open
 * clocks come from the partial index of open clocks, never the index of every clock by status (which grew
 * with each closed breach and cost ~0.5 s at 1,000,000 cases; bench: `kpis --kpi-cases=1000000`).
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { backlogFigures, caseSamples, slaAggregates, startedCounts } from '../../engine/store/kpi-queries.js';
import type { KpiFilter } from '../../engine/store/index.js';
import { describeEachStore, openKnex } from '../helpers/stores.js';

const WEEK = { from: '2026-11-23T00:00:00.000Z', to: '2026-11-30T00:00:00.000Z' };
const DAYS = Array.from({ length: 7 }, (_, i) => ({
  key: `2026-11-${23 + i}`,
  from: `2026-11-${23 + i}T00:00:00.000Z`,
  to: i === 6 ? '2026-11-30T00:00:00.000Z' : `2026-11-${24 + i}T00:00:00.000Z`,
}));

describeEachStore('store/KPI statements read covering indexes', (backend) => {
  let db: Knex;
  let close: () => Promise<void>;
  const dialect = backend.name === 'sqlite' ? 'sqlite' : 'postgres';
  beforeAll(async () => {
    ({ knex: db, close } = await openKnex(backend));
    // PostgreSQL plans by statistics: give it two years of cases (SQLite, as svcflow runs it, has none)
    if (dialect === 'postgres') await growForPlanner(db);
  });
  afterAll(() => close());

  /** The statements each KPI read runs for `filter`, with their plans. */
  async function plansOf(filter: KpiFilter): Promise<Record<string, string[]>> {
    const reads: Record<string, (db: Knex) => Promise<unknown>> = {
      cases: (d) => caseSamples(d, filter),
      slas: (d) => slaAggregates(d, filter),
      complaints: (d) => startedCounts(d, 'complaint', filter),
      backlog: (d) => backlogFigures(d, filter, filter.to),
    };
    const out: Record<string, string[]> = {};
    for (const [name, read] of Object.entries(reads)) {
      const statements: Array<{ sql: string; bindings: readonly unknown[] }> = [];
      const listen = (q: { sql: string; bindings?: readonly unknown[] }) => {
        // PostgreSQL's statements come numbered ($1 …), in binding order
        if (/^select/i.test(q.sql)) statements.push({ sql: q.sql.replace(/\$\d+/g, '?'), bindings: q.bindings ?? [] });
      };
      db.on('query', listen);
      try {
        await read(db);
      } finally {
        db.removeListener('query', listen);
      }
      out[name] = await Promise.all(statements.map((s) => planOf(s.sql, s.bindings)));
    }
    return out;
  }

  async function planOf(sql: string, bindings: readonly unknown[]): Promise<string> {
    if (dialect === 'sqlite') {
      const rows: Array<{ detail: string }> = await db.raw(`explain query plan ${sql}`, bindings as Knex.RawBinding[]);
      return rows.map((r) => r.detail).join('\n');
    }
    return db.transaction(async (trx) => {
      await trx.raw('set local enable_seqscan = off');
      await trx.raw('set local enable_bitmapscan = off');
      const result: { rows: Array<{ 'QUERY PLAN': string }> } = await trx.raw(
        `explain ${sql}`,
        bindings as Knex.RawBinding[],
      );
      return result.rows.map((r) => r['QUERY PLAN']).join('\n');
    });
  }

  const indexOnly = (index: string) =>
    dialect === 'sqlite'
      ? new RegExp(`USING COVERING INDEX ${index}\\b`)
      : new RegExp(`Index Only Scan (Backward )?using ${index}\\b`);
  const anyIndex = (index: string) =>
    dialect === 'sqlite'
      ? new RegExp(`USING (COVERING )?INDEX ${index}\\b`)
      : new RegExp(`Index (Only )?Scan (Backward )?using ${index}\\b`);

  it.each([
    ['all processes', { ...WEEK }, 'case_facts_kpi_ended'],
    ['all processes by channel', { ...WEEK, dimension: 'channel' }, 'case_facts_kpi_ended'],
    ['all processes by day', { ...WEEK, buckets: DAYS }, 'case_facts_kpi_ended'],
    ['one process', { ...WEEK, definitionKey: 'complaint' }, 'case_facts_kpi_process_ended'],
    ['one process by day', { ...WEEK, definitionKey: 'complaint', buckets: DAYS }, 'case_facts_kpi_process_ended'],
  ] as Array<[string, KpiFilter, string]>)('a period of %s is read index-only', async (_, filter, caseIndex) => {
    const plans = await plansOf(filter);
    expect(plans.cases).toHaveLength(2);
    // SQLite (no statistics) takes the index led by the filter's columns; PostgreSQL weighs both KPI
    // indexes by its statistics and may filter a small process out of the period's index
    const cases = dialect === 'sqlite' ? caseIndex : '(case_facts_kpi_ended|case_facts_kpi_process_ended)';
    for (const plan of plans.cases) expect(plan).toMatch(indexOnly(cases));
    expect(plans.slas).toHaveLength(1);
    expect(plans.slas[0]).toMatch(indexOnly('slas_closed_completed_at_index'));
    if (filter.dimension) expect(plans.slas[0]).toMatch(anyIndex('case_facts_kpi_dimensions'));
    expect(plans.complaints[0]).toMatch(
      dialect === 'sqlite'
        ? indexOnly('case_facts_kpi_process_started')
        : anyIndex('(case_facts_kpi_process_started|case_facts_started_at_index)'),
    );
    // the open clocks: the partial index of open clocks, never the index of every clock by status
    const clocks = plans.backlog.find((p) => /slas/.test(p)) ?? plans.backlog.join('\n');
    expect(clocks).toMatch(
      anyIndex(filter.definitionKey ? 'slas_kpi_open' : '(slas_kpi_open|slas_open_due_at_id_index)'),
    );
    expect(plans.backlog.join('\n')).not.toMatch(/slas_status_due_at_id_index|slas_definition_key_status_due_at_index/);
  });
});

// 20,000 ended cases of three processes over two years, one closed SLA clock each, and a few open ones.
async function growForPlanner(knex: Knex): Promise<void> {
  // the clocks name instances that are not generated: only the KPI tables are under test
  await knex.transaction(async (db) => {
    await db.raw('set local session_replication_role = replica');
    await db.raw(`insert into case_facts (instance_id, definition_key, status, started_at, ended_at, success, channel,
    first_response_ms, first_response_bms, resolution_ms, resolution_bms, satisfaction, survey_sent, reopened, transferred)
    select 'i' || g, case g % 3 when 0 then 'complaint' when 1 then 'journey' else 'risk' end, 'completed',
    timestamptz '2026-12-01' - g * interval '1 hour' - interval '5 hours', timestamptz '2026-12-01' - g * interval '1 hour',
    1, case g % 4 when 0 then 'phone' when 1 then 'online' when 2 then 'email' else 'onsite' end,
    g % 300 * 60000, g % 300 * 60000, 18000000, 18000000, 1 + g % 5, 1, 0, 0 from generate_series(1, 20000) g`);
    await db.raw(`insert into slas (id, instance_id, definition_key, element_id, kind, calendar_id, target, target_ms, warn_at, warnings_due,
    next_warning, warning_code, breach_code, status, started_at, due_at, paused_ms, pause_count, pause_depth, holiday_data_missing, completed_at)
    select 's' || g, 'i' || g, case g % 3 when 0 then 'complaint' when 1 then 'journey' else 'risk' end, 'Task_1', 'task', '24x7', 'PT4H',
    14400000, '[]', '[]', 0, 'w', 'b', case when g <= 20 then 'running' when g % 7 = 0 then 'breached' else 'met' end,
    timestamptz '2026-12-01' - g * interval '1 hour' - interval '5 hours', timestamptz '2026-12-01' - g * interval '1 hour' - interval '1 hour',
    0, 0, 0, 0, case when g <= 20 then null else timestamptz '2026-12-01' - g * interval '1 hour' - interval '4 hours' end
    from generate_series(1, 20000) g`);
  });
  await knex.raw('analyze');
}
