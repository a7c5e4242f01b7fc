import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeEach, expect, it } from 'vitest';
import { buildApp } from '../../engine/api/app.js';
import type { InstanceRow, SlaRow, Store, TaskRow } from '../../engine/store/index.js';
import { signIn } from '../helpers/app.js';
import { chain, definitions, end, sla, start, userTask } from '../helpers/bpmn-builder.js';
import { openTaskAt } from '../helpers/engine.js';
import { anSla, shanghai, slaEngineOn, type SlaTestEngine } from '../helpers/sla.js';
import { aDefinition, anInstance, aTask, uid } from '../helpers/store-rows.js';
import { closeStores, describeEachStore } from '../helpers/stores.js';

afterAll(closeStores);

const H = 3_600_000;
const review = definitions('review', [
  start('S'),
  userTask('Review', { groups: 'cs-agents', ext: sla('PT4H', { warnAt: '0.75' }) }),
  end('E'),
  ...chain('S', 'Review', 'E'),
]);

describeEachStore('api/sla', (backend) => {
  let t: SlaTestEngine;
  let app: FastifyInstance;
  let headers: Record<string, string>;
  beforeEach(async () => {
    t = await slaEngineOn(await backend.open());
    app = await buildApp({ engine: t.engine, sla: t.sla, logger: false });
    headers = await signIn(app, t.store);
  });
  afterEach(async () => {
    await app.close();
  });

  const get = async (url: string) => {
    const res = await app.inject({ method: 'GET', url, headers });
    return { status: res.statusCode, body: res.json() };
  };
  const keys = async (url: string) => (await get(url)).body.items.map((i: { instanceId: string }) => i.instanceId);

  it('lists running, at-risk and breached SLAs by urgency with business time left', async () => {
    await t.engine.deploy(review);
    const a = await t.engine.startInstance({ definitionKey: 'review' });
    t.clock.set(shanghai('2026-11-23 10:00'));
    const b = await t.engine.startInstance({ definitionKey: 'review' });
    t.clock.set(shanghai('2026-11-23 12:30'));
    await t.engine.tick();
    const running = await get('/api/sla?status=running');
    expect(
      running.body.items.map((i: Record<string, unknown>) => [
        i.instanceId,
        i.atRisk,
        i.businessRemainingMs,
        i.remaining,
      ]),
    ).toEqual([
      [a.id, true, 0.5 * H, '30m'],
      [b.id, false, 1.5 * H, '1h 30m'],
    ]);
    expect(running.body.items[0]).toMatchObject({
      elementId: 'Review',
      kind: 'task',
      dueAt: shanghai('2026-11-23 13:00'),
      candidateGroups: ['cs-agents'],
      holidayDataMissing: false,
    });
    expect(running.body.items[0].lockedBy).toBeUndefined();
    expect(await keys('/api/sla?status=at-risk')).toEqual([a.id]);
    t.clock.set(shanghai('2026-11-23 13:30'));
    await t.engine.tick();
    expect(
      (await get('/api/sla?status=breached')).body.items.map((i: Record<string, unknown>) => [
        i.instanceId,
        i.businessRemainingMs,
        i.remaining,
      ]),
    ).toEqual([[a.id, -0.5 * H, '-30m']]);
    expect(await keys('/api/sla?status=at-risk')).toEqual([b.id]);
    await t.engine.claimTask((await openTaskAt(t.engine, b.id, 'Review')).id, 'ann');
    expect(await keys('/api/sla?assignee=ann')).toEqual([b.id]);
    expect(await keys('/api/sla?candidateGroup=cs-agents&definitionKey=review')).toEqual([a.id, b.id]);
    expect(await keys('/api/sla?candidateGroup=billing')).toEqual([]);
    expect(await keys('/api/sla?limit=1&offset=1')).toEqual([b.id]);
  });

  it("shows a supervisor the SLAs of their groups' work, and a service manager everything", async () => {
    await t.engine.deploy(review);
    await t.engine.deploy(
      definitions('bill', [
        start('S'),
        userTask('Invoice', { groups: 'billing', ext: sla('PT4H') }),
        end('E'),
        ...chain('S', 'Invoice', 'E'),
      ]),
    );
    const cs = await t.engine.startInstance({ definitionKey: 'review' });
    const billing = await t.engine.startInstance({ definitionKey: 'bill' });
    const csLead = await signIn(app, t.store, { username: 'cs-lead', roles: ['supervisor'], groups: ['cs-agents'] });
    const manager = await signIn(app, t.store, {
      username: 'boss',
      roles: ['supervisor'],
      groups: ['service-managers'],
    });
    const seen = async (who: Record<string, string>) =>
      (await app.inject({ method: 'GET', url: '/api/sla', headers: who }))
        .json()
        .items.map((i: { instanceId: string }) => i.instanceId)
        .sort();
    expect(await seen(csLead)).toEqual([cs.id]);
    expect(await seen(manager)).toEqual([cs.id, billing.id].sort());
    for (const id of [cs.id, billing.id])
      await t.engine.completeTask((await openTaskAt(t.engine, id, id === cs.id ? 'Review' : 'Invoice')).id, {});
    const report = async (who: Record<string, string>) =>
      (await app.inject({ method: 'GET', url: '/api/sla/report?groupBy=definition', headers: who }))
        .json()
        .groups.map((g: { key: string }) => g.key);
    expect(await report(csLead)).toEqual(['review']);
    expect(await report(manager)).toEqual(['bill', 'review']);
  });

  it('refuses unknown filters and statuses', async () => {
    expect((await get('/api/sla?status=late')).body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect((await get('/api/sla?owner=ann')).body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
  });

  it('reports compliance, counts, mean and nearest-rank p90 per group, checked by hand', async () => {
    await seedReport(t.store);
    const report = async (groupBy: string) => {
      const res = await get(
        `/api/sla/report?from=2026-11-23T00:00:00.000Z&to=2026-11-30T00:00:00.000Z&groupBy=${groupBy}`,
      );
      expect(res.status).toBe(200);
      return res.body.groups.map((g: Record<string, unknown>) => [
        g.key,
        g.total,
        g.met,
        g.breached,
        g.compliance,
        g.meanBusinessMs,
        g.p90BusinessMs,
      ]);
    };
    expect(await report('definition')).toEqual([
      ['complaint', 4, 3, 1, 75, 2.75 * H, 5 * H],
      ['journey', 3, 2, 1, 66.67, 12 * H, 20 * H],
      ['triage', 11, 11, 0, 100, 6 * H, 10 * H],
    ]);
    expect(await report('element')).toEqual([
      ['complaint/Resolve', 2, 1, 1, 50, 4 * H, 5 * H],
      ['complaint/Respond', 2, 2, 0, 100, 1.5 * H, 2 * H],
      ['journey/Visit', 2, 1, 1, 50, 15 * H, 20 * H],
      ['journey/journey', 1, 1, 0, 100, 6 * H, 6 * H],
      ['triage/Triage', 11, 11, 0, 100, 6 * H, 10 * H],
    ]);
    expect(await report('priority')).toEqual([
      ['general', 2, 1, 1, 50, 4 * H, 5 * H],
      ['low', 11, 11, 0, 100, 6 * H, 10 * H],
      ['urgent', 3, 3, 0, 100, 3 * H, 6 * H],
      [null, 2, 1, 1, 50, 15 * H, 20 * H],
    ]);
    expect(await report('assignee')).toEqual([
      ['ann', 2, 2, 0, 100, 1.5 * H, 2 * H],
      ['bob', 1, 0, 1, 0, 5 * H, 5 * H],
      ['carl', 1, 1, 0, 100, 3 * H, 3 * H],
      ['dana', 11, 11, 0, 100, 6 * H, 10 * H],
      [null, 3, 2, 1, 66.67, 12 * H, 20 * H],
    ]);
    expect(await report('group')).toEqual([
      ['billing', 1, 0, 1, 0, 5 * H, 5 * H],
      ['cs-agents', 3, 2, 1, 66.67, (8 / 3) * H, 5 * H],
      ['cs-resolvers', 1, 1, 0, 100, 3 * H, 3 * H],
      ['triage', 11, 11, 0, 100, 6 * H, 10 * H],
      [null, 3, 2, 1, 66.67, 12 * H, 20 * H],
    ]);
  });

  it('defaults the report to this week in Asia/Shanghai and refuses an empty period', async () => {
    expect((await get('/api/sla/report')).body).toEqual({
      from: shanghai('2026-11-23 00:00'),
      to: shanghai('2026-11-30 00:00'),
      groupBy: 'definition',
      groups: [],
    });
    expect((await get('/api/sla/report?from=2026-11-30T00:00:00Z&to=2026-11-23T00:00:00Z')).body).toMatchObject({
      status: 400,
      code: 'BAD_REQUEST',
    });
    expect((await get('/api/sla/report?groupBy=channel')).body).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
    });
  });
});

// helpers

/**
 * A fixed data set. Counted (closed met or breached in [Nov 23, Nov 30)): complaint/Respond 1 h, 2 h (urgent, ann, cs-agents);
 * complaint/Resolve 5 h breached (general, bob, cs-agents + billing), 3 h (general, completed by carl, cs-resolvers);
 * journey/Visit 10 h, 20 h breached (sub-process, no priority); journey process 6 h (urgent) closed exactly at `from`;
 * triage/Triage 1…11 h (low, dana, triage). Left out: a cancelled row, a row closed at `to`, an open breached row.
 */
async function seedReport(store: Store): Promise<void> {
  const complaint = await instanceOf(store, 'complaint');
  const journey = await instanceOf(store, 'journey');
  const triage = await instanceOf(store, 'triage');
  const task = (instance: InstanceRow, over: Partial<TaskRow>) =>
    insertTask(store, aTask(instance, { status: 'completed', ...over }));
  const tA = await task(complaint, { assignee: 'ann', candidateGroups: ['cs-agents'], completedBy: 'ann' });
  const tC = await task(complaint, { assignee: 'bob', candidateGroups: ['cs-agents', 'billing'], completedBy: 'bob' });
  const tD = await task(complaint, { candidateGroups: ['cs-resolvers'], completedBy: 'carl' });
  const tT = await task(triage, { assignee: 'dana', candidateGroups: ['triage'], completedBy: 'dana' });
  const closed = (
    instance: InstanceRow,
    elementId: string,
    status: SlaRow['status'],
    hours: number,
    over: Partial<SlaRow> = {},
  ) =>
    anSla(instance, {
      elementId,
      status,
      businessMs: hours * H,
      completedAt: '2026-11-25T04:00:00.000Z',
      nextCheckAt: null,
      ...over,
    });
  const rows = [
    closed(complaint, 'Respond', 'met', 1, { priority: 'urgent', taskId: tA }),
    closed(complaint, 'Respond', 'met', 2, { priority: 'urgent', taskId: tA }),
    closed(complaint, 'Resolve', 'breached', 5, { priority: 'general', taskId: tC }),
    closed(complaint, 'Resolve', 'met', 3, { priority: 'general', taskId: tD }),
    closed(complaint, 'Respond', 'cancelled', 1, { priority: 'urgent', taskId: tA }),
    closed(complaint, 'Respond', 'met', 4, { priority: 'urgent', taskId: tA, completedAt: '2026-11-30T00:00:00.000Z' }),
    anSla(complaint, { elementId: 'Respond', status: 'breached', priority: 'urgent', taskId: tA }),
    closed(journey, 'Visit', 'met', 10, { kind: 'subprocess' }),
    closed(journey, 'Visit', 'breached', 20, { kind: 'subprocess' }),
    closed(journey, 'journey', 'met', 6, {
      kind: 'process',
      priority: 'urgent',
      completedAt: '2026-11-23T00:00:00.000Z',
    }),
    ...Array.from({ length: 11 }, (_, i) => closed(triage, 'Triage', 'met', i + 1, { priority: 'low', taskId: tT })),
  ];
  for (const row of rows) await store.sla.insert(row);
}

async function instanceOf(store: Store, key: string): Promise<InstanceRow> {
  const definition = aDefinition({ key });
  await store.definitions.insert(definition);
  const instance = anInstance(definition, { id: uid(key) });
  await store.instances.insert(instance);
  return instance;
}

async function insertTask(store: Store, task: TaskRow): Promise<string> {
  await store.tasks.insert(task);
  return task.id;
}
