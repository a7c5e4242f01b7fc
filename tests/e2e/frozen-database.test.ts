/**
 * A frozen PostgreSQL (SIGSTOP) must not hang the API: requests answer 503 with Retry-After within the
 * database time limit, and the node recovers once the database runs again (SIGCONT). Needs the server
 * binaries (/usr/lib/postgresql/<n>/bin); skipped with a message without them.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../engine/api/app.js';
import { Engine } from '../../engine/runtime/index.js';
import { openStore, type Store } from '../../engine/store/index.js';
import { migrationSource } from '../../migrations/index.js';
import type { FastifyInstance } from 'fastify';

const TIMEOUT_MS = 1500;
const BIN = findBin();
if (!BIN) console.warn('frozen-database test skipped: no PostgreSQL server binaries under /usr/lib/postgresql/*/bin');

describe.skipIf(!BIN)('e2e: a frozen database answers 503, then recovers', () => {
  let dir: string;
  let server: ChildProcess;
  let store: Store;
  let app: FastifyInstance;
  let port: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'svcflow-frozen-'));
    chmodSync(dir, 0o777);
    // PostgreSQL refuses to run as root: as root, run it as the postgres user
    const as = process.getuid?.() === 0 ? postgresUser() : {};
    const data = join(dir, 'data');
    execFileSync(join(BIN!, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync'], {
      stdio: 'ignore',
      ...as,
    });
    port = await freePort();
    server = spawn(
      join(BIN!, 'postgres'),
      ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off'],
      { stdio: 'ignore', ...as },
    );
    store = await waitForStore(`postgres://postgres@127.0.0.1:${port}/postgres`);
    await store.migrate();
    const engine = new Engine({ store });
    app = await buildApp({ engine, logger: false });
  }, 60_000);

  afterAll(async () => {
    if (server?.pid) signalCluster('SIGCONT');
    await app?.close();
    await store?.close().catch(() => undefined);
    if (server?.pid && server.exitCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGINT'); // fast shutdown
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 503 with Retry-After within the time limit while frozen, and 200 again after', async () => {
    expect((await app.inject({ method: 'GET', url: '/ready' })).statusCode).toBe(200);
    signalCluster('SIGSTOP');
    try {
      const started = Date.now();
      const [ready, list] = await Promise.all([
        app.inject({ method: 'GET', url: '/ready' }),
        app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'nobody', password: 'x' } }),
      ]);
      const took = Date.now() - started;
      expect(ready.statusCode).toBe(503);
      expect(list.statusCode).toBe(503);
      expect(list.headers['retry-after']).toBe('5');
      expect(list.json()).toMatchObject({ code: 'DATABASE_UNAVAILABLE' });
      expect(took).toBeLessThan(TIMEOUT_MS * 3 + 2000);
      expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    } finally {
      signalCluster('SIGCONT');
    }
    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i++) {
      status = (await app.inject({ method: 'GET', url: '/ready' })).statusCode;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(status).toBe(200);
  }, 60_000);

  // helpers

  // The postmaster and every backend it forked (each backend runs in a session of its own).
  function signalCluster(signal: NodeJS.Signals): void {
    const postmaster = Number(readFileSync(join(dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
    const children = readdirSync('/proc')
      .filter((p) => /^\d+$/.test(p))
      .filter((p) => {
        try {
          return (
            Number(
              readFileSync(`/proc/${p}/stat`, 'utf8')
                .replace(/^.*\) /s, '')
                .split(' ')[1],
            ) === postmaster
          );
        } catch {
          return false;
        }
      })
      .map(Number);
    for (const pid of [postmaster, ...children]) {
      try {
        process.kill(pid, signal);
      } catch {
        /* gone */
      }
    }
  }

  async function waitForStore(url: string): Promise<Store> {
    for (let i = 0; i < 100; i++) {
      const candidate = await openStore({ migrations: migrationSource, url, timeoutMs: TIMEOUT_MS });
      if (await candidate.ping()) return candidate;
      await candidate.close();
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error('the throw-away PostgreSQL did not start');
  }
});

function findBin(): string | null {
  if (!existsSync('/usr/lib/postgresql')) return null;
  for (const version of readdirSync('/usr/lib/postgresql').sort().reverse()) {
    const bin = join('/usr/lib/postgresql', version, 'bin');
    if (existsSync(join(bin, 'postgres')) && existsSync(join(bin, 'initdb'))) return bin;
  }
  return null;
}

function postgresUser(): { uid: number; gid: number } {
  const [uid, gid] = [execFileSync('id', ['-u', 'postgres']), execFileSync('id', ['-g', 'postgres'])].map((b) =>
    Number(b.toString().trim()),
  );
  return { uid, gid };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
