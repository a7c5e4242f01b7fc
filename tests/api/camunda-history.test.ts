/**
 * Issue #13: the Camunda 7 read and operations endpoints Cockpit and integrations use: history (process
 * instance, activity instance, task, variable instance), incidents, process-definition statistics (the
 * requests Cockpit's dashboard sends), runtime instance queries, and deployments listed and deleted with
 * Camunda's cascade rule. What svcflow cannot do answers a problem, never 404.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.js';

/** As Camunda Modeler (Camunda 7) writes it: a user task, then an external task. */
const CLAIM = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Definitions_1" targetNamespace="http://bpmn.io/schema/bpmn" exporter="Camunda Modeler" exporterVersion="5.31.0">
  <bpmn:process id="Process_claim" name="Claim" isExecutable="true" camunda:historyTimeToLive="180">
    <bpmn:startEvent id="Start_claim"><bpmn:outgoing>Flow_1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="Task_assess" name="Assess" camunda:candidateGroups="complaints"><bpmn:incoming>Flow_1</bpmn:incoming><bpmn:outgoing>Flow_2</bpmn:outgoing></bpmn:userTask>
    <bpmn:serviceTask id="Task_pay" name="Pay" camunda:type="external" camunda:topic="pay"><bpmn:incoming>Flow_2</bpmn:incoming><bpmn:outgoing>Flow_3</bpmn:outgoing></bpmn:serviceTask>
    <bpmn:endEvent id="End_paid"><bpmn:incoming>Flow_3</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="Flow_1" sourceRef="Start_claim" targetRef="Task_assess" />
    <bpmn:sequenceFlow id="Flow_2" sourceRef="Task_assess" targetRef="Task_pay" />
    <bpmn:sequenceFlow id="Flow_3" sourceRef="Task_pay" targetRef="End_paid" />
  </bpmn:process>
</bpmn:definitions>`;

const BOUNDARY = '----svcflowHistoryBoundary';

describe('api/camunda history, incidents, statistics and deployments', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp();
  });
  afterEach(async () => {
    await t.close();
  });

  const get = async (url: string) => {
    const res = await t.call('GET', `/engine-rest${url}`);
    expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
    return res.json();
  };
  const deploy = async (xml = CLAIM, name = 'claims') => {
    const payload = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="deployment-name"\r\n\r\n${name}\r\n--${BOUNDARY}\r\nContent-Disposition: form-data; name="claim.bpmn"; filename="claim.bpmn"\r\nContent-Type: text/xml\r\n\r\n${xml}\r\n--${BOUNDARY}--\r\n`;
    const res = await t.app.inject({
      method: 'POST',
      url: '/engine-rest/deployment/create',
      headers: { ...t.headers(), 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
      payload,
    });
    expect(res.statusCode).toBe(200);
    return res.json() as { id: string; deployedProcessDefinitions: Record<string, { id: string }> };
  };
  const start = async (businessKey: string) =>
    (
      await t.call('POST', '/engine-rest/process-definition/key/Process_claim/start', {
        businessKey,
        variables: { amount: { value: 120, type: 'Integer' } },
      })
    ).json().id as string;
  const completeTask = async (instanceId: string) => {
    const [task] = await get(`/task?processInstanceId=${instanceId}`);
    expect(
      (
        await t.call('POST', `/engine-rest/task/${task.id}/complete`, {
          variables: { approved: { value: true, type: 'Boolean' } },
        })
      ).statusCode,
    ).toBe(204);
  };
  const failPayment = async () => {
    await t.as({ username: 'payer', roles: ['worker'] });
    const worker = await t.as('payer');
    const [task] = (
      await worker.call('POST', '/engine-rest/external-task/fetchAndLock', {
        workerId: 'w1',
        maxTasks: 1,
        topics: [{ topicName: 'pay', lockDuration: 10_000 }],
      })
    ).json();
    expect(
      (
        await worker.call('POST', `/engine-rest/external-task/${task.id}/failure`, {
          workerId: 'w1',
          errorMessage: 'bank down',
          retries: 0,
          retryTimeout: 0,
        })
      ).statusCode,
    ).toBe(204);
    return task.id as string;
  };

  it("lists historic process instances, running and ended, with Camunda's states", async () => {
    await deploy();
    const done = await start('C-1');
    await completeTask(done);
    const running = await start('C-2');
    await t.call('POST', `/api/instances/${done}/cancel`);

    expect(await get(`/history/process-instance/${running}`)).toMatchObject({
      id: running,
      businessKey: 'C-2',
      processDefinitionKey: 'Process_claim',
      processDefinitionId: 'Process_claim:1',
      processDefinitionName: 'Claim',
      processDefinitionVersion: 1,
      startTime: '2026-11-23T09:00:00.000+0000',
      endTime: null,
      state: 'ACTIVE',
      startActivityId: 'Start_claim',
      startUserId: 'admin',
    });
    expect((await get('/history/process-instance?unfinished=true')).map((p: { id: string }) => p.id)).toEqual([
      running,
    ]);
    expect(await get('/history/process-instance?finished=true')).toEqual([
      expect.objectContaining({ id: done, state: 'EXTERNALLY_TERMINATED', durationInMillis: 0 }),
    ]);
    expect(await get('/history/process-instance/count?processInstanceBusinessKey=C-2')).toEqual({ count: 1 });
    const unknown = await t.call('GET', '/engine-rest/history/process-instance?sortBy=startTime');
    expect(unknown.statusCode).toBe(400);
  });

  it('pairs activity instances from the history, with the task that ran there, and needs a process instance', async () => {
    await deploy();
    const id = await start('C-1');
    await completeTask(id);
    const activities = await get(`/history/activity-instance?processInstanceId=${id}`);
    expect(
      activities.map((a: { activityId: string; endTime: string | null }) => [a.activityId, a.endTime !== null]),
    ).toEqual([
      ['Start_claim', true],
      ['Task_assess', true],
      ['Task_pay', false],
    ]);
    const [task] = await get(`/history/task?processInstanceId=${id}&finished=true`);
    expect(activities[1]).toMatchObject({
      activityType: 'userTask',
      taskId: task.id,
      processInstanceId: id,
      canceled: false,
    });
    expect(await get(`/history/activity-instance/count?processInstanceId=${id}&unfinished=true`)).toEqual({ count: 1 });

    const withoutInstance = await t.call('GET', '/engine-rest/history/activity-instance?activityId=Task_pay');
    expect(withoutInstance.statusCode).toBe(400);
    expect(withoutInstance.json()).toEqual({
      type: 'InvalidRequestException',
      message: expect.stringContaining('give processInstanceId'),
    });
  });

  it('lists historic tasks open and finished, and variables as typed values', async () => {
    await deploy();
    const id = await start('C-1');
    expect(await get(`/history/task?processInstanceId=${id}&unfinished=true`)).toEqual([
      expect.objectContaining({ taskDefinitionKey: 'Task_assess', endTime: null, taskState: 'Created' }),
    ]);
    await completeTask(id);
    expect(await get(`/history/task?processInstanceId=${id}&finished=true`)).toEqual([
      expect.objectContaining({ name: 'Assess', deleteReason: 'completed', taskState: 'Completed', duration: 0 }),
    ]);
    expect(await get(`/history/task/count?processInstanceId=${id}`)).toEqual({ count: 1 });
    expect((await t.call('GET', '/engine-rest/history/task?finished=true')).statusCode).toBe(400);

    const variables = await get(`/history/variable-instance?processInstanceId=${id}`);
    expect(variables).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: 'amount',
          type: 'Integer',
          value: 120,
          processInstanceId: id,
          state: 'CREATED',
        }),
        expect.objectContaining({ name: 'approved', type: 'Boolean', value: true }),
      ]),
    );
    expect(await get(`/variable-instance?processInstanceIdIn=${id}&variableName=amount`)).toEqual([
      expect.objectContaining({ name: 'amount', value: 120, type: 'Integer' }),
    ]);
    expect((await t.call('GET', '/engine-rest/variable-instance')).statusCode).toBe(400);
  });

  it('lists incidents, refuses DELETE with the retries advice, and resolves through retries', async () => {
    await deploy();
    const id = await start('C-1');
    await completeTask(id);
    const taskId = await failPayment();

    const incidents = await get('/incident?processInstanceId=' + id);
    expect(incidents).toEqual([
      expect.objectContaining({
        processInstanceId: id,
        incidentType: 'failedExternalTask',
        activityId: 'Task_pay',
        configuration: taskId,
        incidentMessage: expect.stringContaining('bank down'),
        processDefinitionId: 'Process_claim:1',
      }),
    ]);
    expect(await get(`/incident/${incidents[0].id}`)).toMatchObject({ id: incidents[0].id });
    expect(await get('/incident/count?incidentType=failedExternalTask')).toEqual({ count: 1 });

    const deleted = await t.call('DELETE', `/engine-rest/incident/${incidents[0].id}`);
    expect(deleted.statusCode).toBe(400);
    expect(deleted.json().message).toContain(`PUT /engine-rest/external-task/${taskId}/retries`);

    expect((await t.call('PUT', `/engine-rest/external-task/${taskId}/retries`, { retries: 1 })).statusCode).toBe(204);
    expect(await get('/incident/count')).toEqual({ count: 0 });
  });

  it("answers Cockpit's dashboard statistics and the per-activity statistics", async () => {
    await deploy();
    const first = await start('C-1');
    await start('C-2');
    await completeTask(first);
    await failPayment();

    // as Cockpit's dashboard asks (processDefinitionStatisticsData.js)
    expect(await get('/process-definition/statistics?rootIncidents=true')).toEqual([
      {
        id: 'Process_claim:1',
        instances: 2,
        failedJobs: 0,
        incidents: [{ incidentType: 'failedExternalTask', incidentCount: 1 }],
        '@class': 'org.camunda.bpm.engine.rest.dto.repository.ProcessDefinitionStatisticsResultDto',
        definition: expect.objectContaining({ id: 'Process_claim:1', key: 'Process_claim', version: 1 }),
      },
    ]);
    expect((await get('/process-definition/statistics?incidents=true'))[0].incidents).toEqual([
      { incidentType: 'failedExternalTask', incidentCount: 1 },
    ]);
    expect((await get('/process-definition/statistics'))[0]).toMatchObject({ instances: 2, incidents: [] });

    const activities = await get('/process-definition/Process_claim:1/statistics?failedJobs=true&incidents=true');
    expect(activities.sort((a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id))).toEqual([
      expect.objectContaining({ id: 'Task_assess', instances: 1, failedJobs: 0, incidents: [] }),
      expect.objectContaining({
        id: 'Task_pay',
        instances: 1,
        failedJobs: 1,
        incidents: [{ incidentType: 'failedExternalTask', incidentCount: 1 }],
      }),
    ]);
    expect(await get('/process-definition/key/Process_claim/statistics')).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: 'Task_pay', instances: 1, failedJobs: 0, incidents: [] })]),
    );

    const supervisor = await t.as({ username: 'ann', roles: ['supervisor'], groups: ['complaints'] });
    expect((await supervisor.call('GET', '/engine-rest/process-definition/statistics')).statusCode).toBe(403);
  });

  it('queries running instances, deletes one as a cancellation, sets variables from outside and refuses suspension', async () => {
    await deploy();
    const a = await start('C-1');
    const b = await start('C-2');
    expect((await get('/process-instance?businessKey=C-2')).map((p: { id: string }) => p.id)).toEqual([b]);
    expect(
      (await t.call('POST', '/engine-rest/process-instance?maxResults=10', { processInstanceIds: [a, b] })).json(),
    ).toHaveLength(2);
    expect(await get('/process-instance/count?processDefinitionKey=Process_claim')).toEqual({ count: 2 });

    expect((await t.call('DELETE', `/engine-rest/process-instance/${a}`)).statusCode).toBe(204);
    // Camunda's failIfNotExists: a missing instance is 404 by default, nothing to do when false
    expect((await t.call('DELETE', '/engine-rest/process-instance/nope')).statusCode).toBe(404);
    expect((await t.call('DELETE', '/engine-rest/process-instance/nope?failIfNotExists=false')).statusCode).toBe(204);
    expect((await t.call('GET', `/api/instances/${a}`)).json().status).toBe('terminated');
    expect(await get('/process-instance/count')).toEqual({ count: 1 });

    // suspension round trip (the rules while suspended: instance-suspension.test.ts)
    expect((await t.call('PUT', `/engine-rest/process-instance/${b}/suspended`, { suspended: true })).statusCode).toBe(
      204,
    );
    expect((await get(`/process-instance/${b}`)).suspended).toBe(true);
    expect((await t.call('PUT', `/engine-rest/process-instance/${b}/suspended`, { suspended: false })).statusCode).toBe(
      204,
    );

    // variables from outside: set one, modify and delete in one step, delete one; each a step in the history
    const vars = async () => (await t.call('GET', `/api/instances/${b}`)).json().variables;
    const put = await t.call('PUT', `/engine-rest/process-instance/${b}/variables/amount`, {
      value: 120.5,
      type: 'Double',
    });
    expect(put.statusCode).toBe(204);
    expect(await vars()).toMatchObject({ amount: 120.5 });
    const modified = await t.call('POST', `/engine-rest/process-instance/${b}/variables`, {
      modifications: { note: { value: 'checked', type: 'String' } },
      deletions: ['amount'],
    });
    expect(modified.statusCode).toBe(204);
    expect(await vars()).toMatchObject({ note: 'checked' });
    expect(await vars()).not.toHaveProperty('amount');
    expect((await t.call('DELETE', `/engine-rest/process-instance/${b}/variables/note`)).statusCode).toBe(204);
    expect(await vars()).not.toHaveProperty('note');
    const history = (await t.call('GET', `/api/instances/${b}/history`)).json().items;
    expect(history.filter((h: { event: string }) => h.event === 'variables.set')).toHaveLength(3);
    // an ended instance changes no more
    expect((await t.call('PUT', `/engine-rest/process-instance/${a}/variables/x`, { value: 1 })).statusCode).toBe(409);
  });

  it('lists deployments and deletes one: refused while instances run, cancelled with cascade, previous version latest again', async () => {
    const v1 = await deploy(CLAIM, 'claims v1');
    const v2 = await deploy(CLAIM.replace('name="Assess"', 'name="Assess claim"'), 'claims v2');
    const again = await deploy(CLAIM.replace('name="Assess"', 'name="Assess claim"'), 'unchanged');
    expect(again.id).toBe(v2.id);
    expect((await get('/deployment')).map((d: { id: string; name: string }) => d.name)).toEqual([
      'claims v2',
      'claims v1',
    ]);
    expect(await get(`/deployment/${v1.id}`)).toEqual({
      links: [],
      id: v1.id,
      name: 'claims v1',
      source: null,
      deploymentTime: '2026-11-23T09:00:00.000+0000',
      tenantId: null,
    });
    expect(await get('/deployment/count')).toEqual({ count: 2 });
    const running = await start('C-1');

    const refused = await t.call('DELETE', `/engine-rest/deployment/${v2.id}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toContain('cascade=true');
    expect((await t.call('GET', `/api/instances/${running}`)).json().status).toBe('active');

    expect((await t.call('DELETE', `/engine-rest/deployment/${v2.id}?cascade=true`)).statusCode).toBe(204);
    expect((await t.call('GET', `/api/instances/${running}`)).json().status).toBe('terminated');
    expect((await get('/deployment')).map((d: { id: string }) => d.id)).toEqual([v1.id]);
    expect((await t.call('GET', `/engine-rest/deployment/${v2.id}`)).statusCode).toBe(404);
    expect(await get('/process-definition/key/Process_claim')).toMatchObject({
      id: 'Process_claim:1',
      deploymentId: v1.id,
    });
    expect((await t.call('POST', '/engine-rest/process-definition/Process_claim:2/start', {})).statusCode).toBe(409);
    // the cancelled instance keeps its history, and a new version counts past the deleted one
    expect(await get(`/history/process-instance/${running}`)).toMatchObject({
      processDefinitionId: 'Process_claim:2',
      state: 'EXTERNALLY_TERMINATED',
    });
    const v3 = await deploy(CLAIM.replace('name="Assess"', 'name="Assess again"'), 'claims v3');
    expect(Object.keys(v3.deployedProcessDefinitions)).toEqual(['Process_claim:3']);
    expect((await t.call('DELETE', '/engine-rest/deployment/nope')).statusCode).toBe(404);
    expect((await t.call('DELETE', `/engine-rest/deployment/${v1.id}?skipCustomListeners=true`)).statusCode).toBe(400);
  });
  it('pages every history list with firstResult and maxResults: pages join to the whole list, counts match it', async () => {
    await deploy();
    const ids: string[] = [];
    for (let n = 1; n <= 5; n++) {
      ids.push(await start(`C-${n}`));
      await t.clock.advance(60_000);
    }
    for (const id of ids.slice(0, 3)) await completeTask(id);

    /** Every page of 2 of a list, in order, until a short page; the pages joined must be the unpaged list. */
    const pagesOf = async (url: string) => {
      const sep = url.includes('?') ? '&' : '?';
      const whole = await get(`${url}${sep}maxResults=500`);
      const joined: unknown[] = [];
      for (let first = 0; ; first += 2) {
        const page = await get(`${url}${sep}firstResult=${first}&maxResults=2`);
        expect(page.length, `${url} page at ${first}`).toBeLessThanOrEqual(2);
        joined.push(...page);
        if (page.length < 2) break;
      }
      expect(joined, url).toEqual(whole);
      const counted = await get(`${url.replace(/(\?|$)/, '/count$1')}`);
      expect(counted, `${url} count`).toEqual({ count: whole.length });
      return whole as Array<Record<string, unknown>>;
    };

    const instances = await pagesOf('/history/process-instance');
    expect(instances.map((p) => p.id).sort()).toEqual([...ids].sort());
    expect(new Set(instances.map((p) => p.id)).size).toBe(5);
    // the three with their task done wait at the external task: unfinished still, like the other two
    expect((await pagesOf('/history/process-instance?unfinished=true')).map((p) => p.id).sort()).toEqual(
      [...ids].sort(),
    );
    expect(await pagesOf('/history/process-instance?finished=true')).toEqual([]);
    const tasks = await pagesOf('/history/task');
    expect(tasks).toHaveLength(5);
    expect(tasks.filter((task) => task.endTime !== null)).toHaveLength(3);
    const activities = await pagesOf(`/history/activity-instance?processInstanceId=${ids[0]}`);
    expect(activities.map((a) => a.activityId)).toEqual(['Start_claim', 'Task_assess', 'Task_pay']);
    const variables = await pagesOf(`/history/variable-instance?processInstanceIdIn=${ids.join(',')}`);
    expect(variables.filter((v) => v.name === 'amount')).toHaveLength(5);
    expect(variables.filter((v) => v.name === 'approved')).toHaveLength(3);
    await pagesOf(`/variable-instance?processInstanceIdIn=${ids.join(',')}`);

    // a page past the end is empty, not an error; maxResults=0 answers nothing but still counts
    expect(await get('/history/process-instance?firstResult=50&maxResults=10')).toEqual([]);
    expect(await get('/history/task?maxResults=0')).toEqual([]);
    expect((await t.call('GET', '/engine-rest/history/task?maxResults=-1')).statusCode).toBe(400);
  });
});
