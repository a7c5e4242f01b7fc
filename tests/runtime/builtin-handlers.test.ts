import { afterAll, beforeEach, expect, it } from 'vitest';
import {
  chain,
  definitions,
  end,
  flow,
  gateway,
  serviceTask,
  start,
  subProcess,
  userTask,
} from '../helpers/bpmn-builder.js';
import { closeStores, describeEachStore } from '../helpers/stores.js';
import { engineOn, openTaskAt, type TestEngine } from '../helpers/engine.js';
import { registerBuiltinHandlers, type EngineNotification } from '../../engine/runtime/index.js';

afterAll(closeStores);

const io = (inputs: Record<string, string>) =>
  `<zeebe:ioMapping>${Object.entries(inputs)
    .map(([target, source]) => `<zeebe:input source="${source.replace(/"/g, '&quot;')}" target="${target}" />`)
    .join('')}</zeebe:ioMapping>`;

describeEachStore('runtime/builtin-handlers', (backend) => {
  let t: TestEngine;
  let published: EngineNotification[];
  beforeEach(async () => {
    t = engineOn(await backend.open());
    registerBuiltinHandlers(t.engine);
    published = [];
    t.engine.events.on('notification', (n: EngineNotification) => published.push(n));
  });

  it('records a staff notification, lists it for the group, and publishes it', async () => {
    await t.engine.deploy(
      definitions('warn', [
        start('S'),
        serviceTask('Notify', 'notify.staff', io({ template: '="sla-warning"', toGroup: '="cs-leads"' })),
        end('E'),
        ...chain('S', 'Notify', 'E'),
      ]),
    );
    const instance = await t.engine.startInstance({ definitionKey: 'warn', variables: { complaintId: 'CMP-7' } });
    await t.engine.tick();
    expect((await t.engine.getInstance(instance.id)).status).toBe('completed');
    const page = await t.store.notifications.list({ groups: ['cs-leads'] });
    expect(page.items).toEqual([
      expect.objectContaining({
        kind: 'notify.staff',
        toGroup: 'cs-leads',
        template: 'sla-warning',
        instanceId: instance.id,
        elementId: 'Notify',
      }),
    ]);
    expect((await t.store.notifications.list({ groups: ['billing'] })).total).toBe(0);
    expect(published.map((n) => n.type)).toContain('notification.created');
  });

  it('tells whoever holds open work inside a sub-process about its SLA warning, and nobody outside it', async () => {
    const warn = io({ template: '="sla-warning"', toGroup: '="leads"', about: '="Case"' });
    await t.engine.deploy(
      definitions('nested', [
        start('S'),
        gateway('parallel', 'Fork'),
        subProcess('Case', [
          start('CS'),
          userTask('Inside', { groups: 'resolvers' }),
          end('CE'),
          ...chain('CS', 'Inside', 'CE'),
        ]),
        userTask('Outside', { groups: 'billing' }),
        gateway('parallel', 'Join'),
        serviceTask('Warn', 'notify.staff', warn),
        end('E'),
        flow('S', 'Fork'),
        flow('Fork', 'Case'),
        flow('Fork', 'Outside'),
        flow('Fork', 'Warn'),
        flow('Case', 'Join'),
        flow('Outside', 'Join'),
        flow('Warn', 'Join'),
        flow('Join', 'E'),
      ]),
    );
    const instance = await t.engine.startInstance({ definitionKey: 'nested' });
    await t.engine.tick();
    const sent = (await t.store.notifications.list({ instanceId: instance.id })).items
      .map((n) => n.toGroup ?? n.toUser)
      .sort();
    expect(sent).toEqual(['leads', 'resolvers']);
  });

  it('answers a customer notification with its id and the channel the customer prefers', async () => {
    await t.engine.deploy(
      definitions('ack', [
        start('S'),
        serviceTask('Ack', 'notify.customer', io({ template: '="ack"' })),
        userTask('Next'),
        end('E'),
        ...chain('S', 'Ack', 'Next', 'E'),
      ]),
    );
    const instance = await t.engine.startInstance({
      definitionKey: 'ack',
      variables: { preferredContact: 'sms', customerPhone: '13800000000' },
    });
    await t.engine.tick();
    const { variables } = await t.engine.getInstance(instance.id);
    const [sent] = (await t.store.notifications.list({ instanceId: instance.id })).items;
    expect(variables.notificationId).toBe(sent.id);
    expect(sent).toMatchObject({ channel: 'sms', payload: expect.objectContaining({ customerPhone: '13800000000' }) });
  });

  it('starts the linked process once, even when the job runs again', async () => {
    await t.engine.deploy(
      definitions('risk', [start('RS'), userTask('Assess'), end('RE'), ...chain('RS', 'Assess', 'RE')]),
    );
    await t.engine.deploy(
      definitions('complaint', [
        start('S'),
        serviceTask(
          'Raise',
          'process.start',
          io({
            definitionKey: '="risk"',
            businessKey: '="RSK-" + complaintId',
            variables: '={source: "complaint", sourceRef: complaintId}',
          }),
        ),
        userTask('Close'),
        end('E'),
        ...chain('S', 'Raise', 'Close', 'E'),
      ]),
    );
    const complaint = await t.engine.startInstance({ definitionKey: 'complaint', variables: { complaintId: 'C-1' } });
    // a worker started the process but crashed before reporting: the job runs again
    const [job] = await t.engine.jobs.fetchAndLock('w', ['process.start'], 1);
    const first = await t.engine.jobs.handlers.get('process.start')!(job);
    await t.engine.jobs.fail(job.job.id, 'w', { message: 'worker crashed', retryBackoffMs: 0 });
    await t.engine.tick();
    const risks = await t.engine.listInstances({ definitionKey: 'risk' });
    expect(risks.total).toBe(1);
    expect(risks.items[0]).toMatchObject({
      businessKey: 'RSK-C-1',
      variables: expect.objectContaining({ source: 'complaint', sourceRef: 'C-1' }),
    });
    expect((await t.engine.getInstance(complaint.id)).variables.startedInstanceId).toBe(risks.items[0].id);
    expect(first).toEqual({ startedInstanceId: risks.items[0].id });
    await openTaskAt(t.engine, complaint.id, 'Close');
  });

  // issue 17: without a business key the job run again must not start a second instance either
  it('starts the linked process once when it has no business key, even when the job runs again', async () => {
    await t.engine.deploy(
      definitions('risk', [start('RS'), userTask('Assess'), end('RE'), ...chain('RS', 'Assess', 'RE')]),
    );
    await t.engine.deploy(
      definitions('complaint', [
        start('S'),
        serviceTask('Raise', 'process.start', io({ definitionKey: '="risk"' })),
        userTask('Close'),
        end('E'),
        ...chain('S', 'Raise', 'Close', 'E'),
      ]),
    );
    const complaint = await t.engine.startInstance({ definitionKey: 'complaint' });
    const [job] = await t.engine.jobs.fetchAndLock('w', ['process.start'], 1);
    const first = await t.engine.jobs.handlers.get('process.start')!(job);
    const again = await t.engine.jobs.handlers.get('process.start')!(job);
    await t.engine.jobs.fail(job.job.id, 'w', { message: 'worker crashed', retryBackoffMs: 0 });
    await t.engine.tick();
    const risks = await t.engine.listInstances({ definitionKey: 'risk' });
    expect(risks.total).toBe(1);
    expect(again).toEqual(first);
    expect((await t.engine.getInstance(complaint.id)).variables.startedInstanceId).toBe(risks.items[0].id);
  });

  it('proposes the preferred slot in Shanghai time, or the next day when it has passed', async () => {
    await t.engine.deploy(
      definitions('visit', [
        start('S'),
        serviceTask('Propose', 'schedule.propose'),
        userTask('Confirm'),
        end('E'),
        ...chain('S', 'Propose', 'Confirm', 'E'),
      ]),
    );
    const later = await t.engine.startInstance({
      definitionKey: 'visit',
      variables: { preferredDate: '2026-01-08', preferredSlot: 'afternoon' },
    });
    const past = await t.engine.startInstance({
      definitionKey: 'visit',
      variables: { preferredDate: '2026-01-01', preferredSlot: 'morning' },
    });
    await t.engine.tick();
    expect((await t.engine.getInstance(later.id)).variables).toMatchObject({
      proposedStart: '2026-01-08T13:00:00.000+08:00',
      proposedEnd: '2026-01-08T18:00:00.000+08:00',
    });
    expect((await t.engine.getInstance(past.id)).variables).toMatchObject({
      proposedStart: '2026-01-06T09:00:00.000+08:00',
    });
  });
});
