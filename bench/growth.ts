/**
 * Cost as work grows: start + complete throughput on an empty database and on a grown one (N waiting,
 * M finished instances, filled with SQL), the first-page latency of every list route for each role,
 * and, with `plans`, SQLite's query plan of every distinct statement those calls ran (full scans and
 * temp sorts flagged).
 */
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../engine/api/app.js';
import { hashPassword, sessionVersion } from '../engine/runtime/index.js';
import { grownDb, type GrownDb } from './grown-db.js';
import { simpleUserTaskXml } from './models.js';
import type { BenchResult, Table } from './report.js';
import { driveInProcess } from './throughput.js';
import { round, summarise } from './stats.js';

export interface GrowthOptions {
  waiting: number;
  finished: number;
  instances: number;
  requests: number;
  plans: boolean;
}

interface RouteFigure {
  role: string;
  route: string;
  p50: number;
  p99: number;
  items: number;
}
interface PlanFinding {
  sql: string;
  plan: string[];
}

const ROLES = [
  { username: 'ann', roles: ['staff'], groups: ['support'] },
  { username: 'sue', roles: ['supervisor'], groups: ['support', 'billing'] },
  { username: 'root', roles: ['admin'], groups: [] },
];

const TARGET_RATIO = 0.9;
const TARGET_P99_MS = 20;

/** Measures an empty and a grown database side by side and reports the ratio and route latencies. */
export async function benchGrowth(options: GrowthOptions): Promise<BenchResult> {
  const empty = await grownDb({ waiting: 0, finished: 0 });
  try {
    const grown = await grownDb({ waiting: options.waiting, finished: options.finished });
    try {
      const rates = await interleavedRates([empty, grown], options.instances);
      const emptyFigures = await measureRoutes(empty, options, false);
      const grownFigures = await measureRoutes(grown, options, options.plans);
      return report(
        options,
        { ...emptyFigures, perSecond: rates[0], fillSeconds: empty.fillSeconds },
        { ...grownFigures, perSecond: rates[1], fillSeconds: grown.fillSeconds },
      );
    } finally {
      await grown.close();
    }
  } finally {
    await empty.close();
  }
}

interface Measured {
  perSecond: number;
  fillSeconds: number;
  routes: RouteFigure[];
  plans: PlanFinding[];
}

const ROUNDS = 5;

// Both databases in the same window, in alternating batches, so a change in the machine's load
// (2 shared cores) weighs on both alike; the plans are recorded during the grown database's batches.
async function interleavedRates(dbs: GrownDb[], instances: number): Promise<number[]> {
  const seconds = dbs.map(() => 0);
  for (const db of dbs) {
    await db.engine.deploy(simpleUserTaskXml);
    await driveInProcess(db.engine, Math.min(100, instances));
  }
  const batch = Math.max(1, Math.floor(instances / ROUNDS));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, db] of dbs.entries()) seconds[i] += (await driveInProcess(db.engine, batch)).seconds;
  }
  return seconds.map((s) => (batch * ROUNDS) / s);
}

async function measureRoutes(
  db: GrownDb,
  options: GrowthOptions,
  plans: boolean,
): Promise<Pick<Measured, 'routes' | 'plans'>> {
  const recorder = plans ? recordStatements() : undefined;
  const app = await buildApp({ engine: db.engine, sla: db.sla, logger: false, auth: { passwordCost: 1024 } });
  try {
    if (recorder) await driveInProcess(db.engine, 3);
    const routes = await routeLatencies(app, db, options.requests);
    return { routes, plans: recorder ? explainAll(db.bench.file, recorder.stop()) : [] };
  } finally {
    recorder?.stop();
    await app.close();
  }
}

/** First pages of every list route for each role, `requests` times each after one warm-up call. */
async function routeLatencies(app: FastifyInstance, db: GrownDb, requests: number): Promise<RouteFigure[]> {
  const to = new Date().toISOString();
  const from = new Date(Date.now() - 30 * 86_400_000).toISOString();
  const routes = [
    '/api/tasks',
    '/api/tasks?candidateGroup=support',
    '/api/instances',
    '/api/instances?status=active',
    '/api/sla',
    `/api/sla/report?from=${from}&to=${to}&groupBy=definition`,
    '/api/sla/report',
    '/api/incidents',
    '/api/jobs',
    '/api/notifications',
  ];
  const figures: RouteFigure[] = [];
  for (const user of ROLES) {
    const headers = await signedIn(app, db, user);
    for (const route of routes) {
      const first = await app.inject({ method: 'GET', url: route, headers });
      if (first.statusCode === 403) continue;
      if (first.statusCode !== 200) throw new Error(`${route} as ${user.username}: ${first.statusCode} ${first.body}`);
      const samples: number[] = [];
      for (let i = 0; i < requests; i++) {
        const started = performance.now();
        await app.inject({ method: 'GET', url: route, headers });
        samples.push(performance.now() - started);
      }
      const s = summarise(samples);
      const body = first.json() as { items?: unknown[]; groups?: unknown[] };
      figures.push({
        role: user.roles[0],
        route,
        p50: round(s.median),
        p99: round(s.p99),
        items: (body.items ?? body.groups ?? []).length,
      });
    }
  }
  return figures;
}

async function signedIn(
  app: FastifyInstance,
  db: GrownDb,
  user: (typeof ROLES)[number],
): Promise<Record<string, string>> {
  const store = db.bench.store;
  const now = new Date().toISOString();
  for (const group of user.groups) await store.users.insertGroup({ id: group, name: group, createdAt: now });
  await store.users.insert({
    username: user.username,
    displayName: user.username,
    passwordHash: await hashPassword('bench-password', 1024),
    roles: user.roles,
    disabled: false,
    createdAt: now,
    updatedAt: now,
  });
  await store.users.setGroupsOf(user.username, user.groups);
  return {
    authorization: `Bearer ${app.jwt.sign({ sub: user.username, ver: sessionVersion({ createdAt: now, tokenVersion: 0 }) })}`,
  };
}

// Every statement better-sqlite3 runs in this process, with the values of its first run.
function recordStatements(): { stop(): Map<string, unknown[]> } {
  const probe = new Database(':memory:');
  const proto = Object.getPrototypeOf(probe.prepare('select 1')) as Record<string, (...args: unknown[]) => unknown>;
  probe.close();
  const seen = new Map<string, unknown[]>();
  const originals = Object.fromEntries(['run', 'get', 'all', 'iterate'].map((m) => [m, proto[m]]));
  for (const [name, original] of Object.entries(originals)) {
    proto[name] = function (this: { source: string }, ...args: unknown[]) {
      if (!seen.has(this.source)) seen.set(this.source, args.length === 1 && Array.isArray(args[0]) ? args[0] : args);
      return original.apply(this, args);
    };
  }
  let stopped = false;
  return {
    stop() {
      if (!stopped) Object.assign(proto, originals);
      stopped = true;
      return seen;
    },
  };
}

/** The plan of each recorded reading or writing statement whose plan holds a full scan or a temp sort. */
function explainAll(file: string, statements: Map<string, unknown[]>): PlanFinding[] {
  const db = new Database(file, { readonly: true });
  const findings: PlanFinding[] = [];
  try {
    for (const [sql, params] of statements) {
      if (!/^\s*(select|update|delete|insert|with)/i.test(sql) || /sqlite_|pragma|temp\.copy_ids/i.test(sql)) continue;
      let plan: string[];
      try {
        plan = (db.prepare(`explain query plan ${sql}`).all(params as never[]) as Array<{ detail: string }>).map(
          (r) => r.detail,
        );
      } catch {
        continue;
      }
      if (plan.some((step) => /^SCAN \w+( AS \w+)?$|TEMP B-TREE/.test(step))) findings.push({ sql, plan });
    }
  } finally {
    db.close();
  }
  return findings;
}

function report(options: GrowthOptions, empty: Measured, grown: Measured): BenchResult {
  const ratio = grown.perSecond / empty.perSecond;
  const size = `${options.waiting} waiting + ${options.finished} finished`;
  const worst = Math.max(...grown.routes.map((r) => r.p99));
  const tables: Table[] = [
    {
      title: `start + complete of the simple model, ${options.instances} sequential (filled in ${round(grown.fillSeconds, 1)} s)`,
      head: ['database', 'instances/s'],
      rows: [
        ['empty', round(empty.perSecond, 0)],
        [size, round(grown.perSecond, 0)],
        ['ratio', round(ratio, 2)],
      ],
    },
    {
      title: `First page of each list route, ${options.requests} calls (ms)`,
      head: ['role', 'route', 'items', 'p50 empty', 'p99 empty', `p50 ${size}`, `p99 ${size}`],
      rows: grown.routes.map((r, i) => [
        r.role,
        r.route.replace(/from=[^&]+&to=[^&]+&/, ''),
        r.items,
        empty.routes[i]?.p50 ?? '',
        empty.routes[i]?.p99 ?? '',
        r.p50,
        r.p99,
      ]),
    },
  ];
  if (options.plans)
    tables.push({
      title: 'Statements whose plan scans a table or sorts in a temp b-tree',
      head: ['statement', 'plan'],
      rows: grown.plans.map((p) => [p.sql.slice(0, 160), p.plan.join(' | ')]),
    });
  return {
    name: `growth (SQLite, ${size})`,
    tables,
    checks: [
      {
        name: `start + complete at ${size} within ${round((1 - TARGET_RATIO) * 100, 0)}% of empty`,
        ok: ratio >= TARGET_RATIO,
        figure: `${round(ratio * 100, 0)}%`,
      },
      {
        name: `every list route's first page p99 < ${TARGET_P99_MS} ms`,
        ok: worst < TARGET_P99_MS,
        figure: `${worst} ms worst`,
      },
    ],
    json: {
      waiting: options.waiting,
      finished: options.finished,
      emptyPerSecond: round(empty.perSecond, 1),
      grownPerSecond: round(grown.perSecond, 1),
      ratio: round(ratio, 3),
      routes: grown.routes,
      emptyRoutes: empty.routes,
      scans: grown.plans.length,
    },
  };
}
