import SwaggerParser from '@apidevtools/swagger-parser';
import openapiTS, { astToString } from 'openapi-typescript';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.js';

describe('api/health and docs', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp();
  });
  afterEach(async () => {
    await t.close();
  });

  it('reports ready when the database answers', async () => {
    expect((await t.call('GET', '/health')).json()).toEqual({ status: 'ok' });
    const res = await t.call('GET', '/ready');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ready', database: 'up', scheduler: 'stopped' });
  });

  it('stays live but not ready (503 with Retry-After) while the database is down', async () => {
    t.store.ping = async () => false;
    expect((await t.call('GET', '/health')).statusCode).toBe(200);
    const res = await t.call('GET', '/ready');
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.json()).toMatchObject({ status: 'not ready', database: 'down' });
  });

  it('answers 503 DATABASE_UNAVAILABLE with Retry-After when a query times out, not 500', async () => {
    t.store.instances.list = async () => {
      throw Object.assign(new Error('Query read timeout'), { name: 'Error' });
    };
    const res = await t.call('GET', '/api/instances');
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.json()).toMatchObject({ code: 'DATABASE_UNAVAILABLE' });
  });

  it('publishes an OpenAPI 3 document listing every route', async () => {
    const res = await t.call('GET', '/docs/json');
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/definitions',
        '/api/definitions/{id}',
        '/api/definitions/{id}/xml',
        '/api/instances',
        '/api/instances/{id}',
        '/api/instances/{id}/history',
        '/api/instances/{id}/cancel',
        '/api/tasks',
        '/api/tasks/{id}',
        '/api/tasks/{id}/claim',
        '/api/tasks/{id}/unclaim',
        '/api/tasks/{id}/complete',
        '/api/messages',
        '/api/jobs',
        '/api/jobs/fetch-and-lock',
        '/api/jobs/{id}/complete',
        '/api/jobs/{id}/fail',
        '/api/jobs/{id}/bpmn-error',
        '/api/incidents',
        '/api/incidents/{id}/retry',
        '/health',
        '/engine-rest/deployment/create',
        '/engine-rest/process-definition/key/{key}/start',
        '/engine-rest/task',
        '/engine-rest/external-task/fetchAndLock',
        '/engine-rest/message',
      ]),
    );
    expect(doc.paths['/api/instances'].post).toMatchObject({ tags: ['instances'], summary: expect.any(String) });
    expect(doc.components.schemas).toHaveProperty('Problem');
  });

  it('serves the Swagger UI at /docs', async () => {
    const res = await t.call('GET', '/docs');
    expect(res.statusCode).toBeLessThan(400);
  });
});

describe('api/docs: the OpenAPI document', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp({ sla: true });
  });
  afterEach(async () => {
    await t.close();
  });

  it('validates as OpenAPI 3', async () => {
    const doc = (await t.call('GET', '/docs/json')).json();
    await expect(SwaggerParser.validate(structuredClone(doc))).resolves.toMatchObject({
      openapi: expect.stringMatching(/^3\./),
    });
  });

  it('gives every operation a unique operationId, derived from method and path when a route names none', async () => {
    const doc = (await t.call('GET', '/docs/json')).json() as {
      paths: Record<string, Record<string, { operationId?: string }>>;
    };
    const ids = Object.values(doc.paths).flatMap((item) =>
      Object.values(item).map((operation) => operation.operationId),
    );
    expect(ids.filter((id) => !id)).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(doc.paths['/api/instances/{id}/history'].get.operationId).toBe('getApiInstancesByIdHistory');
    expect(doc.paths['/engine-rest/process-definition/key/{key}/start'].post.operationId).toBe(
      'postEngineRestProcessDefinitionKeyByKeyStart',
    );
  });

  it('generates a typed client description with openapi-typescript', async () => {
    const doc = (await t.call('GET', '/docs/json')).json();
    const types = astToString(await openapiTS(doc));
    expect(types).toContain('export interface operations');
    for (const id of [
      'postApiDefinitions',
      'getApiTasks',
      'postApiTasksByIdComplete',
      'postEngineRestDeploymentCreate',
    ]) {
      expect(types).toMatch(new RegExp(`^ {4}${id}: \\{$`, 'm'));
    }
  });
});
