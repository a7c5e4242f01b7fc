import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Store } from '../../engine/store/index.js';
import { closeStores, describeEachStore } from '../helpers/stores.js';
import { aDefinition, aJob, aTask, aTimer, anInstance, at } from '../helpers/store-rows.js';

describeEachStore('store', (backend) => {
  let store: Store;
  beforeAll(async () => {
    store = await backend.open();
  });
  afterAll(closeStores);

  it('answers a ping', async () => {
    expect(await store.ping()).toBe(true);
  });

  it('runs migrations again without harm', async () => {
    await store.migrate();
    await store.migrate();
    expect(await store.ping()).toBe(true);
  });

  it('commits everything a transaction wrote and returns its result', async () => {
    const definition = aDefinition();
    const instance = anInstance(definition);
    const result = await store.transaction(async (tx) => {
      await tx.definitions.insert(definition);
      await tx.instances.insert(instance);
      await tx.tasks.insert(aTask(instance, { candidateGroups: ['support'] }));
      return 'done';
    });
    expect(result).toBe('done');
    expect(await store.instances.get(instance.id)).not.toBeNull();
    expect((await store.tasks.list({ instanceId: instance.id })).total).toBe(1);
  });

  it('rolls back everything written in a transaction that throws', async () => {
    const definition = aDefinition();
    const instance = anInstance(definition);
    const failing = store.transaction(async (tx) => {
      await tx.definitions.insert(definition);
      await tx.instances.insert(instance);
      await tx.tasks.insert(aTask(instance, { candidateGroups: ['support'] }));
      await tx.timers.insert(aTimer(instance));
      await tx.jobs.insert(aJob(instance));
      await tx.history.append([
        {
          instanceId: instance.id,
          elementId: null,
          elementType: null,
          event: 'instance.started',
          at: at(0),
          by: null,
          details: null,
        },
      ]);
      throw new Error('effect failed');
    });
    await expect(failing).rejects.toThrow('effect failed');
    expect(await store.definitions.get(definition.id)).toBeNull();
    expect(await store.instances.get(instance.id)).toBeNull();
    expect((await store.tasks.list({ instanceId: instance.id })).total).toBe(0);
    expect((await store.jobs.list({ instanceId: instance.id })).total).toBe(0);
    expect(await store.history.list(instance.id)).toEqual([]);
  });

  it('rolls back an update made before a version conflict in the same transaction', async () => {
    const definition = aDefinition();
    const instance = anInstance(definition);
    await store.definitions.insert(definition);
    await store.instances.insert(instance);
    const task = aTask(instance);
    await store.tasks.insert(task);
    const losing = store.transaction(async (tx) => {
      await tx.tasks.update(task.id, { status: 'completed', completedBy: 'bob', endedAt: at(1) });
      await tx.instances.save(instance, 7);
    });
    await expect(losing).rejects.toMatchObject({ code: 'VERSION_CONFLICT' });
    expect(await store.tasks.get(task.id)).toMatchObject({ status: 'open', completedBy: null });
  });
});
