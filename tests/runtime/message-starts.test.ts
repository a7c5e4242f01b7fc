// issue #12: a message nobody waits for starts an instance at the message start event listening for it
import { afterAll, beforeEach, expect, it } from 'vitest';
import { chain, definitions, end, message, receiveTask, start, userTask } from '../helpers/bpmn-builder.js';
import { engineOn, type TestEngine } from '../helpers/engine.js';
import { ioMapping, messageStart } from '../helpers/event-builder.js';
import { closeStores, describeEachStore } from '../helpers/stores.js';

// a complaint may be opened by hand (none start) or by the web form's message; a waiting case takes a reply
const COMPLAINT = definitions(
  'Complaint',
  [
    start('ByHand'),
    messageStart('FromWeb', 'Web', ioMapping([], [['=customer', 'customer']])),
    userTask('Triage'),
    receiveTask('AwaitReply', 'Reply'),
    end('E'),
    ...chain('ByHand', 'Triage', 'AwaitReply', 'E'),
    ...chain('FromWeb', 'Triage'),
  ],
  [message('Web', 'complaint.submitted'), message('Reply', 'customer.replied')],
);

afterAll(closeStores);

describeEachStore('runtime/message start events', (backend) => {
  let t: TestEngine;
  beforeEach(async () => {
    t = engineOn(await backend.open());
    await t.engine.deploy(COMPLAINT);
  });

  it('starts an instance at the message start event, with the mapped variables, and says so', async () => {
    const published = await t.engine.correlateMessage({
      name: 'complaint.submitted',
      variables: { customer: 'C-1', noise: true },
    });
    expect(published).toMatchObject({ started: true, buffered: false });
    expect(published.instanceIds).toHaveLength(1);
    const instance = await t.engine.getInstance(published.instanceIds[0]);
    expect(instance).toMatchObject({
      definitionKey: 'Complaint',
      activeElements: ['Triage'],
      variables: { customer: 'C-1' },
    });
    const history = await t.engine.history(instance.id);
    expect(history[0]).toMatchObject({ event: 'instance.started', elementId: 'FromWeb' });
    // the none start still starts by hand
    expect((await t.engine.startInstance({ definitionKey: 'Complaint' })).activeElements).toEqual(['Triage']);
  });

  it('starts once per message id', async () => {
    const first = await t.engine.correlateMessage({ name: 'complaint.submitted', messageId: 'web-42' });
    const again = await t.engine.correlateMessage({ name: 'complaint.submitted', messageId: 'web-42' });
    expect(first.started).toBe(true);
    expect(again).toMatchObject({ duplicate: true, instanceIds: [] });
    expect((await t.engine.listInstances({ definitionKey: 'Complaint' })).items).toHaveLength(1);
  });

  it('leaves a message a start event does not listen for to waiting instances and the buffer', async () => {
    await expect(t.engine.correlateMessage({ name: 'customer.replied' })).rejects.toMatchObject({
      code: 'MESSAGE_NOT_CORRELATED',
    });
    expect((await t.engine.listInstances({})).items).toHaveLength(0);
  });

  it('starts through the Camunda 7 correlation with the business key, and refuses when a named instance is asked for', async () => {
    const { instanceIds, started } = await t.engine.correlateMessageWhere({
      name: 'complaint.submitted',
      businessKey: 'BK-7',
      variables: { customer: 'C-7' },
    });
    expect(started).toBe(true);
    expect(await t.engine.getInstance(instanceIds[0])).toMatchObject({
      businessKey: 'BK-7',
      activeElements: ['Triage'],
    });
    await expect(
      t.engine.correlateMessageWhere({ name: 'complaint.submitted', instanceId: instanceIds[0] }),
    ).rejects.toMatchObject({ code: 'MESSAGE_NOT_CORRELATED' });
  });

  it('starts only the latest version after a redeploy, and nothing once the new version has no message start', async () => {
    await t.engine.deploy(COMPLAINT.replace('name="Triage"', 'name="Triage v2"'));
    const { instanceIds } = await t.engine.correlateMessage({ name: 'complaint.submitted' });
    expect((await t.engine.getInstance(instanceIds[0])).definitionId).toBe('Complaint:2');
    await t.engine.deploy(
      definitions('Complaint', [start('ByHand'), userTask('Triage'), end('E'), ...chain('ByHand', 'Triage', 'E')]),
    );
    await expect(t.engine.correlateMessage({ name: 'complaint.submitted' })).rejects.toMatchObject({
      code: 'MESSAGE_NOT_CORRELATED',
    });
  });

  it('starts one running instance per correlation key; a held message starts the next once the first ends', async () => {
    const first = await t.engine.correlateMessage({
      name: 'complaint.submitted',
      correlationKey: 'C-1',
      timeToLiveMs: 3_600_000,
    });
    expect(first).toMatchObject({ started: true });
    // the same key while its instance runs: no second instance, the message waits in the buffer
    const held = await t.engine.correlateMessage({
      name: 'complaint.submitted',
      correlationKey: 'C-1',
      timeToLiveMs: 3_600_000,
      variables: { customer: 'C-1 again' },
    });
    expect(held).toMatchObject({ started: false, buffered: true, instanceIds: [] });
    // another key, and no key at all, start at once
    expect(await t.engine.correlateMessage({ name: 'complaint.submitted', correlationKey: 'C-2' })).toMatchObject({
      started: true,
    });
    expect(await t.engine.correlateMessage({ name: 'complaint.submitted' })).toMatchObject({ started: true });
    expect((await t.engine.listInstances({ definitionKey: 'Complaint' })).items).toHaveLength(3);
    await t.engine.tick();
    expect((await t.engine.listInstances({ definitionKey: 'Complaint' })).items).toHaveLength(3);

    await t.engine.cancelInstance(first.instanceIds[0]);
    await t.engine.tick();
    const running = (await t.engine.listInstances({ definitionKey: 'Complaint', status: 'active' })).items;
    expect(running).toHaveLength(3);
    expect(running.map((i) => i.variables.customer)).toContain('C-1 again');
    // delivered once: more ticks start nothing more
    await t.engine.tick();
    expect((await t.engine.listInstances({ definitionKey: 'Complaint' })).items).toHaveLength(4);
  });

  it('refuses a held message without time to live, and holds across versions of the process', async () => {
    await t.engine.correlateMessage({ name: 'complaint.submitted', correlationKey: 'C-9' });
    await t.engine.deploy(COMPLAINT.replace('name="Triage"', 'name="Triage v2"'));
    await expect(
      t.engine.correlateMessage({ name: 'complaint.submitted', correlationKey: 'C-9' }),
    ).rejects.toMatchObject({
      code: 'MESSAGE_NOT_CORRELATED',
    });
    expect((await t.engine.listInstances({ definitionKey: 'Complaint' })).items).toHaveLength(1);
  });

  it('does not start a process deployed after the message was published (Camunda 8)', async () => {
    const early = await t.engine.correlateMessage({
      name: 'order.placed',
      correlationKey: 'O-1',
      timeToLiveMs: 3_600_000,
    });
    expect(early).toMatchObject({ buffered: true });
    t.clock.advance(1000);
    await t.engine.deploy(
      definitions(
        'Order',
        [messageStart('Placed', 'Msg'), userTask('Pick'), end('E'), ...chain('Placed', 'Pick', 'E')],
        [message('Msg', 'order.placed')],
      ),
    );
    t.clock.advance(1000);
    await t.engine.tick();
    expect((await t.engine.listInstances({ definitionKey: 'Order' })).items).toHaveLength(0);
    // a message published after the deployment starts it
    expect(await t.engine.correlateMessage({ name: 'order.placed', correlationKey: 'O-1' })).toMatchObject({
      started: true,
    });
  });
});
