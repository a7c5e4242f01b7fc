import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe } from 'vitest';
import type { Knex } from 'knex';
import { openStore, type Store } from '../../engine/store/index.js';
import { migrationSource } from '../../migrations/index.js';
import { connect } from '../../engine/store/connection.js';
import { storeOn } from '../../engine/store/db.js';

/** A database the store tests run against; open() gives a fresh, migrated store. */
export interface StoreBackend {
  name: 'sqlite' | 'postgres';
  /** false when the database could not be reached; its suites are skipped. */
  available: boolean;
  open(): Promise<Store>;
}

const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const pgReachable = await probe(PG_URL);
const cleanups = new Map<Store, () => Promise<void>>();

/** The backends every store-backed suite runs on: a temp-file SQLite and a per-store PostgreSQL schema. */
export function storeBackends(): StoreBackend[] {
  return [
    { name: 'sqlite', available: true, open: openSqlite },
    { name: 'postgres', available: pgReachable, open: openPostgres },
  ];
}

/** describe.each over the backends; an unreachable backend's suite is declared with describe.skip. */
export function describeEachStore(title: string, body: (backend: StoreBackend) => void): void {
  const backends = storeBackends();
  const reachable = backends.filter((b) => b.available);
  const unreachable = backends.filter((b) => !b.available);
  if (reachable.length > 0) describe.each(reachable)(`${title} ($name)`, body);
  if (unreachable.length > 0) describe.skip.each(unreachable)(`${title} ($name)`, body);
}

/** A migrated knex pool on a fresh database of the backend, for tests that read query plans; close() removes it. */
export async function openKnex(backend: StoreBackend): Promise<{ knex: Knex; close(): Promise<void> }> {
  if (backend.name === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'svcflow-knex-'));
    const { knex } = connect({ url: `sqlite:${join(dir, 'plans.db')}` });
    await storeOn(knex, 'sqlite', { migrations: migrationSource }).migrate();
    return {
      knex,
      close: async () => {
        await knex.destroy();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = `svcflow_test_${randomBytes(5).toString('hex')}`;
  const { knex } = connect({ url: PG_URL, schema });
  await storeOn(knex, 'postgres', { migrations: migrationSource, schema }).migrate();
  return {
    knex,
    close: async () => {
      await knex.destroy();
      await withClient((client) => client.query(`drop schema if exists "${schema}" cascade`));
    },
  };
}

/** Closes every store opened here and removes its temp file or schema. */
export async function closeStores(): Promise<void> {
  const pending = [...cleanups.values()];
  cleanups.clear();
  await Promise.all(pending.map((cleanup) => cleanup()));
}

// helpers

async function openSqlite(): Promise<Store> {
  const dir = mkdtempSync(join(tmpdir(), 'svcflow-store-'));
  const store = await openStore({ migrations: migrationSource, url: `sqlite:${join(dir, 'test.db')}` });
  return tracked(store, async () => rmSync(dir, { recursive: true, force: true }));
}

async function openPostgres(): Promise<Store> {
  const schema = `svcflow_test_${randomBytes(5).toString('hex')}`;
  const store = await openStore({ migrations: migrationSource, url: PG_URL, schema });
  return tracked(store, () => withClient((client) => client.query(`drop schema if exists "${schema}" cascade`)));
}

// The returned store's close() also removes what open() created.
async function tracked(store: Store, remove: () => Promise<unknown>): Promise<Store> {
  await store.migrate();
  let closed: Promise<void> | undefined;
  const cleanup = () =>
    (closed ??= store.close().then(async () => {
      await remove();
    }));
  const wrapped: Store = {
    ...store,
    close: () => {
      cleanups.delete(wrapped);
      return cleanup();
    },
  };
  cleanups.set(wrapped, cleanup);
  return wrapped;
}

async function probe(url: string): Promise<boolean> {
  try {
    await withClient(() => Promise.resolve());
    return true;
  } catch {
    warnOnce(`PostgreSQL not reachable at ${url.replace(/:[^:@/]*@/, ':***@')}: PostgreSQL store tests skipped`);
    return false;
  }
}

async function withClient<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

// Test files run in separate workers of one vitest process; a marker keyed by that
// process keeps the warning to one line per run.
function warnOnce(message: string): void {
  try {
    closeSync(openSync(join(tmpdir(), `svcflow-pg-skip-${process.ppid}`), 'wx'));
  } catch {
    return;
  }
  console.warn(message);
}
