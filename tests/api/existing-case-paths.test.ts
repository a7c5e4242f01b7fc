/**
 * Issue 14, "Opening a case": a field marked `svc.existingCase` (the risk process's `duplicateOf`) must name an
 * existing case of the named process, and not the case itself — refused alike on every completion path
 * (/api, /engine-rest, /v2), accepted for a real case.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.js';
import * as b from '../helpers/bpmn-builder.js';

const FORM = {
  id: 'assess',
  components: [
    {
      type: 'textfield',
      key: 'duplicateOf',
      label: 'Duplicate of',
      properties: { 'svc.existingCase': 'Process_risk' },
    },
  ],
};

describe('api: svc.existingCase on every completion path', () => {
  let t: TestApp;
  let formsDir: string;
  beforeEach(async () => {
    formsDir = mkdtempSync(join(tmpdir(), 'svcflow-existing-case-'));
    writeFileSync(join(formsDir, 'assess.form'), JSON.stringify(FORM));
    t = await testApp({ formsDir });
    await t.deploy(
      b.definitions('Process_risk', [
        b.start('Start_1'),
        b.userTask('Task_assess', { formKey: 'assess' }),
        b.end('End_1'),
        ...b.chain('Start_1', 'Task_assess', 'End_1'),
      ]),
    );
  });
  afterEach(async () => {
    await t.close();
    rmSync(formsDir, { recursive: true, force: true });
  });

  async function openTask(businessKey: string): Promise<{ id: string; instanceId: string }> {
    const started = (await t.call('POST', '/api/instances', { definitionKey: 'Process_risk', businessKey })).json();
    const tasks = (await t.call('GET', `/api/tasks?instanceId=${started.id}`)).json().items;
    return tasks[0];
  }

  const paths = {
    api: (id: string, duplicateOf: string) =>
      t.call('POST', `/api/tasks/${id}/complete`, { variables: { duplicateOf } }),
    engineRest: (id: string, duplicateOf: string) =>
      t.call('POST', `/engine-rest/task/${id}/complete`, { variables: { duplicateOf: { value: duplicateOf } } }),
    v2: async (id: string, duplicateOf: string) =>
      t.call('POST', `/v2/user-tasks/${await t.store.externalKeys.keyOf('task', id)}/completion`, {
        variables: { duplicateOf },
      }),
  };

  for (const [name, complete] of Object.entries(paths)) {
    it(`refuses an unknown case and the case itself through ${name}, and accepts a real one`, async () => {
      await openTask('RSK-1');
      const task = await openTask('RSK-2');
      for (const wrong of ['RSK-404', 'RSK-2']) {
        const refused = await complete(task.id, wrong);
        expect(refused.statusCode, `${name} ${wrong}`).toBe(400);
        expect(refused.body).toContain('duplicateOf');
        expect((await t.call('GET', `/api/instances/${task.instanceId}`)).json().status).toBe('active');
      }
      expect((await complete(task.id, 'RSK-1')).statusCode).toBeLessThan(300);
      expect((await t.call('GET', `/api/instances/${task.instanceId}`)).json().status).toBe('completed');
    });
  }
});
