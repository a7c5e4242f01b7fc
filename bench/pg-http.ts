/**
 * PostgreSQL under concurrency: the simple model over HTTP (start → find the task → complete) at 1, 8 and
 * 32 clients, on one node and on two nodes sharing one database (requests alternate between them), beside
 * pgbench's TPC-B-like run on the same server with the same client counts, in the same run.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { connect } from '../engine/store/connection.js';
import { storeOn } from '../engine/store/db.js';
import type { Store } from '../engine/store/index.js';
import { migrationSource } from '../migrations/index.js';
import { type Client, drive, loadBuildApp, startServer } from './http.js';
import { simpleUserTaskXml } from './models.js';
import type { BenchResult } from './report.js';
import { Latencies, round, timed } from './stats.js';

export interface PgHttpOptions {
  url: string;
  instances: number;
  clients: number[];
  nodes: number[];
  pgbenchSeconds: number;
}

const TARGET_32 = 500;

export async function benchPgHttp(options: PgHttpOptions): Promise<BenchResult> {
  const buildApp = await loadBuildApp();
  if (!buildApp)
    return { name: 'PostgreSQL over HTTP', tables: [], checks: [], notes: ['no engine/api/app.ts'], json: {} };
  const rows: Array<Array<string | number>> = [];
  const json: Record<string, unknown> = {};
  for (const nodes of options.nodes) {
    const schema = `svcflow_bench_${randomBytes(4).toString('hex')}`;
    const stores: Store[] = [];
    for (let n = 0; n < nodes; n++) {
      const { knex } = connect({ url: options.url, schema, poolMax: Math.max(...options.clients) });
      stores.push(storeOn(knex, 'postgres', { migrations: migrationSource, schema }));
    }
    await stores[0].migrate();
    const servers: Array<{ client: Client; close(): Promise<void> }> = [];
    try {
      for (const [n, store] of stores.entries())
        servers.push(await startServer(buildApp, store, Math.max(...options.clients), n === 0));
      await servers[0].client('POST', '/api/definitions', simpleUserTaskXml, 'application/xml');
      let turn = 0;
      const client: Client = (...args) => servers[turn++ % servers.length].client(...args);
      await drive(client, new Latencies(), Math.min(100, options.instances), 8);
      for (const clients of options.clients) {
        const latencies = new Latencies();
        const cpuBefore = process.cpuUsage();
        const { ms } = await timed(() => drive(client, latencies, options.instances, clients));
        const cpu = process.cpuUsage(cpuBefore);
        const perSecond = options.instances / (ms / 1000);
        const cpuMs = (cpu.user + cpu.system) / 1000 / options.instances;
        rows.push([
          `svcflow HTTP, ${nodes} node${nodes > 1 ? 's' : ''}`,
          clients,
          round(perSecond, 0),
          round(cpuMs, 2),
        ]);
        json[`http_${nodes}node_${clients}c`] = {
          perSecond: round(perSecond, 1),
          nodeCpuMsPerInstance: round(cpuMs, 3),
        };
      }
    } finally {
      for (const server of servers) await server.close();
      for (const store of stores) await store.close();
      await dropSchema(options.url, schema);
    }
  }
  const pgbench = pgbenchPath();
  const notes = [
    'node CPU ms per instance: the bench process (client and server nodes share it); the database server is a separate process',
  ];
  if (pgbench) {
    for (const clients of options.clients) {
      const tps = runPgbench(pgbench, options.url, clients, options.pgbenchSeconds);
      rows.push(['pgbench (TPC-B-like, -s 1)', clients, round(tps, 0), '']);
      json[`pgbench_${clients}c`] = round(tps, 1);
    }
  } else notes.push('pgbench not found; install the postgresql client package');
  const oneNode32 = json.http_1node_32c as { perSecond: number } | undefined;
  return {
    name: 'PostgreSQL under concurrency (HTTP, simple model) beside pgbench',
    tables: [
      {
        title: `${options.instances} instances per row; pgbench ${options.pgbenchSeconds} s per row`,
        head: ['what', 'clients', 'instances/s (pgbench: tx/s)', 'node CPU ms per instance'],
        rows,
      },
    ],
    checks: oneNode32
      ? [
          {
            name: `32 clients, one node ≥ ${TARGET_32}/s`,
            ok: oneNode32.perSecond >= TARGET_32,
            figure: `${oneNode32.perSecond}/s`,
          },
        ]
      : [],
    notes,
    json,
  };
}

function pgbenchPath(): string | null {
  try {
    return execFileSync('which', ['pgbench']).toString().trim() || null;
  } catch {
    const root = '/usr/lib/postgresql';
    if (!existsSync(root)) return null;
    for (const version of readdirSync(root))
      if (existsSync(`${root}/${version}/bin/pgbench`)) return `${root}/${version}/bin/pgbench`;
    return null;
  }
}

// pgbench gets a database of its own, created and dropped here.
function runPgbench(pgbench: string, url: string, clients: number, seconds: number): number {
  const database = `svcflow_pgbench_${randomBytes(4).toString('hex')}`;
  const target = new URL(url);
  const admin = (sql: string) => execFileSync('psql', [url, '-qc', sql]);
  admin(`create database ${database}`);
  try {
    target.pathname = `/${database}`;
    execFileSync(pgbench, ['-i', '-q', '-s', '1', target.toString()], { stdio: 'pipe' });
    const out = execFileSync(
      pgbench,
      ['-n', '-c', String(clients), '-j', String(Math.min(clients, 2)), '-T', String(seconds), target.toString()],
      { stdio: 'pipe' },
    ).toString();
    const tps = /tps = ([\d.]+)/.exec(out);
    return tps ? Number(tps[1]) : Number.NaN;
  } finally {
    admin(`drop database if exists ${database}`);
  }
}

async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`drop schema if exists "${schema}" cascade`);
  await client.end();
}
