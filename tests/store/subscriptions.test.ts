import { afterAll, beforeAll, expect, it } from 'vitest';
import type { InstanceRow, Store } from '../../engine/store/index.js';
import { closeStores, describeEachStore } from '../helpers/stores.js';
import { aSubscription, at, seedInstance, uid } from '../helpers/store-rows.js';

describeEachStore('store/subscriptions', (backend) => {
  let store: Store;
  let instance: InstanceRow;
  beforeAll(async () => {
    store = await backend.open();
    instance = await seedInstance(store);
  });
  afterAll(closeStores);

  it('finds subscriptions by message name and correlation key, oldest first', async () => {
    const name = uid('customer.replied');
    const newer = aSubscription(instance, { messageName: name, correlationKey: 'C-1', createdAt: at(2) });
    const older = aSubscription(instance, { messageName: name, correlationKey: 'C-1', createdAt: at(1) });
    const otherKey = aSubscription(instance, { messageName: name, correlationKey: 'C-2' });
    for (const row of [newer, older, otherKey]) await store.subscriptions.insert(row);
    expect(await store.subscriptions.find(name, 'C-1')).toEqual([older, newer]);
    expect(await store.subscriptions.find(uid('other'), 'C-1')).toEqual([]);
  });

  it('matches a null correlation key only to subscriptions without a key', async () => {
    const name = uid('broadcast');
    const keyless = aSubscription(instance, { messageName: name, correlationKey: null });
    await store.subscriptions.insert(keyless);
    await store.subscriptions.insert(aSubscription(instance, { messageName: name, correlationKey: 'C-9' }));
    expect(await store.subscriptions.find(name, null)).toEqual([keyless]);
  });

  it('deletes by element and by instance', async () => {
    const own = await seedInstance(store);
    const name = uid('msg');
    await store.subscriptions.insert(aSubscription(own, { messageName: name, elementId: 'Event_a' }));
    await store.subscriptions.insert(aSubscription(own, { messageName: name, elementId: 'Event_b' }));
    await store.subscriptions.deleteByElement(own.id, 'Event_a');
    expect((await store.subscriptions.find(name, null)).map((s) => s.elementId)).toEqual(['Event_b']);
    await store.subscriptions.deleteByInstance(own.id);
    expect(await store.subscriptions.find(name, null)).toEqual([]);
  });
});
