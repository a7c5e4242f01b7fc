import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { T0, testApp, type TestApp } from '../helpers/app.js';
import { reviewProcess } from './models.js';

describe('api/tasks', () => {
  let t: TestApp;
  let instanceId: string;
  beforeEach(async () => {
    t = await testApp();
    await t.deploy(reviewProcess());
    instanceId = (
      await t.call('POST', '/api/instances', { definitionKey: 'Process_review', variables: { amount: 5 } })
    ).json().id;
  });
  afterEach(async () => {
    await t.close();
  });

  const reviewTask = async () => (await t.call('GET', `/api/tasks?instanceId=${instanceId}`)).json().items[0];

  it('lists the open task of an instance with its whole view', async () => {
    const res = await t.call('GET', `/api/tasks?instanceId=${instanceId}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      nextCursor: null,
      items: [
        {
          id: expect.any(String),
          instanceId,
          definitionKey: 'Process_review',
          elementId: 'Task_review',
          name: 'Task_review',
          assignee: null,
          candidateGroups: ['complaints'],
          candidateUsers: [],
          priority: 50,
          due: null,
          followUp: null,
          createdAt: T0,
          endedAt: null,
          formKey: null,
          status: 'open',
          inputs: {},
          completedBy: null,
          businessKey: null,
          definitionName: 'Review',
          suspended: false,
        },
      ],
    });
  });

  it('shows the business key and the process name on listed, read, claimed and unclaimed tasks', async () => {
    const keyed = (
      await t.call('POST', '/api/instances', { definitionKey: 'Process_review', businessKey: 'CMP-2026-0042' })
    ).json().id;
    const listed = (await t.call('GET', '/api/tasks')).json().items;
    expect(
      listed.map((task: { instanceId: string; businessKey: string | null; definitionName: string | null }) => [
        task.instanceId,
        task.businessKey,
        task.definitionName,
      ]),
    ).toEqual(
      expect.arrayContaining([
        [instanceId, null, 'Review'],
        [keyed, 'CMP-2026-0042', 'Review'],
      ]),
    );
    const id = listed.find((task: { instanceId: string }) => task.instanceId === keyed).id;
    expect((await t.call('GET', `/api/tasks/${id}`)).json()).toMatchObject({
      id,
      businessKey: 'CMP-2026-0042',
      definitionName: 'Review',
    });
    expect((await t.call('POST', `/api/tasks/${id}/claim`, { userId: 'ann' })).json()).toMatchObject({
      assignee: 'ann',
      businessKey: 'CMP-2026-0042',
      definitionName: 'Review',
    });
    expect((await t.call('POST', `/api/tasks/${id}/unclaim`)).json()).toMatchObject({
      assignee: null,
      businessKey: 'CMP-2026-0042',
      definitionName: 'Review',
    });
  });

  it('filters by candidate group, repeated or comma-separated', async () => {
    const none = (await t.call('GET', '/api/tasks?candidateGroup=sales&total=true')).json();
    expect(none.total).toBe(0);
    const repeated = (
      await t.call('GET', '/api/tasks?candidateGroup=sales&candidateGroup=complaints&total=true')
    ).json();
    expect(repeated.total).toBe(1);
    const commas = (await t.call('GET', '/api/tasks?candidateGroup=sales,complaints&total=true')).json();
    expect(commas.total).toBe(1);
  });

  it('claims a task for a user and filters by assignee', async () => {
    const task = await reviewTask();
    const res = await t.call('POST', `/api/tasks/${task.id}/claim`, { userId: 'ann' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: task.id, assignee: 'ann' });
    expect((await t.call('GET', '/api/tasks?assignee=ann&total=true')).json().total).toBe(1);
  });

  it('refuses to claim a task another user holds with TASK_ALREADY_CLAIMED', async () => {
    const task = await reviewTask();
    await t.call('POST', `/api/tasks/${task.id}/claim`, { userId: 'ann' });
    const res = await t.call('POST', `/api/tasks/${task.id}/claim`, { userId: 'bob' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'TASK_ALREADY_CLAIMED' });
  });

  it('unclaims a task', async () => {
    const task = await reviewTask();
    await t.call('POST', `/api/tasks/${task.id}/claim`, { userId: 'ann' });
    const res = await t.call('POST', `/api/tasks/${task.id}/unclaim`);
    expect(res.statusCode).toBe(200);
    expect(res.json().assignee).toBeNull();
  });

  it('completes a task with variables and returns the moved-on instance', async () => {
    const task = await reviewTask();
    const res = await t.call('POST', `/api/tasks/${task.id}/complete`, { variables: { approved: true } });
    expect(res.statusCode).toBe(200);
    expect(res.json().instance).toMatchObject({
      id: instanceId,
      activeElements: ['Task_approve'],
      variables: { amount: 5, approved: true },
    });
    expect((await t.call('GET', `/api/tasks/${task.id}`)).json()).toMatchObject({ status: 'completed', endedAt: T0 });
  });

  it('refuses to complete a completed task with TASK_NOT_OPEN', async () => {
    const task = await reviewTask();
    await t.call('POST', `/api/tasks/${task.id}/complete`, {});
    const res = await t.call('POST', `/api/tasks/${task.id}/complete`, {});
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'TASK_NOT_OPEN', status: 409 });
  });

  it('lists completed tasks only when asked', async () => {
    const task = await reviewTask();
    await t.call('POST', `/api/tasks/${task.id}/complete`, {});
    const open = (await t.call('GET', `/api/tasks?instanceId=${instanceId}`)).json();
    expect(open.items.map((x: { elementId: string }) => x.elementId)).toEqual(['Task_approve']);
    const all = (await t.call('GET', `/api/tasks?instanceId=${instanceId}&status=all&total=true`)).json();
    expect(all.total).toBe(2);
  });

  it('refuses invalid completion variables with INVALID_VARIABLES', async () => {
    const task = await reviewTask();
    const res = await t.call('POST', `/api/tasks/${task.id}/complete`, { variables: { '1st': 'x' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('INVALID_VARIABLES');
  });

  it('answers an unknown task with TASK_NOT_FOUND', async () => {
    const res = await t.call('POST', '/api/tasks/nope/claim', { userId: 'ann' });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('TASK_NOT_FOUND');
  });
});
