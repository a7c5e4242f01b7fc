/**
 * Issue #13: the real camunda-external-task-client-js, unchanged, against a real svcflow server.
 * Every wait below is for an event of the client or the engine, never a sleep.
 */
import type { AddressInfo } from 'node:net';
import {
  BasicAuthInterceptor,
  Client,
  Variables,
  type Handler,
  type SubscribeOptions,
  type Task,
} from 'camunda-external-task-client-js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.js';

/** As Camunda Modeler (Camunda 7) writes it: an external task with properties and an error boundary. */
const CHARGE = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Definitions_1" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="Process_charge" isExecutable="true">
    <bpmn:startEvent id="Start_order"><bpmn:outgoing>Flow_1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:serviceTask id="Task_charge" name="Charge card" camunda:type="external" camunda:topic="charge-card">
      <bpmn:extensionElements><camunda:properties><camunda:property name="channel" value="card" /></camunda:properties></bpmn:extensionElements>
      <bpmn:incoming>Flow_1</bpmn:incoming><bpmn:outgoing>Flow_2</bpmn:outgoing>
    </bpmn:serviceTask>
    <bpmn:boundaryEvent id="Boundary_declined" attachedToRef="Task_charge"><bpmn:outgoing>Flow_3</bpmn:outgoing><bpmn:errorEventDefinition errorRef="Error_declined" /></bpmn:boundaryEvent>
    <bpmn:endEvent id="End_charged"><bpmn:incoming>Flow_2</bpmn:incoming></bpmn:endEvent>
    <bpmn:endEvent id="End_declined"><bpmn:incoming>Flow_3</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="Flow_1" sourceRef="Start_order" targetRef="Task_charge" />
    <bpmn:sequenceFlow id="Flow_2" sourceRef="Task_charge" targetRef="End_charged" />
    <bpmn:sequenceFlow id="Flow_3" sourceRef="Boundary_declined" targetRef="End_declined" />
  </bpmn:process>
  <bpmn:error id="Error_declined" name="Declined" errorCode="CARD_DECLINED" />
</bpmn:definitions>`;

const WORKER = { username: 'card-worker', roles: ['worker'] };

describe('api/camunda external task client (real camunda-external-task-client-js)', () => {
  let t: TestApp;
  let baseUrl: string;
  const clients: Client[] = [];

  beforeEach(async () => {
    t = await testApp();
    await t.as(WORKER);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}/engine-rest`;
    await t.deploy(CHARGE);
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) client.stop();
    await t.close();
  });

  /** A started worker client; `asyncResponseTimeout` turns on long polling. */
  function worker(options: { asyncResponseTimeout?: number } = {}): Client {
    const client = new Client({
      baseUrl,
      workerId: 'card-worker-1',
      interval: 50,
      lockDuration: 30_000,
      autoPoll: false,
      interceptors: new BasicAuthInterceptor({ username: WORKER.username, password: 'password123' }),
      ...options,
    });
    clients.push(client);
    return client;
  }

  /** Subscribes and resolves with the first task handled (after the handler's own call succeeded). */
  function handleOnce(client: Client, handler: Handler, event: string, options: SubscribeOptions = {}): Promise<Task> {
    return new Promise((resolve, reject) => {
      let seen: Task | null = null;
      client.once(event.replace(':success', ':error'), (_task: unknown, err: unknown) => reject(err));
      client.once(event, () => resolve(seen!));
      client.subscribe('charge-card', options, async (args) => {
        seen = args.task;
        await handler(args);
      });
      client.start();
    });
  }

  const start = (businessKey: string, variables: Record<string, unknown> = {}) =>
    t
      .call('POST', '/engine-rest/process-definition/key/Process_charge/start', { businessKey, variables })
      .then((r) => r.json().id as string);
  const instance = (id: string) => t.call('GET', `/api/instances/${id}`).then((r) => r.json());

  it('fetches a task with its context and typed variables, and completes it with Date and Json values', async () => {
    const id = await start('ORDER-1', {
      amount: { value: 4.5, type: 'Double' },
      order: { value: '{"id":7}', type: 'Json' },
      placedAt: { value: '2026-11-20T08:00:00.000+0000', type: 'Date' },
    });
    const task = await handleOnce(
      worker(),
      async ({ task: fetched, taskService }) => {
        await taskService.complete(
          fetched,
          new Variables()
            .set('receipt', 'R-9')
            .set('chargedAt', new Date('2026-11-23T09:05:00.000Z'))
            .set('lines', [{ sku: 'A' }]),
          new Variables().set('scratch', 'local only'),
        );
      },
      'complete:success',
      { includeExtensionProperties: true },
    );

    expect(task).toMatchObject({
      topicName: 'charge-card',
      processInstanceId: id,
      processDefinitionId: 'Process_charge:1',
      processDefinitionKey: 'Process_charge',
      activityId: 'Task_charge',
      activityInstanceId: expect.stringMatching(/^Task_charge:/),
      businessKey: 'ORDER-1',
      retries: 3,
      errorMessage: null,
      priority: 0,
      extensionProperties: { channel: 'card' },
    });
    expect(task.variables.get('order')).toEqual({ id: 7 });
    expect(task.variables.get('placedAt')).toEqual(new Date('2026-11-20T08:00:00.000Z'));
    expect(task.variables.getTyped('amount')).toMatchObject({ value: 4.5, type: 'double' });
    expect(await instance(id)).toMatchObject({
      status: 'completed',
      variables: { receipt: 'R-9', chargedAt: '2026-11-23T09:05:00.000+0000', lines: [{ sku: 'A' }] },
    });
    expect((await instance(id)).variables).not.toHaveProperty('scratch');
  });

  it('long polls: an idle worker waits in one request and gets a new task at once', async () => {
    const client = worker({ asyncResponseTimeout: 60_000 });
    let polls = 0;
    let pollsWhenFetched = 0;
    client.on('poll:start', () => {
      polls += 1;
    });
    // the client polls again `interval` after an answer, so the count that matters is the one when the task arrived
    const done = handleOnce(
      client,
      ({ task, taskService }) => {
        pollsWhenFetched = polls;
        return taskService.complete(task);
      },
      'complete:success',
    );
    await vi.waitFor(() => expect(t.engine.jobs.waiters.size).toBe(1), { timeout: 10_000 });

    const id = await start('ORDER-2');
    await done;

    expect(pollsWhenFetched).toBe(1);
    expect((await instance(id)).status).toBe('completed');
  });

  it('fails with retries, reaches an incident at zero, and gets retries back through PUT /retries', async () => {
    const id = await start('ORDER-3');
    const seen: Array<{ retries: number | null; errorMessage: string | null }> = [];
    const client = worker();
    const incident = new Promise<void>((resolve) => {
      client.on('handleFailure:success', () => {
        if (seen.length === 2) resolve();
      });
    });
    client.subscribe('charge-card', async ({ task, taskService }) => {
      seen.push({ retries: task.retries, errorMessage: task.errorMessage });
      await taskService.handleFailure(task, {
        errorMessage: 'gateway down',
        errorDetails: 'at charge()',
        retries: seen.length === 1 ? 1 : 0,
        retryTimeout: 0,
      });
    });
    client.start();
    await incident;
    client.stop();

    expect(seen).toEqual([
      { retries: 3, errorMessage: null },
      { retries: 1, errorMessage: 'gateway down' },
    ]);
    expect((await instance(id)).status).toBe('incident');
    const [failed] = (
      await t.call('GET', `/engine-rest/external-task?processInstanceId=${id}&noRetriesLeft=true`)
    ).json();
    expect(failed).toMatchObject({
      retries: 0,
      errorMessage: 'gateway down',
      activityId: 'Task_charge',
      businessKey: 'ORDER-3',
    });

    expect((await t.call('PUT', `/engine-rest/external-task/${failed.id}/retries`, { retries: 2 })).statusCode).toBe(
      204,
    );
    expect((await instance(id)).status).toBe('active');
    expect((await t.call('GET', `/engine-rest/external-task/${failed.id}`)).json()).toMatchObject({ retries: 2 });
  });

  it('throws a BPMN error with variables that the boundary event catches', async () => {
    const id = await start('ORDER-4');
    await handleOnce(
      worker(),
      ({ task, taskService }) =>
        taskService.handleBpmnError(task, 'CARD_DECLINED', 'card expired', new Variables().set('reason', 'expired')),
      'handleBpmnError:success',
    );

    const state = await instance(id);
    expect(state).toMatchObject({ status: 'completed', variables: { reason: 'expired' } });
    const history = (await t.call('GET', `/api/instances/${id}/history`)).json().items;
    expect(history).toContainEqual(expect.objectContaining({ elementId: 'End_declined' }));
  });

  it('extends the lock it holds', async () => {
    await start('ORDER-5');
    const task = await handleOnce(
      worker(),
      ({ task: fetched, taskService }) => taskService.extendLock(fetched, 600_000),
      'extendLock:success',
    );

    expect((await t.call('GET', `/engine-rest/external-task/${task.id}`)).json()).toMatchObject({
      workerId: 'card-worker-1',
      lockExpirationTime: '2026-11-23T09:10:00.000+0000',
    });
  });

  it('fetches only tasks matching the business key and process variable filters', async () => {
    await start('ORDER-A', { region: { value: 'north', type: 'String' } });
    const wanted = await start('ORDER-B', { region: { value: 'south', type: 'String' } });
    await start('ORDER-C', { region: { value: 'south', type: 'String' } });

    const task = await handleOnce(
      worker(),
      ({ task: fetched, taskService }) => taskService.complete(fetched),
      'complete:success',
      { businessKey: 'ORDER-B', processVariables: { region: 'south' } },
    );

    expect(task.processInstanceId).toBe(wanted);
    const open = (await t.call('GET', '/engine-rest/external-task?topicName=charge-card')).json();
    expect(open.map((x: Task) => x.businessKey).sort()).toEqual(['ORDER-A', 'ORDER-C']);
  });
});

describe('api/camunda external task protocol', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp();
    await t.deploy(CHARGE);
  });
  afterEach(async () => {
    await t.close();
  });

  const fetchAndLock = (topic: Record<string, unknown>, workerId = 'w1') =>
    t.call('POST', '/engine-rest/external-task/fetchAndLock', {
      workerId,
      maxTasks: 5,
      topics: [{ topicName: 'charge-card', lockDuration: 1000, ...topic }],
    });

  it('answers with exactly application/json, the content type the JS client requires', async () => {
    const res = await fetchAndLock({});
    expect(res.headers['content-type']).toBe('application/json');
  });

  it('refuses a filter it cannot honour instead of ignoring it', async () => {
    const tag = await fetchAndLock({ processDefinitionVersionTag: '1.0' });
    expect(tag.statusCode).toBe(400);
    expect(tag.json().message).toMatch(/processDefinitionVersionTag/);
    expect((await fetchAndLock({ priorityFilter: 3 })).statusCode).toBe(400);
  });

  it('finds nothing for a tenant, since svcflow instances belong to none, and everything without one', async () => {
    await t.call('POST', '/engine-rest/process-definition/key/Process_charge/start', {});
    expect((await fetchAndLock({ tenantIdIn: ['acme'] })).json()).toEqual([]);
    expect(
      (await fetchAndLock({ withoutTenantId: true, processDefinitionKeyIn: ['Process_charge'] })).json(),
    ).toHaveLength(1);
  });

  it("locks, refuses another worker's lock, and unlocks", async () => {
    await t.call('POST', '/engine-rest/process-definition/key/Process_charge/start', {});
    const [task] = (await fetchAndLock({}, 'w1')).json();
    const stolen = await t.call('POST', `/engine-rest/external-task/${task.id}/lock`, {
      workerId: 'w2',
      lockDuration: 1000,
    });
    expect(stolen.statusCode).toBe(409);
    expect((await t.call('POST', `/engine-rest/external-task/${task.id}/unlock`)).statusCode).toBe(204);
    expect(
      (await t.call('POST', `/engine-rest/external-task/${task.id}/lock`, { workerId: 'w2', lockDuration: 5000 }))
        .statusCode,
    ).toBe(204);
    expect((await t.call('GET', `/engine-rest/external-task/${task.id}`)).json()).toMatchObject({
      workerId: 'w2',
      lockExpirationTime: '2026-11-23T09:00:05.000+0000',
    });
  });

  it('returns an empty list when the long poll times out', async () => {
    const res = await t.call('POST', '/engine-rest/external-task/fetchAndLock', {
      workerId: 'w',
      asyncResponseTimeout: 1,
      topics: [{ topicName: 'charge-card', lockDuration: 1000 }],
    });
    expect(res.json()).toEqual([]);
  });
});
