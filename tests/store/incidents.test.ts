import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Store } from '../../engine/store/index.js';
import { closeStores, describeEachStore } from '../helpers/stores.js';
import { anIncident, at, seedInstance } from '../helpers/store-rows.js';

describeEachStore('store/incidents', (backend) => {
  let store: Store;
  beforeAll(async () => {
    store = await backend.open();
  });
  afterAll(closeStores);

  it('returns an incident as inserted', async () => {
    const incident = anIncident(await seedInstance(store), { jobId: 'job_1' });
    await store.incidents.insert(incident);
    expect(await store.incidents.get(incident.id)).toEqual(incident);
  });

  it('resolves one incident and counts the open ones of an instance', async () => {
    const instance = await seedInstance(store);
    const [first, second] = [anIncident(instance), anIncident(instance)];
    await store.incidents.insert(first);
    await store.incidents.insert(second);
    expect(await store.incidents.openCount(instance.id)).toBe(2);
    await store.incidents.resolve(first.id, at(5));
    expect(await store.incidents.get(first.id)).toMatchObject({ status: 'resolved', resolvedAt: at(5) });
    expect(await store.incidents.openCount(instance.id)).toBe(1);
  });

  it('resolves an incident at a multiple event trigger by the trigger, which the row keeps beside the event', async () => {
    const instance = await seedInstance(store);
    const first = anIncident(instance, { elementId: 'W', triggerId: 'W__1' });
    const second = anIncident(instance, { elementId: 'W', triggerId: 'W__2' });
    for (const row of [first, second]) await store.incidents.insert(row);
    await store.incidents.resolveByElement(instance.id, 'W', at(3));
    await store.incidents.resolveByElement(instance.id, 'W__1', at(4));
    expect(await store.incidents.get(first.id)).toMatchObject({
      elementId: 'W',
      status: 'resolved',
      resolvedAt: at(4),
    });
    expect(await store.incidents.get(second.id)).toMatchObject({ elementId: 'W', triggerId: 'W__2', status: 'open' });
  });

  it('resolves the open incidents of an element and keeps earlier resolutions', async () => {
    const instance = await seedInstance(store);
    const earlier = anIncident(instance, { status: 'resolved', resolvedAt: at(1) });
    const open = anIncident(instance);
    const elsewhere = anIncident(instance, { elementId: 'Gateway_route' });
    for (const row of [earlier, open, elsewhere]) await store.incidents.insert(row);
    await store.incidents.resolveByElement(instance.id, 'Task_notify', at(9));
    expect(await store.incidents.get(earlier.id)).toMatchObject({ resolvedAt: at(1) });
    expect(await store.incidents.get(open.id)).toMatchObject({ status: 'resolved', resolvedAt: at(9) });
    expect(await store.incidents.get(elsewhere.id)).toMatchObject({ status: 'open' });
  });

  it('lists incidents newest first, filtered and paged', async () => {
    const instance = await seedInstance(store);
    for (let i = 0; i < 4; i++)
      await store.incidents.insert(anIncident(instance, { createdAt: at(i), status: i === 0 ? 'resolved' : 'open' }));
    const open = await store.incidents.list({ definitionKey: instance.definitionKey, status: 'open', limit: 2 });
    expect(open.total).toBe(3);
    expect(open.items.map((i) => i.createdAt)).toEqual([at(3), at(2)]);
    expect((await store.incidents.list({ instanceId: instance.id })).total).toBe(4);
  });
});
