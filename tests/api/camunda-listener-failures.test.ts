/**
 * Issue #13: a Camunda 7 listener whose expression fails at run time fails its step as in Camunda 7, never
 * writes null: an incident naming the element and the expression (in /api and in Camunda's incident query),
 * the step not applied, retried after the variable is fixed; a failing task listener refuses the completion.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.js';

const SET = "${execution.setVariable('x', missingVar + 1)}";

/** As Camunda Modeler 5 writes it: an external task, then a user task with listeners. */
const ORDER = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Definitions_1" targetNamespace="http://bpmn.io/schema/bpmn" exporter="Camunda Modeler" exporterVersion="5.17.0">
  <bpmn:process id="Process_order" isExecutable="true">
    <bpmn:startEvent id="Start_1"><bpmn:outgoing>Flow_1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:serviceTask id="Task_charge" camunda:type="external" camunda:topic="charge">
      <bpmn:incoming>Flow_1</bpmn:incoming><bpmn:outgoing>Flow_2</bpmn:outgoing>
    </bpmn:serviceTask>
    <bpmn:userTask id="Task_review" name="Review">
      <bpmn:extensionElements>
        <camunda:executionListener expression="\${execution.setVariable('starts', starts + 1)}" event="start" />
        <camunda:executionListener expression="${SET}" event="start" />
        <camunda:taskListener expression="\${task.setVariable('approved', decision == 'ok')}" event="complete" />
      </bpmn:extensionElements>
      <bpmn:incoming>Flow_2</bpmn:incoming><bpmn:outgoing>Flow_3</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:endEvent id="End_1"><bpmn:incoming>Flow_3</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="Flow_1" sourceRef="Start_1" targetRef="Task_charge" />
    <bpmn:sequenceFlow id="Flow_2" sourceRef="Task_charge" targetRef="Task_review" />
    <bpmn:sequenceFlow id="Flow_3" sourceRef="Task_review" targetRef="End_1" />
  </bpmn:process>
</bpmn:definitions>`;

describe('api/camunda listener failures', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp();
    await t.deploy(ORDER);
  });
  afterEach(async () => {
    await t.close();
  });

  /** Starts an order over /engine-rest and completes its external task as a worker does. */
  const charged = async () => {
    const start = await t.call('POST', '/engine-rest/process-definition/key/Process_order/start', {
      variables: { starts: { value: 0, type: 'Integer' } },
    });
    const instanceId = start.json().id as string;
    const [task] = (
      await t.call('POST', '/engine-rest/external-task/fetchAndLock', {
        workerId: 'w',
        maxTasks: 1,
        topics: [{ topicName: 'charge', lockDuration: 10_000 }],
      })
    ).json();
    const done = await t.call('POST', `/engine-rest/external-task/${task.id}/complete`, {
      workerId: 'w',
      variables: { receipt: { value: 'R-1', type: 'String' } },
    });
    expect(done.statusCode).toBe(204);
    return instanceId;
  };

  it('raises an incident naming the element and the expression, in /api and in Camunda’s incident query', async () => {
    const instanceId = await charged();
    const instance = (await t.call('GET', `/api/instances/${instanceId}`)).json();
    // where it was: the step that completed the charge is not applied, no variable is written as null
    expect(instance).toMatchObject({ status: 'incident', activeElements: ['Task_charge'] });
    expect(instance.variables).toEqual({ starts: 0 });
    expect((await t.call('GET', `/engine-rest/task?processInstanceId=${instanceId}`)).json()).toEqual([]);

    const [incident] = (await t.call('GET', `/api/incidents?instanceId=${instanceId}`)).json().items;
    expect(incident).toMatchObject({ elementId: 'Task_review', code: 'EXPRESSION_FAILED', status: 'open' });
    expect(incident.message).toContain("execution listener on 'start' of 'Task_review' failed");
    expect(incident.message).toContain(`(expression: ${SET})`);

    const camunda = await t.call('GET', `/engine-rest/incident?processInstanceId=${instanceId}`);
    expect(camunda.statusCode).toBe(200);
    expect(camunda.json()).toEqual([
      expect.objectContaining({
        id: incident.id,
        activityId: 'Task_review',
        incidentType: 'failedJob',
        incidentMessage: incident.message,
      }),
    ]);
  });

  it('runs the failed step on retry with the missing variable, each start listener once', async () => {
    const instanceId = await charged();
    const [incident] = (await t.call('GET', `/api/incidents?instanceId=${instanceId}`)).json().items;
    // a retry without the variable fails again: a new incident, the step still not applied
    const again = await t.call('POST', `/api/incidents/${incident.id}/retry`, {});
    expect(again.statusCode).toBe(200);
    const [second] = (await t.call('GET', `/api/incidents?instanceId=${instanceId}&status=open`)).json().items;
    expect(second).toMatchObject({ elementId: 'Task_review', code: 'EXPRESSION_FAILED' });
    expect(second.id).not.toBe(incident.id);
    expect((await t.call('GET', `/api/instances/${instanceId}`)).json().variables).toEqual({ starts: 0 });

    const retried = await t.call('POST', `/api/incidents/${second.id}/retry`, { variables: { missingVar: 41 } });
    expect(retried.statusCode).toBe(200);
    expect(retried.json().status).toBe('resolved');

    const instance = (await t.call('GET', `/api/instances/${instanceId}`)).json();
    expect(instance).toMatchObject({ status: 'active', activeElements: ['Task_review'] });
    expect(instance.variables).toEqual({ starts: 1, missingVar: 41, x: 42, receipt: 'R-1' });
    expect((await t.call('GET', `/engine-rest/task?processInstanceId=${instanceId}`)).json()).toHaveLength(1);
    expect((await t.call('GET', `/engine-rest/incident?processInstanceId=${instanceId}`)).json()).toEqual([]);
  });

  it('refuses a completion whose complete task listener fails (422 LISTENER_FAILED); the task stays open', async () => {
    const instanceId = await charged();
    const [incident] = (await t.call('GET', `/api/incidents?instanceId=${instanceId}`)).json().items;
    await t.call('POST', `/api/incidents/${incident.id}/retry`, { variables: { missingVar: 1 } });
    const [task] = (await t.call('GET', `/engine-rest/task?processInstanceId=${instanceId}`)).json();

    const svc = await t.call('POST', `/api/tasks/${task.id}/complete`, { variables: { note: 'no decision' } });
    expect(svc.statusCode).toBe(422);
    expect(svc.headers['content-type']).toContain('application/problem+json');
    expect(svc.json()).toMatchObject({
      code: 'LISTENER_FAILED',
      elementId: 'Task_review',
      expression: "${task.setVariable('approved', decision == 'ok')}",
    });
    expect(svc.json().detail).toContain("task listener on 'complete' of 'Task_review' failed");

    const camunda = await t.call('POST', `/engine-rest/task/${task.id}/complete`, {
      variables: { note: { value: 'still none', type: 'String' } },
    });
    expect(camunda.statusCode).toBe(422);
    expect(camunda.json()).toMatchObject({ type: 'ProcessEngineException' });
    expect(camunda.json().message).toContain("Variable 'decision' not found");

    // nothing applied: the task is open, the instance waits at it with none of the submitted variables
    expect((await t.call('GET', `/engine-rest/task/${task.id}`)).statusCode).toBe(200);
    const instance = (await t.call('GET', `/api/instances/${instanceId}`)).json();
    expect(instance).toMatchObject({ status: 'active', activeElements: ['Task_review'] });
    expect(instance.variables).not.toHaveProperty('note');

    const done = await t.call('POST', `/engine-rest/task/${task.id}/complete`, {
      variables: { decision: { value: 'ok', type: 'String' } },
    });
    expect(done.statusCode).toBe(204);
    expect((await t.call('GET', `/api/instances/${instanceId}`)).json()).toMatchObject({
      status: 'completed',
      variables: { approved: true },
    });
  });

  it('lets a Camunda user set the missing variable on the instance, then retry, as in Cockpit', async () => {
    const instanceId = await charged();
    const set = await t.call('PUT', `/engine-rest/process-instance/${instanceId}/variables/missingVar`, {
      value: 1,
      type: 'Integer',
    });
    expect(set.statusCode).toBe(204);
    // setting a variable does not run the failed step; the retry does
    expect((await t.call('GET', `/api/instances/${instanceId}`)).json().activeElements).toEqual(['Task_charge']);
    const [incident] = (await t.call('GET', `/engine-rest/incident?processInstanceId=${instanceId}`)).json();
    expect((await t.call('POST', `/api/incidents/${incident.id}/retry`, {})).json().status).toBe('resolved');
    expect((await t.call('GET', `/api/instances/${instanceId}`)).json()).toMatchObject({
      status: 'active',
      activeElements: ['Task_review'],
      variables: { missingVar: 1, x: 2, starts: 1 },
    });
  });
});
