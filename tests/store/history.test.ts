import { afterAll, beforeAll, expect, it } from 'vitest';
import type { HistoryRow, Store } from '../../engine/store/index.js';
import { closeStores, describeEachStore } from '../helpers/stores.js';
import { at, seedInstance } from '../helpers/store-rows.js';

describeEachStore('store/history', (backend) => {
  let store: Store;
  beforeAll(async () => {
    store = await backend.open();
  });
  afterAll(closeStores);

  const entry = (instanceId: string, event: string, over: Partial<HistoryRow> = {}): HistoryRow => ({
    instanceId,
    elementId: null,
    elementType: null,
    event,
    at: at(0),
    by: null,
    details: null,
    ...over,
  });

  it('lists an instance history in append order with ascending ids', async () => {
    const instance = await seedInstance(store);
    const other = await seedInstance(store);
    await store.history.append([
      entry(instance.id, 'instance.started', { by: 'ann', details: { businessKey: 'C-1' } }),
    ]);
    await store.history.append([entry(other.id, 'instance.started')]);
    await store.history.append([
      entry(instance.id, 'element.entered', { elementId: 'Task_review', elementType: 'bpmn:UserTask' }),
      entry(instance.id, 'task.completed', { elementId: 'Task_review', by: 'bob', at: at(5) }),
    ]);
    const rows = await store.history.list(instance.id);
    expect(rows.map((r) => r.event)).toEqual(['instance.started', 'element.entered', 'task.completed']);
    expect(rows[0]).toMatchObject({ by: 'ann', details: { businessKey: 'C-1' } });
    expect(rows[2]).toMatchObject({ elementType: null, by: 'bob', at: at(5) });
    const ids = rows.map((r) => r.id as number);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(typeof ids[0]).toBe('number');
  });

  it('appends large batches in order', async () => {
    const instance = await seedInstance(store);
    await store.history.append(Array.from({ length: 250 }, (_, i) => entry(instance.id, `event.${i}`)));
    expect((await store.history.list(instance.id)).map((r) => r.event)).toEqual(
      Array.from({ length: 250 }, (_, i) => `event.${i}`),
    );
  });

  it('accepts an empty append', async () => {
    await expect(store.history.append([])).resolves.toBeUndefined();
  });
});
