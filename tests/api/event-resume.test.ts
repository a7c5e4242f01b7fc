/** Issue 14, "Operations": the event stream carries ids, and a client reconnecting with Last-Event-ID loses nothing. */
import { get, type IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../engine/api/app.js';
import { Engine, type EngineNotification } from '../../engine/runtime/index.js';
import { openStore, type Store } from '../../engine/store/index.js';
import { migrationSource } from '../../migrations/index.js';
import { signIn, TEST_PASSWORD_COST } from '../helpers/app.js';

const note = (n: number): EngineNotification => ({
  type: 'sla.warning',
  instanceId: `i-${n}`,
  definitionKey: 'p',
  elementId: 'T',
  at: '2026-11-23T09:00:00.000Z',
});

describe('api/events resume', () => {
  let store: Store;
  let engine: Engine;
  let app: FastifyInstance;
  let base: string;
  let headers: Record<string, string>;
  beforeEach(async () => {
    store = await openStore({ migrations: migrationSource, url: 'sqlite::memory:' });
    await store.migrate();
    engine = new Engine({ store });
    app = await buildApp({ engine, logger: false, auth: { passwordCost: TEST_PASSWORD_COST } });
    headers = await signIn(app, store, { username: 'owner1', roles: ['owner'] });
    base = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterEach(async () => {
    await app.close();
    await store.close();
  });

  const publish = (...ns: number[]) => {
    for (const n of ns) engine.events.emit('notification', note(n));
  };

  it('numbers every event and replays what a reconnecting client missed, in order', async () => {
    const first = await open(`${base}/api/events`, headers);
    publish(1, 2);
    const seen = await first.waitFor('i-2');
    first.close();
    const lastId = [...seen.matchAll(/^id: (\S+)$/gm)].map((m) => m[1]).at(-1)!;
    expect(lastId).toMatch(/^[0-9a-f]{8}\.2$/);
    publish(3, 4);
    const again = await open(`${base}/api/events`, { ...headers, 'last-event-id': lastId });
    const replayed = await again.waitFor('i-4');
    expect([...replayed.matchAll(/"instanceId":"(i-\d)"/g)].map((m) => m[1])).toEqual(['i-3', 'i-4']);
    publish(5);
    expect(await again.waitFor('i-5')).toContain(`id: ${lastId.split('.')[0]}.5`);
    again.close();
  });

  it('tells a client to reload (stream.reset) when the events it missed are no longer held or come from before a restart', async () => {
    const first = await open(`${base}/api/events`, headers);
    publish(1);
    const lastId = /^id: (\S+)$/m.exec(await first.waitFor('i-1'))![1];
    first.close();
    // the node holds the last 1000 events
    publish(...Array.from({ length: 1001 }, (_, i) => i + 2));
    const late = await open(`${base}/api/events`, { ...headers, 'last-event-id': lastId });
    expect(await late.waitFor('stream.reset')).toMatch(/event: stream.reset/);
    late.close();
    const restarted = await open(`${base}/api/events`, { ...headers, 'last-event-id': 'deadbeef.1' });
    expect(await restarted.waitFor('stream.reset')).toMatch(/event: stream.reset/);
    restarted.close();
  });
});

// helpers

async function open(url: string, headers: Record<string, string> = {}) {
  const res = await new Promise<IncomingMessage>((resolve, reject) =>
    get(url, { headers }, resolve).on('error', reject),
  );
  let text = '';
  const waiting: Array<{ needle: string; resolve: (text: string) => void }> = [];
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => {
    text += chunk;
    for (const w of waiting.filter((x) => text.includes(x.needle))) w.resolve(text);
  });
  return {
    waitFor: (needle: string) =>
      text.includes(needle)
        ? Promise.resolve(text)
        : new Promise<string>((resolve) => waiting.push({ needle, resolve })),
    close: () => res.destroy(),
  };
}
