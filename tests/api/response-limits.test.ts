import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.js';
import { reviewProcess } from './models.js';

describe('api: caching and variable limits', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp();
    await t.deploy(reviewProcess());
  });
  afterEach(async () => {
    await t.close();
  });

  it('tells browsers and proxies not to keep answers that carry variables', async () => {
    const started = await t.call('POST', '/api/instances', {
      definitionKey: 'Process_review',
      variables: { customer: 'Ann Lee' },
    });
    expect(started.headers['cache-control']).toBe('no-store');
    expect((await t.call('GET', `/api/instances/${started.json().id}`)).headers['cache-control']).toBe('no-store');
    expect((await t.call('GET', '/engine-rest/task')).headers['cache-control']).toBe('no-store');
  });

  it('caps the variables of one instance in total, not only per request', async () => {
    const chunk = 'x'.repeat(200 * 1024);
    const id = (
      await t.call('POST', '/api/instances', { definitionKey: 'Process_review', variables: { a: chunk } })
    ).json().id;
    const taskOf = async () => (await t.call('GET', `/api/tasks?instanceId=${id}`)).json().items[0].id;
    expect(
      (await t.call('POST', `/api/tasks/${await taskOf()}/complete`, { variables: { b: chunk } })).statusCode,
    ).toBe(200);
    // the instance has gathered more on the way (as many steps would): 1 MB in all
    const row = (await t.store.instances.get(id))!;
    await t.store.instances.save(
      { ...row, variables: { ...row.variables, c: chunk, d: chunk, e: chunk } },
      row.version,
    );
    const res = await t.call('POST', `/api/tasks/${await taskOf()}/complete`, { variables: { f: chunk } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'INVALID_VARIABLES' });
  });
});
