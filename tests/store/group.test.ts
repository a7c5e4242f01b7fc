import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Store } from '../../engine/store/index.js';
import { closeStores, describeEachStore } from '../helpers/stores.js';
import { aDefinition, aTimer, anInstance, seedInstance } from '../helpers/store-rows.js';

// Group commit: one transaction, each unit a savepoint. A unit that throws is undone alone.
describeEachStore('store/group', (backend) => {
  let store: Store;
  beforeAll(async () => {
    store = await backend.open();
  });
  afterAll(closeStores);

  it('commits the units that resolved together and undoes only the unit that threw', async () => {
    const definition = aDefinition();
    await store.definitions.insert(definition);
    const [first, failing, last] = [anInstance(definition), anInstance(definition), anInstance(definition)];
    const outcome = await store.group(async (unit) => {
      await unit((tx) => tx.instances.insert(first));
      const error = await unit(async (tx) => {
        await tx.instances.insert(failing);
        await tx.timers.insert(aTimer(failing));
        throw new Error('this unit fails');
      }).catch((err: Error) => err.message);
      await unit((tx) => tx.instances.insert(last));
      return error;
    });
    expect(outcome).toBe('this unit fails');
    expect(await store.instances.get(first.id)).not.toBeNull();
    expect(await store.instances.get(last.id)).not.toBeNull();
    expect(await store.instances.get(failing.id)).toBeNull();
    expect(await store.timers.nextDue()).toBeNull();
  });

  it('lets a later unit see what an earlier one wrote, and the units after a failure continue on it', async () => {
    const instance = await seedInstance(store);
    const versions = await store.group(async (unit) => {
      await unit((tx) => tx.instances.save({ ...instance, variables: { n: 1 } }, instance.version));
      await unit(async (tx) => {
        await tx.instances.save({ ...instance, variables: { n: 2 } }, instance.version + 1);
        throw new Error('undone');
      }).catch(() => undefined);
      return unit(async (tx) => (await tx.instances.get(instance.id))?.variables);
    });
    expect(versions).toEqual({ n: 1 });
    expect(await store.instances.get(instance.id)).toMatchObject({
      variables: { n: 1 },
      version: instance.version + 1,
    });
  });

  it("commits the group's own writes with its units, and fails the group when they throw", async () => {
    const definition = aDefinition();
    await store.definitions.insert(definition);
    const [claimed, inUnit] = [anInstance(definition), anInstance(definition)];
    await store.group(async (unit, tx) => {
      await tx.instances.insert(claimed);
      await unit((utx) => utx.instances.insert(inUnit));
    });
    expect(await store.instances.get(claimed.id)).not.toBeNull();
    expect(await store.instances.get(inUnit.id)).not.toBeNull();
    const again = anInstance(definition);
    await expect(
      store.group(async (unit, tx) => {
        await unit((utx) => utx.instances.insert(again));
        await tx.instances.insert(claimed);
      }),
    ).rejects.toThrow();
    expect(await store.instances.get(again.id)).toBeNull();
  });

  it('commits nothing when the group itself throws', async () => {
    const definition = aDefinition();
    await store.definitions.insert(definition);
    const instance = anInstance(definition);
    await expect(
      store.group(async (unit) => {
        await unit((tx) => tx.instances.insert(instance));
        throw new Error('group fails');
      }),
    ).rejects.toThrow('group fails');
    expect(await store.instances.get(instance.id)).toBeNull();
  });
});
