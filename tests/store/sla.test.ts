import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connect } from '../../engine/store/connection.js';
import { storeOn } from '../../engine/store/db.js';
import * as sla from '../../engine/store/sla.js';
import type { InstanceRow, Store } from '../../engine/store/index.js';
import { closeStores, describeEachStore } from '../helpers/stores.js';
import { aTask, at, seedInstance, T0 } from '../helpers/store-rows.js';
import { anSla } from '../helpers/sla.js';
import { migrationSource } from '../../migrations/index.js';
import { seedCalendars } from '../../engine/runtime/calendar/calendar-seeds.js';

afterAll(closeStores);

describeEachStore('store/sla', (backend) => {
  let store: Store;
  let instance: InstanceRow;
  beforeEach(async () => {
    store = await backend.open();
    instance = await seedInstance(store);
  });

  it('round-trips a row and patches it', async () => {
    const row = anSla(instance, {
      warnAt: [0.5, 0.75],
      warningsDue: [at(120), at(180)],
      holidayDataMissing: true,
      priority: 'urgent',
    });
    await store.sla.insert(row);
    expect(await store.sla.get(row.id)).toEqual(row);
    await store.sla.update(row.id, { status: 'paused', pausedSince: at(30), pauseDepth: 1, nextCheckAt: null });
    expect(await store.sla.get(row.id)).toEqual({
      ...row,
      status: 'paused',
      pausedSince: at(30),
      pauseDepth: 1,
      nextCheckAt: null,
    });
  });

  it('finds the open row of an element and the open rows of an instance', async () => {
    const closed = anSla(instance, { completedAt: at(10), status: 'met', startedAt: T0 });
    const open = anSla(instance, { startedAt: at(20) });
    const other = anSla(instance, { elementId: 'Sub_handle', kind: 'subprocess' });
    for (const row of [closed, open, other]) await store.sla.insert(row);
    expect((await store.sla.openByElement(instance.id, 'Task_review'))?.id).toBe(open.id);
    expect((await store.sla.openByInstance(instance.id)).map((r) => r.id).sort()).toEqual([open.id, other.id].sort());
  });

  it('claims due checks whose lease is free or expired, once', async () => {
    const due = anSla(instance, { nextCheckAt: at(0) });
    const leased = anSla(instance, { nextCheckAt: at(0), lockedBy: 'node-b', lockedUntil: at(30) });
    const expired = anSla(instance, { nextCheckAt: at(0), lockedBy: 'node-b', lockedUntil: at(-1) });
    const later = anSla(instance, { nextCheckAt: at(60) });
    const paused = anSla(instance, { nextCheckAt: null, status: 'paused' });
    for (const row of [due, leased, expired, later, paused]) await store.sla.insert(row);
    const [a, b] = await Promise.all([
      store.transaction((tx) => tx.sla.claimDue(at(1), 'node-a', at(10), 10)),
      store.transaction((tx) => tx.sla.claimDue(at(1), 'node-c', at(10), 10)),
    ]);
    expect([...a, ...b].map((r) => r.id).sort()).toEqual([due.id, expired.id].sort());
    expect(await store.sla.nextDue()).toBe(at(0));
  });

  it('lists by status (running includes paused, at-risk is warned and not breached), most urgent first', async () => {
    const rows = [
      anSla(instance, { dueAt: at(300) }),
      anSla(instance, { dueAt: at(100), status: 'paused' }),
      anSla(instance, { dueAt: at(200), warnedAt: at(150) }),
      anSla(instance, { dueAt: at(50), warnedAt: at(40), breachedAt: at(50), status: 'breached' }),
      anSla(instance, { dueAt: at(10), status: 'met', completedAt: at(5) }),
    ];
    for (const row of rows) await store.sla.insert(row);
    const ids = async (filter: Parameters<Store['sla']['list']>[0]) =>
      (await store.sla.list(filter)).items.map((r) => rows.findIndex((x) => x.id === r.id));
    expect(await ids({ status: 'running' })).toEqual([1, 2, 0]);
    expect(await ids({ status: 'at-risk' })).toEqual([2]);
    expect(await ids({ status: 'breached' })).toEqual([3]);
    expect(await ids({})).toEqual([4, 3, 1, 2, 0]);
    expect(await ids({ open: false })).toEqual([4]);
    expect(await ids({ limit: 2, offset: 1 })).toEqual([3, 1]);
  });

  it('filters by the assignee and candidate group of the SLA task and shows them', async () => {
    const annTask = aTask(instance, { assignee: 'ann', candidateGroups: ['cs-agents'] });
    const groupTask = aTask(instance, { candidateGroups: ['billing', 'cs-agents'] });
    for (const task of [annTask, groupTask]) await store.tasks.insert(task);
    const ann = anSla(instance, { taskId: annTask.id, dueAt: at(10) });
    const billing = anSla(instance, { taskId: groupTask.id, dueAt: at(20) });
    const process = anSla(instance, { kind: 'process', elementId: instance.definitionKey, dueAt: at(5) });
    for (const row of [ann, billing, process]) await store.sla.insert(row);
    expect((await store.sla.list({ assignee: 'ann' })).items).toEqual([
      { ...ann, assignee: 'ann', candidateGroups: ['cs-agents'] },
    ]);
    expect((await store.sla.list({ candidateGroup: 'billing' })).items.map((r) => r.id)).toEqual([billing.id]);
    expect((await store.sla.list({ candidateGroup: 'cs-agents' })).items.map((r) => [r.id, r.assignee])).toEqual([
      [ann.id, 'ann'],
      [billing.id, null],
    ]);
    expect((await store.sla.list({ instanceId: instance.id })).items[0]).toMatchObject({
      id: process.id,
      assignee: null,
      candidateGroups: [],
    });
  });
});

describeEachStore('store/calendars', (backend) => {
  let store: Store;
  beforeEach(async () => {
    store = await backend.open();
  });

  it('is not seeded by the migration: the engine seeds it at start, in the configured zone', async () => {
    expect(await store.calendars.list()).toEqual([]);
  });

  it('replaces a calendar with put and leaves one alone with insertIfAbsent', async () => {
    const china = { ...seedCalendars('Asia/Shanghai')[0], updatedAt: at(4) };
    expect(await store.calendars.insertIfAbsent(china)).toBe(true);
    await store.calendars.put({ ...china, name: 'Edited', holidays: ['2027-01-01'], updatedAt: at(5) });
    expect(await store.calendars.get('default')).toMatchObject({
      name: 'Edited',
      holidays: ['2027-01-01'],
      updatedAt: at(5),
    });
    expect(await store.calendars.insertIfAbsent({ ...china, updatedAt: at(6) })).toBe(false);
    expect(await store.calendars.insertIfAbsent({ ...china, id: 'hk', updatedAt: at(6) })).toBe(true);
    expect((await store.calendars.get('default'))?.name).toBe('Edited');
  });
});

// Design rule: every query the API or scheduler runs is served by an index.
describe('store/sla query plans (sqlite)', () => {
  let dir: string;
  let db: Knex;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'svcflow-sla-plans-'));
    db = connect({ url: `sqlite:${join(dir, 'plans.db')}` }).knex;
    await storeOn(db, 'sqlite', { migrations: migrationSource }).migrate();
  });
  afterAll(async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each<[string, (db: Knex) => Knex.QueryBuilder]>([
    [
      'claim due checks',
      (db) =>
        db('slas')
          .whereIn('id', sla.claimableQuery(db, 'sqlite', T0, 10))
          .update({ locked_by: 'n' }),
    ],
    ['running, most urgent first', (db) => sla.listQuery(db, { status: 'running' }, 'sqlite')],
    ['at risk', (db) => sla.listQuery(db, { status: 'at-risk' }, 'sqlite')],
    ['all, most urgent first', (db) => sla.listQuery(db, {}, 'sqlite')],
    [
      'by definition and status',
      (db) => sla.listQuery(db, { definitionKey: 'complaint', status: 'breached' }, 'sqlite'),
    ],
    ['by assignee', (db) => sla.listQuery(db, { assignee: 'ann', status: 'running' }, 'sqlite')],
    ['by candidate group', (db) => sla.listQuery(db, { candidateGroup: 'cs-agents' }, 'sqlite')],
    ['by instance', (db) => sla.listQuery(db, { instanceId: 'inst_1' }, 'sqlite')],
    [
      'open row of an element',
      (db) => db('slas').where({ instance_id: 'i', element_id: 'e' }).whereNull('completed_at'),
    ],
    [
      'report period',
      (db) =>
        db('slas')
          .where('completed_at', '>=', T0)
          .where('completed_at', '<', at(60))
          .whereIn('status', ['met', 'breached']),
    ],
  ])('serves %s from an index', async (_, build) => {
    expect((await plan(db, build(db))).filter((d) => /^SCAN \w+( AS \w+)?$/.test(d))).toEqual([]);
  });

  it("starts a person's running SLAs from their tasks, not from every running SLA", async () => {
    expect(await plan(db, sla.listQuery(db, { assignee: 'ann', status: 'running' }, 'sqlite'))).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^SEARCH tasks USING INDEX \S+ \(assignee=\?\)$/),
        expect.stringMatching(/^SEARCH slas USING INDEX slas_task_id_index \(task_id=\?\)$/),
      ]),
    );
  });
});

// helpers

async function plan(db: Knex, query: Knex.QueryBuilder): Promise<string[]> {
  const { sql, bindings } = query.toSQL().toNative();
  const steps: Array<{ detail: string }> = await db.raw(`EXPLAIN QUERY PLAN ${sql}`, bindings as Knex.RawBinding[]);
  return steps.map((step) => step.detail);
}
