/**
 * Issue #13: Camunda 7 task variables and identity links write through the engine. Request bodies are the
 * ones Camunda's REST reference shows; task variables go to the process instance, candidate changes decide
 * who sees the task in the tasklist, and a task the caller cannot see answers TASK_NOT_FOUND.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testApp, type Caller, type TestApp } from '../helpers/app.js';

const REVIEW = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Definitions_1" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="Process_review" isExecutable="true">
    <bpmn:startEvent id="Start_1"><bpmn:outgoing>Flow_1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="Task_review" name="Review" camunda:candidateGroups="complaints">
      <bpmn:incoming>Flow_1</bpmn:incoming><bpmn:outgoing>Flow_2</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:endEvent id="End_done"><bpmn:incoming>Flow_2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="Flow_1" sourceRef="Start_1" targetRef="Task_review" />
    <bpmn:sequenceFlow id="Flow_2" sourceRef="Task_review" targetRef="End_done" />
  </bpmn:process>
</bpmn:definitions>`;

describe('api/camunda task variables and identity links', () => {
  let t: TestApp;
  let ann: Caller;
  let eve: Caller;
  let lead: Caller;
  beforeEach(async () => {
    t = await testApp();
    ann = await t.as({ username: 'ann', roles: ['staff'], groups: ['complaints'] });
    eve = await t.as({ username: 'eve', roles: ['staff'], groups: ['billing'] });
    lead = await t.as({ username: 'lead', roles: ['supervisor'], groups: ['complaints'] });
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
  const variablesOf = async (instanceId: string) =>
    (await t.call('GET', `/api/instances/${instanceId}`)).json().variables;

  it('sets and deletes variables in one step with modifications and deletions', async () => {
    const { instanceId, taskId } = await start({
      aThirdVariable: { value: 'old', type: 'String' },
      FourthVariable: { value: 1, type: 'Integer' },
      kept: { value: true, type: 'Boolean' },
    });
    const res = await ann.call('POST', `/engine-rest/task/${taskId}/variables`, {
      modifications: {
        aVariable: { value: 'aStringValue', type: 'String' },
        anotherVariable: { value: 42, type: 'Integer' },
      },
      deletions: ['aThirdVariable', 'FourthVariable'],
    });
    expect(res.statusCode).toBe(204);
    expect(await variablesOf(instanceId)).toEqual({ aVariable: 'aStringValue', anotherVariable: 42, kept: true });
    const history = (await t.call('GET', `/api/instances/${instanceId}/history`)).json().items;
    expect(history.map((h: { event: string }) => h.event)).toContain('variables.set');
  });

  it('puts, reads and deletes one variable of a task', async () => {
    const { instanceId, taskId } = await start();
    const put = await ann.call('PUT', `/engine-rest/task/${taskId}/variables/aVarName`, {
      value: 'someValue',
      type: 'String',
    });
    expect(put.statusCode).toBe(204);
    expect(await variablesOf(instanceId)).toEqual({ aVarName: 'someValue' });
    const got = await ann.call('GET', `/engine-rest/task/${taskId}/variables/aVarName`);
    expect(got.statusCode).toBe(200);
    expect(got.json()).toMatchObject({ value: 'someValue', type: 'String' });

    expect((await ann.call('DELETE', `/engine-rest/task/${taskId}/variables/aVarName`)).statusCode).toBe(204);
    expect(await variablesOf(instanceId)).toEqual({});
    const missing = await ann.call('GET', `/engine-rest/task/${taskId}/variables/aVarName`);
    expect(missing.statusCode).toBe(404);
  });

  it('answers a task the caller cannot see as missing, and a task claimed by someone else as forbidden', async () => {
    const { instanceId, taskId } = await start();
    const hidden = await eve.call('PUT', `/engine-rest/task/${taskId}/variables/x`, { value: 1, type: 'Integer' });
    expect(hidden.statusCode).toBe(404);
    expect((await eve.call('GET', `/engine-rest/task/${taskId}/variables/x`)).statusCode).toBe(404);
    expect(
      (await eve.call('POST', `/engine-rest/task/${taskId}/identity-links`, { groupId: 'billing', type: 'candidate' }))
        .statusCode,
    ).toBe(404);

    expect((await lead.call('POST', `/engine-rest/task/${taskId}/assignee`, { userId: 'lead' })).statusCode).toBe(204);
    const taken = await ann.call('POST', `/engine-rest/task/${taskId}/variables`, {
      modifications: { x: { value: 1, type: 'Integer' } },
    });
    expect(taken.statusCode).toBe(403);
    expect(await variablesOf(instanceId)).toEqual({});
  });

  it('refuses variables on a completed task', async () => {
    const { taskId } = await start();
    expect((await ann.call('POST', `/engine-rest/task/${taskId}/complete`, {})).statusCode).toBe(204);
    const res = await ann.call('PUT', `/engine-rest/task/${taskId}/variables/late`, { value: 1, type: 'Integer' });
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
  });

  it('adds and removes candidates, and the tasklist follows', async () => {
    const { taskId } = await start();
    const seen = async (who: Caller) =>
      (await who.call('GET', '/api/tasks')).json().items.map((x: { id: string }) => x.id);
    expect(await seen(eve)).toEqual([]);

    const add = await lead.call('POST', `/engine-rest/task/${taskId}/identity-links`, {
      groupId: 'billing',
      type: 'candidate',
    });
    expect(add.statusCode).toBe(204);
    expect(await seen(eve)).toEqual([taskId]);
    expect(
      (await lead.call('POST', `/engine-rest/task/${taskId}/identity-links`, { userId: 'ann', type: 'candidate' }))
        .statusCode,
    ).toBe(204);
    expect((await t.call('GET', `/engine-rest/task/${taskId}/identity-links`)).json()).toEqual([
      { userId: 'ann', groupId: null, type: 'candidate' },
      { userId: null, groupId: 'complaints', type: 'candidate' },
      { userId: null, groupId: 'billing', type: 'candidate' },
    ]);

    const del = await lead.call('POST', `/engine-rest/task/${taskId}/identity-links/delete`, {
      groupId: 'billing',
      type: 'candidate',
    });
    expect(del.statusCode).toBe(204);
    expect(await seen(eve)).toEqual([]);
    expect((await t.call('GET', `/api/tasks/${taskId}`)).json()).toMatchObject({
      candidateUsers: ['ann'],
      candidateGroups: ['complaints'],
    });
  });

  it('refuses candidate changes by staff, of unknown users, and of other link types', async () => {
    const { taskId } = await start();
    const link = (who: Caller, body: unknown) => who.call('POST', `/engine-rest/task/${taskId}/identity-links`, body);
    expect((await link(ann, { groupId: 'billing', type: 'candidate' })).statusCode).toBe(403);
    const ghost = await link(lead, { userId: 'ghost', type: 'candidate' });
    expect(ghost.statusCode).toBe(404);
    expect(ghost.body).toContain('ghost');
    expect((await link(lead, { groupId: 'nobody', type: 'candidate' })).statusCode).toBe(404);
    const owner = await link(lead, { userId: 'ann', type: 'owner' });
    expect(owner.statusCode).toBe(400);
    expect(owner.body).toContain('not supported yet');
    expect((await link(lead, { userId: 'ann', groupId: 'billing', type: 'candidate' })).statusCode).toBe(400);
    expect((await t.call('GET', `/api/tasks/${taskId}`)).json()).toMatchObject({
      candidateUsers: [],
      candidateGroups: ['complaints'],
    });
  });

  it('sets and clears the assignee through identity links of type assignee, by the assignment rules', async () => {
    const { taskId } = await start();
    const link = (who: Caller, body: unknown, remove = false) =>
      who.call('POST', `/engine-rest/task/${taskId}/identity-links${remove ? '/delete' : ''}`, body);
    const assigneeOf = async () => (await t.call('GET', `/engine-rest/task/${taskId}`)).json().assignee;

    // staff take a task for themselves only
    expect((await link(ann, { userId: 'lead', type: 'assignee' })).statusCode).toBe(403);
    expect((await link(ann, { userId: 'ann', type: 'assignee' })).statusCode).toBe(204);
    expect(await assigneeOf()).toBe('ann');
    expect((await t.call('GET', `/engine-rest/task/${taskId}/identity-links`)).json()).toContainEqual({
      userId: 'ann',
      groupId: null,
      type: 'assignee',
    });
    // a supervisor reassigns; the one named must exist
    expect((await link(lead, { userId: 'ghost', type: 'assignee' })).statusCode).toBe(404);
    expect((await link(lead, { userId: 'lead', type: 'assignee' })).statusCode).toBe(204);
    expect(await assigneeOf()).toBe('lead');
    // deleting the link gives the task back to its candidates; it must name the assignee
    expect((await link(lead, { userId: 'ann', type: 'assignee' }, true)).statusCode).toBe(400);
    expect((await link(lead, { groupId: 'complaints', type: 'assignee' })).statusCode).toBe(400);
    expect((await link(lead, { userId: 'lead', type: 'assignee' }, true)).statusCode).toBe(204);
    expect(await assigneeOf()).toBeNull();
    // svcflow keeps no owner
    const owner = await link(lead, { userId: 'lead', type: 'owner' }, true);
    expect(owner.statusCode).toBe(400);
    expect(owner.json().detail ?? owner.body).toMatch(/owner.*not supported yet/);
  });

  // svcflow keeps no task owner: every Camunda 7 way to set or use one is refused, none ignored
  it('refuses the task owner wherever Camunda 7 sets or reads one, and shows none', async () => {
    const { taskId } = await start();
    const raw = (who: Caller, url: string, payload: string) =>
      t.app.inject({ method: 'POST', url, headers: { ...who.headers, 'content-type': 'application/json' }, payload });
    // the bodies as Camunda's REST clients send them
    const owner = await raw(lead, `/engine-rest/task/${taskId}/identity-links`, '{"userId":"ann","type":"owner"}');
    expect(owner.statusCode).toBe(400);
    expect(owner.headers['content-type']).toBe('application/json');
    expect(owner.json()).toMatchObject({ type: 'InvalidRequestException' });
    expect(owner.json().message).toMatch(/owner.*not supported yet/);
    const delegated = await raw(lead, `/engine-rest/task/${taskId}/delegate`, '{"userId":"ann"}');
    expect(delegated.statusCode).toBe(400);
    expect(delegated.json().message).toMatch(/delegating a task is not supported yet.*no task owner/);
    const byOwner = await t.call('GET', '/engine-rest/task?owner=ann');
    expect(byOwner.statusCode).toBe(400);
    expect(byOwner.body).toContain('owner');
    // nothing changed: no assignee, and the task reads as Camunda shows a task without an owner
    const task = (await t.call('GET', `/engine-rest/task/${taskId}`)).json();
    expect(task).toMatchObject({ assignee: null, owner: null, delegationState: null });
    expect((await t.call('GET', `/engine-rest/task/${taskId}/identity-links`)).json()).not.toContainEqual(
      expect.objectContaining({ type: 'owner' }),
    );
  });
});
