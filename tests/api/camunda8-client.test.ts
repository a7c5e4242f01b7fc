/**
 * Issue #13: the official Camunda 8 TypeScript client (@camunda8/orchestration-cluster-api), unchanged,
 * against a real svcflow server under /v2, with strict response validation: svcflow's answers must match
 * the client's own schemas. Waits are for client or engine events (vi.waitFor polls state), never sleeps.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import createCamundaClient, { type CamundaClient } from '@camunda8/orchestration-cluster-api';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.js';

/** As Camunda Modeler (Camunda 8) writes it: a job worker task with an error boundary, then a user task with a linked form. */
const ORDER = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:modeler="http://camunda.org/schema/modeler/1.0" id="Definitions_c8" targetNamespace="http://bpmn.io/schema/bpmn" exporter="Camunda Modeler" exporterVersion="5.31.0" modeler:executionPlatform="Camunda Cloud" modeler:executionPlatformVersion="8.8.0">
  <bpmn:process id="Process_order" name="Order" isExecutable="true">
    <bpmn:startEvent id="Start_order"><bpmn:outgoing>Flow_1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:serviceTask id="Task_charge" name="Charge">
      <bpmn:extensionElements><zeebe:taskDefinition type="charge-card" retries="3" /><zeebe:taskHeaders><zeebe:header key="gateway" value="stripe" /><zeebe:header key="currency" value="EUR" /></zeebe:taskHeaders></bpmn:extensionElements>
      <bpmn:incoming>Flow_1</bpmn:incoming><bpmn:outgoing>Flow_2</bpmn:outgoing>
    </bpmn:serviceTask>
    <bpmn:boundaryEvent id="Boundary_declined" attachedToRef="Task_charge"><bpmn:outgoing>Flow_3</bpmn:outgoing><bpmn:errorEventDefinition errorRef="Error_declined" /></bpmn:boundaryEvent>
    <bpmn:userTask id="Task_check" name="Check order">
      <bpmn:extensionElements><zeebe:userTask /><zeebe:formDefinition formId="Form_order" /><zeebe:assignmentDefinition candidateGroups="complaints" /><zeebe:taskHeaders><zeebe:header key="checklist" value="address,amount" /></zeebe:taskHeaders></bpmn:extensionElements>
      <bpmn:incoming>Flow_2</bpmn:incoming><bpmn:outgoing>Flow_4</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:endEvent id="End_done"><bpmn:incoming>Flow_4</bpmn:incoming></bpmn:endEvent>
    <bpmn:endEvent id="End_declined"><bpmn:incoming>Flow_3</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="Flow_1" sourceRef="Start_order" targetRef="Task_charge" />
    <bpmn:sequenceFlow id="Flow_2" sourceRef="Task_charge" targetRef="Task_check" />
    <bpmn:sequenceFlow id="Flow_3" sourceRef="Boundary_declined" targetRef="End_declined" />
    <bpmn:sequenceFlow id="Flow_4" sourceRef="Task_check" targetRef="End_done" />
  </bpmn:process>
  <bpmn:error id="Error_declined" name="Declined" errorCode="CARD_DECLINED" />
</bpmn:definitions>`;

const FORM = JSON.stringify({
  id: 'Form_order',
  type: 'default',
  components: [{ type: 'textfield', key: 'note', label: 'Note', id: 'Field_1' }],
  schemaVersion: 16,
});
const USER = { username: 'c8-app', roles: ['owner', 'worker', 'supervisor'] };

describe('api/camunda8 (real @camunda8/orchestration-cluster-api)', () => {
  let t: TestApp;
  let camunda: CamundaClient;
  let formsDir: string;
  const seen: Array<{ mode: unknown; retries: number }> = [];
  const headers: unknown[] = [];

  beforeEach(async () => {
    formsDir = await mkdtemp(join(tmpdir(), 'svcflow-c8-'));
    t = await testApp({ formsDir });
    await t.as(USER);
    await t.as({ username: 'ann', roles: ['staff'], groups: ['complaints'] });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    camunda = createCamundaClient({
      config: {
        CAMUNDA_REST_ADDRESS: `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`,
        CAMUNDA_AUTH_STRATEGY: 'BASIC',
        CAMUNDA_BASIC_AUTH_USERNAME: USER.username,
        CAMUNDA_BASIC_AUTH_PASSWORD: 'password123',
        CAMUNDA_SDK_VALIDATION: 'req:strict,res:strict',
        CAMUNDA_SDK_HTTP_RETRY_MAX_ATTEMPTS: 1,
        CAMUNDA_SDK_LOG_LEVEL: 'silent',
      },
    });
    seen.length = 0;
    headers.length = 0;
    await camunda.createDeployment({
      resources: [
        new File([ORDER], 'order.bpmn', { type: 'application/xml' }),
        new File([FORM], 'order.form', { type: 'application/json' }),
      ],
    });
    camunda.createJobWorker({
      jobType: 'charge-card',
      maxParallelJobs: 5,
      jobTimeoutMs: 30_000,
      pollIntervalMs: 20,
      pollTimeoutMs: 5_000,
      workerName: 'card-worker',
      jobHandler: async (job) => {
        const mode = job.variables.mode;
        seen.push({ mode, retries: job.retries });
        headers.push(job.customHeaders);
        if (mode === 'declined') return job.error({ errorCode: 'CARD_DECLINED', errorMessage: 'card expired' });
        if (mode === 'flaky' && job.retries === 3)
          return job.fail({ errorMessage: 'gateway down', retries: 2, retryBackoff: 0 });
        if (mode === 'broken' && job.retries > 1) return job.fail({ errorMessage: 'gateway gone', retries: 0 });
        return job.complete({ receipt: `R-${String(mode)}` });
      },
    });
  });
  afterEach(async () => {
    camunda.stopAllWorkers();
    await t.close();
    await rm(formsDir, { recursive: true, force: true });
  });

  const start = (mode: string) =>
    camunda.createProcessInstance({ processDefinitionId: 'Process_order' as never, variables: { mode } });
  const status = async (key: string) =>
    (await t.engine.getInstance((await t.store.externalKeys.refOf('instance', key))!)).status;
  const openTasks = (processInstanceKey: string) =>
    camunda.searchUserTasks(
      { filter: { processInstanceKey: processInstanceKey as never, state: 'CREATED' } },
      { consistency: { waitUpToMs: 0 } },
    );

  it('answers the topology as one healthy broker', async () => {
    const topology = await camunda.getTopology();
    expect(topology).toMatchObject({
      clusterSize: 1,
      partitionsCount: 1,
      brokers: [expect.objectContaining({ partitions: [{ partitionId: 1, role: 'leader', health: 'healthy' }] })],
    });
  });

  it('runs a job worker that completes, then the user task is searched, assigned and completed', async () => {
    const { processInstanceKey } = await start('ok');
    await vi.waitFor(async () => expect((await openTasks(processInstanceKey)).items).toHaveLength(1), {
      timeout: 10_000,
    });
    const [task] = (await openTasks(processInstanceKey)).items;
    expect(task).toMatchObject({
      elementId: 'Task_check',
      candidateGroups: ['complaints'],
      processDefinitionId: 'Process_order',
      formKey: expect.stringMatching(/^[0-9]+$/),
    });
    // issue #13: zeebe:taskHeaders reach the job worker as customHeaders, and show on the user task
    expect(headers).toEqual([{ gateway: 'stripe', currency: 'EUR' }]);
    expect(task.customHeaders).toEqual({ checklist: 'address,amount' });

    await camunda.assignUserTask({ userTaskKey: task.userTaskKey, assignee: 'ann' });
    await camunda.completeUserTask({ userTaskKey: task.userTaskKey, variables: { note: 'fine' } });

    expect(await status(processInstanceKey)).toBe('completed');
    const id = (await t.store.externalKeys.refOf('instance', processInstanceKey))!;
    expect((await t.engine.getInstance(id)).variables).toMatchObject({ receipt: 'R-ok', note: 'fine' });
  });

  it('awaits completion of an instance whose job throws a BPMN error caught by the boundary', async () => {
    const result = await camunda.createProcessInstance({
      processDefinitionId: 'Process_order' as never,
      variables: { mode: 'declined' },
      awaitCompletion: true,
    });
    expect(result).toMatchObject({
      processDefinitionId: 'Process_order',
      processDefinitionVersion: 1,
      variables: { mode: 'declined' },
    });
    expect(await status(result.processInstanceKey)).toBe('completed');
    expect(seen).toEqual([{ mode: 'declined', retries: 3 }]);
  });

  it('retries a failed job with the retries the worker gave', async () => {
    const { processInstanceKey } = await start('flaky');
    await vi.waitFor(async () => expect((await openTasks(processInstanceKey)).items).toHaveLength(1), {
      timeout: 10_000,
    });
    expect(seen).toEqual([
      { mode: 'flaky', retries: 3 },
      { mode: 'flaky', retries: 2 },
    ]);
  });

  it('raises an incident at zero retries; resolving it runs the job again', async () => {
    const { processInstanceKey } = await start('broken');
    await vi.waitFor(async () => expect(await status(processInstanceKey)).toBe('incident'), { timeout: 10_000 });
    const { items } = await camunda.searchIncidents(
      { filter: { processInstanceKey: processInstanceKey as never } },
      { consistency: { waitUpToMs: 0 } },
    );
    expect(items).toEqual([
      expect.objectContaining({
        errorType: 'JOB_NO_RETRIES',
        elementId: 'Task_charge',
        state: 'ACTIVE',
        errorMessage: expect.stringContaining('gateway gone'),
      }),
    ]);

    await camunda.resolveIncident({ incidentKey: items![0].incidentKey! });

    await vi.waitFor(async () => expect((await openTasks(processInstanceKey)).items).toHaveLength(1), {
      timeout: 10_000,
    });
    expect(seen.at(-1)).toEqual({ mode: 'broken', retries: 1 });
  });

  it('cancels an instance', async () => {
    const { processInstanceKey } = await start('ok');
    await camunda.cancelProcessInstance({ processInstanceKey });
    expect(await status(processInstanceKey)).toBe('terminated');
  });

  it('publishes and correlates messages, and broadcasts signals', async () => {
    expect(await camunda.publishMessage({ name: 'nobody.waits', correlationKey: 'x', timeToLive: 0 })).toMatchObject({
      messageKey: expect.stringMatching(/^[0-9]+$/),
    });
    // with a time to live it is buffered, as Camunda 8 does, instead of refused
    expect(
      await camunda.publishMessage({ name: 'nobody.waits', correlationKey: 'x', timeToLive: 60_000, messageId: 'm-1' }),
    ).toMatchObject({ messageKey: expect.stringMatching(/^[0-9]+$/) });
    await expect(camunda.correlateMessage({ name: 'nobody.waits', correlationKey: 'x' })).rejects.toMatchObject({
      status: 404,
    });
    expect(await camunda.broadcastSignal({ signalName: 'stop' })).toMatchObject({
      signalKey: expect.stringMatching(/^[0-9]+$/),
    });
  });
  it('reads a called instance back with its parentProcessInstanceKey, and searches the children of an instance', async () => {
    const child = ORDER.replaceAll('Process_order', 'Process_notify').replace('Definitions_c8', 'Definitions_notify');
    const parent = ORDER.replaceAll('Process_order', 'Process_case')
      .replace('Definitions_c8', 'Definitions_case')
      .replace(
        /<bpmn:serviceTask id="Task_charge"[\s\S]*?<\/bpmn:serviceTask>/,
        '<bpmn:callActivity id="Task_charge" name="Notify"><bpmn:extensionElements><zeebe:calledElement processId="Process_notify" propagateAllChildVariables="false" /></bpmn:extensionElements><bpmn:incoming>Flow_1</bpmn:incoming><bpmn:outgoing>Flow_2</bpmn:outgoing></bpmn:callActivity>',
      )
      .replace(/<bpmn:boundaryEvent[\s\S]*?<\/bpmn:boundaryEvent>/, '')
      .replace(/<bpmn:endEvent id="End_declined">[\s\S]*?<\/bpmn:endEvent>/, '')
      .replace(/<bpmn:sequenceFlow id="Flow_3"[^>]*\/>/, '');
    await camunda.createDeployment({
      resources: [
        new File([child], 'notify.bpmn', { type: 'application/xml' }),
        new File([parent], 'case.bpmn', { type: 'application/xml' }),
      ],
    });
    const { processInstanceKey } = await camunda.createProcessInstance({
      processDefinitionId: 'Process_case' as never,
      variables: { mode: 'broken' },
    });
    const children = await camunda.searchProcessInstances(
      { filter: { parentProcessInstanceKey: processInstanceKey } },
      { consistency: { waitUpToMs: 0 } },
    );
    expect(children.items).toEqual([
      expect.objectContaining({
        processDefinitionId: 'Process_notify',
        parentProcessInstanceKey: processInstanceKey,
        state: 'ACTIVE',
      }),
    ]);
    const [called] = children.items;
    expect(called.parentElementInstanceKey).toMatch(/^[0-9]+$/);
    // the child's job fails for good: the parent shows the incident, the child holds it
    await vi.waitFor(
      async () =>
        expect(
          await camunda.getProcessInstance({ processInstanceKey }, { consistency: { waitUpToMs: 0 } }),
        ).toMatchObject({
          hasIncident: true,
        }),
      { timeout: 10_000 },
    );
    const read = await camunda.getProcessInstance(
      { processInstanceKey: called.processInstanceKey },
      { consistency: { waitUpToMs: 0 } },
    );
    expect(read).toMatchObject({ parentProcessInstanceKey: processInstanceKey, hasIncident: true });
    const withIncident = await camunda.searchProcessInstances(
      { filter: { hasIncident: true, processDefinitionId: 'Process_case' as never } },
      { consistency: { waitUpToMs: 0 } },
    );
    expect(withIncident.items.map((i) => i.processInstanceKey)).toEqual([processInstanceKey]);
  });
});
