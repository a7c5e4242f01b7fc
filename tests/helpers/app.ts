/** An in-memory engine behind the HTTP app, with a clock the test moves by hand and signed-in test users. */
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp, type AppOptions } from '../../engine/api/app.js';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Engine, attachSla, hashPassword, sessionVersion } from '../../engine/runtime/index.js';
import { openStore, type Store } from '../../engine/store/index.js';
import { migrationSource } from '../../migrations/index.js';
import { REFERENCE_CONFIG } from './reference-config.js';

/** A clock that stands still until advanced. */
export interface TestClock {
  now(): Date;
  advance(ms: number): void;
}

/** A user the test signs in as. */
export interface TestUser {
  username: string;
  roles: string[];
  groups?: string[];
  /** Default `password123`. */
  password?: string;
}

/** Requests as one user. */
export interface Caller {
  headers: Record<string, string>;
  call(method: InjectOptions['method'], url: string, body?: unknown): Promise<LightMyRequestResponse>;
}

export interface TestApp {
  app: FastifyInstance;
  engine: Engine;
  store: Store;
  clock: TestClock;
  /** Sends a JSON request as the admin and returns the response. */
  call(method: InjectOptions['method'], url: string, body?: unknown): Promise<LightMyRequestResponse>;
  /** The admin's Authorization header (or another existing user's). */
  headers(username?: string): Record<string, string>;
  /** Creates the user (and any missing groups) unless it exists, and returns a caller signed in as them. */
  as(user: TestUser | string): Promise<Caller>;
  /** Deploys BPMN XML through the API as the admin; fails the test when it is not accepted. */
  deploy(xml: string): Promise<Array<{ id: string; key: string; version: number; created: boolean }>>;
  close(): Promise<void>;
}

export const T0 = '2026-11-23T09:00:00.000Z';

/** The cheap scrypt cost test users are hashed with. */
export const TEST_PASSWORD_COST = 1024;

const ADMIN: TestUser = { username: 'admin', roles: ['admin'] };

/**
 * Builds a store (sqlite::memory: unless one is given, migrated) + engine (+ SLA clocks with `sla`) + app at T0, with an
 * `admin` user every `call` signs in as. `formsDir`: every `*.form` there is deployed first (as the server deploys
 * processes/forms), so processes deployed later show them.
 */
export async function testApp(
  options: Pick<AppOptions, 'bodyLimit'> & { store?: Store; sla?: boolean; formsDir?: string } = {},
): Promise<TestApp> {
  const store = options.store ?? (await openStore({ migrations: migrationSource, url: 'sqlite::memory:' }));
  await store.migrate();
  const clock = fakeClock(T0);
  const engine = new Engine({ store, clock, config: REFERENCE_CONFIG });
  if (options.formsDir) await deployForms(engine, options.formsDir);
  const sla = options.sla ? await attachSla(engine) : undefined;
  const app = await buildApp({
    engine,
    sla,
    logger: false,
    bodyLimit: options.bodyLimit,
    auth: { passwordCost: TEST_PASSWORD_COST },
  });
  const admin = await signIn(app, store, ADMIN);
  const caller =
    (headers: Record<string, string>): Caller['call'] =>
    (method, url, body) =>
      app.inject({
        method,
        url,
        headers,
        ...(body === undefined ? {} : { payload: body as InjectOptions['payload'] }),
      });
  return {
    app,
    engine,
    store,
    clock,
    call: caller(admin),
    headers: (username) => (username ? bearerAt(app, username, T0) : admin),
    async as(user) {
      const headers = await signIn(app, store, typeof user === 'string' ? { username: user, roles: ['staff'] } : user);
      return { headers, call: caller(headers) };
    },
    async deploy(xml) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/definitions',
        headers: { ...admin, 'content-type': 'application/xml' },
        payload: xml,
      });
      if (res.statusCode >= 300) throw new Error(`deploy failed with ${res.statusCode}: ${res.body}`);
      return res.json().definitions;
    },
    async close() {
      await app.close();
      await store.close();
    },
  };
}

/** Creates the user in the store unless it exists and returns its Authorization header: for suites that build their own app. */
export async function signIn(
  app: FastifyInstance,
  store: Store,
  user: TestUser = ADMIN,
): Promise<Record<string, string>> {
  const now = new Date(T0).toISOString();
  for (const group of user.groups ?? []) await store.users.insertGroup({ id: group, name: group, createdAt: now });
  const passwordHash = await hashPassword(user.password ?? 'password123', TEST_PASSWORD_COST);
  const created = await store.users.insert({
    username: user.username,
    displayName: user.username,
    passwordHash,
    roles: user.roles,
    disabled: false,
    createdAt: now,
    updatedAt: now,
  });
  if (created) await store.users.setGroupsOf(user.username, user.groups ?? []);
  return bearer(app, store, user.username);
}

/** A clock frozen at the given instant. */
export function fakeClock(iso: string): TestClock {
  let now = Date.parse(iso);
  return {
    now: () => new Date(now),
    advance: (ms) => {
      now += ms;
    },
  };
}

/** Deploys a form through PUT /api/forms as the admin; fails the test when it is not accepted. */
export async function deployForm(t: TestApp, formKey: string, form: unknown): Promise<void> {
  const res = await t.call('PUT', `/api/forms/${formKey}`, form);
  if (res.statusCode >= 300) throw new Error(`form deploy failed with ${res.statusCode}: ${res.body}`);
}

// helpers

/** Deploys the `*.form` files of a directory, as one deployment. */
export async function deployForms(engine: Engine, dir: string): Promise<void> {
  const names = (await readdir(dir)).filter((f) => f.endsWith('.form'));
  if (names.length === 0) return;
  await engine.deployResources(
    await Promise.all(names.map(async (name) => ({ name, xml: await readFile(join(dir, name), 'utf8') }))),
  );
}

async function bearer(app: FastifyInstance, store: Store, username: string): Promise<Record<string, string>> {
  const row = await store.users.get(username);
  return bearerAt(app, username, row?.createdAt ?? T0, row?.tokenVersion);
}

// A sign-in token as POST /api/auth/login gives it, for a user created at `createdAt`.
function bearerAt(app: FastifyInstance, username: string, createdAt: string, tokenVersion = 0): Record<string, string> {
  return {
    authorization: `Bearer ${app.jwt.sign({ sub: username, ver: sessionVersion({ createdAt, tokenVersion }) })}`,
  };
}
