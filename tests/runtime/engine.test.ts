import { afterAll, beforeEach, expect, it } from 'vitest';
import {
  boundary,
  chain,
  definitions,
  end,
  flow,
  gateway,
  message,
  messageCatch,
  serviceTask,
  start,
  timerCatch,
  userTask,
} from '../helpers/bpmn-builder.js';
import { closeStores, describeEachStore } from '../helpers/stores.js';
import { engineOn, openTaskAt, type TestEngine } from '../helpers/engine.js';
import { ModelError } from '../../engine/bpmn/index.js';
import { MessageNotCorrelatedError, TaskNotOpenError } from '../../engine/runtime/index.js';

const simple = (name = 'Simple') =>
  definitions('simple', [
    start('S'),
    userTask('Review', { groups: 'cs-agents' }),
    end('E'),
    ...chain('S', 'Review', 'E'),
  ]).replace('isExecutable="true"', `isExecutable="true" name="${name}"`);

afterAll(closeStores);

describeEachStore('runtime/engine', (backend) => {
  let t: TestEngine;
  beforeEach(async () => {
    t = engineOn(await backend.open());
  });

  it('runs an instance to its task, completes it and records the whole history', async () => {
    await t.engine.deploy(simple());
    const started = await t.engine.startInstance({
      definitionKey: 'simple',
      variables: { customer: 'c-1' },
      businessKey: 'CMP-1',
      by: 'lin',
    });
    expect(started).toMatchObject({
      status: 'active',
      activeElements: ['Review'],
      businessKey: 'CMP-1',
      definitionId: 'simple:1',
    });
    const task = await openTaskAt(t.engine, started.id, 'Review');
    expect(task).toMatchObject({ candidateGroups: ['cs-agents'], status: 'open', name: 'Review' });
    const done = await t.engine.completeTask(task.id, { resolved: true }, 'lin');
    expect(done).toMatchObject({
      status: 'completed',
      activeElements: [],
      variables: { customer: 'c-1', resolved: true },
    });
    expect(await t.engine.getTask(task.id)).toMatchObject({ status: 'completed', completedBy: 'lin' });
    const history = await t.engine.history(started.id);
    expect(history.map((h) => `${h.event}:${h.elementId ?? ''}`)).toEqual([
      'instance.started:',
      'element.entered:S',
      'element.left:S',
      'element.entered:Review',
      'task.completed:Review',
      'element.left:Review',
      'element.entered:E',
      'element.left:E',
      'instance.completed:',
    ]);
    expect(history.find((h) => h.event === 'task.completed')?.by).toBe('lin');
  });

  it('answers a second completion of the same task with TaskNotOpenError and changes nothing', async () => {
    await t.engine.deploy(simple());
    const started = await t.engine.startInstance({ definitionKey: 'simple' });
    const task = await openTaskAt(t.engine, started.id, 'Review');
    const results = await Promise.allSettled([
      t.engine.completeTask(task.id, { who: 'a' }, 'a'),
      t.engine.completeTask(task.id, { who: 'b' }, 'b'),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(['TASK_NOT_OPEN', 'VERSION_CONFLICT']).toContain(rejected.reason.code);
    const instance = await t.engine.getInstance(started.id);
    const winner = (await t.engine.getTask(task.id)).completedBy;
    expect(instance.variables).toEqual({ who: winner });
    expect((await t.engine.history(started.id)).filter((h) => h.event === 'task.completed')).toHaveLength(1);
    await expect(t.engine.completeTask(task.id, {}, 'c')).rejects.toBeInstanceOf(TaskNotOpenError);
  });

  it('versions deployments by key, ignores an identical redeploy, and keeps instances on their version', async () => {
    const [v1] = await t.engine.deploy(simple('Simple'));
    const [again] = await t.engine.deploy(simple('Simple'));
    expect(again).toMatchObject({ id: v1.id, version: 1, created: false });
    const old = await t.engine.startInstance({ definitionKey: 'simple' });
    const [v2] = await t.engine.deploy(simple('Simple v2'));
    expect(v2).toMatchObject({ id: 'simple:2', version: 2, created: true });
    const fresh = await t.engine.startInstance({ definitionKey: 'simple' });
    expect(fresh.definitionId).toBe('simple:2');
    expect((await t.engine.getInstance(old.id)).definitionId).toBe('simple:1');
    const task = await openTaskAt(t.engine, old.id, 'Review');
    expect((await t.engine.completeTask(task.id, {})).status).toBe('completed');
  });

  it('rejects an invalid model with every problem and stores nothing', async () => {
    const bad = definitions('bad', [
      start('S'),
      gateway('exclusive', 'G'),
      end('E1'),
      end('E2'),
      flow('S', 'G'),
      flow('G', 'E1'),
      flow('G', 'E2'),
      flow('E2', 'Nowhere'),
    ]);
    await expect(t.engine.deploy(bad)).rejects.toBeInstanceOf(ModelError);
    await t.engine.deploy(bad).catch((err: ModelError) => {
      expect(err.problems.map((p) => p.elementId)).toEqual(expect.arrayContaining(['G']));
    });
    expect((await t.store.definitions.list({})).total).toBe(0);
  });

  it('fires a due timer once, only when it is due', async () => {
    await t.engine.deploy(
      definitions('wait', [
        start('S'),
        timerCatch('Wait', 'duration', 'PT2H'),
        userTask('After'),
        end('E'),
        ...chain('S', 'Wait', 'After', 'E'),
      ]),
    );
    const started = await t.engine.startInstance({ definitionKey: 'wait' });
    t.clock.advance('PT1H59M');
    expect((await t.engine.tick()).timers).toBe(0);
    t.clock.advance('PT1M');
    expect((await t.engine.tick()).timers).toBe(1);
    expect((await t.engine.tick()).timers).toBe(0);
    expect((await t.engine.getInstance(started.id)).activeElements).toEqual(['After']);
  });

  it('fires a timer that fell due while the server was down right after a restart, once', async () => {
    await t.engine.deploy(
      definitions('wait', [start('S'), timerCatch('Wait', 'duration', 'PT2H'), end('E'), ...chain('S', 'Wait', 'E')]),
    );
    const started = await t.engine.startInstance({ definitionKey: 'wait' });
    t.clock.advance('P1D');
    const restarted = engineOn(t.store, t.clock, 'other-node');
    expect((await restarted.engine.tick()).timers).toBe(1);
    expect((await t.engine.tick()).timers).toBe(0);
    expect((await restarted.engine.getInstance(started.id)).status).toBe('completed');
  });

  it('repeats a non-interrupting cycle timer as many times as the cycle says', async () => {
    await t.engine.deploy(
      definitions('remind', [
        start('S'),
        userTask('Work'),
        boundary('Remind', 'Work', { timer: ['cycle', 'R2/PT1H'] }, false),
        serviceTask('Nudge', 'nudge'),
        end('E'),
        end('E2'),
        ...chain('S', 'Work', 'E'),
        ...chain('Remind', 'Nudge', 'E2'),
      ]),
    );
    const nudged: string[] = [];
    t.engine.registerHandler('nudge', ({ job }) => {
      nudged.push(job.instanceId);
    });
    const started = await t.engine.startInstance({ definitionKey: 'remind' });
    for (let hour = 0; hour < 4; hour++) {
      t.clock.advance('PT1H');
      await t.engine.tick();
    }
    expect(nudged).toEqual([started.id, started.id]);
    expect((await t.engine.getInstance(started.id)).activeElements).toEqual(['Work']);
  });

  it('runs in-process handlers, retries failures with backoff, then raises an incident that a retry resolves', async () => {
    await t.engine.deploy(
      definitions('job', [start('S'), serviceTask('Sync', 'crm.update'), end('E'), ...chain('S', 'Sync', 'E')]),
    );
    let fail = true;
    let calls = 0;
    t.engine.registerHandler('crm.update', () => {
      calls++;
      if (fail) throw new Error('CRM unavailable');
      return { crmSynced: true };
    });
    const started = await t.engine.startInstance({ definitionKey: 'job' });
    await t.engine.tick();
    expect(calls).toBe(1);
    await t.engine.tick();
    expect(calls).toBe(1);
    t.clock.advance('PT5S');
    await t.engine.tick();
    t.clock.advance('PT10S');
    await t.engine.tick();
    expect(calls).toBe(3);
    expect((await t.engine.getInstance(started.id)).status).toBe('incident');
    const [incident] = (await t.engine.listIncidents({ instanceId: started.id, status: 'open' })).items;
    expect(incident).toMatchObject({
      code: 'JOB_FAILED',
      elementId: 'Sync',
      message: expect.stringContaining('CRM unavailable'),
    });
    fail = false;
    await t.engine.retryIncident(incident.id);
    expect((await t.engine.getInstance(started.id)).status).toBe('active');
    await t.engine.tick();
    expect(await t.engine.getInstance(started.id)).toMatchObject({
      status: 'completed',
      variables: { crmSynced: true },
    });
  });

  it('lets an external worker fetch, lock and complete a job; an expired lock can be taken by another', async () => {
    await t.engine.deploy(
      definitions('ext', [
        start('S'),
        serviceTask('Invoice', 'billing.invoice'),
        end('E'),
        ...chain('S', 'Invoice', 'E'),
      ]),
    );
    const started = await t.engine.startInstance({ definitionKey: 'ext', variables: { amount: 10 } });
    const [first] = await t.engine.jobs.fetchAndLock('w1', ['billing.invoice'], 5, 60_000);
    expect(first).toMatchObject({ job: { elementId: 'Invoice', type: 'billing.invoice' }, variables: { amount: 10 } });
    expect(await t.engine.jobs.fetchAndLock('w2', ['billing.invoice'], 5, 60_000)).toHaveLength(0);
    t.clock.advance('PT2M');
    const [taken] = await t.engine.jobs.fetchAndLock('w2', ['billing.invoice'], 5, 60_000);
    expect(taken.job.id).toBe(first.job.id);
    await expect(t.engine.jobs.complete(first.job.id, 'w1', {})).rejects.toMatchObject({ code: 'JOB_NOT_LOCKED' });
    await t.engine.jobs.complete(taken.job.id, 'w2', { invoiceNo: 'INV-1' });
    expect(await t.engine.getInstance(started.id)).toMatchObject({
      status: 'completed',
      variables: { amount: 10, invoiceNo: 'INV-1' },
    });
  });

  it('correlates a message by name and key, and says so when nobody waits for it', async () => {
    await t.engine.deploy(
      definitions(
        'msg',
        [start('S'), messageCatch('Reply', 'Message_reply'), end('E'), ...chain('S', 'Reply', 'E')],
        [message('Message_reply', 'customer.reply', '=caseId')],
      ),
    );
    const a = await t.engine.startInstance({ definitionKey: 'msg', variables: { caseId: 'A' } });
    const b = await t.engine.startInstance({ definitionKey: 'msg', variables: { caseId: 'B' } });
    await expect(t.engine.correlateMessage({ name: 'customer.reply', correlationKey: 'C' })).rejects.toBeInstanceOf(
      MessageNotCorrelatedError,
    );
    expect(
      await t.engine.correlateMessage({ name: 'customer.reply', correlationKey: 'B', variables: { answer: 'ok' } }),
    ).toEqual({ instanceIds: [b.id], buffered: false, duplicate: false, started: false });
    expect(await t.engine.getInstance(b.id)).toMatchObject({
      status: 'completed',
      variables: { caseId: 'B', answer: 'ok' },
    });
    expect((await t.engine.getInstance(a.id)).status).toBe('active');
  });

  it('cancels an instance, its tasks, timers and jobs', async () => {
    await t.engine.deploy(
      definitions('par', [
        start('S'),
        gateway('parallel', 'Split'),
        userTask('A'),
        timerCatch('T', 'duration', 'PT1H'),
        serviceTask('J', 'x'),
        gateway('parallel', 'Join'),
        end('E'),
        flow('S', 'Split'),
        flow('Split', 'A'),
        flow('Split', 'T'),
        flow('Split', 'J'),
        flow('A', 'Join'),
        flow('T', 'Join'),
        flow('J', 'Join'),
        flow('Join', 'E'),
      ]),
    );
    const started = await t.engine.startInstance({ definitionKey: 'par' });
    expect(started.activeElements).toEqual(['A', 'J', 'T']);
    const cancelled = await t.engine.cancelInstance(started.id, 'sup');
    expect(cancelled.status).toBe('terminated');
    expect((await t.engine.listTasks({ instanceId: started.id, status: 'open' })).total).toBe(0);
    expect(await t.store.timers.nextDue()).toBeNull();
    expect((await t.engine.listJobs({ instanceId: started.id, status: 'pending' })).total).toBe(0);
    t.clock.advance('PT2H');
    expect((await t.engine.tick()).timers).toBe(0);
  });
});

describeEachStore('runtime/business-keys', (backend) => {
  it('generates a missing business key from the daily sequence and keeps it in the declared variable', async () => {
    const t = engineOn(await backend.open());
    await t.engine.deploy(
      definitions('complaint', [start('S'), userTask('Review'), end('E'), ...chain('S', 'Review', 'E')]).replace(
        '<bpmn:process id="complaint" isExecutable="true">',
        '<bpmn:process id="complaint" isExecutable="true"><bpmn:extensionElements><svc:businessKey variable="complaintId" prefix="CMP" /></bpmn:extensionElements>',
      ),
    );
    const first = await t.engine.startInstance({ definitionKey: 'complaint' });
    const second = await t.engine.startInstance({ definitionKey: 'complaint' });
    const given = await t.engine.startInstance({
      definitionKey: 'complaint',
      variables: { complaintId: 'CMP-20260101-0042' },
    });
    expect(first).toMatchObject({ businessKey: 'CMP-20260105-0001', variables: { complaintId: 'CMP-20260105-0001' } });
    expect(second.businessKey).toBe('CMP-20260105-0002');
    expect(given).toMatchObject({ businessKey: 'CMP-20260101-0042', variables: { complaintId: 'CMP-20260101-0042' } });
    expect((await t.engine.listInstances({ businessKey: 'CMP-20260105-0002' })).items.map((i) => i.id)).toEqual([
      second.id,
    ]);
    await t.engine.deploy(
      definitions('risk', [start('S'), userTask('Assess'), end('E'), ...chain('S', 'Assess', 'E')]).replace(
        '<bpmn:process id="risk" isExecutable="true">',
        '<bpmn:process id="risk" isExecutable="true"><bpmn:extensionElements><svc:businessKey variable="riskId" prefix="RSK" period="year" /></bpmn:extensionElements>',
      ),
    );
    expect((await t.engine.startInstance({ definitionKey: 'risk' })).variables).toEqual({ riskId: 'RSK-2026-0001' });
  });
});
