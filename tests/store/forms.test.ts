/** The form versions of each key and the form version each definition version is bound to (migration 160). */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FormRow, Store } from '../../engine/store/index.js';
import { closeStores, describeEachStore } from '../helpers/stores.js';
import { at, uid } from '../helpers/store-rows.js';

describeEachStore('store/forms', (backend) => {
  let store: Store;
  beforeAll(async () => {
    store = await backend.open();
  });
  afterAll(closeStores);

  const aForm = (key: string, version: number, deploymentId = uid('dep')): FormRow => ({
    id: `${key}:${version}`,
    key,
    version,
    deploymentId,
    resource: `${key}.form`,
    hash: `${version}`.repeat(64),
    schema: JSON.stringify({ components: [], version }),
    deployedAt: at(version),
    deployedBy: 'owner1',
  });

  it('reads the latest version of a key and the highest version number', async () => {
    const key = uid('form');
    await store.forms.insert(aForm(key, 1));
    await store.forms.insert(aForm(key, 2));
    expect(await store.forms.latestByKey(key)).toEqual(
      aForm(key, 2, (await store.forms.get(`${key}:2`))!.deploymentId),
    );
    expect(await store.forms.maxVersion(key)).toBe(2);
    expect(await store.forms.latestByKey(uid('none'))).toBeNull();
    expect(await store.forms.maxVersion(uid('none'))).toBe(0);
  });

  it('leaves a version of a deleted deployment out of the latest, but counts its number', async () => {
    const key = uid('form');
    const deleted = uid('dep');
    await store.deployments.insert({
      id: deleted,
      name: null,
      source: null,
      deployedAt: at(2),
      deployedBy: null,
      deletedAt: at(3),
    });
    await store.forms.insert(aForm(key, 1));
    await store.forms.insert(aForm(key, 2, deleted));
    expect((await store.forms.latestByKey(key))?.version).toBe(1);
    expect(await store.forms.maxVersion(key)).toBe(2);
  });

  it('binds a definition version to form versions by key', async () => {
    const key = uid('form');
    const definitionId = `${uid('Process')}:1`;
    await store.forms.insert(aForm(key, 1));
    await store.forms.insert(aForm(key, 2));
    await store.forms.bind(definitionId, [{ formKey: key, formId: `${key}:1` }]);
    expect((await store.forms.boundTo(definitionId, key))?.id).toBe(`${key}:1`);
    expect(await store.forms.boundTo(definitionId, uid('other'))).toBeNull();
    expect(await store.forms.boundTo(`${uid('Process')}:1`, key)).toBeNull();
  });
});
