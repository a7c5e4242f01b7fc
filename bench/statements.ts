/**
 * Statements per simple instance: runs start → list open tasks → complete on a store opened with a
 * query logger and counts the SQL statements and transactions the engine sent (PostgreSQL via knex's
 * query events; SQLite's hand-written statements do not pass through knex and are not counted), on the
 * engine and over HTTP (the same three calls as the HTTP bench, each request authenticated).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Engine, systemClock } from '../engine/runtime/index.js';
import { connect } from '../engine/store/connection.js';
import { storeOn } from '../engine/store/db.js';
import { migrationSource } from '../migrations/index.js';
import { SIMPLE_KEY, simpleUserTaskXml } from './models.js';
import { drive, loadBuildApp, startServer } from './http.js';
import { Latencies } from './stats.js';

/** Counts the statements one simple instance costs on PostgreSQL, by kind; the last instance's statements listed. */
export async function countStatements(
  url: string,
  instances = 20,
): Promise<{ perInstance: number; transactions: number; statements: string[] }> {
  const schema = `svcflow_bench_${randomBytes(4).toString('hex')}`;
  const { knex } = connect({ url, schema });
  const store = storeOn(knex, 'postgres', { migrations: migrationSource, schema });
  await store.migrate();
  try {
    const engine = new Engine({ store, clock: systemClock });
    await engine.deploy(simpleUserTaskXml);
    let seen: string[] = [];
    knex.on('query', (q: { sql: string }) => seen.push(q.sql));
    let total = 0;
    for (let i = 0; i < instances; i++) {
      seen = [];
      const started = await engine.startInstance({ definitionKey: SIMPLE_KEY });
      const [task] = (await engine.listTasks({ instanceId: started.id, status: 'open', withTotal: false })).items;
      await engine.completeTask(task.id, { approved: true });
      total += seen.length;
    }
    const transactions = seen.filter((s) => /^BEGIN/i.test(s)).length;
    return { perInstance: total / instances, transactions, statements: seen };
  } finally {
    await store.close();
    await dropSchema(url, schema);
  }
}

/** The statements one simple instance costs over HTTP (POST /api/instances, GET /api/tasks, POST …/complete). */
export async function countHttpStatements(url: string, instances = 20): Promise<number | null> {
  const buildApp = await loadBuildApp();
  if (!buildApp) return null;
  const schema = `svcflow_bench_${randomBytes(4).toString('hex')}`;
  const { knex } = connect({ url, schema });
  const store = storeOn(knex, 'postgres', { migrations: migrationSource, schema });
  await store.migrate();
  const server = await startServer(buildApp, store, 1);
  try {
    await server.client('POST', '/api/definitions', simpleUserTaskXml, 'application/xml');
    await drive(server.client, new Latencies(), 5, 1);
    let seen = 0;
    knex.on('query', () => seen++);
    await drive(server.client, new Latencies(), instances, 1);
    return seen / instances;
  } finally {
    await server.close();
    await store.close();
    await dropSchema(url, schema);
  }
}

async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`drop schema if exists "${schema}" cascade`);
  await client.end();
}

if (process.argv[1]?.endsWith('statements.ts')) {
  const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  countStatements(url).then(
    async (r) => {
      console.log(`statements per simple instance: ${r.perInstance}; transactions: ${r.transactions}`);
      for (const s of r.statements) console.log(`  ${s.slice(0, 160)}`);
      const http = await countHttpStatements(url);
      if (http !== null) console.log(`statements per simple instance over HTTP: ${http}`);
      process.exit(0);
    },
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
