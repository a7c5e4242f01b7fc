/**
 * Issue #13: Camunda 7 task endpoints behave as Camunda's: candidate queries leave out assigned tasks unless
 * includeAssignedTasks=true; a user task throws BPMN errors and escalations; variables and identity links read.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.js';

const REVIEW = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Definitions_1" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="Process_review" isExecutable="true">
    <bpmn:startEvent id="Start_1"><bpmn:outgoing>Flow_1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="Task_review" name="Review" camunda:candidateGroups="complaints" camunda:candidateUsers="bob">
      <bpmn:incoming>Flow_1</bpmn:incoming><bpmn:outgoing>Flow_2</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:boundaryEvent id="Boundary_rejected" attachedToRef="Task_review"><bpmn:outgoing>Flow_3</bpmn:outgoing><bpmn:errorEventDefinition errorRef="Error_rejected" /></bpmn:boundaryEvent>
    <bpmn:boundaryEvent id="Boundary_escalated" attachedToRef="Task_review"><bpmn:outgoing>Flow_4</bpmn:outgoing><bpmn:escalationEventDefinition escalationRef="Escalation_help" /></bpmn:boundaryEvent>
    <bpmn:endEvent id="End_done"><bpmn:incoming>Flow_2</bpmn:incoming></bpmn:endEvent>
    <bpmn:endEvent id="End_rejected"><bpmn:incoming>Flow_3</bpmn:incoming></bpmn:endEvent>
    <bpmn:endEvent id="End_escalated"><bpmn:incoming>Flow_4</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="Flow_1" sourceRef="Start_1" targetRef="Task_review" />
    <bpmn:sequenceFlow id="Flow_2" sourceRef="Task_review" targetRef="End_done" />
    <bpmn:sequenceFlow id="Flow_3" sourceRef="Boundary_rejected" targetRef="End_rejected" />
    <bpmn:sequenceFlow id="Flow_4" sourceRef="Boundary_escalated" targetRef="End_escalated" />
  </bpmn:process>
  <bpmn:error id="Error_rejected" name="Rejected" errorCode="REJECTED" />
  <bpmn:escalation id="Escalation_help" name="Help" escalationCode="NEEDS_HELP" />
</bpmn:definitions>`;

describe('api/camunda tasks', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp();
    await t.as({ username: 'ann', roles: ['staff'], groups: ['complaints'] });
    await t.deploy(REVIEW);
  });
  afterEach(async () => {
    await t.close();
  });

  const start = async (variables: Record<string, unknown> = {}) => {
    const { id } = (
      await t.call('POST', '/engine-rest/process-definition/key/Process_review/start', { variables })
    ).json();
    const [task] = (await t.call('GET', `/engine-rest/task?processInstanceId=${id}`)).json();
    return { instanceId: id as string, taskId: task.id as string };
  };
  const history = async (instanceId: string) =>
    (await t.call('GET', `/api/instances/${instanceId}/history`))
      .json()
      .items.map((h: { elementId: string }) => h.elementId);

  it('leaves assigned tasks out of a candidate query unless includeAssignedTasks=true', async () => {
    const free = await start();
    const held = await start();
    expect((await t.call('POST', `/engine-rest/task/${held.taskId}/assignee`, { userId: 'ann' })).statusCode).toBe(204);

    const ids = async (query: string) =>
      (await t.call('GET', `/engine-rest/task?${query}`))
        .json()
        .map((x: { id: string }) => x.id)
        .sort();
    expect(await ids('candidateGroup=complaints')).toEqual([free.taskId]);
    expect(await ids('candidateUser=bob')).toEqual([free.taskId]);
    expect(await ids('candidateGroup=complaints&includeAssignedTasks=true')).toEqual([free.taskId, held.taskId].sort());
    expect(await ids('assignee=ann')).toEqual([held.taskId]);
  });

  it('throws a BPMN error with variables from a user task to its boundary event', async () => {
    const { instanceId, taskId } = await start();
    const res = await t.call('POST', `/engine-rest/task/${taskId}/bpmnError`, {
      errorCode: 'REJECTED',
      errorMessage: 'not ours',
      variables: { reason: { value: 'spam', type: 'String' } },
    });
    expect(res.statusCode).toBe(204);
    expect((await t.call('GET', `/api/instances/${instanceId}`)).json()).toMatchObject({
      status: 'completed',
      variables: { reason: 'spam' },
    });
    expect(await history(instanceId)).toContain('End_rejected');
    expect((await t.call('POST', `/engine-rest/task/${taskId}/bpmnError`, { errorCode: 'REJECTED' })).statusCode).toBe(
      409,
    );
  });

  it('throws a BPMN escalation from a user task to its boundary event', async () => {
    const { instanceId, taskId } = await start();
    expect(
      (await t.call('POST', `/engine-rest/task/${taskId}/bpmnEscalation`, { escalationCode: 'NEEDS_HELP' })).statusCode,
    ).toBe(204);
    expect(await history(instanceId)).toContain('End_escalated');
  });

  it("reads a task's typed variables and identity links", async () => {
    const { taskId } = await start({ amount: { value: 12, type: 'Integer' } });
    await t.call('POST', `/engine-rest/task/${taskId}/assignee`, { userId: 'ann' });
    expect((await t.call('GET', `/engine-rest/task/${taskId}/variables`)).json()).toEqual({
      amount: { value: 12, type: 'Integer', valueInfo: {} },
    });
    expect((await t.call('GET', `/engine-rest/task/${taskId}/form-variables`)).json()).toMatchObject({
      amount: { value: 12 },
    });
    expect((await t.call('GET', `/engine-rest/task/${taskId}/identity-links`)).json()).toEqual([
      { userId: 'ann', groupId: null, type: 'assignee' },
      { userId: 'bob', groupId: null, type: 'candidate' },
      { userId: null, groupId: 'complaints', type: 'candidate' },
    ]);
    expect((await t.call('POST', `/engine-rest/task/${taskId}/unclaim`)).statusCode).toBe(204);
    expect((await t.call('GET', `/engine-rest/task/${taskId}`)).json().assignee).toBeNull();
  });

  it('keeps comments on a task in the instance history, under the commenter, and refuses one for another instance', async () => {
    const { instanceId, taskId } = await start();
    const ann = await t.as('ann');
    const created = await ann.call('POST', `/engine-rest/task/${taskId}/comment/create`, {
      message: 'called the customer',
      processInstanceId: instanceId,
    });
    expect(created.statusCode).toBe(200);
    expect(created.json()).toMatchObject({
      taskId,
      processInstanceId: instanceId,
      userId: 'ann',
      message: 'called the customer',
      time: '2026-11-23T09:00:00.000+0000',
    });
    expect((await t.call('GET', `/engine-rest/task/${taskId}/comment`)).json()).toEqual([created.json()]);
    expect((await t.call('GET', `/engine-rest/task/${taskId}/comment/${created.json().id}`)).json()).toEqual(
      created.json(),
    );
    expect((await t.call('GET', `/api/instances/${instanceId}/history`)).json().items).toContainEqual(
      expect.objectContaining({ event: 'task.commented', by: 'ann' }),
    );
    expect(
      (
        await ann.call('POST', `/engine-rest/task/${taskId}/comment/create`, {
          message: 'x',
          processInstanceId: 'another',
        })
      ).statusCode,
    ).toBe(400);
  });
});
