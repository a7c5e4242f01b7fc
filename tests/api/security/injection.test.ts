import { afterAll, afterEach, beforeEach, expect, it } from 'vitest';
import type { RouteEntry } from '../../../engine/api/access.js';
import { testApp, type TestApp } from '../../helpers/app.js';
import { closeStores, describeEachStore } from '../../helpers/stores.js';
import { reviewProcess } from '../models.js';

const METACHARACTERS = ["' OR 1=1 --", '%', '_', '\\', '"; DROP TABLE tasks; --', "admin'--"];
const TRAVERSALS = [
  '..%2F..%2Fetc%2Fpasswd',
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '..%5C..%5Cwindows',
  'x%00y',
  '%00',
  '....%2F%2F',
];

describeEachStore('api/security: injection and traversal', (backend) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp({ store: await backend.open(), sla: true });
    await t.deploy(reviewProcess());
    const agent = await t.as({ username: 'agent1', roles: ['staff'], groups: ['complaints'] });
    const started = (
      await agent.call('POST', '/api/instances', { definitionKey: 'Process_review', businessKey: 'C-1' })
    ).json();
    const task = (await t.call('GET', `/api/tasks?instanceId=${started.id}`)).json().items[0];
    await agent.call('POST', `/api/tasks/${task.id}/claim`, { userId: 'agent1' });
  });
  afterEach(async () => {
    await t.close();
  });
  afterAll(closeStores);

  it('answers SQL metacharacters in every query parameter with the documented status, leaking and changing nothing', async () => {
    const before = await counts(t);
    // The event stream stays open by design; its filter is only matched in memory.
    const routes = t.app.routeTable.filter(
      (r) => r.method === 'GET' && queryNames(r).length > 0 && r.url !== '/api/events',
    );
    expect(routes.length).toBeGreaterThan(5);
    for (const route of routes) {
      for (const name of queryNames(route)) {
        const url = concrete(route.url);
        const baseline = await t.app.inject({
          method: 'GET',
          url: `${url}?${name}=zz-no-such-value`,
          headers: t.headers(),
        });
        for (const value of METACHARACTERS) {
          const res = await t.app.inject({
            method: 'GET',
            url: `${url}?${name}=${encodeURIComponent(value)}`,
            headers: t.headers(),
          });
          const where = `${route.url}?${name}=${value}`;
          expect([200, 400, 404], where).toContain(res.statusCode);
          if (res.statusCode === 200 && baseline.statusCode === 200)
            expect(itemCount(res.json()), where).toBeLessThanOrEqual(itemCount(baseline.json()));
          expect(res.body, where).not.toMatch(/SQLITE|syntax error|select .* from|postgres/i);
        }
      }
    }
    expect(await counts(t)).toEqual(before);
  });

  it('answers SQL metacharacters, traversal and NUL bytes in every path id with 400 or 404, leaking and changing nothing', async () => {
    const before = await counts(t);
    // web app pages (/cases/:businessKey) answer the app's HTML for any path; the data comes from /api
    const pages = (url: string) => !/^\/(api|engine-rest|v2)\//.test(url);
    const routes = t.app.routeTable.filter(
      (r) => r.method !== 'HEAD' && /:[A-Za-z]+/.test(r.url) && !(r.method === 'GET' && pages(r.url)),
    );
    expect(routes.length).toBeGreaterThan(15);
    for (const route of routes) {
      for (const id of [...METACHARACTERS.map(encodeURIComponent), ...TRAVERSALS]) {
        const url = route.url.replace(/:[A-Za-z]+/g, id);
        const res = await t.app.inject({
          method: route.method as 'GET',
          url,
          headers: {
            ...t.headers(),
            ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { 'content-type': 'application/json' }),
          },
          ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { payload: '{}' }),
        });
        expect([400, 404], `${route.method} ${url}`).toContain(res.statusCode);
        expect(res.body, url).not.toMatch(/root:x:0|SQLITE|syntax error|postgres|\bat \S+\.ts:\d+/i);
      }
    }
    expect(await counts(t)).toEqual(before);
  });

  it('answers an absurdly long id with 414 or 400, not a database error', async () => {
    for (const long of ['x'.repeat(10_000), 'x'.repeat(99)]) {
      for (const url of [
        `/api/tasks/${long}`,
        `/api/instances/${long}/history`,
        `/api/definitions/${long}/xml`,
        `/api/users/${long}`,
        `/api/forms/${long}`,
        `/engine-rest/task/${long}`,
      ]) {
        const res = await t.app.inject({ method: 'GET', url, headers: t.headers() });
        expect([400, 404, 414], url.slice(0, 30)).toContain(res.statusCode);
        if (long.length > 100) expect(res.json()).toMatchObject({ code: 'URI_TOO_LONG', status: 414 });
      }
    }
    const body = await t.call('POST', '/api/instances', { definitionKey: 'x'.repeat(100_000) });
    expect(body.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('hides a database failure behind a 500 without SQL or a stack trace', async () => {
    t.store.tasks.list = async () => {
      throw Object.assign(
        new Error('select "tasks".* from "tasks" where "assignee" = $1 - relation "tasks" does not exist'),
        { code: '42P01' },
      );
    };
    const res = await t.app.inject({ method: 'GET', url: '/api/tasks', headers: t.headers() });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({
      type: expect.any(String),
      title: 'Internal error',
      status: 500,
      code: 'INTERNAL',
      detail: expect.stringMatching(/request id/),
    });
    expect(res.body).not.toMatch(/select|relation|42P01|\.ts:\d+/);
  });

  it('hides a lost database connection behind a 500 too', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/tasks', headers: t.headers() });
    expect(res.statusCode).toBe(200);
    await t.store.close();
    const failed = await t.app.inject({ method: 'GET', url: '/api/tasks', headers: t.headers() });
    expect(failed.statusCode).toBe(500);
    expect(failed.body).not.toMatch(/knex|pool|sqlite|postgres|connection|\.ts:\d+/i);
  });
});

// helpers

async function counts(t: TestApp) {
  const total = async (url: string) => (await t.call('GET', url)).json().total;
  return {
    definitions: await total('/api/definitions'),
    instances: await total('/api/instances?total=true'),
    tasks: await total('/api/tasks?status=all&total=true'),
    users: await total('/api/users'),
    claimed: await total('/api/tasks?assignee=agent1&total=true'),
    history: (
      await t.call('GET', `/api/instances/${(await t.call('GET', '/api/instances')).json().items[0].id}/history`)
    ).json().items.length,
  };
}

function queryNames(route: RouteEntry): string[] {
  const schema = route.schema.querystring as { properties?: Record<string, unknown> } | undefined;
  return Object.keys(schema?.properties ?? {});
}

function concrete(url: string): string {
  return url.replace(/:[A-Za-z]+/g, 'x');
}

function itemCount(body: unknown): number {
  if (Array.isArray(body)) return body.length;
  const items = (body as { items?: unknown[] }).items;
  return Array.isArray(items) ? items.length : 0;
}
