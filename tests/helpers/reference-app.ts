/**
 * The engine as `npm start` wires it (engine/api/server.ts: seeded demo users, the shipped processes,
 * SLA clocks, built-in job handlers), in-process on an in-memory SQLite store with a FakeClock. Demo users
 * sign in through POST /api/auth/login; time moves only through `advance` (the clock, then engine.tick()).
 */
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { DateTime } from 'luxon';
import { expect } from 'vitest';
import { buildApp } from '../../engine/api/app.js';
import { deployProcesses } from '../../engine/api/server.js';
import {
  DEMO_PASSWORD,
  Engine,
  UserService,
  attachSla,
  registerBuiltinHandlers,
  seedUsers,
  type InstanceView,
  type SlaService,
  type SlaView,
} from '../../engine/runtime/index.js';
import type { NotificationRow, TaskRow } from '../../engine/store/index.js';
import { openStore, type Store } from '../../engine/store/index.js';
import { FakeClock } from './fake-clock.js';
import { PROCESSES_DIR } from './reference-processes.js';
import { REFERENCE_CONFIG } from './reference-config.js';
import { migrationSource } from '../../migrations/index.js';

/** Mon 2026-11-23 09:00 in Shanghai: the opening of a plain working week (no holiday until 2027). */
export const MONDAY_0900 = '2026-11-23T01:00:00.000Z';

/** A signed-in demo user calling the API with their token. */
export interface Client {
  username: string;
  groups: string[];
  call(method: InjectOptions['method'], url: string, body?: unknown): Promise<LightMyRequestResponse>;
  /** GET that must answer 200; returns the JSON body. */
  get<T = any>(url: string): Promise<T>;
  /** POST that must answer 2xx; returns the JSON body. */
  post<T = any>(url: string, body?: unknown): Promise<T>;
  /** The open tasks this user sees (GET /api/tasks), optionally of one instance. */
  tasks(instanceId?: string): Promise<TaskRow[]>;
}

export interface ReferenceApp {
  app: FastifyInstance;
  engine: Engine;
  store: Store;
  sla: SlaService;
  clock: FakeClock;
  /** What the engine logged at warn or error level (failed handlers, failed SLA checks). */
  problems: string[];
  /** Signs a demo user in through the API (once per app) with the demo password. */
  user(username: string): Promise<Client>;
  /** A customer-channel integration: an API token (role worker) the admin creates, e.g. for survey answers and KRI alerts. */
  channel(): Promise<Client>;
  /** Moves the clock (ISO duration or ms), then fires what fell due (timers, jobs, SLA checks). */
  advance(by: string | number): Promise<void>;
  /** Moves the clock forward to an instant and fires what fell due. */
  at(instant: string): Promise<void>;
  tick(): Promise<void>;
  /**
   * Readies a shared app for the next scenario: cancels every instance still running (so nothing stays armed),
   * forgets logged problems and sets the clock to `start`, back in time if need be. Scenarios then share one
   * engine the way a server's day does, each asserting only its own instances.
   */
  reset(start?: string): Promise<void>;
  close(): Promise<void>;
  /** Starts an instance as the user through POST /api/instances, then lets the engine run its first jobs. */
  start(username: string, definitionKey: string, variables: Record<string, unknown>): Promise<InstanceView>;
  /** The element ids of the instance's open tasks each user sees in GET /api/tasks. */
  board(instanceId: string, usernames: string[]): Promise<Record<string, string[]>>;
  /** As the user: finds the open task at the element among the tasks they see, claims it, completes it with the variables, and lets the engine run. */
  work(username: string, instanceId: string, elementId: string, variables: Record<string, unknown>): Promise<TaskRow>;
  /** Delivers a message through the customer channel's POST /api/messages. */
  message(name: string, correlationKey: string, variables?: Record<string, unknown>): Promise<string[]>;
  /** The instance as the process owner reads it. */
  instance(id: string): Promise<InstanceView>;
  /** The instance's audit history (GET /api/instances/:id/history). */
  history(id: string): Promise<HistoryItem[]>;
  /** The instance's SLA rows as a service manager reads them (GET /api/sla), in the order they started (process, sub-processes, tasks). */
  slas(instanceId: string): Promise<SlaView[]>;
  /** What the built-in handlers recorded for the instance (GET /api/notifications), oldest first; those of one instant by kind and template. */
  notifications(instanceId: string): Promise<NotificationRow[]>;
}

/** One row of an instance's audit history. */
export interface HistoryItem {
  elementId: string | null;
  elementType: string | null;
  event: string;
  at: string;
  by: string | null;
  details: Record<string, unknown> | null;
}

/** Builds the wired engine with its clock at `start` (default Monday 09:00 Shanghai). */
export async function referenceApp(start = MONDAY_0900): Promise<ReferenceApp> {
  const clock = new FakeClock(start);
  const store = await openStore({ migrations: migrationSource, url: 'sqlite::memory:' });
  await store.migrate();
  const problems: string[] = [];
  const log = (level: string) => (o: unknown, m?: string) => {
    problems.push(`${level}: ${m ?? ''} ${describe(o)}`);
  };
  const logger = { info: () => undefined, warn: log('warn'), error: log('error') };
  const engine = new Engine({ store, clock, logger, config: REFERENCE_CONFIG });
  // the order of startServer: users, processes, SLA clocks, handlers, app
  await seedUsers(new UserService(store, { clock }), {
    identity: REFERENCE_CONFIG.identity,
    adminPassword: 'admin-password',
    demo: true,
    log: { info: () => undefined, warn: () => undefined },
  });
  await deployProcesses(engine, PROCESSES_DIR, {
    info: () => undefined,
    warn: (o: unknown, m?: string) => {
      problems.push(`deploy: ${m} ${describe(o)}`);
    },
  } as never);
  const sla = await attachSla(engine, { logger });
  registerBuiltinHandlers(engine);
  const app = await buildApp({ engine, sla, logger: false });
  const clients = new Map<string, Client>();
  const tick = async () => {
    await engine.tick();
  };
  const ref: ReferenceApp = {
    app,
    engine,
    store,
    sla,
    clock,
    problems,
    async user(username) {
      if (!clients.has(username)) clients.set(username, await signIn(app, username));
      return clients.get(username)!;
    },
    async channel() {
      if (!clients.has('#channel')) {
        const admin = await signIn(app, 'admin', 'admin-password');
        const { token } = await admin.post<{ token: string }>('/api/tokens', {
          name: 'customer-channel',
          roles: ['worker'],
        });
        clients.set('#channel', client(app, 'customer-channel', [], token));
      }
      return clients.get('#channel')!;
    },
    async advance(by) {
      clock.advance(by);
      await tick();
    },
    async at(instant) {
      expect(Date.parse(instant), `the clock never goes back (${clock.iso()} → ${instant})`).toBeGreaterThanOrEqual(
        clock.now().getTime(),
      );
      clock.set(instant);
      await tick();
    },
    tick,
    async reset(at = start) {
      for (const status of ['active', 'incident'] as const) {
        for (const instance of (await engine.listInstances({ status, limit: 1000 })).items)
          await engine.cancelInstance(instance.id, 'admin');
      }
      problems.length = 0;
      clock.set(at);
    },
    async close() {
      await app.close();
      await store.close();
    },
    async start(username, definitionKey, variables) {
      const started = await (await ref.user(username)).post<InstanceView>('/api/instances', {
        definitionKey,
        variables,
      });
      await tick();
      return started;
    },
    async board(instanceId, usernames) {
      const seen: Record<string, string[]> = {};
      for (const username of usernames)
        seen[username] = (await (await ref.user(username)).tasks(instanceId)).map((task) => task.elementId).sort();
      return seen;
    },
    async work(username, instanceId, elementId, variables) {
      const worker = await ref.user(username);
      const visible = await worker.tasks(instanceId);
      const task = visible.find((candidate) => candidate.elementId === elementId);
      expect(
        task,
        `${username} sees an open task at '${elementId}'; sees: ${visible.map((v) => v.elementId).join(', ') || 'none'}`,
      ).toBeDefined();
      if (task!.assignee !== username) await worker.post(`/api/tasks/${task!.id}/claim`, { userId: username });
      await worker.post(`/api/tasks/${task!.id}/complete`, { variables });
      await tick();
      return task!;
    },
    async message(name, correlationKey, variables = {}) {
      const answer = await (await ref.channel()).post<{ instanceIds: string[] }>('/api/messages', {
        name,
        correlationKey,
        variables,
      });
      await tick();
      return answer.instanceIds;
    },
    async instance(id) {
      return (await ref.user('owner1')).get(`/api/instances/${id}`);
    },
    async history(id) {
      return (await (await ref.user('owner1')).get(`/api/instances/${id}/history`)).items;
    },
    async slas(instanceId) {
      const rows: SlaView[] = (await (await ref.user('manager1')).get(`/api/sla?instanceId=${instanceId}&limit=200`))
        .items;
      const rank = { process: 0, subprocess: 1, task: 2 };
      return rows.sort(
        (a, b) =>
          a.startedAt.localeCompare(b.startedAt) ||
          rank[a.kind] - rank[b.kind] ||
          a.elementId.localeCompare(b.elementId),
      );
    },
    async notifications(instanceId) {
      const rows: NotificationRow[] = (
        await (await ref.user('manager1')).get(`/api/notifications?instanceId=${instanceId}&limit=200`)
      ).items;
      const to = (n: NotificationRow) => n.toGroup ?? n.toUser ?? '';
      return rows.sort(
        (a, b) =>
          a.createdAt.localeCompare(b.createdAt) ||
          a.kind.localeCompare(b.kind) ||
          (a.template ?? '').localeCompare(b.template ?? '') ||
          to(a).localeCompare(to(b)),
      );
    },
  };
  return ref;
}

/** The end event the instance finished at (the last end event entered), from its history. */
export function endEventOf(history: HistoryItem[]): string | undefined {
  return (
    history.filter((h) => h.event === 'element.entered' && h.elementType === 'endEvent').at(-1)?.elementId ?? undefined
  );
}

/** How often the history shows an element entered. */
export function timesEntered(history: HistoryItem[], elementId: string): number {
  return history.filter((h) => h.event === 'element.entered' && h.elementId === elementId).length;
}

/** A Shanghai wall-clock time ('2026-11-23 09:00') as a UTC ISO instant with milliseconds. */
export function shanghai(local: string): string {
  return DateTime.fromISO(local.replace(' ', 'T'), { zone: 'Asia/Shanghai' }).toUTC().toISO()!;
}

// helpers

async function signIn(app: FastifyInstance, username: string, password = DEMO_PASSWORD): Promise<Client> {
  const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  expect(login.statusCode, `${username} signs in: ${login.body}`).toBe(200);
  const { token, user } = login.json() as { token: string; user: { groups: string[] } };
  return client(app, username, user.groups, token);
}

function client(app: FastifyInstance, username: string, groups: string[], token: string): Client {
  const headers = { authorization: `Bearer ${token}` };
  const call: Client['call'] = (method, url, body) =>
    app.inject({ method, url, headers, ...(body === undefined ? {} : { payload: body as InjectOptions['payload'] }) });
  const expectOk = (res: LightMyRequestResponse, what: string) => {
    expect(res.statusCode, `${username} ${what}: ${res.body}`).toBeLessThan(300);
    return res.json();
  };
  return {
    username,
    groups,
    call,
    get: async (url) => expectOk(await call('GET', url), `GET ${url}`),
    post: async (url, body) => expectOk(await call('POST', url, body ?? {}), `POST ${url}`),
    tasks: async (instanceId) => {
      const res = await call('GET', `/api/tasks?limit=200${instanceId ? `&instanceId=${instanceId}` : ''}`);
      return expectOk(res, 'lists tasks').items;
    },
  };
}

function describe(o: unknown): string {
  if (!o || typeof o !== 'object') return String(o ?? '');
  const { err, ...rest } = o as { err?: unknown };
  return `${err instanceof Error ? err.message : ''} ${JSON.stringify(rest)}`.trim();
}
