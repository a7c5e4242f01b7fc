import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { T0, testApp, type TestApp } from '../helpers/app.js';
import { reviewProcess } from './models.js';

describe('api/instances', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp();
    await t.deploy(reviewProcess());
  });
  afterEach(async () => {
    await t.close();
  });

  it('starts an instance of the latest version with variables and a business key (201)', async () => {
    const res = await t.call('POST', '/api/instances', {
      definitionKey: 'Process_review',
      variables: { amount: 120 },
      businessKey: 'CASE-1',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({
      id: expect.any(String),
      definitionId: 'Process_review:1',
      definitionKey: 'Process_review',
      businessKey: 'CASE-1',
      status: 'active',
      activeElements: ['Task_review'],
      variables: { amount: 120 },
      startedAt: T0,
      endedAt: null,
      parentInstanceId: null,
      rootInstanceId: expect.any(String),
      callActivityId: null,
      suspended: false,
    });
  });

  it('answers an unknown key with DEFINITION_NOT_FOUND', async () => {
    const res = await t.call('POST', '/api/instances', { definitionKey: 'Process_unknown' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'DEFINITION_NOT_FOUND', status: 404 });
  });

  it('refuses badly named variables with INVALID_VARIABLES naming each', async () => {
    const res = await t.call('POST', '/api/instances', {
      definitionKey: 'Process_review',
      variables: { 'not a name': 1 },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      code: 'INVALID_VARIABLES',
      fields: [{ name: 'not a name', message: expect.any(String) }],
    });
  });

  it('keeps running instances on their version after a redeploy', async () => {
    const old = (await t.call('POST', '/api/instances', { definitionKey: 'Process_review' })).json();
    await t.deploy(reviewProcess('Review v2'));
    const fresh = (await t.call('POST', '/api/instances', { definitionKey: 'Process_review' })).json();
    expect(fresh.definitionId).toBe('Process_review:2');
    expect((await t.call('GET', `/api/instances/${old.id}`)).json().definitionId).toBe('Process_review:1');
  });

  it('lists instances filtered by key, status and business key', async () => {
    await t.call('POST', '/api/instances', { definitionKey: 'Process_review', businessKey: 'A' });
    const b = (await t.call('POST', '/api/instances', { definitionKey: 'Process_review', businessKey: 'B' })).json();
    await t.call('POST', `/api/instances/${b.id}/cancel`);
    const active = (await t.call('GET', '/api/instances?definitionKey=Process_review&status=active&total=true')).json();
    expect(active).toMatchObject({ total: 1, items: [{ businessKey: 'A' }] });
    const byKey = (await t.call('GET', '/api/instances?businessKey=B')).json();
    expect(byKey.items.map((i: { id: string }) => i.id)).toEqual([b.id]);
  });

  it('refuses an unknown status filter', async () => {
    const res = await t.call('GET', '/api/instances?status=sleeping');
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('VALIDATION_FAILED');
  });

  it('answers an unknown instance with INSTANCE_NOT_FOUND', async () => {
    const res = await t.call('GET', '/api/instances/does-not-exist');
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('INSTANCE_NOT_FOUND');
  });

  it('shows the history of an instance, oldest first', async () => {
    const started = (await t.call('POST', '/api/instances', { definitionKey: 'Process_review' })).json();
    const res = await t.call('GET', `/api/instances/${started.id}/history`);
    expect(res.statusCode).toBe(200);
    const { items } = res.json();
    expect(items[0]).toEqual({
      elementId: null,
      elementType: null,
      event: 'instance.started',
      at: T0,
      by: 'admin',
      details: null,
    });
    expect(items).toContainEqual(expect.objectContaining({ elementId: 'Task_review', event: 'element.entered' }));
  });

  it('cancels an active instance, and refuses to cancel it twice', async () => {
    const started = (await t.call('POST', '/api/instances', { definitionKey: 'Process_review' })).json();
    const cancelled = await t.call('POST', `/api/instances/${started.id}/cancel`);
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json()).toMatchObject({ status: 'terminated', endedAt: T0 });
    const again = await t.call('POST', `/api/instances/${started.id}/cancel`);
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('INSTANCE_NOT_ACTIVE');
  });
});
