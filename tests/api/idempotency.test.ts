import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.js';
import { reviewProcess } from './models.js';

describe('api: Idempotency-Key on starts and completions', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp();
    await t.deploy(reviewProcess());
  });
  afterEach(async () => { await t.close(); });

  const post = (url: string, body: unknown, key?: string) => t.app.inject({
    method: 'POST', url, payload: body as object, headers: { ...t.headers(), 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
  });

  it('answers a retried start with the first answer and starts one instance', async () => {
    const first = await post('/api/instances', { definitionKey: 'Process_review', variables: { a: 1, b: 2 } }, 'start-1');
    const again = await post('/api/instances', { variables: { b: 2, a: 1 }, definitionKey: 'Process_review' }, 'start-1');
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual(first.json());
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect((await t.call('GET', '/api/instances?total=true')).json().total).toBe(1);
  });

  it('refuses the same key with another body (422) and starts nothing more', async () => {
    await post('/api/instances', { definitionKey: 'Process_review' }, 'start-2');
    const other = await post('/api/instances', { definitionKey: 'Process_review', variables: { x: 1 } }, 'start-2');
    expect(other.statusCode).toBe(422);
    expect(other.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    expect((await t.call('GET', '/api/instances?total=true')).json().total).toBe(1);
  });

  it('runs a keyed request again when its first attempt failed', async () => {
    expect((await post('/api/instances', { definitionKey: 'Process_none' }, 'start-3')).statusCode).toBe(404);
    await t.deploy(reviewProcess().replaceAll('Process_review', 'Process_none'));
    expect((await post('/api/instances', { definitionKey: 'Process_none' }, 'start-3')).statusCode).toBe(201);
  });

  it('answers a retried completion with the first answer instead of TASK_NOT_OPEN', async () => {
    const instanceId = (await post('/api/instances', { definitionKey: 'Process_review' })).json().id;
    const taskId = (await t.call('GET', `/api/tasks?instanceId=${instanceId}`)).json().items[0].id;
    const first = await post(`/api/tasks/${taskId}/complete`, { variables: { ok: true } }, 'done-1');
    const again = await post(`/api/tasks/${taskId}/complete`, { variables: { ok: true } }, 'done-1');
    expect(first.statusCode).toBe(200);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
    expect((await post(`/api/tasks/${taskId}/complete`, { variables: { ok: false } }, 'done-1')).statusCode).toBe(422);
    expect((await post(`/api/tasks/${taskId}/complete`, { variables: { ok: true } })).statusCode).toBe(409);
  });

  it('keeps keys per caller: another user\'s same key is their own request', async () => {
    const agent = await t.as({ username: 'agent1', roles: ['staff'], groups: ['complaints'] });
    await post('/api/instances', { definitionKey: 'Process_review' }, 'shared');
    const res = await t.app.inject({ method: 'POST', url: '/api/instances', payload: { definitionKey: 'Process_review' }, headers: { ...agent.headers, 'content-type': 'application/json', 'idempotency-key': 'shared' } });
    expect(res.statusCode).toBe(201);
    expect(res.headers['idempotent-replayed']).toBeUndefined();
    expect((await t.call('GET', '/api/instances?total=true')).json().total).toBe(2);
  });
});
