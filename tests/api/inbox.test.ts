/** Issue 14, "Operations in the web app": each person's inbox — work given to them, notices to their groups — with read marks. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.js';
import { chain, definitions, end, start, userTask } from '../helpers/bpmn-builder.js';

const MODEL = definitions('Callback', [
  start('S'),
  userTask('Task_call', { groups: 'cs-agents' }),
  end('E'),
  ...chain('S', 'Task_call', 'E'),
]);
const AGENT = { username: 'agent1', roles: ['staff'], groups: ['cs-agents'] };
const AGENT2 = { username: 'agent2', roles: ['staff'], groups: ['cs-agents'] };
const SUPERVISOR = { username: 'supervisor1', roles: ['supervisor'], groups: ['cs-supervisors', 'cs-agents'] };

describe('api/inbox', () => {
  let t: TestApp;
  let taskId: string;
  beforeEach(async () => {
    t = await testApp();
    await t.deploy(MODEL);
    const instance = (await t.call('POST', '/api/instances', { definitionKey: 'Callback' })).json();
    taskId = (await t.call('GET', `/api/tasks?instanceId=${instance.id}`)).json().items[0].id;
    // the assignees exist before anyone gives them work
    await t.as(AGENT);
    await t.as(AGENT2);
  });
  afterEach(async () => {
    await t.close();
  });

  it("puts a task a supervisor gives to someone into their inbox, unread, and not into anyone else's", async () => {
    const supervisor = await t.as(SUPERVISOR);
    expect(
      (await supervisor.call('POST', `/api/tasks/${taskId}/claim`, { userId: 'agent1', force: true })).statusCode,
    ).toBe(200);
    const agent = await t.as(AGENT);
    const inbox = (await agent.call('GET', '/api/inbox')).json();
    expect(inbox).toMatchObject({
      unread: 1,
      items: [
        {
          kind: 'task.assigned',
          toUser: 'agent1',
          read: false,
          payload: { taskId, by: 'supervisor1', previousAssignee: null },
        },
      ],
    });
    expect((await (await t.as(AGENT2)).call('GET', '/api/inbox')).json()).toEqual({ items: [], unread: 0 });
    expect(
      (await supervisor.call('POST', `/api/tasks/${taskId}/claim`, { userId: 'agent2', force: true })).statusCode,
    ).toBe(200);
    expect((await (await t.as(AGENT2)).call('GET', '/api/inbox')).json()).toMatchObject({
      unread: 1,
      items: [{ kind: 'task.reassigned', payload: { previousAssignee: 'agent1' } }],
    });
  });

  it("records nothing for a claim of one's own", async () => {
    const agent = await t.as(AGENT);
    expect((await agent.call('POST', `/api/tasks/${taskId}/claim`, { userId: 'agent1' })).statusCode).toBe(200);
    expect((await agent.call('GET', '/api/inbox')).json()).toEqual({ items: [], unread: 0 });
  });

  it('marks notifications read by id or all at once, for the caller only', async () => {
    const supervisor = await t.as(SUPERVISOR);
    await supervisor.call('POST', `/api/tasks/${taskId}/claim`, { userId: 'agent1', force: true });
    await supervisor.call('POST', `/api/tasks/${taskId}/claim`, { userId: 'agent2', force: true });
    await supervisor.call('POST', `/api/tasks/${taskId}/claim`, { userId: 'agent1', force: true });
    const agent = await t.as(AGENT);
    const [newest, oldest] = (await agent.call('GET', '/api/inbox')).json().items;
    expect((await agent.call('POST', '/api/inbox/read', { ids: [newest.id] })).json()).toEqual({ unread: 1 });
    // someone else's notification is not theirs to mark
    expect((await (await t.as(AGENT2)).call('POST', '/api/inbox/read', { ids: [oldest.id] })).json()).toEqual({
      unread: 1,
    });
    expect((await agent.call('GET', '/api/inbox')).json().items.map((item: { read: boolean }) => item.read)).toEqual([
      true,
      false,
    ]);
    expect((await agent.call('POST', '/api/inbox/read', { all: true })).json()).toEqual({ unread: 0 });
    expect((await agent.call('GET', '/api/inbox')).json().unread).toBe(0);
  });
});
