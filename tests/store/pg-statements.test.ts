/**
 * Statements a simple instance costs on PostgreSQL (start, find its open task, complete), counted from
 * knex's query events on a fresh schema: each one is a round trip, so the count is the step's latency floor.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../engine/runtime/index.js';
import { storeOn } from '../../engine/store/db.js';
import type { Store } from '../../engine/store/index.js';
import { migrationSource } from '../../migrations/index.js';
import { SIMPLE_KEY, simpleUserTaskXml } from '../../bench/models.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { openKnex, storeBackends } from '../helpers/stores.js';

const postgres = storeBackends().find((b) => b.name === 'postgres');
const suite = postgres?.available ? describe : describe.skip;

suite('statements per simple instance (postgres)', () => {
  let opened: Awaited<ReturnType<typeof openKnex>>;
  let store: Store;
  let engine: Engine;
  let seen: string[] = [];

  beforeAll(async () => {
    if (!postgres) throw new Error('no postgres backend');
    opened = await openKnex(postgres);
    store = storeOn(opened.knex, 'postgres', { migrations: migrationSource });
    engine = new Engine({ store, clock: new FakeClock('2026-03-02T09:00:00Z') });
    await engine.deploy(simpleUserTaskXml);
    await engine.startInstance({ definitionKey: SIMPLE_KEY }); // the first start loads the definition once
    opened.knex.on('query', (q: { sql: string }) => seen.push(q.sql));
  });
  afterAll(async () => opened?.close());

  async function counted<T>(work: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
    seen = [];
    const result = await work();
    return { result, statements: seen };
  }

  it('starts in one transaction of four writes, finds the task in one read, completes in 7 statements', async () => {
    const start = await counted(() => engine.startInstance({ definitionKey: SIMPLE_KEY }));
    const list = await counted(() =>
      engine.listTasks({ instanceId: start.result.id, status: 'open', withTotal: false }),
    );
    const [task] = list.result.items;
    const complete = await counted(() => engine.completeTask(task.id, { approved: true }));

    // instance, task, history, case index
    expect(start.statements).toHaveLength(6);
    expect(list.statements).toHaveLength(1);
    expect(complete.statements.length).toBeLessThanOrEqual(7);
    expect(start.statements.length + list.statements.length + complete.statements.length).toBeLessThanOrEqual(14);
    // the step reads the instance inside its transaction, not before it
    const begin = complete.statements.findIndex((s) => /^BEGIN/i.test(s));
    const instanceReads = complete.statements.map((s, i) => ({ s, i })).filter(({ s }) => /from "instances"/.test(s));
    expect(instanceReads).toHaveLength(1);
    expect(instanceReads[0].i).toBeGreaterThan(begin);

    // what was merged into fewer statements is all still there
    expect(complete.result.status).toBe('completed');
    expect((await engine.getTask(task.id)).status).toBe('completed');
    const events = (await store.history.list(start.result.id)).map((h) => h.event);
    expect(events).toContain('instance.started');
    expect(events).toContain('task.completed');
    expect(events.at(-1)).toBe('instance.completed');
  });

  it('a save whose version does not match appends no history', async () => {
    const started = await engine.startInstance({ definitionKey: SIMPLE_KEY });
    const before = await store.history.list(started.id);
    const row = await store.instances.get(started.id);
    if (!row) throw new Error('instance missing');
    const stale = { ...row, variables: { stale: true } };
    const history = [{ ...before[0], event: 'stale.write', details: null }];
    await expect(store.transaction((tx) => tx.instances.save(stale, row.version + 7, history))).rejects.toMatchObject({
      name: 'VersionConflictError',
    });
    expect(await store.history.list(started.id)).toEqual(before);
    await store.transaction((tx) => tx.instances.save(stale, row.version, history));
    expect((await store.history.list(started.id)).map((h) => h.event).at(-1)).toBe('stale.write');
    expect((await store.instances.get(started.id))?.variables).toEqual({ stale: true });
  });
});
