import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VersionConflictError, type TaskRow } from '../../engine/store/index.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { reviewProcess } from './models.js';

describe('api/problems', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp();
  });
  afterEach(async () => {
    await t.close();
  });

  it('answers an unknown route with a NOT_FOUND problem document', async () => {
    const res = await t.call('GET', '/api/nothing-here');
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toEqual({
      type: 'https://svcflow.dev/errors#not-found',
      title: 'No such route',
      status: 404,
      code: 'NOT_FOUND',
      detail: 'no route GET /api/nothing-here',
    });
  });

  it('refuses malformed JSON with MALFORMED_JSON', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/instances',
      headers: { ...t.headers(), 'content-type': 'application/json' },
      payload: '{"definitionKey": ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ code: 'MALFORMED_JSON', status: 400 });
  });

  it('refuses a JSON body larger than the limit with PAYLOAD_TOO_LARGE', async () => {
    const big = { definitionKey: 'Process_review', variables: { text: 'x'.repeat(1024 * 1024) } };
    const res = await t.call('POST', '/api/instances', big);
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', status: 413 });
  });

  it('refuses a content type a JSON route does not take with UNSUPPORTED_MEDIA_TYPE', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/instances',
      headers: { ...t.headers(), 'content-type': 'text/plain' },
      payload: 'definitionKey=x',
    });
    expect(res.statusCode).toBe(415);
    expect(res.json()).toMatchObject({
      code: 'UNSUPPORTED_MEDIA_TYPE',
      detail: "Content-Type 'text/plain' is not accepted by POST /api/instances; send application/json",
    });
  });

  it('lists every field that fails the schema, unknown ones included', async () => {
    const res = await t.call('POST', '/api/instances', { variables: [], colour: 'red' });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(body.fields).toEqual(
      expect.arrayContaining([
        { name: 'body.definitionKey', message: "must have required property 'definitionKey'" },
        { name: 'body.colour', message: 'is not a known property' },
        expect.objectContaining({ name: 'body.variables' }),
      ]),
    );
  });

  it('answers a lost optimistic-concurrency race with VERSION_CONFLICT (409)', async () => {
    t.engine.getTask = async () =>
      ({
        id: 'task-1',
        instanceId: 'inst-1',
        status: 'open',
        assignee: null,
        candidateUsers: [],
        candidateGroups: [],
        formKey: null,
      }) as unknown as TaskRow;
    t.engine.completeTask = async () => {
      throw new VersionConflictError('inst-1', 3);
    };
    const res = await t.call('POST', '/api/tasks/task-1/complete', {});
    expect(res.statusCode).toBe(409);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ code: 'VERSION_CONFLICT', title: 'The instance was changed concurrently' });
  });

  it('hides the cause of an unexpected error behind INTERNAL', async () => {
    t.engine.getInstance = async () => {
      throw Object.assign(new Error('SQLITE_ERROR: no such column: secret_column in select * from instances'), {
        code: 'SQLITE_ERROR',
      });
    };
    const res = await t.call('GET', '/api/instances/abc');
    expect(res.statusCode).toBe(500);
    const body = res.json();
    expect(body).toMatchObject({ code: 'INTERNAL', status: 500, title: 'Internal error' });
    expect(res.body).not.toMatch(/SQLITE|secret_column|at .*\.ts/);
  });

  it('accepts an empty body with a JSON content type on a bodiless action', async () => {
    await t.deploy(reviewProcess());
    const started = (await t.call('POST', '/api/instances', { definitionKey: 'Process_review' })).json();
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/instances/${started.id}/cancel`,
      headers: { ...t.headers(), 'content-type': 'application/json' },
      payload: '',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('terminated');
  });
});
