import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Store } from '../../engine/store/index.js';
import { closeStores, describeEachStore } from '../helpers/stores.js';
import { aDefinition, at, uid } from '../helpers/store-rows.js';

describeEachStore('store/definitions', (backend) => {
  let store: Store;
  beforeAll(async () => {
    store = await backend.open();
  });
  afterAll(closeStores);

  async function deployVersions(key: string, count: number) {
    for (let version = 1; version <= count; version++) {
      await store.definitions.insert(
        aDefinition({ key, version, hash: `${version}`.repeat(64), deployedAt: at(version) }),
      );
    }
  }

  it('returns a definition by id with its xml', async () => {
    const definition = aDefinition();
    await store.definitions.insert(definition);
    expect(await store.definitions.get(definition.id)).toEqual({ ...definition, deploymentId: null, deletedAt: null });
  });

  it('finds the latest version of a key', async () => {
    const key = uid('Process');
    await deployVersions(key, 3);
    expect(await store.definitions.latestByKey(key)).toMatchObject({ id: `${key}:3`, version: 3 });
    expect(await store.definitions.latestByKey(uid('none'))).toBeNull();
  });

  it('finds a deployed definition by key and xml hash', async () => {
    const key = uid('Process');
    await deployVersions(key, 2);
    expect(await store.definitions.byKeyAndHash(key, '1'.repeat(64))).toMatchObject({ version: 1 });
    expect(await store.definitions.byKeyAndHash(key, 'f'.repeat(64))).toBeNull();
  });

  it('refuses a second row with the same key and version', async () => {
    const definition = aDefinition();
    await store.definitions.insert(definition);
    await expect(store.definitions.insert({ ...definition, id: `${definition.id}-copy` })).rejects.toThrow();
  });

  it('lists the versions of a key without xml, latest first', async () => {
    const key = uid('Process');
    await deployVersions(key, 3);
    const page = await store.definitions.list({ key });
    expect(page.total).toBe(3);
    expect(page.items.map((d) => d.version)).toEqual([3, 2, 1]);
    expect(page.items[0]).not.toHaveProperty('xml');
  });

  it('lists only the latest version of each key', async () => {
    const [first, second] = [uid('Process'), uid('Process')];
    await deployVersions(first, 2);
    await deployVersions(second, 3);
    const latest = await store.definitions.list({ latestOnly: true, limit: 500 });
    const ours = latest.items.filter((d) => d.key === first || d.key === second);
    expect(ours.map((d) => d.id).sort()).toEqual([`${first}:2`, `${second}:3`].sort());
    expect((await store.definitions.list({ key: second, latestOnly: true })).items.map((d) => d.version)).toEqual([3]);
  });

  it("leaves a deleted deployment's versions out of the latest and the lists, but counts their version numbers", async () => {
    const key = uid('Process');
    await store.definitions.insert(aDefinition({ key, version: 1, deploymentId: 'dep-1' }));
    await store.definitions.insert(
      aDefinition({ key, version: 2, hash: 'b'.repeat(64), deploymentId: `dep-2-${key}` }),
    );
    await store.definitions.markDeleted(`dep-2-${key}`, at(5));
    expect(await store.definitions.latestByKey(key)).toMatchObject({ version: 1 });
    expect(await store.definitions.maxVersion(key)).toBe(2);
    expect((await store.definitions.list({ key })).items.map((d) => d.version)).toEqual([1]);
    expect((await store.definitions.list({ key, latestOnly: true })).items.map((d) => d.version)).toEqual([1]);
    expect(await store.definitions.get(`${key}:2`)).toMatchObject({ deletedAt: at(5) });
  });
});
