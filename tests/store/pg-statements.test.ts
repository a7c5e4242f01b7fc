/**
 * Statements a simple instance costs on PostgreSQL (start, find its open task, complete), counted from
 * knex's query events on a fresh schema: each one is a round trip, so the count is the step's latency floor.
 * The held writes of a step (engine/store/pg-step.ts) keep what a transaction gives: all or nothing, a read
 * sees the step's own writes, a task completed once, the error of the check that failed first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../engine/runtime/index.js';
import { storeOn } from '../../engine/store/db.js';
import { TaskNotOpenError } from '../../engine/runtime/index.js';
import { type HistoryRow, type InstanceRow, type Store, VersionConflictError } from '../../engine/store/index.js';
import { migrationSource } from '../../migrations/index.js';
import { PARALLEL_KEY, PARALLEL_TASKS, parallelThreeXml, SIMPLE_KEY, simpleUserTaskXml } from '../../bench/models.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { type TestApp, testApp } from '../helpers/app.js';
import { closeStores, openKnex, storeBackends } from '../helpers/stores.js';

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
  afterAll(async () => {
    await opened?.close();
    await closeStores();
  });

  async function counted<T>(work: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
    seen = [];
    const result = await work();
    return { result, statements: seen };
  }

  it('starts in one statement, finds the task in one read, completes in three: five in all', async () => {
    const start = await counted(() => engine.startInstance({ definitionKey: SIMPLE_KEY }));
    const list = await counted(() =>
      engine.listTasks({ instanceId: start.result.id, status: 'open', withTotal: false }),
    );
    const [task] = list.result.items;
    const complete = await counted(() => engine.completeTask(task.id, { approved: true }));

    // instance, task, history and case index as the CTEs of one statement, in autocommit
    expect(start.statements).toHaveLength(1);
    expect(list.statements).toHaveLength(1);
    // the task, the instance, then task + candidates + instance + history + case index in one statement
    expect(complete.statements).toHaveLength(3);
    expect(start.statements.length + list.statements.length + complete.statements.length).toBeLessThanOrEqual(5);
    expect([...start.statements, ...complete.statements].filter((s) => /^(BEGIN|COMMIT)/i.test(s))).toEqual([]);

    // what was merged into fewer statements is all still there
    expect(complete.result.status).toBe('completed');
    expect((await engine.getTask(task.id)).status).toBe('completed');
    const events = (await store.history.list(start.result.id)).map((h) => h.event);
    expect(events).toEqual(await sqliteHistory());
  });

  it('starts three parallel user tasks in one statement, with the tasks and history SQLite has', async () => {
    await engine.deploy(parallelThreeXml);
    await engine.startInstance({ definitionKey: PARALLEL_KEY }); // loads the definition
    const start = await counted(() => engine.startInstance({ definitionKey: PARALLEL_KEY }));
    expect(start.statements).toHaveLength(1);
    const open = (await engine.listTasks({ instanceId: start.result.id, status: 'open', withTotal: false })).items;
    expect(open.map((t) => t.elementId).sort()).toEqual([...PARALLEL_TASKS].sort());
    const sqlite = await storeBackends()[0].open();
    const other = new Engine({ store: sqlite, clock: new FakeClock('2026-03-02T09:00:00Z') });
    await other.deploy(parallelThreeXml);
    const there = await other.startInstance({ definitionKey: PARALLEL_KEY });
    const events = async (s: Store, id: string) => (await s.history.list(id)).map((h) => [h.event, h.elementId]);
    expect(await events(store, start.result.id)).toEqual(await events(sqlite, there.id));
  });

  it('answers a completion of a task no longer open with TaskNotOpenError, not the instance being over', async () => {
    const started = await engine.startInstance({ definitionKey: SIMPLE_KEY });
    const [task] = (await engine.listTasks({ instanceId: started.id, status: 'open', withTotal: false })).items;
    await engine.completeTask(task.id, { approved: true });
    const before = await store.history.list(started.id);
    await expect(engine.completeTask(task.id, { approved: false })).rejects.toBeInstanceOf(TaskNotOpenError);
    expect(await store.history.list(started.id)).toEqual(before);
  });

  it('of two completions racing for one task exactly one wins', async () => {
    const started = await engine.startInstance({ definitionKey: SIMPLE_KEY });
    const [task] = (await engine.listTasks({ instanceId: started.id, status: 'open', withTotal: false })).items;
    const results = await Promise.allSettled([
      engine.completeTask(task.id, { approved: true }),
      engine.completeTask(task.id, { approved: false }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const [rejected] = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(['TASK_NOT_OPEN', 'VERSION_CONFLICT']).toContain(rejected.reason.code);
    const events = (await store.history.list(started.id)).map((h) => h.event);
    expect(events.filter((e) => e === 'task.completed')).toHaveLength(1);
  });

  it('a step that fails after its writes were held writes none of them', async () => {
    const row = await anInstance();
    const failing = store.transaction(async (tx) => {
      await tx.instances.insert(row);
      await tx.history.append([startedRow(row.id)]);
      throw new Error('the step failed');
    });
    await expect(failing).rejects.toThrow('the step failed');
    expect(await store.instances.get(row.id)).toBeNull();
    expect(await store.history.list(row.id)).toEqual([]);
  });

  it('a read after a held write runs in a transaction that sees it', async () => {
    const row = await anInstance();
    const { result, statements } = await counted(() =>
      store.transaction(async (tx) => {
        await tx.instances.insert(row);
        return tx.instances.get(row.id);
      }),
    );
    expect(result?.id).toBe(row.id);
    expect(statements[0]).toMatch(/^BEGIN/i);
    expect(statements.at(-1)).toMatch(/^COMMIT/i);
  });

  it('a failed version check undoes the writes sent with it', async () => {
    const started = await engine.startInstance({ definitionKey: SIMPLE_KEY });
    const before = await store.history.list(started.id);
    const row = await store.instances.get(started.id);
    if (!row) throw new Error('instance missing');
    const saving = store.transaction(async (tx) => {
      await tx.history.append([{ ...before[0], event: 'held.write', details: null }]);
      await tx.instances.save({ ...row, variables: { stale: true } }, row.version + 3, []);
    });
    await expect(saving).rejects.toBeInstanceOf(VersionConflictError);
    expect(await store.history.list(started.id)).toEqual(before);
    expect((await store.instances.get(started.id))?.variables).toEqual(row.variables);
  });

  /** The history events of the same instance on SQLite, where every step is one transaction. */
  async function sqliteHistory(): Promise<string[]> {
    const sqlite = await storeBackends()[0].open();
    const other = new Engine({ store: sqlite, clock: new FakeClock('2026-03-02T09:00:00Z') });
    await other.deploy(simpleUserTaskXml);
    const started = await other.startInstance({ definitionKey: SIMPLE_KEY });
    const [task] = (await other.listTasks({ instanceId: started.id, status: 'open', withTotal: false })).items;
    await other.completeTask(task.id, { approved: true });
    return (await sqlite.history.list(started.id)).map((h) => h.event);
  }

  async function anInstance(): Promise<InstanceRow> {
    const started = await engine.startInstance({ definitionKey: SIMPLE_KEY });
    const row = await store.instances.get(started.id);
    if (!row) throw new Error('instance missing');
    return { ...row, id: `${row.id}-copy`, version: 1 };
  }

  function startedRow(instanceId: string): HistoryRow {
    const at = '2026-03-02T09:00:00.000Z';
    return { instanceId, elementId: null, elementType: null, event: 'instance.started', at, by: null, details: null };
  }

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

suite('statements per simple instance over HTTP (postgres)', () => {
  let opened: Awaited<ReturnType<typeof openKnex>>;
  let t: TestApp;

  beforeAll(async () => {
    if (!postgres) throw new Error('no postgres backend');
    opened = await openKnex(postgres);
    t = await testApp({ store: storeOn(opened.knex, 'postgres', { migrations: migrationSource }) });
    await t.deploy(simpleUserTaskXml);
  });
  afterAll(async () => {
    await t?.app.close();
    await opened?.close();
  });

  it('costs nine statements for start, open tasks and completion, three of them reading the caller', async () => {
    const run = async () => {
      const started = (await t.call('POST', '/api/instances', { definitionKey: SIMPLE_KEY })).json();
      const tasks = (await t.call('GET', `/api/tasks?instanceId=${started.id}&status=open`)).json();
      const done = await t.call('POST', `/api/tasks/${tasks.items[0].id}/complete`, { variables: { approved: true } });
      expect(done.json().instance.status).toBe('completed');
    };
    await run(); // the first request of a process loads its definition
    const seen: string[] = [];
    const listener = (q: { sql: string }) => seen.push(q.sql);
    opened.knex.on('query', listener);
    await run();
    opened.knex.off('query', listener);
    // the caller: one statement per request; the start: one; the list: the page and the instance's business
    // key; the completion: the task, the instance and one statement of writes
    expect(seen.filter((s) => /from "?users"? where/.test(s))).toHaveLength(3);
    expect(seen.length).toBeLessThanOrEqual(9);
  });
});
