/**
 * Issue 17, exactly-once side effects: a delivery is claimed for a lease before it is sent, so two nodes sweeping
 * at once send it once; a node that dies mid-send leaves it due again after the lease, and the second send
 * carries the same id (the receiver's idempotency key). Enqueuing a notification again adds no delivery.
 */
import { afterAll, afterEach, beforeEach, expect, it } from 'vitest';
import { DeliveryService, type Channel, type Outgoing } from '../../engine/runtime/index.js';
import type { NotificationRow } from '../../engine/store/index.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { closeStores, describeEachStore } from '../helpers/stores.js';

const LEASE_MS = 60_000;

function notification(id: string): NotificationRow {
  return {
    id,
    kind: 'notify.staff',
    instanceId: 'inst-1',
    definitionKey: 'p',
    elementId: 'Task_tell',
    toUser: null,
    toGroup: 'cs-agents',
    channel: null,
    template: null,
    payload: { subject: 'case 1' },
    createdAt: '2026-11-23T09:00:00.000Z',
  };
}

/** A webhook that records what it was given; `hang` makes sends never finish (a node dying mid-send). */
function recorder(options: { hang?: boolean } = {}): Channel & { sent: Outgoing[] } {
  const sent: Outgoing[] = [];
  return {
    name: 'webhook',
    sent,
    send: (message) => {
      sent.push(message);
      return options.hang ? new Promise(() => undefined) : Promise.resolve();
    },
  };
}

describeEachStore('runtime/delivery-lease', (backend) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp({ store: await backend.open() });
  });
  afterEach(async () => {
    await t.close();
  });
  afterAll(() => closeStores());

  const service = (channel: Channel) =>
    new DeliveryService(t.engine, { channels: [channel], surveySecret: 's', leaseMs: LEASE_MS });

  it('sends a delivery once when two nodes sweep at the same time', async () => {
    // given
    const [a, b] = [recorder(), recorder()];
    const [nodeA, nodeB] = [service(a), service(b)];
    for (const id of ['n-1', 'n-2', 'n-3']) await nodeA.enqueue(notification(id));

    // when
    await Promise.all([nodeA.deliverDue(), nodeB.deliverDue()]);

    // then
    expect(a.sent.length + b.sent.length).toBe(3);
    expect(new Set([...a.sent, ...b.sent].map((m) => m.id)).size).toBe(3);
  });

  it('sends again, with the same id, after the lease of a node that died mid-send', async () => {
    // given: node A claims the delivery and never finishes sending it
    const [dying, healthy] = [recorder({ hang: true }), recorder()];
    const [nodeA, nodeB] = [service(dying), service(healthy)];
    await nodeA.enqueue(notification('n-1'));
    void nodeA.deliverDue();
    await expect.poll(() => dying.sent.length).toBe(1);

    // when: node B sweeps within the lease, then after it
    expect(await nodeB.deliverDue()).toBe(0);
    t.clock.advance(LEASE_MS + 1);
    expect(await nodeB.deliverDue()).toBe(1);

    // then: the receiver sees one id twice, and the log says sent
    expect(healthy.sent.map((m) => m.id)).toEqual(dying.sent.map((m) => m.id));
    expect((await t.store.deliveries.list({ offset: 0, limit: 10 })).items).toMatchObject([
      { id: dying.sent[0].id, status: 'sent' },
    ]);
  });

  it('adds no delivery when the same notification is enqueued again', async () => {
    const channel = recorder();
    const node = service(channel);
    await node.enqueue(notification('n-1'));
    await node.enqueue(notification('n-1'));
    expect((await t.store.deliveries.list({ offset: 0, limit: 10 })).items).toHaveLength(1);
  });
});
