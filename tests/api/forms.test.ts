/** /api/forms: task forms by form key, saved by process owners and read by everyone signed in. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.js';

const FORM = {
  type: 'default',
  id: 'review',
  components: [{ type: 'textfield', key: 'note', label: 'Note', validate: { required: true } }],
};

describe('api/forms', () => {
  let t: TestApp;
  let formsDir: string;

  beforeEach(async () => {
    formsDir = mkdtempSync(join(tmpdir(), 'svcflow-forms-'));
    t = await testApp({ formsDir });
  });

  afterEach(async () => {
    await t.close();
    rmSync(formsDir, { recursive: true, force: true });
  });

  it('saves a form as <formKey>.form and serves it back to staff', async () => {
    const owner = await t.as({ username: 'owner1', roles: ['owner'] });
    const created = await owner.call('PUT', '/api/forms/review', FORM);
    expect([created.statusCode, created.json()]).toEqual([201, { formKey: 'review', created: true }]);
    expect(JSON.parse(readFileSync(join(formsDir, 'review.form'), 'utf8'))).toEqual(FORM);
    const replaced = await owner.call('PUT', '/api/forms/review', { ...FORM, components: [] });
    expect([replaced.statusCode, replaced.json().created]).toEqual([200, false]);
    const read = await (await t.as('agent1')).call('GET', '/api/forms/review');
    expect([read.statusCode, read.json()]).toEqual([200, { ...FORM, components: [] }]);
  });

  it('answers 404 with a problem for a form key without a file', async () => {
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
