// issue 11 "Call activities" over HTTP: the call chain in /api, /engine-rest and the incident retry route
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chain, definitions, end, start, userTask } from '../helpers/bpmn-builder.js';
import { callActivity8 } from '../helpers/call-builder.js';
import { testApp, type TestApp } from '../helpers/app.js';

const notify = definitions('Notify', [start('CS'), userTask('Work'), end('CE'), ...chain('CS', 'Work', 'CE')]);
const complaint = definitions('Complaint', [
  start('S'),
  callActivity8('Call', 'Notify'),
  userTask('After'),
  end('E'),
  ...chain('S', 'Call', 'After', 'E'),
]);

describe('api/call-activity', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp();
  });
  afterEach(async () => {
    await t.close();
  });
  const startComplaint = async () => {
    const res = await t.call('POST', '/api/instances', { definitionKey: 'Complaint', variables: { customer: 'Ada' } });
    expect(res.statusCode).toBe(201);
    return res.json().id as string;
  };
  const childOf = async (parentId: string) => {
    const res = await t.call('GET', `/api/instances?parentInstanceId=${parentId}`);
    expect(res.statusCode).toBe(200);
    const items = res.json().items as Array<{ id: string }>;
    expect(items).toHaveLength(1);
    return items[0].id;
  };

  it('refuses to end a called instance while its caller is suspended, and hands its result back once resumed', async () => {
    await t.deploy(notify);
    await t.deploy(complaint);
    const parentId = await startComplaint();
    const childId = await childOf(parentId);
    expect((await t.call('POST', `/api/instances/${parentId}/suspend`)).json()).toMatchObject({ suspended: true });
    // the called instance is not suspended with it (as in Camunda), but cannot end into a suspended caller
    expect((await t.call('GET', `/api/instances/${childId}`)).json().suspended).toBe(false);
    const [work] = (await t.call('GET', `/api/tasks?instanceId=${childId}`)).json().items;
    const refused = await t.call('POST', `/api/tasks/${work.id}/complete`, { variables: {} });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'INSTANCE_SUSPENDED' });
    expect(refused.json().detail).toContain(parentId);
    expect((await t.call('GET', `/api/instances/${childId}`)).json()).toMatchObject({ status: 'active' });

    await t.call('POST', `/api/instances/${parentId}/resume`);
    expect((await t.call('POST', `/api/tasks/${work.id}/complete`, { variables: {} })).statusCode).toBe(200);
    expect((await t.call('GET', `/api/instances/${parentId}`)).json().activeElements).toEqual(['After']);
  });

  it('shows parentInstanceId, rootInstanceId and the call activity on the child, and the root on the parent', async () => {
    await t.deploy(notify);
    await t.deploy(complaint);
    const parentId = await startComplaint();
    const childId = await childOf(parentId);
    const child = (await t.call('GET', `/api/instances/${childId}`)).json();
    expect(child).toMatchObject({
      definitionKey: 'Notify',
      parentInstanceId: parentId,
      rootInstanceId: parentId,
      callActivityId: 'Call',
      variables: { customer: 'Ada' },
    });
    const parent = (await t.call('GET', `/api/instances/${parentId}`)).json();
    expect(parent).toMatchObject({ parentInstanceId: null, rootInstanceId: parentId, activeElements: ['Call'] });
  });

  it('answers superProcessInstanceId in /engine-rest history and filters by superProcessInstance', async () => {
    await t.deploy(notify);
    await t.deploy(complaint);
    const parentId = await startComplaint();
    const childId = await childOf(parentId);
    const historic = await t.call('GET', `/engine-rest/history/process-instance/${childId}`);
    expect(historic.statusCode).toBe(200);
    expect(historic.json()).toMatchObject({ superProcessInstanceId: parentId, rootProcessInstanceId: parentId });
    const running = await t.call('GET', `/engine-rest/process-instance?superProcessInstance=${parentId}`);
    expect(running.statusCode).toBe(200);
    expect(running.json().map((i: { id: string }) => i.id)).toEqual([childId]);
  });

  it('a missing called process is an incident that POST /api/incidents/:id/retry resolves once it is deployed', async () => {
    await t.deploy(complaint);
    const parentId = await startComplaint();
    const incidents = (await t.call('GET', `/api/incidents?instanceId=${parentId}&status=open`)).json();
    const [incident] = incidents.items ?? incidents;
    expect(incident).toMatchObject({ elementId: 'Call', code: 'CALLED_PROCESS_NOT_FOUND' });
    expect(incident.message).toContain("'Notify'");
    await t.deploy(notify);
    const retried = await t.call('POST', `/api/incidents/${incident.id}/retry`, {});
    expect(retried.statusCode).toBeLessThan(300);
    expect((await t.call('GET', `/api/instances/${parentId}`)).json().status).toBe('active');
    await childOf(parentId);
  });

  it('refuses to cancel a called instance alone (409 INSTANCE_IS_CALLED naming the parent); the parent cancel takes it', async () => {
    await t.deploy(notify);
    await t.deploy(complaint);
    const parentId = await startComplaint();
    const childId = await childOf(parentId);
    const refused = await t.call('POST', `/api/instances/${childId}/cancel`);
    expect(refused.statusCode).toBe(409);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json()).toMatchObject({ code: 'INSTANCE_IS_CALLED', parentInstanceId: parentId });
    expect((await t.call('GET', `/api/instances/${childId}`)).json().status).toBe('active');
    expect((await t.call('POST', `/api/instances/${parentId}/cancel`)).statusCode).toBe(200);
    expect((await t.call('GET', `/api/instances/${childId}`)).json().status).toBe('terminated');
  });
});
