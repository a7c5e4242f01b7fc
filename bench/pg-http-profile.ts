/**
 * Where one simple instance's CPU goes over HTTP on PostgreSQL: drives the simple model at a given client
 * count on one node and profiles only the measured window (V8 inspector), with the database server's CPU
 * (all postgres processes, from /proc) beside the bench process's.
 *
 *   npx tsx bench/pg-http-profile.ts [--instances=600] [--clients=32] [--out=/tmp/pg-http.cpuprofile]
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import pg from 'pg';
import { connect } from '../engine/store/connection.js';
import { storeOn } from '../engine/store/db.js';
import { migrationSource } from '../migrations/index.js';
import { summariseProfile } from './cpuprofile.js';
import { drive, loadBuildApp, startServer } from './http.js';
import { simpleUserTaskXml } from './models.js';
import { Latencies, round, timed } from './stats.js';

const PG_URL = process.env.SVCFLOW_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const arg = (name: string, fallback: string) =>
  new RegExp(`^--${name}=(.+)$`).exec(process.argv.find((a) => a.startsWith(`--${name}=`)) ?? '')?.[1] ?? fallback;

/** CPU ms of every process whose command is postgres (the database server and its backends). */
function postgresCpuMs(): number {
  const tick = 10; // USER_HZ 100
  let total = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const name = /\(([^)]*)\)/.exec(stat)?.[1] ?? '';
      if (!name.startsWith('postgres')) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += (Number(fields[11]) + Number(fields[12])) * tick;
    } catch {
      // the process ended while being read
    }
  }
  return total;
}

async function main(): Promise<void> {
  const instances = Number(arg('instances', '600'));
  const clients = Number(arg('clients', '32'));
  const out = arg('out', '');
  const buildApp = (await loadBuildApp())!;
  const schema = `svcflow_bench_${randomBytes(4).toString('hex')}`;
  const { knex } = connect({ url: PG_URL, schema, poolMax: clients });
  const store = storeOn(knex, 'postgres', { migrations: migrationSource, schema });
  await store.migrate();
  const server = await startServer(buildApp, store, clients);
  try {
    await server.client('POST', '/api/definitions', simpleUserTaskXml, 'application/xml');
    await drive(server.client, new Latencies(), 300, clients);
    const session = new Session();
    session.connect();
    if (out) {
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 200 });
      await session.post('Profiler.start');
    }
    const latencies = new Latencies();
    const cpu = process.cpuUsage();
    const pgBefore = postgresCpuMs();
    const { ms } = await timed(() => drive(server.client, latencies, instances, clients));
    const used = process.cpuUsage(cpu);
    const pgMs = postgresCpuMs() - pgBefore;
    console.log(
      JSON.stringify({
        clients,
        instances,
        perSecond: round(instances / (ms / 1000), 1),
        nodeCpuMsPerInstance: round((used.user + used.system) / 1000 / instances, 3),
        postgresCpuMsPerInstance: round(pgMs / instances, 3),
      }),
    );
    if (out) {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(out, JSON.stringify(profile));
      const summary = summariseProfile(profile as never);
      const show = (title: string, rows: Array<{ name: string; ms: number; share: number }>, top = 25) => {
        console.log(`\n${title}`);
        for (const row of rows.slice(0, top))
          console.log(`${row.ms.toFixed(0).padStart(7)} ms  ${(row.share * 100).toFixed(1).padStart(5)}%  ${row.name}`);
      };
      show('self time by package / folder', summary.groups);
      show('inclusive by package / folder', summary.groupsInclusive);
      show('inclusive by engine function', summary.ownInclusive, 40);
      show('self time by function', summary.functions, 40);
    }
    session.disconnect();
  } finally {
    await server.close();
    await store.close();
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    await client.query(`drop schema if exists "${schema}" cascade`);
    await client.end();
  }
}

await main();
