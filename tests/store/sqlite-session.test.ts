import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Knex } from 'knex';
import type { Store, TaskRow } from '../../engine/store/index.js';
import { connect } from '../../engine/store/connection.js';
import { storeOn } from '../../engine/store/db.js';
import { STATEMENTS } from '../../engine/store/sqlite/repositories.js';
import { TASK_STATEMENTS } from '../../engine/store/sqlite/tasks.js';
import { closeStores, storeBackends } from '../helpers/stores.js';
import { aTask, at, seedInstance } from '../helpers/store-rows.js';
import { migrationSource } from '../../migrations/index.js';

// The SQLite store runs on one held connection: calls take turns, and the hand-written
// statements must answer exactly as the knex-built queries they stand in for.
describe('store/sqlite session', () => {
  let store: Store;
  beforeAll(async () => {
    store = await storeBackends()[0].open();
  });
  afterAll(closeStores);

  it('makes a call outside a transaction wait until the transaction has ended', async () => {
    const instance = await seedInstance(store);
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const step = store.transaction(async (tx) => {
      await tx.instances.save({ ...instance, status: 'completed' }, instance.version);
      await held;
      throw new Error('rolled back');
    });
    let answered = false;
    const read = store.instances.get(instance.id).then((row) => {
      answered = true;
      return row;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(answered).toBe(false);
    release();
    await expect(step).rejects.toThrow('rolled back');
    expect(await read).toMatchObject({ status: instance.status, version: instance.version });
  });

  it('runs a second transaction only after the first has finished', async () => {
    const instance = await seedInstance(store);
    const order: string[] = [];
    const first = store.transaction(async (tx) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      await tx.instances.save(instance, instance.version);
      order.push('first');
    });
    const second = store.transaction(async (tx) => {
      order.push('second');
      return (await tx.instances.get(instance.id))?.version;
    });
    await first;
    expect(await second).toBe(instance.version + 1);
    expect(order).toEqual(['first', 'second']);
  });

  it("fails a store call made inside a transaction callback after a minute, as knex's pool did", async () => {
    const instance = await seedInstance(store);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const step = store.transaction(async () => store.instances.get(instance.id));
      const failed = expect(step).rejects.toThrow(/waited 60 s for the SQLite connection/);
      await vi.advanceTimersByTimeAsync(60_000);
      await failed;
    } finally {
      vi.useRealTimers();
    }
    expect(await store.instances.get(instance.id)).toMatchObject({ id: instance.id });
  });

  it("lists an instance's tasks in the same order and pages as the knex-built query", async () => {
    const instance = await seedInstance(store);
    const tasks = [
      aTask(instance, { due: at(30), priority: 1, candidateGroups: ['b', 'a'] }),
      aTask(instance, { due: null, priority: 9, candidateUsers: ['ann'] }),
      aTask(instance, { due: at(30), priority: 5 }),
      aTask(instance, { due: at(10), status: 'completed' }),
    ];
    for (const task of tasks) await store.tasks.insert(task);
    const viaKnex = (filter: object) =>
      store.tasks.list({ definitionKey: instance.definitionKey, instanceId: instance.id, ...filter });
    for (const filter of [{}, { status: 'open' as const }, { offset: 1, limit: 2 }, { limit: 0 }]) {
      expect(await store.tasks.list({ instanceId: instance.id, ...filter })).toEqual(await viaKnex(filter));
    }
    expect((await store.tasks.list({ instanceId: instance.id })).items.map((t: TaskRow) => t.id)).toEqual(
      [tasks[3], tasks[2], tasks[0], tasks[1]].map((t) => t.id),
    );
  });

  it('appends no history rows when one of them fails', async () => {
    const instance = await seedInstance(store);
    const row = {
      instanceId: instance.id,
      elementId: null,
      elementType: null,
      event: 'x',
      at: at(1),
      by: null,
      details: null,
    };
    await expect(store.history.append([row, { ...row, instanceId: 'nobody' }])).rejects.toThrow(/FOREIGN KEY/);
    expect(await store.history.list(instance.id)).toEqual([]);
  });

  it('gives the connection back for migrations and takes it again afterwards', async () => {
    const instance = await seedInstance(store);
    await store.migrate();
    expect(await store.instances.get(instance.id)).toMatchObject({ id: instance.id });
    expect(await store.ping()).toBe(true);
  });
});

// Design rule (see query-plans.test.ts): the hand-written statements are served by an index too.
describe('store/sqlite statements (query plans)', () => {
  let dir: string;
  let db: Knex;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'svcflow-fast-plans-'));
    db = connect({ url: `sqlite:${join(dir, 'plans.db')}` }).knex;
    await storeOn(db, 'sqlite', { migrations: migrationSource }).migrate();
  });
  afterAll(async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([...STATEMENTS, ...TASK_STATEMENTS].filter((sql) => !sql.startsWith('insert')))(
    'serves %s from an index',
    async (sql) => {
      const steps: Array<{ detail: string }> = await db.raw(
        `EXPLAIN QUERY PLAN ${sql}`,
        sql
          .split('?')
          .slice(1)
          .map(() => null),
      );
      expect(steps.map((step) => step.detail).filter((detail) => /^SCAN \w+( AS \w+)?$/.test(detail))).toEqual([]);
    },
  );
});
