import { get, type IncomingMessage } from 'node:http';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../engine/api/app.js';
import { eventRoutes } from '../../engine/api/routes/events.js';
import { openStore } from '../../engine/store/index.js';
import { signIn } from '../helpers/app.js';
import { chain, definitions, end, sla, start, userTask } from '../helpers/bpmn-builder.js';
import { slaEngineOn, type SlaTestEngine } from '../helpers/sla.js';
import { migrationSource } from '../../migrations/index.js';

/** An open SSE response: wait for text to arrive, then hang up. */
interface Stream {
  waitFor(text: string): Promise<string>;
  close(): void;
}

describe('api/events (Server-Sent Events)', () => {
  let t: SlaTestEngine;
  let app: FastifyInstance;
  let base: string;
  let headers: Record<string, string>;
  beforeEach(async () => {
    const store = await openStore({ migrations: migrationSource, url: 'sqlite::memory:' });
    await store.migrate();
    t = await slaEngineOn(store);
    app = await buildApp({ engine: t.engine, sla: t.sla, logger: false });
    headers = await signIn(app, store, {
      username: 'supervisor1',
      roles: ['supervisor'],
      groups: ['service-managers'],
    });
    base = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterEach(async () => {
    vi.useRealTimers();
    await app.close();
    await t.store.close();
  });

  it('streams SLA and task notifications as they are published', async () => {
    await t.engine.deploy(
      definitions('review', [
        start('S'),
        userTask('Review', { ext: sla('PT4H') }),
        end('E'),
        ...chain('S', 'Review', 'E'),
      ]),
    );
    const stream = await open(`${base}/api/events?types=sla,task`, headers);
    const instance = await t.engine.startInstance({ definitionKey: 'review' });
    const text = await stream.waitFor('event: sla.started');
    stream.close();
    expect(text).toMatch(/^: connected\n\n/);
    expect(text).toContain('event: task.created\ndata: ');
    const started = JSON.parse(/event: sla\.started\ndata: (.+)\n\n/.exec(text)![1]);
    expect(started).toMatchObject({
      type: 'sla.started',
      instanceId: instance.id,
      elementId: 'Review',
      data: { status: 'running', dueAt: expect.any(String) },
    });
    expect(text).not.toContain('event: instance.started');
  });

  it('gives a supervisor of other groups nothing of an instance that holds no task of theirs, and everything of their own', async () => {
    await t.engine.deploy(
      definitions('review', [
        start('S'),
        userTask('Review', { groups: 'complaints', ext: sla('PT4H') }),
        end('E'),
        ...chain('S', 'Review', 'E'),
      ]),
    );
    const risk = await signIn(app, t.store, { username: 'risk1', roles: ['supervisor'], groups: ['risk-managers'] });
    const own = await signIn(app, t.store, { username: 'lead1', roles: ['supervisor'], groups: ['complaints'] });
    const other = await open(`${base}/api/events`, risk);
    const mine = await open(`${base}/api/events`, own);
    const theirs = await t.engine.startInstance({ definitionKey: 'review' });
    const text = await mine.waitFor('event: sla.started');
    mine.close();
    expect(text).toContain(theirs.id);
    await t.engine.deploy(
      definitions('risk', [
        start('S'),
        userTask('Assess', { groups: 'risk-managers' }),
        end('E'),
        ...chain('S', 'Assess', 'E'),
      ]),
    );
    const riskInstance = await t.engine.startInstance({ definitionKey: 'risk' });
    const seen = await other.waitFor(riskInstance.id);
    other.close();
    expect(seen).not.toContain(theirs.id);
  });

  it('refuses a sixth event stream of one user (429) while five are open', async () => {
    const streams = await Promise.all(Array.from({ length: 5 }, () => open(`${base}/api/events`, headers)));
    const res = await app.inject({ method: 'GET', url: '/api/events', headers });
    expect(res.statusCode).toBe(429);
    for (const s of streams) s.close();
  });

  it('tells staff only that tasks changed, without their data, and nothing of SLAs', async () => {
    await t.engine.deploy(
      definitions('review', [
        start('S'),
        userTask('Review', { ext: sla('PT4H') }),
        end('E'),
        ...chain('S', 'Review', 'E'),
      ]),
    );
    const staff = await signIn(app, t.store, { username: 'agent1', roles: ['staff'], groups: ['cs-agents'] });
    const stream = await open(`${base}/api/events`, staff);
    await t.engine.startInstance({ definitionKey: 'review', businessKey: 'CMP-secret' });
    const text = await stream.waitFor('event: task.created');
    stream.close();
    const created = JSON.parse(/event: task\.created\ndata: (.+)\n\n/.exec(text)![1]);
    expect(Object.keys(created).sort()).toEqual(['at', 'taskId', 'type']);
    expect(text).not.toContain('sla.');
    expect(text).not.toContain('instance.');
  });

  it('stops listening to the engine when the client disconnects', async () => {
    const before = t.engine.events.listenerCount('notification');
    const stream = await open(`${base}/api/events`, headers);
    expect(t.engine.events.listenerCount('notification')).toBe(before + 1);
    const gone = new Promise<void>((resolve) => t.engine.events.on('removeListener', () => resolve()));
    stream.close();
    await gone;
    expect(t.engine.events.listenerCount('notification')).toBe(before);
  });

  it('sends a heartbeat comment every 15 seconds', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const bare = Fastify({ logger: false });
    await bare.register(eventRoutes, { engine: t.engine, prefix: '/api' });
    const address = await bare.listen({ port: 0, host: '127.0.0.1' });
    const stream = await open(`${address}/api/events`);
    vi.advanceTimersByTime(15_000);
    expect(await stream.waitFor(': heartbeat')).toBe(': connected\n\n: heartbeat\n\n');
    stream.close();
    await bare.close();
  });
});

// helpers

async function open(url: string, headers: Record<string, string> = {}): Promise<Stream> {
  const res = await new Promise<IncomingMessage>((resolve, reject) =>
    get(url, { headers }, resolve).on('error', reject),
  );
  expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
  let text = '';
  const waiting: Array<{ needle: string; resolve: (text: string) => void }> = [];
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => {
    text += chunk;
    for (const w of waiting.filter((x) => text.includes(x.needle))) w.resolve(text);
  });
  return {
    waitFor: (needle) =>
      text.includes(needle) ? Promise.resolve(text) : new Promise((resolve) => waiting.push({ needle, resolve })),
    close: () => res.destroy(),
  };
}
