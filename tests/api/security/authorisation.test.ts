import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testApp, type Caller, type TestApp } from '../../helpers/app.js';
import { reviewProcess } from '../models.js';

const xml = { 'content-type': 'application/xml' };

describe('api/security: authorisation', () => {
  let t: TestApp;
  let agent: Caller;
  let outsider: Caller;
  let supervisor: Caller;
  let instanceId: string;
  let taskId: string;
  beforeEach(async () => {
    t = await testApp({ sla: true });
    await t.deploy(reviewProcess());
    agent = await t.as({ username: 'agent1', roles: ['staff'], groups: ['complaints'] });
    outsider = await t.as({ username: 'billing1', roles: ['staff'], groups: ['billing'] });
    supervisor = await t.as({ username: 'supervisor1', roles: ['supervisor'], groups: ['supervisors', 'complaints'] });
    instanceId = (await agent.call('POST', '/api/instances', { definitionKey: 'Process_review' })).json().id;
    taskId = (await t.call('GET', `/api/tasks?instanceId=${instanceId}`)).json().items[0].id;
  });
  afterEach(async () => {
    await t.close();
  });

  it('refuses deploying to staff and supervisors (403) and allows owners', async () => {
    const owner = await t.as({ username: 'owner1', roles: ['owner'] });
    for (const caller of [agent, supervisor]) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/definitions',
        headers: { ...caller.headers, ...xml },
        payload: reviewProcess('Changed'),
      });
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ code: 'FORBIDDEN', status: 403 });
    }
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/definitions',
      headers: { ...owner.headers, ...xml },
      payload: reviewProcess('Changed'),
    });
    expect(res.statusCode).toBe(201);
  });

  it('keeps users, groups and tokens to admins', async () => {
    for (const caller of [agent, supervisor, await t.as({ username: 'owner1', roles: ['owner'] })]) {
      expect((await caller.call('GET', '/api/users')).statusCode).toBe(403);
      expect((await caller.call('POST', '/api/users', { username: 'mallory', roles: ['admin'] })).statusCode).toBe(403);
      expect((await caller.call('PUT', '/api/groups/complaints/members', { members: ['agent1'] })).statusCode).toBe(
        403,
      );
      expect((await caller.call('POST', '/api/tokens', { name: 'x', roles: ['admin'] })).statusCode).toBe(403);
    }
    expect((await agent.call('GET', '/api/groups')).statusCode).toBe(200);
  });

  it('refuses staff of another group every action on a task (403) and hides it from their list', async () => {
    expect((await outsider.call('GET', `/api/tasks/${taskId}`)).statusCode).toBe(403);
    expect((await outsider.call('POST', `/api/tasks/${taskId}/claim`, { userId: 'billing1' })).statusCode).toBe(403);
    expect((await outsider.call('POST', `/api/tasks/${taskId}/complete`, { variables: {} })).statusCode).toBe(403);
    expect((await outsider.call('POST', `/api/tasks/${taskId}/unclaim`)).statusCode).toBe(403);
    expect((await outsider.call('GET', '/api/tasks?status=all&total=true')).json()).toEqual({
      items: [],
      total: 0,
      nextCursor: null,
    });
    expect((await outsider.call('GET', `/engine-rest/task/${taskId}`)).statusCode).toBe(403);
    expect((await outsider.call('GET', '/engine-rest/task')).json()).toEqual([]);
    expect((await outsider.call('GET', `/api/instances/${instanceId}`)).statusCode).toBe(403);
    expect((await outsider.call('GET', `/api/instances/${instanceId}/history`)).statusCode).toBe(403);
    expect((await outsider.call('GET', '/api/instances?total=true')).json().total).toBe(0);
    expect((await t.call('GET', `/api/tasks/${taskId}`)).json()).toMatchObject({ status: 'open', assignee: null });
  });

  it('lets staff of the group claim for themselves only, and complete, and records who did it', async () => {
    expect((await agent.call('GET', '/api/tasks?total=true')).json().total).toBe(1);
    expect((await agent.call('POST', `/api/tasks/${taskId}/claim`, { userId: 'someone' })).statusCode).toBe(403);
    expect((await agent.call('POST', `/api/tasks/${taskId}/claim`, { userId: 'agent1' })).statusCode).toBe(200);
    expect((await agent.call('POST', `/api/tasks/${taskId}/complete`, { variables: { ok: true } })).statusCode).toBe(
      200,
    );
    const history = (await agent.call('GET', `/api/instances/${instanceId}/history`)).json().items;
    expect(history).toContainEqual(expect.objectContaining({ event: 'instance.started', by: 'agent1' }));
    expect(history).toContainEqual(expect.objectContaining({ event: 'task.claimed', by: 'agent1' }));
    expect(history).toContainEqual(expect.objectContaining({ event: 'task.completed', by: 'agent1' }));
  });

  it('refuses staff a task claimed by a colleague, and taking it over', async () => {
    await t.as({ username: 'agent2', roles: ['staff'], groups: ['complaints'] });
    await supervisor.call('POST', `/api/tasks/${taskId}/claim`, { userId: 'agent2' });
    expect((await agent.call('POST', `/api/tasks/${taskId}/complete`, {})).statusCode).toBe(403);
    expect((await agent.call('POST', `/api/tasks/${taskId}/unclaim`)).statusCode).toBe(403);
    expect((await agent.call('POST', `/api/tasks/${taskId}/claim`, { userId: 'agent1', force: true })).statusCode).toBe(
      403,
    );
  });

  it('lets a supervisor reassign a claimed task with force and records the reassignment', async () => {
    await agent.call('POST', `/api/tasks/${taskId}/claim`, { userId: 'agent1' });
    await t.as({ username: 'agent2', roles: ['staff'], groups: ['complaints'] });
    expect(
      (await supervisor.call('POST', `/api/tasks/${taskId}/claim`, { userId: 'billing1', force: true })).json(),
    ).toMatchObject({ code: 'ASSIGNEE_NOT_CANDIDATE' });
    expect(
      (await supervisor.call('POST', `/api/tasks/${taskId}/claim`, { userId: 'nobody', force: true })).json(),
    ).toMatchObject({ code: 'USER_NOT_FOUND' });
    expect((await supervisor.call('POST', `/api/tasks/${taskId}/claim`, { userId: 'agent2' })).statusCode).toBe(409);
    const res = await supervisor.call('POST', `/api/tasks/${taskId}/claim`, { userId: 'agent2', force: true });
    expect(res.json()).toMatchObject({ assignee: 'agent2' });
    const history = (await supervisor.call('GET', `/api/instances/${instanceId}/history`)).json().items;
    expect(history).toContainEqual(
      expect.objectContaining({ event: 'task.assigned', by: 'supervisor1', details: { taskId, assignee: 'agent2' } }),
    );
  });

  it('lets supervisors cancel instances of their groups and retry incidents, but not staff', async () => {
    expect((await agent.call('POST', `/api/instances/${instanceId}/cancel`)).statusCode).toBe(403);
    expect((await agent.call('GET', '/api/incidents')).statusCode).toBe(403);
    const other = await t.as({ username: 'risk1', roles: ['supervisor'], groups: ['risk-managers'] });
    expect((await other.call('POST', `/api/instances/${instanceId}/cancel`)).statusCode).toBe(403);
    expect((await supervisor.call('POST', `/api/instances/${instanceId}/cancel`)).json()).toMatchObject({
      status: 'terminated',
    });
  });

  it('lets supervisors of service-managers see every instance', async () => {
    const manager = await t.as({ username: 'manager1', roles: ['supervisor'], groups: ['service-managers'] });
    expect((await manager.call('GET', '/api/instances?total=true')).json().total).toBe(1);
    expect((await manager.call('GET', '/api/tasks?total=true')).json().total).toBe(1);
  });

  it('shows SLAs, reports and the event stream to supervisors, and lets owners edit calendars and forms', async () => {
    const owner = await t.as({ username: 'owner1', roles: ['owner'] });
    for (const url of ['/api/sla', '/api/sla/report', '/api/incidents']) {
      expect((await agent.call('GET', url)).statusCode, url).toBe(403);
      expect((await supervisor.call('GET', url)).statusCode, url).toBe(200);
    }
    const calendar = (await t.call('GET', '/api/calendars/default')).json();
    const { id: _id, updatedAt: _at, ...body } = calendar;
    expect((await agent.call('GET', '/api/calendars')).statusCode).toBe(200);
    expect((await supervisor.call('PUT', '/api/calendars/default', body)).statusCode).toBe(403);
    expect((await owner.call('PUT', '/api/calendars/default', body)).statusCode).toBe(200);
    expect((await agent.call('PUT', '/api/forms/review-form', { components: [] })).statusCode).toBe(403);
  });

  it('keeps workers to the job routes and staff away from them', async () => {
    const { token } = (await t.call('POST', '/api/tokens', { name: 'worker' })).json();
    const worker = { authorization: `Bearer ${token}` };
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/instances/${instanceId}`, headers: worker })).statusCode,
    ).toBe(403);
    expect(
      (await t.app.inject({ method: 'POST', url: `/api/tasks/${taskId}/complete`, headers: worker, payload: {} }))
        .statusCode,
    ).toBe(403);
    expect((await agent.call('POST', '/api/jobs/fetch-and-lock', { workerId: 'w', types: ['x'] })).statusCode).toBe(
      403,
    );
    expect(
      (
        await agent.call('POST', '/engine-rest/external-task/fetchAndLock', {
          workerId: 'w',
          topics: [{ topicName: 'x', lockDuration: 1000 }],
        })
      ).statusCode,
    ).toBe(403);
  });
});
