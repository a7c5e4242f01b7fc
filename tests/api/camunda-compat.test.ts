import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.js';
import { MULTIPART_TYPE, multipartBody } from '../helpers/multipart.js';
import { chargeProcess, invalidProcess, replyProcess, reviewProcess } from './models.js';

describe('api/camunda-compat', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp();
  });
  afterEach(async () => {
    await t.close();
  });

  const deployMultipart = (files: Record<string, string>) =>
    t.app.inject({
      method: 'POST',
      url: '/engine-rest/deployment/create',
      headers: { ...t.headers(), 'content-type': MULTIPART_TYPE },
      payload: multipartBody(
        {
          'deployment-name': 'complaints',
          'deployment-source': 'Camunda Modeler',
          'enable-duplicate-filtering': 'true',
        },
        files,
      ),
    });

  it('answers the Modeler connection check and version request', async () => {
    expect((await t.call('GET', '/engine-rest/deployment?maxResults=0')).json()).toEqual([]);
    expect((await t.call('GET', '/engine-rest/version')).json()).toEqual({ version: expect.stringMatching(/^7\./) });
  });

  it('deploys the .bpmn files of a multipart upload and keeps its .form attachments as forms', async () => {
    const res = await deployMultipart({ 'review.bpmn': reviewProcess(), 'review.form': '{"components":[]}' });
    expect(res.statusCode).toBe(200);
    expect((await t.call('GET', '/api/forms/review')).json()).toEqual({ components: [] });
    const body = res.json();
    expect(body).toMatchObject({ id: expect.any(String), name: 'complaints', source: 'Camunda Modeler' });
    expect(body.deployedProcessDefinitions).toEqual({
      'Process_review:1': expect.objectContaining({
        id: 'Process_review:1',
        key: 'Process_review',
        version: 1,
        name: 'Review',
        resource: 'review.bpmn',
        deploymentId: body.id,
      }),
    });
  });

  it('refuses an invalid diagram with a ParseException Camunda Modeler recognises', async () => {
    const res = await deployMultipart({ 'broken.bpmn': invalidProcess(), 'review.bpmn': reviewProcess() });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.type).toBe('ParseException');
    expect(body.message).toMatch(/^ENGINE-09005 Could not parse BPMN process\./);
    expect(body.details['broken.bpmn'].errors).toContainEqual(
      expect.objectContaining({ mainElementId: 'Gateway_route' }),
    );
    expect((await t.call('GET', '/api/definitions')).json().total).toBe(0);
  });

  it('refuses a multipart body without its boundary', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/engine-rest/deployment/create',
      headers: { ...t.headers(), 'content-type': 'multipart/form-data; boundary=nope' },
      payload: 'garbage',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ type: 'InvalidRequestException', message: expect.stringMatching(/multipart/) });
  });

  it('starts a process by key with typed variables', async () => {
    await t.deploy(reviewProcess());
    const res = await t.call('POST', '/engine-rest/process-definition/key/Process_review/start', {
      businessKey: 'CASE-7',
      variables: {
        amount: { value: 120, type: 'Integer' },
        vip: { value: true, type: 'Boolean' },
        customer: { value: '{"name":"Ada"}', type: 'Json' },
      },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      id: expect.any(String),
      definitionId: 'Process_review:1',
      businessKey: 'CASE-7',
      ended: false,
      suspended: false,
    });
    expect((await t.call('GET', `/api/instances/${body.id}`)).json().variables).toEqual({
      amount: 120,
      vip: true,
      customer: { name: 'Ada' },
    });
  });

  it("answers an unknown key in Camunda's error shape with 404", async () => {
    const res = await t.call('POST', '/engine-rest/process-definition/key/Nope/start', {});
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ type: 'InvalidRequestException', message: expect.stringContaining('Nope') });
  });

  it('refuses a variable of an unsupported type', async () => {
    await t.deploy(reviewProcess());
    const res = await t.call('POST', '/engine-rest/process-definition/key/Process_review/start', {
      variables: { doc: { value: 'AAA=', type: 'Bytes' } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/doc: variable type 'Bytes' is not supported/);
  });

  it('queries, claims and completes tasks', async () => {
    await t.deploy(reviewProcess());
    const { id: instanceId } = (
      await t.call('POST', '/engine-rest/process-definition/key/Process_review/start', {})
    ).json();
    const tasks = (
      await t.call('GET', `/engine-rest/task?candidateGroup=complaints&processInstanceId=${instanceId}`)
    ).json();
    expect(tasks).toEqual([
      expect.objectContaining({
        name: 'Task_review',
        taskDefinitionKey: 'Task_review',
        processInstanceId: instanceId,
        assignee: null,
        created: '2026-11-23T09:00:00.000+0000',
      }),
    ]);
    expect((await t.call('POST', `/engine-rest/task/${tasks[0].id}/claim`, { userId: 'ann' })).statusCode).toBe(204);
    expect((await t.call('GET', '/engine-rest/task?assignee=ann')).json()).toHaveLength(1);
    const done = await t.call('POST', `/engine-rest/task/${tasks[0].id}/complete`, {
      variables: { approved: { value: 'true', type: 'Boolean' } },
    });
    expect(done.statusCode).toBe(204);
    expect((await t.call('GET', `/api/instances/${instanceId}`)).json()).toMatchObject({
      activeElements: ['Task_approve'],
      variables: { approved: true },
    });
  });

  it('refuses a task filter it does not implement instead of ignoring it', async () => {
    const res = await t.call('GET', '/engine-rest/task?tenantIdIn=acme');
    expect(res.statusCode).toBe(400);
    expect(res.json().type).toBe('InvalidRequestException');
  });

  it('serves external task workers: fetchAndLock, complete', async () => {
    await t.deploy(chargeProcess());
    const { id: instanceId } = (
      await t.call('POST', '/api/instances', {
        definitionKey: 'Process_charge',
        variables: { amount: 4.5, order: { id: 7 } },
      })
    ).json();
    const fetched = await t.call('POST', '/engine-rest/external-task/fetchAndLock', {
      workerId: 'camunda-worker',
      maxTasks: 5,
      usePriority: true,
      asyncResponseTimeout: 10_000,
      topics: [{ topicName: 'charge-card', lockDuration: 30_000 }],
    });
    expect(fetched.statusCode).toBe(200);
    const [task] = fetched.json();
    expect(task).toMatchObject({
      topicName: 'charge-card',
      workerId: 'camunda-worker',
      processInstanceId: instanceId,
      activityId: 'Task_charge',
      retries: 3,
      lockExpirationTime: '2026-11-23T09:00:30.000+0000',
      variables: {
        amount: { value: 4.5, type: 'Double', valueInfo: {} },
        order: { value: '{"id":7}', type: 'Json', valueInfo: {} },
      },
    });
    const done = await t.call('POST', `/engine-rest/external-task/${task.id}/complete`, {
      workerId: 'camunda-worker',
      variables: { receipt: { value: 'R-9', type: 'String' } },
    });
    expect(done.statusCode).toBe(204);
    expect((await t.call('GET', `/api/instances/${instanceId}`)).json()).toMatchObject({
      status: 'completed',
      variables: { receipt: 'R-9' },
    });
  });

  it('turns an external task failure at zero retries into an incident, and a bpmnError into the boundary path', async () => {
    await t.deploy(chargeProcess());
    const first = (await t.call('POST', '/api/instances', { definitionKey: 'Process_charge' })).json().id;
    const second = (await t.call('POST', '/api/instances', { definitionKey: 'Process_charge' })).json().id;
    const tasks = (
      await t.call('POST', '/engine-rest/external-task/fetchAndLock', {
        workerId: 'w',
        maxTasks: 2,
        topics: [{ topicName: 'charge-card', lockDuration: 1000 }],
      })
    ).json();
    const byInstance = Object.fromEntries(
      tasks.map((x: { processInstanceId: string; id: string }) => [x.processInstanceId, x.id]),
    );
    const failed = await t.call('POST', `/engine-rest/external-task/${byInstance[first]}/failure`, {
      workerId: 'w',
      errorMessage: 'down',
      errorDetails: 'stack',
      retries: 0,
      retryTimeout: 0,
    });
    expect(failed.statusCode).toBe(204);
    expect((await t.call('GET', `/api/instances/${first}`)).json().status).toBe('incident');
    const thrown = await t.call('POST', `/engine-rest/external-task/${byInstance[second]}/bpmnError`, {
      workerId: 'w',
      errorCode: 'CARD_DECLINED',
      errorMessage: 'declined',
    });
    expect(thrown.statusCode).toBe(204);
    const history = (await t.call('GET', `/api/instances/${second}/history`)).json().items;
    expect(history).toContainEqual(expect.objectContaining({ elementId: 'End_declined' }));
  });

  it('correlates a message by correlationKeys, matched against process variables', async () => {
    await t.deploy(replyProcess());
    const { id } = (
      await t.call('POST', '/api/instances', { definitionKey: 'Process_reply', variables: { caseId: 'C-3' } })
    ).json();
    const res = await t.call('POST', '/engine-rest/message', {
      messageName: 'customer.replied',
      correlationKeys: { caseId: { value: 'C-3', type: 'String' } },
      processVariables: { answer: { value: 'ok', type: 'String' } },
    });
    expect(res.statusCode).toBe(204);
    expect((await t.call('GET', `/api/instances/${id}`)).json()).toMatchObject({
      status: 'completed',
      variables: { answer: 'ok' },
    });
  });

  it('answers an uncorrelated message as Camunda does (400 RestException)', async () => {
    const res = await t.call('POST', '/engine-rest/message', { messageName: 'nobody.waits', businessKey: 'X' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ type: 'RestException', message: expect.stringContaining('nobody.waits') });
  });

  it('reads process definitions, their XML, and an instance with its typed variables', async () => {
    await t.deploy(reviewProcess());
    await t.deploy(reviewProcess('Review v2'));
    const all = (await t.call('GET', '/engine-rest/process-definition?key=Process_review')).json();
    expect(all.map((d: { id: string }) => d.id).sort()).toEqual(['Process_review:1', 'Process_review:2']);
    expect((await t.call('GET', '/engine-rest/process-definition?latestVersion=true')).json()).toEqual([
      expect.objectContaining({ id: 'Process_review:2', version: 2, name: 'Review v2' }),
    ]);
    expect((await t.call('GET', '/engine-rest/process-definition/key/Process_review')).json()).toMatchObject({
      id: 'Process_review:2',
      key: 'Process_review',
    });
    expect((await t.call('GET', '/engine-rest/process-definition/key/Process_review/xml')).json()).toMatchObject({
      id: 'Process_review:2',
      bpmn20Xml: expect.stringContaining('Review v2'),
    });
    expect((await t.call('GET', '/engine-rest/process-definition/Process_review:1/xml')).json().bpmn20Xml).toContain(
      'name="Review"',
    );
    expect((await t.call('GET', '/engine-rest/process-definition/key/Nope')).statusCode).toBe(404);

    const { id } = (
      await t.call('POST', '/engine-rest/process-definition/key/Process_review/start', {
        businessKey: 'B-1',
        variables: { n: { value: 3, type: 'Integer' } },
      })
    ).json();
    expect((await t.call('GET', `/engine-rest/process-instance/${id}`)).json()).toMatchObject({
      id,
      definitionId: 'Process_review:2',
      businessKey: 'B-1',
      ended: false,
    });
    expect((await t.call('GET', `/engine-rest/process-instance/${id}/variables`)).json()).toEqual({
      n: { value: 3, type: 'Integer', valueInfo: {} },
    });
  });

  it("answers a route outside the subset in Camunda's error shape", async () => {
    const res = await t.call('GET', '/engine-rest/case-instance');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ type: 'InvalidRequestException', message: expect.stringContaining('subset') });
  });
});
