/**
 * Issue #13: suspending a process instance (Camunda 7 `PUT /process-instance/{id}/suspended`, svcflow
 * `POST /api/instances/{id}/suspend` and `/resume`) is one engine rule every entry point honours: its tasks
 * are not claimed or completed, workers are not handed its jobs (/engine-rest fetchAndLock, /v2 job
 * activation), its timers wait and fire after it is resumed, messages are not correlated to it and signals
 * pass it by; it can still be cancelled. On SQLite and PostgreSQL.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.js';
import { closeStores, describeEachStore } from '../helpers/stores.js';

/** As Camunda Modeler writes it: a user task, a one-hour timer, then an external task. */
const CLAIM = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Definitions_1" targetNamespace="http://bpmn.io/schema/bpmn" exporter="Camunda Modeler" exporterVersion="5.31.0">
  <bpmn:process id="Process_suspend" name="Suspend" isExecutable="true" camunda:historyTimeToLive="180">
    <bpmn:startEvent id="Start"><bpmn:outgoing>Flow_1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="Task_assess" name="Assess" camunda:candidateGroups="complaints"><bpmn:incoming>Flow_1</bpmn:incoming><bpmn:outgoing>Flow_2</bpmn:outgoing></bpmn:userTask>
    <bpmn:intermediateCatchEvent id="Wait_hour"><bpmn:incoming>Flow_2</bpmn:incoming><bpmn:outgoing>Flow_3</bpmn:outgoing>
      <bpmn:timerEventDefinition id="TimerEventDefinition_1"><bpmn:timeDuration xsi:type="bpmn:tFormalExpression" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">PT1H</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:serviceTask id="Task_pay" name="Pay" camunda:type="external" camunda:topic="pay"><bpmn:incoming>Flow_3</bpmn:incoming><bpmn:outgoing>Flow_4</bpmn:outgoing></bpmn:serviceTask>
    <bpmn:endEvent id="End"><bpmn:incoming>Flow_4</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="Flow_1" sourceRef="Start" targetRef="Task_assess" />
    <bpmn:sequenceFlow id="Flow_2" sourceRef="Task_assess" targetRef="Wait_hour" />
    <bpmn:sequenceFlow id="Flow_3" sourceRef="Wait_hour" targetRef="Task_pay" />
    <bpmn:sequenceFlow id="Flow_4" sourceRef="Task_pay" targetRef="End" />
  </bpmn:process>
</bpmn:definitions>`;

/** Waits for a message or a signal, whichever comes. */
const EVENTS = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="Definitions_2" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="Process_events" isExecutable="true">
    <bpmn:startEvent id="Start"><bpmn:outgoing>F1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:parallelGateway id="Fork"><bpmn:incoming>F1</bpmn:incoming><bpmn:outgoing>F2</bpmn:outgoing><bpmn:outgoing>F3</bpmn:outgoing></bpmn:parallelGateway>
    <bpmn:intermediateCatchEvent id="Wait_paid"><bpmn:incoming>F2</bpmn:incoming><bpmn:outgoing>F4</bpmn:outgoing><bpmn:messageEventDefinition messageRef="Message_paid" /></bpmn:intermediateCatchEvent>
    <bpmn:intermediateCatchEvent id="Wait_alarm"><bpmn:incoming>F3</bpmn:incoming><bpmn:outgoing>F5</bpmn:outgoing><bpmn:signalEventDefinition signalRef="Signal_alarm" /></bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="End_paid"><bpmn:incoming>F4</bpmn:incoming></bpmn:endEvent>
    <bpmn:endEvent id="End_alarm"><bpmn:incoming>F5</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Fork" />
    <bpmn:sequenceFlow id="F2" sourceRef="Fork" targetRef="Wait_paid" />
    <bpmn:sequenceFlow id="F3" sourceRef="Fork" targetRef="Wait_alarm" />
    <bpmn:sequenceFlow id="F4" sourceRef="Wait_paid" targetRef="End_paid" />
    <bpmn:sequenceFlow id="F5" sourceRef="Wait_alarm" targetRef="End_alarm" />
  </bpmn:process>
  <bpmn:message id="Message_paid" name="paid" />
  <bpmn:signal id="Signal_alarm" name="alarm" />
</bpmn:definitions>`;

const HOUR = 3_600_000;

describeEachStore('api/instance suspension', (backend) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp({ store: await backend.open() });
    await t.deploy(CLAIM);
    await t.deploy(EVENTS);
  });
  afterEach(async () => {
    await t.close();
    await closeStores();
  });

  // Camunda's REST client sends the flag as its own JSON document
  const suspend = (id: string, suspended: boolean) =>
    t.app.inject({
      method: 'PUT',
      url: `/engine-rest/process-instance/${id}/suspended`,
      headers: { ...t.headers(), 'content-type': 'application/json' },
      payload: `{"suspended":${suspended}}`,
    });
  const start = async () =>
    (await t.call('POST', '/engine-rest/process-definition/key/Process_suspend/start', { businessKey: 'C-1' })).json()
      .id as string;
  const instance = async (id: string) => (await t.call('GET', `/api/instances/${id}`)).json();
  const openTask = async (id: string) =>
    (await t.call('GET', `/engine-rest/task?processInstanceId=${id}`)).json()[0] as { id: string; suspended: boolean };
  const fetchPay = async () =>
    (
      await t.call('POST', '/engine-rest/external-task/fetchAndLock', {
        workerId: 'w',
        maxTasks: 10,
        topics: [{ topicName: 'pay', lockDuration: 10_000 }],
      })
    ).json() as Array<{ processInstanceId: string }>;
  const activate = async () =>
    (
      await t.call('POST', '/v2/jobs/activation', {
        type: 'pay',
        maxJobsToActivate: 10,
        timeout: 10_000,
        worker: 'w',
        requestTimeout: -1,
      })
    ).json().jobs as unknown[];

  it('refuses to claim or complete the tasks of a suspended instance, on /api and /engine-rest', async () => {
    const id = await start();
    expect((await suspend(id, true)).statusCode).toBe(204);
    expect((await t.call('GET', `/engine-rest/process-instance/${id}`)).json()).toMatchObject({ id, suspended: true });
    expect(await instance(id)).toMatchObject({ suspended: true, status: 'active' });
    const task = await openTask(id);
    expect(task.suspended).toBe(true);
    expect((await t.call('GET', `/engine-rest/task/${task.id}`)).json().suspended).toBe(true);

    const claim = await t.call('POST', `/api/tasks/${task.id}/claim`, { userId: 'admin' });
    expect(claim.statusCode).toBe(409);
    expect(claim.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(claim.json()).toMatchObject({ code: 'INSTANCE_SUSPENDED' });
    const complete = await t.call('POST', `/api/tasks/${task.id}/complete`, { variables: {} });
    expect(complete.json()).toMatchObject({ code: 'INSTANCE_SUSPENDED' });
    const camunda = await t.call('POST', `/engine-rest/task/${task.id}/claim`, { userId: 'admin' });
    expect(camunda.statusCode).toBe(409);
    expect(camunda.json()).toEqual({
      type: 'SuspendedEntityInteractionException',
      message: `process instance '${id}' is suspended; activate it first`,
    });
    const done = await t.call('POST', `/engine-rest/task/${task.id}/complete`, { variables: {} });
    expect(done.json().type).toBe('SuspendedEntityInteractionException');
    expect((await t.call('GET', `/api/tasks/${task.id}`)).json()).toMatchObject({ status: 'open', assignee: null });

    // suspended instances are queried as Camunda does: `suspended`, and `active` meaning not suspended
    expect((await t.call('GET', '/engine-rest/process-instance?suspended=true')).json()).toHaveLength(1);
    expect((await t.call('GET', '/engine-rest/process-instance?active=true')).json()).toHaveLength(0);

    expect((await t.call('POST', `/api/instances/${id}/resume`)).json()).toMatchObject({ suspended: false });
    expect((await t.call('POST', `/api/tasks/${task.id}/complete`, { variables: {} })).statusCode).toBe(200);
    expect((await instance(id)).activeElements).toEqual(['Wait_hour']);
  });

  it('fires a timer that came due while suspended once the instance is resumed, and hands out its job only then', async () => {
    const id = await start();
    const task = await openTask(id);
    await t.call('POST', `/api/tasks/${task.id}/complete`, { variables: {} });
    expect((await t.call('POST', `/api/instances/${id}/suspend`)).json()).toMatchObject({ suspended: true });

    t.clock.advance(2 * HOUR);
    await t.engine.tick();
    expect((await instance(id)).activeElements).toEqual(['Wait_hour']);

    expect((await suspend(id, false)).statusCode).toBe(204);
    await t.engine.tick();
    expect((await instance(id)).activeElements).toEqual(['Task_pay']);

    // its external task is not fetched while suspended (neither through /engine-rest nor /v2)
    await suspend(id, true);
    expect(await fetchPay()).toEqual([]);
    expect(await activate()).toEqual([]);
    await suspend(id, false);
    expect((await fetchPay()).map((task) => task.processInstanceId)).toEqual([id]);

    const history = (await t.call('GET', `/api/instances/${id}/history`))
      .json()
      .items.map((h: { event: string }) => h.event);
    expect(history.filter((e: string) => e.startsWith('instance.s') || e === 'instance.resumed')).toEqual([
      'instance.started',
      'instance.suspended',
      'instance.resumed',
      'instance.suspended',
      'instance.resumed',
    ]);
  });

  it('does not correlate messages to a suspended instance and lets signals pass it by', async () => {
    const id = (await t.call('POST', '/api/instances', { definitionKey: 'Process_events' })).json().id as string;
    const other = (await t.call('POST', '/api/instances', { definitionKey: 'Process_events' })).json().id as string;
    await t.call('POST', `/api/instances/${id}/suspend`);

    const message = await t.call('POST', '/engine-rest/message', { messageName: 'paid', processInstanceId: id });
    expect(message.statusCode).toBe(400);
    expect(message.json().type).toBe('RestException');
    const published = await t.call('POST', '/api/messages', { name: 'paid', all: true });
    expect(published.statusCode).toBe(409);
    expect(published.json()).toMatchObject({ code: 'INSTANCE_SUSPENDED' });

    expect((await t.call('POST', '/engine-rest/signal', { name: 'alarm' })).statusCode).toBe(204);
    expect((await instance(other)).activeElements).toEqual(['Wait_paid']);
    expect((await instance(id)).activeElements.sort()).toEqual(['Wait_alarm', 'Wait_paid']);

    // a suspended instance can still be cancelled; an ended one is neither suspended nor resumed
    expect((await t.call('POST', `/api/instances/${id}/cancel`)).json()).toMatchObject({ status: 'terminated' });
    const late = await t.call('POST', `/api/instances/${id}/resume`);
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({ code: 'INSTANCE_NOT_ACTIVE' });
    expect((await suspend('nope', true)).statusCode).toBe(404);
  });
});
