/**
 * `npm run bench [-- PART... --option=value]`: runs the benchmarks (all by default), prints a table
 * per benchmark and one `BENCH_JSON {...}` line, and writes bench/results/latest.md.
 *
 * Parts: compile, throughput, http, memory, bpmn-engine, kpis, timers, pg-http, and growth (only when named or with --growth:
 * it fills a database of --waiting waiting and --finished finished instances; --finished=1000000 for 1M).
 * Options: --instances=3000 --http-instances=2000 --concurrency=8 --waiting=100000 --finished=100000
 *          --growth-instances=1000 --requests=30 --plans --bpmn-engine-instances=1000 --nodes=1000 --runs=20
 *          --kpi-cases=1000000 (--kpi-keep reuses its generated database) --timers=100000 --timer-window=10000 --same-second=10000 --pg-timers=20000
 *          --pg-http-instances=1000 --pgbench-seconds=10
 *          --poll=250 --no-pg --no-report; --quick shrinks every count for a smoke run of about a minute.
 */
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { benchBpmnEngine } from './bpmn-engine.js';
import { benchCompile } from './compile.js';
import { benchGrowth } from './growth.js';
import { benchHttp } from './http.js';
import { benchKpis } from './kpis.js';
import { benchMemory } from './memory.js';
import { machineFacts, markdown, textResult, writeReport, type BenchResult } from './report.js';
import { pgReachable } from './sqlite.js';
import { benchThroughput } from './throughput.js';
import { benchTimers } from './timers.js';
import { benchPgHttp } from './pg-http.js';

type Options = Record<string, number | boolean>;
type Part = (options: Options, done: BenchResult[]) => Promise<BenchResult>;

const DEFAULTS: Options = {
  instances: 3000,
  'http-instances': 2000,
  concurrency: 8,
  waiting: 100_000,
  'bpmn-engine-instances': 1000,
  nodes: 1000,
  runs: 20,
  warmup: 5,
  report: true,
  'kpi-cases': 1_000_000,
  'kpi-keep': false,
  finished: 100_000,
  'growth-instances': 1000,
  requests: 30,
  plans: false,
  growth: false,
  quick: false,
  timers: 100_000,
  'timer-window': 10_000,
  'same-second': 10_000,
  'pg-timers': 20_000,
  poll: 250,
  pg: true,
  'pg-http-instances': 1000,
  'pgbench-seconds': 10,
};

const QUICK: Options = {
  instances: 300,
  'http-instances': 200,
  waiting: 10_000,
  finished: 10_000,
  'bpmn-engine-instances': 100,
  nodes: 200,
  runs: 5,
  warmup: 2,
  'growth-instances': 200,
  requests: 10,
  'kpi-cases': 20_000,
  timers: 5000,
  'same-second': 2000,
  'pg-timers': 1000,
  'pg-http-instances': 60,
  'pgbench-seconds': 2,
};

// Parts run by default; growth fills large databases, so it runs only when asked for.
const OPT_IN = new Set(['growth', 'pg-http']);

const PARTS: Record<string, Part> = {
  compile: (o) => benchCompile({ nodes: num(o.nodes), runs: num(o.runs), warmup: num(o.warmup) }),
  throughput: (o) => benchThroughput({ instances: num(o.instances), warmup: Math.min(300, num(o.instances)) }),
  http: (o) => benchHttp({ instances: num(o['http-instances']), concurrency: num(o.concurrency) }),
  memory: (o) => benchMemory({ waiting: num(o.waiting) }),
  'bpmn-engine': (o) => benchBpmnEngine({ instances: num(o['bpmn-engine-instances']) }),
  growth: (o) =>
    benchGrowth({
      waiting: num(o.waiting),
      finished: num(o.finished),
      instances: num(o['growth-instances']),
      requests: num(o.requests),
      plans: o.plans === true,
    }),
  kpis: (o) => benchKpis({ cases: num(o['kpi-cases']), runs: num(o.runs), keep: o['kpi-keep'] === true }),
  timers: async (o) =>
    benchTimers({
      timers: num(o.timers),
      windowMs: num(o['timer-window']),
      sameSecond: num(o['same-second']),
      pollMs: num(o.poll),
      pgTimers: num(o['pg-timers']),
      pgUrl: o.pg !== false && (await pgReachable(PG_URL)) ? PG_URL : undefined,
    }),
  'pg-http': async (o) =>
    o.pg !== false && (await pgReachable(PG_URL))
      ? benchPgHttp({
          url: PG_URL,
          instances: num(o['pg-http-instances']),
          clients: [1, 8, 32],
          nodes: [1, 2],
          pgbenchSeconds: num(o['pgbench-seconds']),
        })
      : { name: 'PostgreSQL over HTTP', tables: [], checks: [], notes: ['no PostgreSQL answers; skipped'], json: {} },
};

// PostgreSQL parts use BENCH_DATABASE_URL or TEST_DATABASE_URL (a fresh schema each, dropped after), else the test server when it answers.
const PG_URL =
  process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const REPORT_FILE = fileURLToPath(new URL('./results/latest.md', import.meta.url));

async function main(argv: string[]): Promise<void> {
  const { parts, options } = parseArgs(argv);
  const machine = machineFacts();
  console.log(
    `svcflow bench: ${parts.join(', ')}; figures from this machine: ${machine.cores} cores, Node ${machine.node}, load ${machine.load}`,
  );
  if (typeof globalThis.gc !== 'function')
    console.log('note: run with --expose-gc (npm run bench does) for the memory figures');
  const results: BenchResult[] = [];
  for (const part of parts) {
    const load = Math.round(loadavg()[0] * 100) / 100;
    const started = new Date().toISOString();
    const result = await PARTS[part](options, results);
    result.notes = [
      ...(result.notes ?? []),
      `part started ${started}, 1-minute load average then: ${load} (${machine.cores} cores)`,
    ];
    results.push(result);
    console.log(`\n${textResult(result)}`);
  }
  console.log(
    `\nBENCH_JSON ${JSON.stringify({ machine, options, results: Object.fromEntries(results.map((r) => [r.name, r.json])) })}`,
  );
  if (options.report) {
    writeReport(REPORT_FILE, markdown(results, machine, `npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}`));
    console.log(`wrote ${REPORT_FILE}`);
  }
}

// helpers

function parseArgs(argv: string[]): { parts: string[]; options: Options } {
  const given: Options = {};
  const parts: string[] = [];
  for (const arg of argv) {
    const option = /^--(no-)?([a-z-]+)(?:=(\d+))?$/.exec(arg);
    if (option) given[option[2]] = option[1] ? false : option[3] === undefined ? true : Number(option[3]);
    else if (arg in PARTS) parts.push(arg);
    else throw new Error(`unknown part or option '${arg}'; parts: ${Object.keys(PARTS).join(', ')}`);
  }
  // --quick lowers the defaults; options given on the command line still win
  const options = { ...DEFAULTS, ...(given.quick ? QUICK : {}), ...given };
  const defaults = Object.keys(PARTS).filter((p) => !OPT_IN.has(p) || options[p] === true);
  return { parts: parts.length ? parts : defaults, options };
}

const num = (value: number | boolean | undefined): number => Number(value);

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
