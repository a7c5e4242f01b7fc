import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VersionConflictError, type Store } from '../../engine/store/index.js';
import { closeStores, describeEachStore } from '../helpers/stores.js';
import { aDefinition, anInstance, at, seedInstance, uid } from '../helpers/store-rows.js';

describeEachStore('store/instances', (backend) => {
  let store: Store;
  beforeAll(async () => {
    store = await backend.open();
  });
  afterAll(closeStores);

  it('returns an instance exactly as inserted: parsed JSON, ISO timestamps, numbers', async () => {
    const instance = await seedInstance(store, {
      businessKey: 'C-1001',
      variables: { amount: 120.5, customer: { tier: 'gold' } },
      startedAt: '2026-11-23T10:00:00+01:00',
    });
    const loaded = await store.instances.get(instance.id);
    expect(loaded).toEqual({ ...instance, startedAt: '2026-11-23T09:00:00.000Z', suspended: false });
  });

  it('suspends and activates a running instance, bumping its version; an ended one is left alone', async () => {
    const running = await seedInstance(store, {});
    expect(await store.instances.setSuspended(running.id, true)).toBe(true);
    expect(await store.instances.get(running.id)).toMatchObject({ suspended: true, version: running.version + 1 });
    expect((await store.instances.summaries([running.id])).get(running.id)?.suspended).toBe(true);
    expect(await store.instances.setSuspended(running.id, false)).toBe(true);
    expect(await store.instances.get(running.id)).toMatchObject({ suspended: false, version: running.version + 2 });
    const ended = await seedInstance(store, { status: 'completed' });
    expect(await store.instances.setSuspended(ended.id, true)).toBe(false);
    expect(await store.instances.setSuspended('missing', true)).toBe(false);
  });

  it('summarises the instances of a page: business key and definition of each that exists, asked once', async () => {
    const keyed = await seedInstance(store, { businessKey: 'CASE-7' });
    const plain = await seedInstance(store, { businessKey: null });
    const summaries = await store.instances.summaries([keyed.id, plain.id, keyed.id, 'no-such-instance']);
    expect(summaries).toEqual(
      new Map([
        [keyed.id, { businessKey: 'CASE-7', definitionId: keyed.definitionId, suspended: false }],
        [plain.id, { businessKey: null, definitionId: plain.definitionId, suspended: false }],
      ]),
    );
    expect(await store.instances.summaries([])).toEqual(new Map());
  });

  it('returns null for an unknown instance', async () => {
    expect(await store.instances.get('missing')).toBeNull();
  });

  it('saves the new state and increments the version', async () => {
    const instance = await seedInstance(store);
    await store.instances.save(
      { ...instance, status: 'completed', snapshot: { value: 'End' }, activeElements: [], endedAt: at(5) },
      0,
    );
    expect(await store.instances.get(instance.id)).toMatchObject({
      status: 'completed',
      snapshot: { value: 'End' },
      activeElements: [],
      endedAt: at(5),
      version: 1,
    });
  });

  it('rejects a save with a stale version and changes nothing', async () => {
    const instance = await seedInstance(store);
    await store.instances.save({ ...instance, variables: { winner: 'first' } }, 0);
    const stale = store.instances.save({ ...instance, variables: { winner: 'second' } }, 0);
    await expect(stale).rejects.toBeInstanceOf(VersionConflictError);
    await expect(stale).rejects.toMatchObject({ code: 'VERSION_CONFLICT', instanceId: instance.id, expected: 0 });
    expect(await store.instances.get(instance.id)).toMatchObject({ variables: { winner: 'first' }, version: 1 });
  });

  it('lets exactly one of two concurrent steps on the same version commit', async () => {
    const instance = await seedInstance(store);
    const step = (who: string) =>
      store.transaction(async (tx) => {
        const row = await tx.instances.get(instance.id);
        await tx.history.append([
          {
            instanceId: instance.id,
            elementId: null,
            elementType: null,
            event: 'step',
            at: at(1),
            by: who,
            details: null,
          },
        ]);
        await tx.instances.save({ ...row!, variables: { by: who } }, 0);
      });
    const results = await Promise.allSettled([step('ann'), step('bob')]);
    const rejected = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    expect(rejected).toHaveLength(1);
    expect(rejected[0].reason).toBeInstanceOf(VersionConflictError);
    const saved = await store.instances.get(instance.id);
    expect(saved?.version).toBe(1);
    expect(await store.history.list(instance.id)).toEqual([
      expect.objectContaining({ by: (saved!.variables as { by: string }).by }),
    ]);
  });

  describe('list', () => {
    const definition = aDefinition();
    beforeAll(async () => {
      await store.definitions.insert(definition);
      for (let i = 0; i < 5; i++) {
        const status = i % 2 === 0 ? 'active' : 'completed';
        await store.instances.insert(
          anInstance(definition, {
            id: `list_${definition.key}_${i}`,
            status,
            startedAt: at(i),
            businessKey: `BK-${definition.key}-${i}`,
          }),
        );
      }
    });

    it('filters by definition key and status, newest first', async () => {
      const page = await store.instances.list({ definitionKey: definition.key, status: 'active' });
      expect(page.total).toBe(3);
      expect(page.items.map((i) => i.startedAt)).toEqual([at(4), at(2), at(0)]);
    });

    it('pages with offset and limit and reports the total', async () => {
      const page = await store.instances.list({ definitionKey: definition.key, offset: 1, limit: 2 });
      expect(page).toMatchObject({ total: 5 });
      expect(page.items.map((i) => i.id)).toEqual([`list_${definition.key}_3`, `list_${definition.key}_2`]);
    });

    it('finds an instance by business key', async () => {
      const page = await store.instances.list({ businessKey: `BK-${definition.key}-3` });
      expect(page.items.map((i) => i.id)).toEqual([`list_${definition.key}_3`]);
    });

    it('returns an empty page for an unknown key', async () => {
      expect(await store.instances.list({ definitionKey: uid('none') })).toEqual({
        items: [],
        total: 0,
        nextCursor: null,
      });
    });
  });
});
