/**
 * issue #12, signal storm: 10,000 instances wait with a non-interrupting signal boundary; a signal is
 * broadcast through a real server, which is killed with SIGKILL in the middle of the fan-out and started
 * again. Each subscriber receives the signal exactly once.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { Engine } from '../../engine/runtime/index.js';
import { openStore } from '../../engine/store/index.js';
import { migrationSource } from '../../migrations/index.js';
import { chain, definitions, end, start, userTask } from '../helpers/bpmn-builder.js';
import { signal, signalBoundary } from '../helpers/event-builder.js';

const ROOT = join(import.meta.dirname, '..', '..');
const SUBSCRIBERS = Number(process.env.SVCFLOW_STORM_SIZE ?? 10_000);
const MODEL = definitions(
  'Storm',
  [
    start('S'),
    userTask('Work'),
    signalBoundary('Raise', 'Work', 'Sig', false),
    end('E'),
    end('Raised'),
    ...chain('S', 'Work', 'E'),
    ...chain('Raise', 'Raised'),
  ],
  [signal('Sig', 'major-incident')],
);

const dir = mkdtempSync(join(tmpdir(), 'svcflow-storm-'));
const file = join(dir, 'storm.db');
const servers: ChildProcess[] = [];
afterAll(() => {
  for (const server of servers) server.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('e2e/signal storm', () => {
  it(`delivers a signal to ${SUBSCRIBERS} subscribers exactly once across a SIGKILL in the middle of the fan-out`, {
    timeout: 600_000,
  }, async () => {
    // given: the subscribers, made through the engine on the server's database file
    const store = await openStore({ migrations: migrationSource, url: `sqlite:${file}` });
    await store.migrate();
    const engine = new Engine({ store });
    await engine.deploy(MODEL);
    for (let i = 0; i < SUBSCRIBERS; i++) await engine.startInstance({ definitionKey: 'Storm' });
    await store.close();

    // when: the broadcast is in the middle of its fan-out, the server is killed
    const first = await launch();
    const answer = await call(first, 'POST', '/api/signals', {
      name: 'major-incident',
      variables: { severity: 'high' },
    });
    expect(answer.status).toBe(202); // more receivers than the API call delivers before answering
    const signalId = answer.body.signalId as string;
    await waitUntil(() => progress(signalId).delivered >= SUBSCRIBERS / 3, 300_000);
    const peakKb = peakRssKb(first.process.pid!);
    first.process.kill('SIGKILL');
    await new Promise((resolve) => first.process.once('exit', resolve));
    const atKill = progress(signalId);
    expect(atKill.status).toBe('pending');

    // then: a restarted node takes the broadcast over when the dead node's lease ends and finishes it
    await launch();
    await waitUntil(() => progress(signalId).status === 'done', 300_000);
    const db = new Database(file, { readonly: true });
    const counts = db
      .prepare(`select count(*) as n, min(c) as least, max(c) as most from (
      select i.id, (select count(*) from history h where h.instance_id = i.id and h.event = 'signal.received') as c from instances i where i.definition_key = 'Storm')`)
      .get() as { n: number; least: number; most: number };
    const open = db.prepare("select count(*) as n from tasks where element_id = 'Work' and status = 'open'").get() as {
      n: number;
    };
    db.close();
    expect(counts).toEqual({ n: SUBSCRIBERS, least: 1, most: 1 });
    expect(open.n).toBe(SUBSCRIBERS);
    expect(progress(signalId).delivered).toBe(SUBSCRIBERS);
    console.info(
      `signal storm: ${SUBSCRIBERS} subscribers; killed after ${atKill.delivered}; first node's peak RSS ${Math.round(peakKb / 1024)} MB`,
    );
  });
});

// helpers

function progress(signalId: string): { delivered: number; status: string } {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('select delivered, status from signal_broadcasts where id = ?').get(signalId) as {
      delivered: number;
      status: string;
    };
  } finally {
    db.close();
  }
}

function peakRssKb(pid: number): number {
  const line =
    readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('VmHWM:')) ?? '';
  return Number(/(\d+)/.exec(line)?.[1] ?? 0);
}

interface Server {
  process: ChildProcess;
  url: string;
  token?: string;
}

const ADMIN_PASSWORD = 'storm-test-admin';

async function launch(): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, ['bin/svcflow.mjs', 'serve'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: `sqlite:${file}`,
      SVCFLOW_PROCESSES_DIR: join(dir, 'none'),
      SVCFLOW_DEMO: '0',
      SVCFLOW_ADMIN_PASSWORD: ADMIN_PASSWORD,
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      SVCFLOW_TIMER_LEASE_MS: '2000',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += String(chunk);
  });
  child.once('exit', (code) => {
    if (code !== null && code !== 0) console.error(`server exited ${code}: ${stderr.slice(-2000)}`);
  });
  servers.push(child);
  const server: Server = { process: child, url: `http://127.0.0.1:${port}` };
  // the first launch may compile dist/ (bin/ensure-compiled.mjs)
  await waitUntil(
    async () => (await call(server, 'GET', '/health').catch(() => ({ status: 0 }))).status === 200,
    300_000,
  );
  server.token = (
    await call(server, 'POST', '/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD })
  ).body.token;
  return server;
}

async function call(
  server: Server,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      ...(server.token ? { authorization: `Bearer ${server.token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** Polls a condition of another process (a real server has no clock to inject); gives up after `ms`. */
async function waitUntil(condition: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
