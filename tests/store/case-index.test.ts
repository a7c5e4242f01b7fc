import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Store } from '../../engine/store/index.js';
import { closeStores, describeEachStore } from '../helpers/stores.js';
import { seedInstance } from '../helpers/store-rows.js';

describeEachStore('store/case index', (backend) => {
  let store: Store;
  beforeAll(async () => {
    store = await backend.open();
  });
  afterAll(closeStores);

  const found = async (term: string) => (await store.cases.search({ terms: [term], limit: 10 })).items;

  it('indexes a case once, keeps it while the digest stays, and rewrites its words when it changes', async () => {
    const instance = await seedInstance(store);
    await store.cases.index(instance.id, instance.startedAt, ['wang', 'router'], 'd1');
    expect(await found('wang')).toEqual([instance.id]);
    expect(await found('router')).toEqual([instance.id]);

    // same digest: the words are not rewritten, even if the caller passes others
    await store.cases.index(instance.id, instance.startedAt, ['ignored'], 'd1');
    expect(await found('ignored')).toEqual([]);
    expect(await found('router')).toEqual([instance.id]);

    await store.cases.index(instance.id, instance.startedAt, ['wang', 'modem'], 'd2');
    expect(await found('router')).toEqual([]);
    expect(await found('modem')).toEqual([instance.id]);
    expect(await found('wang')).toEqual([instance.id]);
  });

  it('rewrites the words the same way inside a step transaction (held with the step on PostgreSQL)', async () => {
    const instance = await seedInstance(store);
    const index = (terms: string[], digest: string) =>
      store.transaction((tx) => tx.cases.index(instance.id, instance.startedAt, terms, digest));
    await index(['li', 'printer'], 's1');
    expect(await found('printer')).toEqual([instance.id]);
    await index(['ignored-too'], 's1');
    expect(await found('ignored-too')).toEqual([]);
    await index(['li', 'scanner'], 's2');
    expect(await found('printer')).toEqual([]);
    expect(await found('scanner')).toEqual([instance.id]);
    expect(await found('li')).toEqual([instance.id]);
    await index([], 's3');
    expect(await found('li')).toEqual([]);
  });

  it('leaves no words behind when the transaction of the step rolls back', async () => {
    const instance = await seedInstance(store);
    await expect(
      store.transaction(async (tx) => {
        await tx.cases.index(instance.id, instance.startedAt, ['rolledback'], 'r1');
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await found('rolledback')).toEqual([]);
    await store.transaction((tx) => tx.cases.index(instance.id, instance.startedAt, ['rolledback'], 'r1'));
    expect(await found('rolledback')).toEqual([instance.id]);
  });
});
