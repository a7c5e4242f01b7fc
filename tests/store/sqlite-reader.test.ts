/**
 * Issue #18: on a file SQLite database the lists and reports run on a read connection in a worker thread, so a
 * slow list never stalls the step loop and an open step never holds up a list. A step's own reads stay in its
 * transaction and see its writes; the lists see what is committed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../engine/store/index.js';
import { openStore } from '../../engine/store/db.js';
import { connect } from '../../engine/store/connection.js';
import { SqliteReader, readerFor } from '../../engine/store/sqlite/read-worker.js';
import { migrationSource } from '../../migrations/index.js';
import { aDefinition, aTask, anInstance, seedInstance } from '../helpers/store-rows.js';

describe('store/sqlite read connection', () => {
  let dir: string;
  let store: Store;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'svcflow-reader-'));
    store = await openStore({ migrations: migrationSource, url: `sqlite:${join(dir, 'reader.db')}` });
    await store.migrate();
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers a list while a step holds the write connection, with what is committed', async () => {
    const committed = await seedInstance(store);
    const definition = aDefinition({ id: committed.definitionId, key: committed.definitionKey });
    const pending = anInstance(definition);
    let inside!: () => void;
    const entered = new Promise<void>((resolve) => {
      inside = resolve;
    });
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const step = store.transaction(async (tx) => {
      await tx.instances.insert(pending);
      await tx.tasks.insert(aTask(pending, { id: 'task-in-step' }));
      // the step sees its own writes on its connection
      expect((await tx.tasks.list({ instanceId: pending.id })).items.map((t) => t.id)).toEqual(['task-in-step']);
      inside();
      await held;
    });
    await entered;
    // on the step connection this list would wait for the open step, which waits for the list: a deadlock
    const during = await store.instances.list({ definitionKey: committed.definitionKey });
    expect(during.items.map((i) => i.id)).toEqual([committed.id]);
    expect((await store.tasks.list({ instanceId: pending.id })).items).toEqual([]);
    release();
    await step;
    const after = await store.instances.list({ definitionKey: committed.definitionKey });
    expect(after.items.map((i) => i.id).sort()).toEqual([committed.id, pending.id].sort());
    expect((await store.tasks.list({ instanceId: pending.id })).items.map((t) => t.id)).toEqual(['task-in-step']);
  });

  it('answers exactly what the step connection answers for the same list', async () => {
    const instance = await seedInstance(store);
    for (let n = 0; n < 5; n++)
      await store.tasks.insert(aTask(instance, { id: `same-${n}`, candidateGroups: ['complaints'] }));
    const filter = { instanceId: instance.id, limit: 3 };
    const onReader = await store.tasks.list(filter);
    const onStep = await store.transaction((tx) => tx.tasks.list(filter));
    expect(onReader).toEqual(onStep);
    expect(onReader.items).toHaveLength(3);
    expect(onReader.nextCursor).not.toBeNull();
  });

  it('refuses to write on the read connection', async () => {
    const { knex } = connect({ url: `sqlite:${join(dir, 'reader.db')}` });
    const reader = new SqliteReader(knex, join(dir, 'reader.db'));
    try {
      expect(await reader.all('select count(*) as n from instances', [])).toEqual([{ n: expect.any(Number) }]);
      await expect(reader.all("delete from instances where id = 'x'", [])).rejects.toThrow(/queries only|readonly/);
    } finally {
      await reader.close();
      await knex.destroy();
    }
  });

  it('has no read connection for an in-memory database, which no second connection can see', () => {
    const { knex } = connect({ url: 'sqlite::memory:' });
    expect(readerFor(knex)).toBeNull();
    void knex.destroy();
  });
});
