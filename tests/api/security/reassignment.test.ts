import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testApp, type Caller, type TestApp } from '../../helpers/app.js';
import { reviewProcess } from '../models.js';

// The reassignment rule lives in the engine (Engine.assignTask), so every door applies it alike.
describe('api/security: reassignment on every path', () => {
  let t: TestApp;
  let agent: Caller;
  let supervisor: Caller;
  let taskId: string;
  beforeEach(async () => {
    t = await testApp();
    await t.deploy(reviewProcess());
    agent = await t.as({ username: 'agent1', roles: ['staff'], groups: ['complaints'] });
    await t.as({ username: 'agent2', roles: ['staff'], groups: ['complaints'] });
    await t.as({ username: 'billing1', roles: ['staff'], groups: ['billing'] });
    supervisor = await t.as({ username: 'supervisor1', roles: ['supervisor'], groups: ['complaints'] });
    const instanceId = (await agent.call('POST', '/api/instances', { definitionKey: 'Process_review' })).json().id;
    taskId = (await t.call('GET', `/api/tasks?instanceId=${instanceId}`)).json().items[0].id;
  });
  afterEach(async () => {
    await t.close();
  });

  const assignee = async () => (await t.call('GET', `/api/tasks/${taskId}`)).json().assignee;

  for (const action of ['claim', 'assignee']) {
    it(`refuses a supervisor giving a task to a user who does not exist via /engine-rest/task/{id}/${action}`, async () => {
      const res = await supervisor.call('POST', `/engine-rest/task/${taskId}/${action}`, { userId: 'nobody' });
      expect(res.statusCode).toBe(404);
      expect(res.json().message).toContain("user 'nobody' does not exist");
      expect(await assignee()).toBeNull();
    });

    it(`refuses a supervisor giving a task to a non-candidate via /engine-rest/task/{id}/${action}`, async () => {
      expect(
        (await supervisor.call('POST', `/engine-rest/task/${taskId}/${action}`, { userId: 'billing1' })).statusCode,
      ).toBe(400);
      expect(await assignee()).toBeNull();
    });
  }

  it('lets a supervisor set the assignee over a holder via /engine-rest, but not staff', async () => {
    expect((await agent.call('POST', `/engine-rest/task/${taskId}/claim`, { userId: 'agent1' })).statusCode).toBe(204);
    const colleague = await t.as('agent2');
    expect(
      (await colleague.call('POST', `/engine-rest/task/${taskId}/assignee`, { userId: 'agent2' })).statusCode,
    ).toBe(403);
    expect((await supervisor.call('POST', `/engine-rest/task/${taskId}/claim`, { userId: 'agent2' })).statusCode).toBe(
      409,
    );
    expect(
      (await supervisor.call('POST', `/engine-rest/task/${taskId}/assignee`, { userId: 'agent2' })).statusCode,
    ).toBe(204);
    expect(await assignee()).toBe('agent2');
  });

  it('refuses a disabled user as the new assignee on /api and /engine-rest', async () => {
    expect((await t.call('PATCH', '/api/users/agent2', { disabled: true })).statusCode).toBe(200);
    expect((await supervisor.call('POST', `/api/tasks/${taskId}/claim`, { userId: 'agent2' })).json()).toMatchObject({
      code: 'ASSIGNEE_NOT_CANDIDATE',
    });
    expect(
      (await supervisor.call('POST', `/engine-rest/task/${taskId}/assignee`, { userId: 'agent2' })).statusCode,
    ).toBe(400);
    expect(await assignee()).toBeNull();
  });

  // issue 17: the Camunda 8 door (/v2/user-tasks/{key}/assignment) applies the same rule
  describe('on /v2', () => {
    const assign = async (caller: Caller, body: Record<string, unknown>) =>
      caller.call('POST', `/v2/user-tasks/${await t.store.externalKeys.keyOf('task', taskId)}/assignment`, body);

    it('refuses a user who does not exist, a non-candidate and a disabled user, and assigns a candidate', async () => {
      expect((await assign(supervisor, { assignee: 'nobody' })).statusCode).toBe(404);
      expect((await assign(supervisor, { assignee: 'billing1' })).statusCode).toBe(400);
      expect((await t.call('PATCH', '/api/users/agent2', { disabled: true })).statusCode).toBe(200);
      expect((await assign(supervisor, { assignee: 'agent2' })).statusCode).toBe(400);
      expect(await assignee()).toBeNull();
      expect((await assign(supervisor, { assignee: 'agent1' })).statusCode).toBe(204);
      expect(await assignee()).toBe('agent1');
    });

    it('lets staff take a free task for themselves only, and never over a colleague', async () => {
      const colleague = await t.as('agent2');
      expect((await assign(agent, { assignee: 'agent2' })).statusCode).toBe(403);
      expect((await assign(agent, { assignee: 'agent1' })).statusCode).toBe(204);
      expect((await assign(colleague, { assignee: 'agent2' })).statusCode).toBe(403);
      expect((await assign(colleague, { assignee: 'agent2', allowOverride: true })).statusCode).toBe(403);
      expect(await assignee()).toBe('agent1');
    });
  });
});
