import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../helpers/app.js';
import { chargeProcess } from '../models.js';

describe('api/security: authentication', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp({ sla: true });
  });
  afterEach(async () => {
    await t.close();
  });

  it('gives every route an access rule and refuses every non-public route without credentials (401)', async () => {
    const routes = t.app.routeTable;
    expect(routes.length).toBeGreaterThan(60);
    expect(routes.filter((r) => r.auth === undefined).map((r) => `${r.method} ${r.url}`)).toEqual([]);
    const closed = routes.filter((r) => r.auth !== 'public');
    for (const route of closed) {
      const res = await t.app.inject({
        method: route.method as 'GET',
        url: concrete(route.url),
        ...(['GET', 'HEAD', 'DELETE'].includes(route.method) ? {} : { payload: {} }),
      });
      expect(res.statusCode, `${route.method} ${route.url}`).toBe(401);
      expect(res.headers['www-authenticate'], `${route.method} ${route.url}`).toMatch(
        /^(Bearer|Basic) realm="svcflow"/,
      );
    }
  });

  it("answers 401 as problem+json under /api and in Camunda's shape under /engine-rest", async () => {
    const api = await t.app.inject({ method: 'GET', url: '/api/tasks' });
    expect(api.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(api.json()).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', title: 'Authentication required' });
    const camunda = await t.app.inject({ method: 'GET', url: '/engine-rest/task' });
    expect(camunda.statusCode).toBe(401);
    expect(camunda.json()).toEqual({ type: 'InvalidRequestException', message: expect.stringContaining('sign in') });
  });

  it('leaves health, docs, sign-in and the web pages open', async () => {
    for (const url of ['/health', '/docs/json'])
      expect((await t.app.inject({ method: 'GET', url })).statusCode, url).toBeLessThan(400);
    // the pages answer 200 with the web app built and 503 without it; either way no credentials are asked for
    for (const url of ['/tasks', '/login'])
      expect([401, 403], url).not.toContain((await t.app.inject({ method: 'GET', url })).statusCode);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { username: 'admin', password: 'wrong' },
        })
      ).statusCode,
    ).toBe(401);
  });

  it('signs in with username and password and answers the user with the token', async () => {
    await t.as({ username: 'ann', roles: ['staff'], groups: ['complaints'], password: 'ann-password' });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'ann', password: 'ann-password' },
    });
    expect(res.statusCode).toBe(200);
    const { token, user } = res.json();
    expect(user).toEqual({ username: 'ann', displayName: 'ann', roles: ['staff'], groups: ['complaints'] });
    const me = await t.app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${token}` } });
    expect(me.json()).toMatchObject({ username: 'ann', roles: ['staff'], groups: ['complaints'] });
  });

  it('refuses a wrong password and an unknown user alike', async () => {
    await t.as({ username: 'ann', roles: ['staff'] });
    for (const payload of [
      { username: 'ann', password: 'nope' },
      { username: 'nobody', password: 'password123' },
    ]) {
      const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ code: 'UNAUTHENTICATED', detail: 'wrong username or password' });
    }
  });

  it('limits sign-in attempts per address and username (429)', async () => {
    const attempt = (username: string) =>
      t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: 'guess' } });
    for (let i = 0; i < 10; i++) expect((await attempt('admin')).statusCode).toBe(401);
    const limited = await attempt('admin');
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
    expect(limited.headers['retry-after']).toBeDefined();
    expect((await attempt('someone-else')).statusCode).toBe(401);
  });

  it('limits failed HTTP Basic sign-ins per address and username (429), and never checks credentials on public routes', async () => {
    const basic = (password: string) => ({
      authorization: `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`,
    });
    for (let i = 0; i < 10; i++)
      expect(
        (await t.app.inject({ method: 'GET', url: '/engine-rest/version', headers: basic(`guess-${i}`) })).statusCode,
      ).toBe(401);
    const limited = await t.app.inject({ method: 'GET', url: '/engine-rest/version', headers: basic('password123') });
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({
      type: 'InvalidRequestException',
      message: expect.stringMatching(/too many/),
    });
    expect((await t.app.inject({ method: 'GET', url: '/health', headers: basic('wrong') })).statusCode).toBe(200);
  });

  it('refuses an expired token', async () => {
    const expired = t.app.jwt.sign({ sub: 'admin' }, { clockTimestamp: Date.now() - 9 * 3600_000 } as never);
    const res = await t.app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${expired}` } });
    expect(res.statusCode).toBe(401);
    expect(res.json().detail).toMatch(/expired/);
  });

  it('refuses forged tokens: another secret, no signature, a changed subject, no expiry', async () => {
    const valid = t.headers().authorization.slice('Bearer '.length);
    const [header, payload] = valid.split('.');
    const otherSecret = signHs256({ sub: 'admin', exp: Math.floor(Date.now() / 1000) + 3600 }, 'not-the-secret');
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'admin' })}.`;
    const changed = `${header}.${b64({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), sub: 'root' })}.${valid.split('.')[2]}`;
    const noExpiry = signHs256({ sub: 'admin' }, (await t.store.users.setting('jwt.secret'))!);
    for (const token of [otherSecret, unsigned, changed, noExpiry, 'garbage', '']) {
      const res = await t.app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${token}` } });
      expect(res.statusCode, token).toBe(401);
    }
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/me', headers: { authorization: 'Digest abc' } })).statusCode,
    ).toBe(401);
  });

  it('refuses the token of a user who was disabled or deleted since', async () => {
    const ann = await t.as({ username: 'ann', roles: ['staff'] });
    await t.call('POST', '/api/users', { username: 'root2', roles: ['admin'] });
    expect((await ann.call('GET', '/api/me')).statusCode).toBe(200);
    await t.call('PATCH', '/api/users/ann', { disabled: true });
    expect((await ann.call('GET', '/api/me')).statusCode).toBe(401);
    await t.call('DELETE', '/api/users/ann');
    expect((await ann.call('GET', '/api/me')).statusCode).toBe(401);
  });

  it('lets a worker with an API token use the job routes until the token is revoked', async () => {
    await t.deploy(chargeProcess());
    await t.call('POST', '/api/instances', { definitionKey: 'Process_charge' });
    const created = (await t.call('POST', '/api/tokens', { name: 'card-worker' })).json();
    expect(created).toMatchObject({ name: 'card-worker', roles: ['worker'], token: expect.stringMatching(/^svcf_/) });
    const worker = { authorization: `Bearer ${created.token}` };
    const fetched = await t.app.inject({
      method: 'POST',
      url: '/api/jobs/fetch-and-lock',
      headers: worker,
      payload: { workerId: 'w1', types: ['charge-card'] },
    });
    const [job] = fetched.json().items;
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/jobs/${job.id}/fail`,
          headers: worker,
          payload: { workerId: 'w1', message: 'card service down', retries: 0 },
        })
      ).statusCode,
    ).toBe(200);
    const history = (await t.call('GET', `/api/instances/${job.instanceId}/history`)).json().items;
    expect(history).toContainEqual(expect.objectContaining({ event: 'incident.raised', by: 'token:card-worker' }));
    expect((await t.app.inject({ method: 'GET', url: '/api/tasks', headers: worker })).statusCode).toBe(403);
    expect(JSON.stringify((await t.call('GET', '/api/tokens')).json())).not.toContain(created.token);
    expect((await t.call('DELETE', `/api/tokens/${created.id}`)).statusCode).toBe(204);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/jobs/fetch-and-lock',
          headers: worker,
          payload: { workerId: 'w1', types: ['charge-card'] },
        })
      ).statusCode,
    ).toBe(401);
  });

  it('takes HTTP Basic on /engine-rest, with a password or an API token as the password', async () => {
    await t.as({ username: 'olga', roles: ['owner'], password: 'modeler-pass' });
    const basic = (user: string, password: string) => ({
      authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
    });
    expect(
      (await t.app.inject({ method: 'GET', url: '/engine-rest/version', headers: basic('olga', 'modeler-pass') }))
        .statusCode,
    ).toBe(200);
    expect(
      (await t.app.inject({ method: 'GET', url: '/engine-rest/version', headers: basic('olga', 'wrong') })).statusCode,
    ).toBe(401);
    const { token } = (await t.call('POST', '/api/tokens', { name: 'external-worker' })).json();
    const fetched = await t.app.inject({
      method: 'POST',
      url: '/engine-rest/external-task/fetchAndLock',
      headers: basic('worker', token),
      payload: { workerId: 'w', maxTasks: 1, topics: [{ topicName: 'x', lockDuration: 1000 }] },
    });
    expect(fetched.statusCode).toBe(200);
  });
});

// helpers

function concrete(url: string): string {
  return url.replace(/:[A-Za-z]+/g, 'x').replace(/\*/g, 'x');
}

function b64(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function signHs256(payload: object, secret: string): string {
  const unsigned = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(payload)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}
