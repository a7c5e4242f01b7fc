/**
 * Forms are stored in the database, versioned with the deployment that uses them (issue 14, "Forms"): a running
 * case keeps the form its process version was deployed with after a later deployment changes the form.
 */
import { mkdtemp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deployProcesses } from '../../engine/api/server.js';
import { testApp, type TestApp } from '../helpers/app.js';
import * as b from '../helpers/bpmn-builder.js';
import { MULTIPART_TYPE, multipartBody } from '../helpers/multipart.js';

const PROCESS = b.definitions('Process_fv', [
  b.start('Start_1'),
  b.userTask('Task_review', { groups: 'complaints', formKey: 'review' }),
  b.end('End_1'),
  ...b.chain('Start_1', 'Task_review', 'End_1'),
]);

const decision = (values: string[]) => ({
  type: 'select',
  key: 'decision',
  label: 'Decision',
  validate: { required: true },
  values: values.map((value) => ({ value, label: value })),
});
/** Form A: approve or reject. */
const FORM_A = { id: 'review', type: 'default', components: [decision(['approve', 'reject'])] };
/** Form A': a third choice, and a required note. */
const FORM_A2 = {
  id: 'review',
  type: 'default',
  components: [
    decision(['approve', 'reject', 'escalate']),
    { type: 'textfield', key: 'note', label: 'Note', validate: { required: true } },
  ],
};

describe('api/form versions', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp();
  });
  afterEach(async () => {
    await t.close();
  });

  const multipart = (url: string, files: Record<string, string>, fields: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url,
      headers: { ...t.headers(), 'content-type': MULTIPART_TYPE },
      payload: multipartBody(fields, files),
    });
  const deployApi = (form: object) =>
    multipart('/api/definitions', { 'fv.bpmn': PROCESS, 'review.form': JSON.stringify(form) });
  const startCase = async () => {
    const instance = (await t.call('POST', '/api/instances', { definitionKey: 'Process_fv' })).json();
    return (await t.call('GET', `/api/tasks?instanceId=${instance.id}`)).json().items[0] as {
      id: string;
      instanceId: string;
    };
  };
  const complete = (taskId: string, variables: object) =>
    t.call('POST', `/api/tasks/${taskId}/complete`, { variables });

  it('keeps a running case on the form deployed with its version after /api/definitions deploys a changed form', async () => {
    const v1 = await deployApi(FORM_A);
    expect(v1.statusCode).toBe(201);
    expect(v1.json()).toMatchObject({
      definitions: [{ id: 'Process_fv:1', version: 1, created: true }],
      forms: [{ id: 'review:1', key: 'review', version: 1, created: true, resource: 'review.form' }],
    });
    const first = await startCase();
    const v2 = await deployApi(FORM_A2);
    expect(v2.json()).toMatchObject({
      definitions: [{ id: 'Process_fv:2', version: 2, created: true }],
      forms: [{ id: 'review:2', version: 2, created: true }],
    });
    const second = await startCase();

    expect((await t.call('GET', `/api/tasks/${first.id}/form`)).json()).toEqual(FORM_A);
    expect((await t.call('GET', `/api/tasks/${second.id}/form`)).json()).toEqual(FORM_A2);
    expect((await t.call('GET', '/api/forms/review')).json()).toEqual(FORM_A2);

    // the first case validates against A: no 'escalate', no note needed
    const refusedA = await complete(first.id, { decision: 'escalate' });
    expect([refusedA.statusCode, refusedA.json().code]).toEqual([400, 'FORM_INVALID']);
    expect((await complete(first.id, { decision: 'approve' })).statusCode).toBe(200);
    // the second against A'
    const refusedA2 = await complete(second.id, { decision: 'approve' });
    expect(refusedA2.json()).toMatchObject({
      code: 'FORM_INVALID',
      fields: [{ name: 'note', message: 'is required' }],
    });
    expect((await complete(second.id, { decision: 'escalate', note: 'to the manager' })).statusCode).toBe(200);
  });

  it('answers an unchanged deployment with the versions it already has', async () => {
    await deployApi(FORM_A);
    const again = await deployApi(FORM_A);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({
      definitions: [{ id: 'Process_fv:1', created: false }],
      forms: [{ id: 'review:1', created: false }],
    });
  });

  it('refuses a deployment whose form is not a form-js schema, and deploys none of its files', async () => {
    const res = await multipart('/api/definitions', { 'fv.bpmn': PROCESS, 'review.form': '{"type":"default"}' });
    expect(res.statusCode).toBe(400);
    expect(res.json().problems).toEqual([expect.objectContaining({ code: 'FORM_MALFORMED' })]);
    expect((await t.call('GET', '/api/definitions')).json().items).toEqual([]);
    expect((await t.call('GET', '/api/forms/review')).statusCode).toBe(404);
  });

  it('serves and checks the form of each version over /engine-rest after deployment/create with attachments', async () => {
    const deploy = (form: object) =>
      multipart(
        '/engine-rest/deployment/create',
        { 'fv.bpmn': PROCESS, 'review.form': JSON.stringify(form) },
        { 'deployment-name': 'fv' },
      );
    expect((await deploy(FORM_A)).statusCode).toBe(200);
    const first = await startCase();
    expect((await deploy(FORM_A2)).json().deployedProcessDefinitions).toHaveProperty(['Process_fv:2']);
    const second = await startCase();

    expect((await t.call('GET', `/engine-rest/task/${first.id}/deployed-form`)).json()).toEqual(FORM_A);
    expect((await t.call('GET', `/engine-rest/task/${second.id}/deployed-form`)).json()).toEqual(FORM_A2);
    expect((await t.call('GET', `/engine-rest/task/${first.id}/form`)).json()).toEqual({
      key: 'review',
      contextPath: null,
    });
    expect((await t.call('GET', `/engine-rest/task/${second.id}/form-variables`)).statusCode).toBe(200);
    const typed = (variables: Record<string, string>) =>
      Object.fromEntries(Object.entries(variables).map(([k, value]) => [k, { value, type: 'String' }]));
    const camundaComplete = (taskId: string, variables: Record<string, string>) =>
      t.call('POST', `/engine-rest/task/${taskId}/complete`, { variables: typed(variables) });
    expect((await camundaComplete(first.id, { decision: 'escalate' })).statusCode).toBe(400);
    expect((await camundaComplete(first.id, { decision: 'reject' })).statusCode).toBe(204);
    expect((await camundaComplete(second.id, { decision: 'reject' })).statusCode).toBe(400);
    expect((await camundaComplete(second.id, { decision: 'reject', note: 'no' })).statusCode).toBe(204);
  });

  it('deploys forms through /v2/deployments as versions of their key', async () => {
    await deployApi(FORM_A);
    const res = await multipart('/v2/deployments', { 'review.form': JSON.stringify(FORM_A2) });
    expect(res.statusCode).toBe(200);
    expect(res.json().deployments).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ form: expect.objectContaining({ formId: 'review', version: 2 }) }),
      ]),
    );
  });

  it('serves each user task its version of the form over /v2 (Camunda 8 FormResult)', async () => {
    await deployApi(FORM_A);
    const first = await startCase();
    await deployApi(FORM_A2);
    const second = await startCase();
    const formOf = async (taskId: string) => {
      const key = await t.engine.store.externalKeys.keyOf('task', taskId);
      return t.call('GET', `/v2/user-tasks/${key}/form`);
    };
    const [a, a2] = [(await formOf(first.id)).json(), (await formOf(second.id)).json()];
    expect(a).toMatchObject({ formId: 'review', version: 1, tenantId: '<default>' });
    expect(JSON.parse(a.schema)).toEqual(FORM_A);
    expect(a2).toMatchObject({ formId: 'review', version: 2 });
    expect(JSON.parse(a2.schema)).toEqual(FORM_A2);
    const other = await t.as({ username: 'billing1', roles: ['staff'], groups: ['billing'] });
    const key = await t.engine.store.externalKeys.keyOf('task', first.id);
    expect((await other.call('GET', `/v2/user-tasks/${key}/form`)).statusCode).toBe(403);
  });

  it("saves a form alone (the designer's PUT /api/forms) as a new version deployed with the processes naming it", async () => {
    await deployApi(FORM_A);
    const first = await startCase();
    const saved = await t.call('PUT', '/api/forms/review', FORM_A2);
    expect([saved.statusCode, saved.json()]).toEqual([
      201,
      {
        formKey: 'review',
        version: 2,
        created: true,
        definitions: [{ id: 'Process_fv:2', key: 'Process_fv', version: 2 }],
      },
    ]);
    const second = await startCase();
    expect((await t.call('GET', `/api/tasks/${first.id}/form`)).json()).toEqual(FORM_A);
    expect((await t.call('GET', `/api/tasks/${second.id}/form`)).json()).toEqual(FORM_A2);
    expect((await t.call('GET', '/api/definitions/Process_fv:2/xml')).body).toBe(PROCESS);
  });

  const camunda7 = (binding: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Definitions_c7" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="Process_fv" isExecutable="true">
    <bpmn:startEvent id="Start_1"><bpmn:outgoing>Flow_1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="Task_review" camunda:formRef="review" camunda:formRefBinding="${binding}" camunda:candidateGroups="complaints">
      <bpmn:incoming>Flow_1</bpmn:incoming><bpmn:outgoing>Flow_2</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:endEvent id="End_1"><bpmn:incoming>Flow_2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="Flow_1" sourceRef="Start_1" targetRef="Task_review" />
    <bpmn:sequenceFlow id="Flow_2" sourceRef="Task_review" targetRef="End_1" />
  </bpmn:process>
</bpmn:definitions>`;

  it("honours camunda:formRefBinding: 'deployment' keeps the case's version, 'latest' shows the newest", async () => {
    const deployC7 = (binding: string, form: object) =>
      multipart('/engine-rest/deployment/create', {
        'fv.bpmn': camunda7(binding),
        'review.form': JSON.stringify(form),
      });
    await deployC7('deployment', FORM_A);
    const onDeployment = await startCase();
    await deployC7('deployment', FORM_A2);
    expect((await t.call('GET', `/api/tasks/${onDeployment.id}/form`)).json()).toEqual(FORM_A);

    await deployC7('latest', FORM_A);
    const onLatest = await startCase();
    expect((await t.call('GET', `/api/tasks/${onLatest.id}/form`)).json()).toEqual(FORM_A);
    await deployC7('latest', FORM_A2);
    expect((await t.call('GET', `/api/tasks/${onLatest.id}/form`)).json()).toEqual(FORM_A2);
    const refused = await complete(onLatest.id, { decision: 'approve' });
    expect(refused.json()).toMatchObject({ code: 'FORM_INVALID', fields: [{ name: 'note' }] });
  });

  it('finds camunda-forms:deployment:<file>.form in its deployment by file name, whatever the form id', async () => {
    const xml = camunda7('deployment').replace(
      'camunda:formRef="review" camunda:formRefBinding="deployment"',
      'camunda:formKey="camunda-forms:deployment:review.form"',
    );
    const form = { ...FORM_A, id: 'Form_0x1y2z3' };
    const res = await multipart('/engine-rest/deployment/create', {
      'fv.bpmn': xml,
      'review.form': JSON.stringify(form),
    });
    expect(res.statusCode).toBe(200);
    const task = await startCase();
    expect((await t.call('GET', `/api/tasks/${task.id}/form`)).json()).toEqual(form);
    expect((await complete(task.id, { decision: 'escalate' })).json().code).toBe('FORM_INVALID');
  });

  it('refuses a form link svcflow cannot show (an embedded or app form) at deploy, naming the task', async () => {
    const xml = camunda7('deployment').replace(
      'camunda:formRef="review" camunda:formRefBinding="deployment"',
      'camunda:formKey="embedded:app:forms/review.html"',
    );
    const res = await multipart('/api/definitions', { 'fv.bpmn': xml });
    expect(res.statusCode).toBe(400);
    expect(res.json().problems).toEqual([
      expect.objectContaining({ code: 'UNSUPPORTED_ELEMENT', elementId: 'Task_review' }),
    ]);
  });

  it("refuses camunda:formRefBinding 'version' at deploy, naming the task", async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/definitions',
      headers: { ...t.headers(), 'content-type': 'application/xml' },
      payload: camunda7('version'),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().problems).toEqual([
      expect.objectContaining({ code: 'UNSUPPORTED_ELEMENT', elementId: 'Task_review' }),
    ]);
  });

  it('deploys processes/ at start with the forms beside it, and a changed form file as a new version', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'svcflow-fv-'));
    try {
      await mkdir(join(dir, 'forms'));
      await writeFile(join(dir, 'fv.bpmn'), PROCESS);
      await writeFile(join(dir, 'forms', 'review.form'), JSON.stringify(FORM_A));
      const log = { info: () => undefined, warn: () => undefined };
      await deployProcesses(t.engine, dir, log);
      const first = await startCase();
      await deployProcesses(t.engine, dir, log);
      expect((await t.call('GET', '/api/definitions?key=Process_fv')).json().items).toHaveLength(1);
      await writeFile(join(dir, 'forms', 'review.form'), JSON.stringify(FORM_A2));
      await deployProcesses(t.engine, dir, log);
      const second = await startCase();
      expect((await t.call('GET', `/api/tasks/${first.id}/form`)).json()).toEqual(FORM_A);
      expect((await t.call('GET', `/api/tasks/${second.id}/form`)).json()).toEqual(FORM_A2);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('forms are no files at run time', () => {
  it('has no engine code that writes files (forms live in the database; processes/ is only read at start)', async () => {
    const root = join(import.meta.dirname, '..', '..', 'engine');
    const writers = /\b(writeFile|writeFileSync|appendFile|appendFileSync|createWriteStream|rename|renameSync)\s*\(/;
    const offending: string[] = [];
    for (const file of await readdir(root, { recursive: true })) {
      if (!file.endsWith('.ts')) continue;
      const text = await readFile(join(root, file), 'utf8');
      if (writers.test(text)) offending.push(file);
    }
    expect(offending).toEqual([]);
  });
});
