/**
 * Issue 17, "Nothing lost, nothing doubled": a real server on PostgreSQL whose jobs send e-mail (to an SMTP
 * server started here) and webhooks (to an HTTP receiver started here) is killed with SIGKILL under load and
 * started again, several times. Clients retry their starts with an Idempotency-Key. In the end every start
 * made exactly one instance, every instance completed, and every side effect reached its receiver under
 * exactly one idempotency key (a message sent again after a kill mid-send carries the same key, which the
 * receiver drops). Runs on SQLite and on PostgreSQL; the latter is skipped without a reachable server
 * (TEST_DATABASE_URL).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chain, definitions, end, serviceTask, start } from '../helpers/bpmn-builder.js';
import { storeBackends } from '../helpers/stores.js';

const ROOT = join(import.meta.dirname, '..', '..');
const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const AVAILABLE = storeBackends().find((b) => b.name === 'postgres')?.available ?? false;
if (!AVAILABLE) console.warn('crash-side-effects test skipped: no PostgreSQL at TEST_DATABASE_URL');

const INSTANCES = 40;
const KILLS = 4;
const CONCURRENCY = 6;
const LEASE_MS = 2000;
const ADMIN_PASSWORD = 'crash-side-effects-admin';

const input = (source: string, target: string) => `<zeebe:input source="${source}" target="${target}" />`;
const MODEL = definitions('told', [
  start('S'),
  serviceTask(
    'Task_tellCustomer',
    'notify.customer',
    `<zeebe:ioMapping>${input('=email', 'contactEmail')}${input('=caseRef', 'subject')}${input('=caseRef', 'caseRef')}</zeebe:ioMapping>`,
  ),
  serviceTask(
    'Task_tellStaff',
    'notify.staff',
    `<zeebe:ioMapping>${input('cs-agents', 'toGroup')}${input('=caseRef', 'caseRef')}</zeebe:ioMapping>`,
  ),
  end('E'),
  ...chain('S', 'Task_tellCustomer', 'Task_tellStaff', 'E'),
]);

/** What a receiver got: every message with its idempotency key and what it was about. */
interface Received {
  key: string;
  about: string;
}

const BACKENDS = [
  { name: 'sqlite', available: true },
  { name: 'postgres', available: AVAILABLE },
] as const;

describe.each(BACKENDS)('e2e/crash-side-effects ($name)', ({ name: backend, available }) => {
  if (!available) return void it.skip('needs PostgreSQL', () => undefined);
  const dir = mkdtempSync(join(tmpdir(), 'svcflow-crash-fx-'));
  const database = `svcflow_crash_${randomBytes(5).toString('hex')}`;
  const mails: Received[] = [];
  const hooks: Received[] = [];
  const children: ChildProcess[] = [];
  let smtp: SMTPServer;
  let http: HttpServer;
  let smtpPort: number;
  let hookPort: number;
  let port: number;

  beforeAll(async () => {
    if (backend === 'postgres') await admin((client) => client.query(`create database ${database}`));
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, session, callback) {
        let raw = '';
        stream.on('data', (chunk: Buffer) => {
          raw += chunk.toString('utf8');
        });
        stream.on('end', () => {
          const key = /^message-id:\s*<([^>]+)>/im.exec(raw)?.[1] ?? '';
          mails.push({ key, about: session.envelope.rcptTo.map((r) => r.address).join(',') });
          callback();
        });
      },
    });
    // a server killed mid-session resets its SMTP connection; that is the point of the test, not an error
    smtp.on('error', () => undefined);
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    smtpPort = (smtp.server.address() as { port: number }).port;
    http = createHttpServer((request, response) => {
      let body = '';
      request.on('error', () => undefined);
      request.on('data', (chunk: Buffer) => {
        body += chunk.toString('utf8');
      });
      request.on('end', () => {
        const message = JSON.parse(body) as { id: string; to: string; data: { caseRef?: string } };
        expect(request.headers['idempotency-key']).toBe(message.id);
        hooks.push({ key: message.id, about: `${message.to}|${message.data.caseRef}` });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    hookPort = (http.address() as { port: number }).port;
    port = await freePort();
  }, 60_000);

  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await Promise.all(
      children.map((child) =>
        child.exitCode === null && child.signalCode === null
          ? new Promise((resolve) => child.once('exit', resolve))
          : undefined,
      ),
    );
    http?.closeAllConnections();
    // the SMTP server waits for its clients to say QUIT; the killed servers never will
    await Promise.race([
      new Promise((resolve) => smtp?.close(() => resolve(undefined))),
      new Promise((resolve) => setTimeout(resolve, 2000)),
    ]);
    await new Promise((resolve) => http?.close(() => resolve(undefined)));
    if (backend === 'postgres')
      await admin((client) => client.query(`drop database if exists ${database} with (force)`)).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('delivers every e-mail and webhook exactly once by key and loses or doubles no instance across SIGKILLs', {
    timeout: 420_000,
  }, async () => {
    // given: a server with the model deployed
    let server = await launch();
    expect((await call(server, 'POST', '/api/definitions', MODEL, 'application/xml')).status).toBe(201);

    // when: clients start instances (retrying with their key through every kill) while the node is killed and restarted
    const answers = new Map<number, string>();
    let next = 0;
    const client = async () => {
      while (next < INSTANCES) {
        const i = next++;
        answers.set(i, await startUntilAnswered(() => server, i));
      }
    };
    const clients = Array.from({ length: CONCURRENCY }, client);
    for (let kill = 0; kill < KILLS; kill++) {
      const [started, sent] = [answers.size, mails.length + hooks.length];
      await waitUntil(
        () => answers.size >= Math.min(INSTANCES, started + 6) || mails.length + hooks.length >= sent + 6,
        120_000,
      );
      server.process.kill('SIGKILL');
      await new Promise((resolve) => server.process.once('exit', resolve));
      server = await launch(server.token);
    }
    await Promise.all(clients);

    // then: one instance per start, each completed
    expect(new Set(answers.values()).size).toBe(INSTANCES);
    await waitUntil(
      async () =>
        (await call(server, 'GET', '/api/instances?definitionKey=told&status=completed&total=true')).body.total ===
        INSTANCES,
      120_000,
    );
    expect((await call(server, 'GET', '/api/instances?definitionKey=told&total=true')).body.total).toBe(INSTANCES);

    // and every side effect reached its receiver under one key
    await waitUntil(() => distinct(mails).size === INSTANCES && distinct(hooks).size === 2 * INSTANCES, 120_000);
    expect(keysPerEffect(mails)).toEqual(new Map([...answers.keys()].map((i) => [`case-${i}@example.test`, 1])));
    expect([...keysPerEffect(hooks).values()].every((n) => n === 1)).toBe(true);
    expect(keysPerEffect(hooks).size).toBe(2 * INSTANCES);
    expect((await call(server, 'GET', '/api/deliveries?status=sent&limit=1')).body.total).toBe(3 * INSTANCES);
    console.info(
      `crash-side-effects (${backend}): ${KILLS} kills; ${mails.length} mails for ${INSTANCES} (${mails.length - distinct(mails).size} resent, dropped by key); ` +
        `${hooks.length} webhooks for ${2 * INSTANCES} (${hooks.length - distinct(hooks).size} resent)`,
    );
    server.process.kill('SIGTERM');
  });

  // helpers

  interface Server {
    process: ChildProcess;
    token?: string;
  }

  async function launch(token?: string): Promise<Server> {
    const child = spawn(process.execPath, ['bin/svcflow.mjs', 'serve'], {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: databaseUrl(),
        SVCFLOW_PROCESSES_DIR: join(dir, 'none'),
        SVCFLOW_DEMO: '0',
        SVCFLOW_ADMIN_PASSWORD: ADMIN_PASSWORD,
        LOG_LEVEL: 'warn',
        NODE_ENV: 'production',
        SVCFLOW_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
        SVCFLOW_WEBHOOK_URL: `http://127.0.0.1:${hookPort}/hook`,
        SVCFLOW_WEBHOOK_SECRET: 's',
        SVCFLOW_JOB_LOCK_MS: String(LEASE_MS),
        SVCFLOW_TIMER_LEASE_MS: String(LEASE_MS),
        SVCFLOW_IDEMPOTENCY_LEASE_MS: String(LEASE_MS),
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(child);
    const server: Server = { process: child, token };
    await waitUntil(
      async () => (await call(server, 'GET', '/health').catch(() => ({ status: 0 }))).status === 200,
      120_000,
    );
    server.token ??= (
      await call(server, 'POST', '/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD })
    ).body.token;
    return server;
  }

  /** Starts instance i with its key until a 201 comes back (through refused connections, 5xx and 409 while its first try is held). */
  async function startUntilAnswered(current: () => Server, i: number): Promise<string> {
    for (;;) {
      const res = await call(
        current(),
        'POST',
        '/api/instances',
        { definitionKey: 'told', variables: { caseRef: `case-${i}`, email: `case-${i}@example.test` } },
        'application/json',
        { 'idempotency-key': `start-${i}` },
      ).catch(() => ({ status: 0, body: null }));
      if (res.status === 201) return res.body.id as string;
      expect([0, 409, 500, 502, 503]).toContain(res.status);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function call(
    server: Server,
    method: string,
    path: string,
    body?: unknown,
    type = 'application/json',
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: any }> {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, {
      method,
      signal: AbortSignal.timeout(30_000),
      headers: {
        ...(server.token ? { authorization: `Bearer ${server.token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': type }),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  }

  function databaseUrl(): string {
    if (backend === 'sqlite') return `sqlite:${join(dir, 'side-effects.db')}`;
    const url = new URL(PG_URL);
    url.pathname = `/${database}`;
    return url.toString();
  }
});

// helpers

function distinct(received: Received[]): Set<string> {
  return new Set(received.map((r) => r.key));
}

/** How many different keys each side effect (recipient and case) arrived under. */
function keysPerEffect(received: Received[]): Map<string, number> {
  const keys = new Map<string, Set<string>>();
  for (const r of received) keys.set(r.about, (keys.get(r.about) ?? new Set()).add(r.key));
  return new Map([...keys].map(([about, set]) => [about, set.size]));
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
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
