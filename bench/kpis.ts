/**
 * KPI query latency over many finished cases: case facts and SLA rows generated directly in SQL
 * (a realistic spread over two years and three processes), the daily roll-up built from them, then
 * GET /api/kpis's service queried over narrow and wide periods, answered from the roll-up and, for
 * comparison, from the raw rows (exact percentiles).
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore, type Store } from '../engine/store/index.js';
import { migrationSource } from '../migrations/index.js';
import { Engine, InsightService, NEUTRAL_CONFIG, attachSla, type KpiQuery } from '../engine/runtime/index.js';
import type { BenchResult } from './report.js';
import { tempStore } from './sqlite.js';
import { round, sample, summarise } from './stats.js';

export interface KpiBenchOptions {
  /** Finished cases to generate. */
  cases: number;
  runs: number;
  /**
   * Keep the generated database in the temp directory and reuse it on the next run with the same case
   * count (migrated to the current schema; the roll-up rebuilt only when missing).
   */
  keep?: boolean;
}

const PROCESSES = ['complaint-handling', 'service-journey', 'risk-response'];
const CHANNELS = ['phone', 'online', 'email', 'onsite'];
const DAY = 86_400_000;
const END = Date.parse('2026-11-30T00:00:00.000Z');
const SPAN_DAYS = 730;
// the KPI target of the issue: a query over 1,000,000 finished instances answers in < 200 ms
const TARGET_MS = 200;

/** Generates the rows, then times each KPI query. */
export async function benchKpis(options: KpiBenchOptions): Promise<BenchResult> {
  const bench = options.keep ? await keptStore(options.cases) : { ...(await tempStore('kpis')), fresh: true };
  try {
    const generateMs = bench.fresh ? generate(bench.file, options.cases) : 0;
    if (bench.fresh && options.keep) writeFileSync(`${bench.file}.generated`, String(options.cases));
    // the reference installation's zone: the periods below are whole Shanghai days
    const engine = new Engine({ store: bench.store, config: { ...NEUTRAL_CONFIG, zone: 'Asia/Shanghai' } });
    const sla = await attachSla(engine);
    const insight = new InsightService(engine, sla);
    // the raw path for comparison: exact percentiles over every row of the period
    const raw = new InsightService(engine, sla, { exactLimit: Number.POSITIVE_INFINITY });
    await engine.deploy(readFileSync(new URL('../processes/complaint-handling.bpmn', import.meta.url), 'utf8'));
    const rebuildStarted = performance.now();
    if (bench.fresh) await insight.rebuildRollup();
    else await insight.ensureRollup();
    const rebuildMs = performance.now() - rebuildStarted;
    const since = (days: number) => ({ from: local(END - days * DAY), to: local(END) });
    const queries: Array<[string, KpiQuery]> = [
      ['one process, last week', { definitionKey: PROCESSES[0], ...since(7) }],
      ['all processes, last week by channel', { ...since(7), groupBy: 'channel' }],
      ['one process, last 30 days by day', { definitionKey: PROCESSES[0], ...since(30), groupBy: 'day' }],
      ['all processes, last 90 days by week', { ...since(90), groupBy: 'week' }],
      ['all processes, last 365 days by month', { ...since(365), groupBy: 'month' }],
      ['one process, two years', { definitionKey: PROCESSES[0], ...since(SPAN_DAYS) }],
      ['all processes, two years by channel', { ...since(SPAN_DAYS), groupBy: 'channel' }],
      ['all processes, last 90 days by assignee', { ...since(90), groupBy: 'assignee' }],
      [
        'all processes, two years, edges mid-day',
        { from: iso(END - SPAN_DAYS * DAY + 5 * 3_600_000), to: iso(END - 7 * 3_600_000) },
      ],
    ];
    const rows: Array<Array<string | number>> = [];
    const json: Record<string, unknown> = { cases: options.cases, generateMs, rebuildMs: round(rebuildMs, 0) };
    let worst = 0;
    for (const [name, query] of queries) {
      const { wall } = await sample(() => insight.kpis(query), options.runs, 2);
      const s = summarise(wall);
      const exact = summarise((await sample(() => raw.kpis(query), Math.max(3, Math.round(options.runs / 4)), 1)).wall);
      const report = await insight.kpis(query);
      rows.push([
        name,
        report.totals.cases.ended,
        report.fromRollup ? 'roll-up' : 'raw',
        round(s.median, 1),
        round(s.p90, 1),
        round(s.max, 1),
        round(exact.median, 1),
      ]);
      json[name] = {
        p50: round(s.median, 1),
        p90: round(s.p90, 1),
        rawP50: round(exact.median, 1),
        fromRollup: report.fromRollup,
      };
      worst = Math.max(worst, round(s.p90, 1));
    }
    return {
      name: `kpis (${options.cases.toLocaleString('en')} finished cases)`,
      tables: [
        {
          title: `KPI query latency, ms (${options.runs} runs each; rows generated in ${round(generateMs / 1000, 1)} s, roll-up built in ${round(rebuildMs / 1000, 1)} s)`,
          head: ['query', 'cases', 'answered from', 'p50', 'p90', 'max', 'raw rows p50'],
          rows,
        },
      ],
      checks: [
        {
          name: `KPI query p90 < ${TARGET_MS} ms at ${options.cases.toLocaleString('en')} cases`,
          ok: worst < TARGET_MS,
          figure: `${worst} ms`,
        },
      ],
      notes: [
        'case_facts and slas rows inserted directly, the daily roll-up rebuilt from them; queries run through InsightService.kpis (the route handler minus HTTP)',
        'periods of more than 20,000 ended cases are answered from the roll-up (percentiles within 2.5 %); "raw rows" is the same query forced onto the exact path',
      ],
      json,
    };
  } finally {
    await bench.close();
  }
}

// helpers

/** The kept database of `cases` cases in the temp directory, migrated; `fresh` when it has to be generated. */
async function keptStore(
  cases: number,
): Promise<{ store: Store; file: string; fresh: boolean; close(): Promise<void> }> {
  const file = join(tmpdir(), `svcflow-bench-kpis-${cases}.db`);
  const fresh = !existsSync(`${file}.generated`);
  if (fresh) for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
  const store = await openStore({ migrations: migrationSource, url: `sqlite:${file}` });
  await store.migrate();
  return { file, fresh, store, close: () => store.close() };
}

/** Inserts n finished cases (each with a first-response SLA row) spread evenly over two years; returns the time taken. */
function generate(file: string, n: number): number {
  const started = performance.now();
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // the SLA rows name instances that are not generated: only the KPI tables are under test
  db.pragma('foreign_keys = OFF');
  const fact =
    db.prepare(`insert into case_facts (instance_id, definition_key, business_key, status, started_at, ended_at, end_element, success,
    channel, category, priority, grp, assignee, first_response_at, first_response_ms, first_response_bms, resolution_ms, resolution_bms,
    satisfaction, nps, survey_sent, fcr, reopened, transferred, visit_count, on_time, cost)
    values (?, ?, null, 'completed', ?, ?, 'endClosed', ?, ?, 'service', ?, 'cs-resolvers', ?, ?, ?, ?, ?, ?, ?, null, 1, ?, ?, ?, null, null, null)`);
  const sla =
    db.prepare(`insert into slas (id, instance_id, definition_key, element_id, kind, calendar_id, target, target_ms, warn_at, warnings_due, next_warning,
    warning_code, breach_code, status, started_at, due_at, paused_ms, pause_count, pause_depth, completed_at, business_ms, holiday_data_missing)
    values (?, ?, ?, 'firstResponse', 'task', 'default', 'PT4H', 14400000, '[]', '[]', 0, 'sla-warning', 'sla-breach', ?, ?, ?, 0, 0, 0, ?, ?, 0)`);
  const insertAll = db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const ended = END - Math.floor((i / n) * SPAN_DAYS * DAY);
      const resolution = 3_600_000 + ((i * 7919) % 72) * 3_600_000;
      const response = 600_000 + ((i * 104_729) % 300) * 60_000;
      const start = ended - resolution;
      const id = `case-${i}`;
      fact.run(
        id,
        PROCESSES[i % 3],
        iso(start),
        iso(ended),
        i % 13 === 0 ? 0 : 1,
        CHANNELS[i % 4],
        ['urgent', 'general', 'non-urgent'][i % 3],
        `agent${i % 20}`,
        iso(start + response),
        response,
        response,
        resolution,
        resolution,
        1 + (i % 5),
        i % 7 === 0 ? 1 : 0,
        i % 11 === 0 ? 1 : 0,
        i % 17 === 0 ? 1 : 0,
      );
      sla.run(
        `sla-${i}`,
        id,
        PROCESSES[i % 3],
        response <= 14_400_000 ? 'met' : 'breached',
        iso(start),
        iso(start + 14_400_000),
        iso(start + response),
        response,
      );
    }
  });
  insertAll();
  db.exec('analyze');
  db.close();
  return performance.now() - started;
}

/** Local (Shanghai) midnight on or before an instant: the whole-day periods the dashboard asks for. */
function local(ms: number): string {
  const shanghai = 8 * 3_600_000;
  return iso(Math.floor((ms + shanghai) / DAY) * DAY - shanghai);
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
