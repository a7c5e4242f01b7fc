/** An in-memory engine behind the HTTP app, with a clock the test moves by hand. */
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../engine/api/app.js';
import { Engine } from '../../engine/runtime/index.js';
import { openStore, type Store } from '../../engine/store/index.js';

/** A clock that stands still until advanced. */
export interface TestClock {
  now(): Date;
  advance(ms: number): void;
}

export interface TestApp {
  app: FastifyInstance;
  engine: Engine;
  store: Store;
  clock: TestClock;
  /** Sends a JSON request and returns the response. */
  call(method: InjectOptions['method'], url: string, body?: unknown): Promise<LightMyRequestResponse>;
  /** Deploys BPMN XML through the API; fails the test when it is not accepted. */
  deploy(xml: string): Promise<Array<{ id: string; key: string; version: number; created: boolean }>>;
  close(): Promise<void>;
}

export const T0 = '2026-11-23T09:00:00.000Z';

/** Builds sqlite::memory: store + engine + app at T0. */
export async function testApp(options: { bodyLimit?: number } = {}): Promise<TestApp> {
  const store = await openStore({ url: 'sqlite::memory:' });
  await store.migrate();
  const clock = fakeClock(T0);
  const engine = new Engine({ store, clock });
  const app = await buildApp({ engine, logger: false, bodyLimit: options.bodyLimit });
  const call: TestApp['call'] = (method, url, body) =>
    app.inject({ method, url, ...(body === undefined ? {} : { payload: body as InjectOptions['payload'] }) });
  return {
    app, engine, store, clock, call,
    async deploy(xml) {
      const res = await app.inject({ method: 'POST', url: '/api/definitions', headers: { 'content-type': 'application/xml' }, payload: xml });
      if (res.statusCode >= 300) throw new Error(`deploy failed with ${res.statusCode}: ${res.body}`);
      return res.json().definitions;
    },
    async close() {
      await app.close();
      await store.close();
    },
  };
}

/** A clock frozen at the given instant. */
export function fakeClock(iso: string): TestClock {
  let now = Date.parse(iso);
  return { now: () => new Date(now), advance: (ms) => { now += ms; } };
}
