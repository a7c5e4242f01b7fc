import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../engine/store/index.js';
import { connect, dbTimeoutMs, poolMax, sqliteDriver } from '../../engine/store/connection.js';
import { seedInstance } from '../helpers/store-rows.js';
import { migrationSource } from '../../migrations/index.js';

describe('store/connection', () => {
  const dir = mkdtempSync(join(tmpdir(), 'svcflow-conn-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('opens a relative sqlite path from the working directory and creates its folder', async () => {
    const file = join(dir, 'nested', 'data', 'svcflow.db');
    const store = await openStore({ migrations: migrationSource, url: `sqlite:${relative(process.cwd(), file)}` });
    await store.migrate();
    await store.close();
    expect(existsSync(file)).toBe(true);
  });

  it('keeps an in-memory database for the life of the store', async () => {
    const store = await openStore({ migrations: migrationSource, url: 'sqlite::memory:' });
    await store.migrate();
    const instance = await seedInstance(store);
    await Promise.all([store.instances.get(instance.id), store.transaction((tx) => tx.instances.get(instance.id))]);
    expect(await store.instances.get(instance.id)).toMatchObject({ id: instance.id });
    await store.close();
  });

  it('enforces foreign keys on sqlite', async () => {
    const store = await openStore({ migrations: migrationSource, url: 'sqlite::memory:' });
    await store.migrate();
    await expect(
      store.history.append([
        {
          instanceId: 'nobody',
          elementId: null,
          elementType: null,
          event: 'x',
          at: '2026-01-01T00:00:00Z',
          by: null,
          details: null,
        },
      ]),
    ).rejects.toThrow(/FOREIGN KEY/);
    await store.close();
  });

  it('rejects an unsupported url without echoing its password', async () => {
    await expect(openStore({ url: 'mysql://app:secret@db/svcflow' })).rejects.toThrow(
      "unsupported database url 'mysql://app:***@db/svcflow'",
    );
  });

  it('sizes the pool and the statement timeout from the environment, refusing what is not a positive integer', async () => {
    expect(poolMax({})).toBe(10);
    expect(poolMax({ SVCFLOW_DB_POOL_MAX: '32' })).toBe(32);
    for (const bad of ['0', '-1', '2.5', 'many'])
      expect(() => poolMax({ SVCFLOW_DB_POOL_MAX: bad })).toThrow(/SVCFLOW_DB_POOL_MAX/);
    expect(dbTimeoutMs({})).toBe(10_000);
    expect(dbTimeoutMs({ SVCFLOW_DB_TIMEOUT_MS: '2500' })).toBe(2500);
    for (const bad of ['0', '-5', '1.5', 'soon'])
      expect(() => dbTimeoutMs({ SVCFLOW_DB_TIMEOUT_MS: bad })).toThrow(/SVCFLOW_DB_TIMEOUT_MS/);
    const { knex } = connect({ url: 'postgres://nobody@127.0.0.1:1/none', poolMax: 3, timeoutMs: 1234 });
    const config = knex.client.config as { pool: { max: number }; connection: { statement_timeout: number } };
    expect(config.pool.max).toBe(3);
    expect(config.connection.statement_timeout).toBe(1234);
    await knex.destroy();
  });

  it('uses better-sqlite3 unless SVCFLOW_SQLITE_DRIVER says otherwise', () => {
    expect(sqliteDriver({})).toBe('better-sqlite3');
    expect(() => sqliteDriver({ SVCFLOW_SQLITE_DRIVER: 'duckdb' })).toThrow(
      "SVCFLOW_SQLITE_DRIVER must be one of better-sqlite3, sqlite3; got 'duckdb'",
    );
  });

  it.skipIf(isInstalled('sqlite3'))('says so when the selected sqlite3 driver is not installed', () => {
    expect(() => sqliteDriver({ SVCFLOW_SQLITE_DRIVER: 'sqlite3' })).toThrow(
      /'sqlite3' package, which is not installed; run `npm install sqlite3`/,
    );
  });
});

// helpers

function isInstalled(name: string): boolean {
  try {
    import.meta.resolve(name);
    return true;
  } catch {
    return false;
  }
}
