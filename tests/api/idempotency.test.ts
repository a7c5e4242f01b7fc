import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.js';
import { reviewProcess } from './models.js';

describe('api: Idempotency-Key on starts and completions', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp();
    await t.deploy(reviewProcess());
  });
  afterEach(async () => {
    await t.close();
  });

  const post = (url: string, body: unknown, key?: string) =>
    t.app.inject({
      method: 'POST',
      url,
      payload: body as object,
      headers: { ...t.headers(), 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
    });

  it('answers a retried start with the first answer and starts one instance', async () => {
    const first = await post(
      '/api/instances',
      { definitionKey: 'Process_review', variables: { a: 1, b: 2 } },
      'start-1',
    );
    const again = await post(
      '/api/instances',
      { variables: { b: 2, a: 1 }, definitionKey: 'Process_review' },
      'start-1',
    );
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

  it("keeps keys per caller: another user's same key is their own request", async () => {
    const agent = await t.as({ username: 'agent1', roles: ['staff'], groups: ['complaints'] });
    await post('/api/instances', { definitionKey: 'Process_review' }, 'shared');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/instances',
      payload: { definitionKey: 'Process_review' },
      headers: { ...agent.headers, 'content-type': 'application/json', 'idempotency-key': 'shared' },
    });
    expect(res.statusCode).toBe(201);
    expect(res.headers['idempotent-replayed']).toBeUndefined();
    expect((await t.call('GET', '/api/instances?total=true')).json().total).toBe(2);
  });

  // issue 17: a node that dies while a keyed request runs must not leave the key stuck, nor let a retry double the work
  describe('when the first request died with its node', () => {
    const reserveAsDead = (key: string, body: unknown) =>
      t.store.idempotency
        .reserve({
          scope: 'POST /api/instances',
          owner: 'admin',
          key,
          fingerprint: 'of-the-dead-request',
          reservation: 'dead-node',
          statusCode: null,
          response: null,
          createdAt: t.clock.now().toISOString(),
        })
        .then(() => body);

    it('answers 409 while the dead request is within its lease, then runs the retry once', async () => {
      // given: a reservation nobody will ever answer
      const body = await reserveAsDead('start-dead', { definitionKey: 'Process_review' });
      expect((await post('/api/instances', body, 'start-dead')).json()).toMatchObject({
        code: 'IDEMPOTENCY_IN_PROGRESS',
      });

      // when: the lease has passed
      t.clock.advance(t.engine.idempotencyLeaseMs + 1);
      const retried = await post('/api/instances', body, 'start-dead');
      const again = await post('/api/instances', body, 'start-dead');

      // then
      expect(retried.statusCode).toBe(201);
      expect(again.json()).toEqual(retried.json());
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect((await t.call('GET', '/api/instances?total=true')).json().total).toBe(1);
    });

    it('stores the answer in the transaction of the start, so a request whose key was taken over starts nothing', async () => {
      // given: the request holds the key, but before its step commits another retry takes the key over
      const body = { definitionKey: 'Process_review' };
      const seen: string[] = [];
      t.engine.extend({
        settled: async ({ tx }) => {
          if (seen.length > 0) return;
          seen.push('first');
          await tx.idempotency.reserve(
            {
              scope: 'POST /api/instances',
              owner: 'admin',
              key: 'start-raced',
              fingerprint: 'x',
              reservation: 'x',
              statusCode: null,
              response: null,
              createdAt: t.clock.now().toISOString(),
            },
            '9999-01-01T00:00:00.000Z',
          );
        },
      });

      // when
      const res = await post('/api/instances', body, 'start-raced');

      // then: the start rolled back with the lost key
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ code: 'IDEMPOTENCY_IN_PROGRESS' });
      expect((await t.call('GET', '/api/instances?total=true')).json().total).toBe(0);
    });

    it('keeps a completion whose answer was stored once: a retry after the lease replays it', async () => {
      const instanceId = (await post('/api/instances', { definitionKey: 'Process_review' })).json().id;
      const taskId = (await t.call('GET', `/api/tasks?instanceId=${instanceId}`)).json().items[0].id;
      const first = await post(`/api/tasks/${taskId}/complete`, { variables: { ok: true } }, 'done-dead');
      t.clock.advance(t.engine.idempotencyLeaseMs + 1);
      const again = await post(`/api/tasks/${taskId}/complete`, { variables: { ok: true } }, 'done-dead');
      expect(again.statusCode).toBe(200);
      expect(again.json()).toEqual(first.json());
      expect(again.headers['idempotent-replayed']).toBe('true');
    });
  });
});
