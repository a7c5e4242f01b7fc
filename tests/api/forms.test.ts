/** /api/forms: task forms by form key, deployed into the database by process owners and read by everyone signed in. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.js';

const FORM = {
  type: 'default',
  id: 'review',
  components: [{ type: 'textfield', key: 'note', label: 'Note', validate: { required: true } }],
};

describe('api/forms', () => {
  let t: TestApp;

  beforeEach(async () => {
    t = await testApp();
  });

  afterEach(async () => {
    await t.close();
  });

  it('deploys a form as a new version of its key and serves the latest back to staff', async () => {
    const owner = await t.as({ username: 'owner1', roles: ['owner'] });
    const created = await owner.call('PUT', '/api/forms/review', FORM);
    expect([created.statusCode, created.json()]).toEqual([
      201,
      { formKey: 'review', version: 1, created: true, definitions: [] },
    ]);
    const again = await owner.call('PUT', '/api/forms/review', FORM);
    expect([again.statusCode, again.json()]).toMatchObject([200, { version: 1, created: false }]);
    const replaced = await owner.call('PUT', '/api/forms/review', { ...FORM, components: [] });
    expect([replaced.statusCode, replaced.json()]).toMatchObject([201, { version: 2, created: true }]);
    const read = await (await t.as('agent1')).call('GET', '/api/forms/review');
    expect([read.statusCode, read.json()]).toEqual([200, { ...FORM, components: [] }]);
  });

  it('answers 404 with a problem for a form key never deployed', async () => {
    const res = await t.call('GET', '/api/forms/missing-form');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({
      code: 'NOT_FOUND',
      detail: expect.stringContaining("form 'missing-form' does not exist"),
    });
  });

  it('refuses form keys that could name another file, and bodies that are not form schemas', async () => {
    for (const key of ['..%2Fsecrets', '-x', '_x', 'a.b', 'a%00b']) {
      expect((await t.call('GET', `/api/forms/${key}`)).statusCode).toBe(400);
    }
    // Camunda Modeler's form ids (Form_0x1y2z3) are form keys too (issue #13)
    expect((await t.call('GET', '/api/forms/Form_0x1y2z3')).statusCode).toBe(404);
    const noComponents = await t.call('PUT', '/api/forms/review', { type: 'default' });
    expect([noComponents.statusCode, noComponents.json().code]).toEqual([400, 'VALIDATION_FAILED']);
    expect((await t.call('PUT', '/api/forms/review', { components: 'none' })).statusCode).toBe(400);
  });
});
