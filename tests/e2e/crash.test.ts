/**
 * A real server process is killed with SIGKILL in the middle of work and started again: every
 * instance and task is either before or after its step, none lost or doubled, and the timers that
 * were pending still fire, once.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { chain, definitions, end, start, timerCatch, userTask } from '../helpers/bpmn-builder.js';

const ROOT = join(import.meta.dirname, '..', '..');
const MODEL = definitions('crashy', [
  start('S'),
  userTask('Task_A', { groups: 'cs-agents' }),
  timerCatch('Wait', 'duration', '=delay'),
  userTask('Task_B'),
  end('E'),
  ...chain('S', 'Task_A', 'Wait', 'Task_B', 'E'),
]);
const INSTANCES = 40;

const dir = mkdtempSync(join(tmpdir(), 'svcflow-crash-'));
const servers: ChildProcess[] = [];
afterAll(() => {
  for (const server of servers) server.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('e2e/crash', () => {
  it('keeps every step whole across a SIGKILL and fires the pending timers once after restart', {
    timeout: 120_000,
  }, async () => {
    // given: a server whose scheduler is off, so timers pile up, with instances waiting at Task_A
    const first = await launch({ SVCFLOW_SCHEDULER: 'off' });
    expect((await call(first, 'POST', '/api/definitions', MODEL, 'application/xml')).status).toBe(201);
    const ids: string[] = [];
    for (let i = 0; i < INSTANCES; i++)
      ids.push(
        (await call(first, 'POST', '/api/instances', { definitionKey: 'crashy', variables: { delay: 'PT0S', n: i } }))
          .body.id,
      );
    const tasks = await Promise.all(
      ids.map(
        async (id) => (await call(first, 'GET', `/api/tasks?instanceId=${id}&status=open`)).body.items[0].id as string,
      ),
    );

    // when: completions are in flight and the process is killed
    const acknowledged = new Set<string>();
    const inFlight = tasks.map((taskId, i) =>
      call(first, 'POST', `/api/tasks/${taskId}/complete`, { variables: { by: i } }).then(
        (r) => {
          if (r.status === 200) acknowledged.add(ids[i]);
        },
        () => undefined,
      ),
    );
    await waitUntil(() => acknowledged.size >= INSTANCES / 4, 30_000);
    first.process.kill('SIGKILL');
    await Promise.allSettled(inFlight);
    const second = await launch({});

    // then: each instance is wholly before or after its step
    const moved: string[] = [];
    for (const [i, id] of ids.entries()) {
      const instance = (await call(second, 'GET', `/api/instances/${id}`)).body;
      const taskA = (await call(second, 'GET', `/api/tasks/${tasks[i]}`)).body;
      const history = (await call(second, 'GET', `/api/instances/${id}/history`)).body.items as Array<{
        event: string;
        elementId: string;
      }>;
      const completions = history.filter((h) => h.event === 'task.completed').length;
      if (instance.activeElements.includes('Task_A')) {
        expect(taskA.status).toBe('open');
        expect(completions).toBe(0);
        expect(acknowledged.has(id)).toBe(false);
      } else {
        expect(taskA.status).toBe('completed');
        expect(completions).toBe(1);
        expect(instance.variables.by).toBe(i);
        moved.push(id);
      }
    }
    expect(moved.length).toBeGreaterThanOrEqual(acknowledged.size);
    expect(moved.length).toBeLessThan(INSTANCES);
    for (const id of acknowledged) expect(moved).toContain(id);

    // and the timers that were pending fire once on the restarted node
    await waitUntil(async () => {
      const page = (await call(second, 'GET', '/api/tasks?definitionKey=crashy&status=open&limit=500')).body
        .items as Array<{ elementId: string }>;
      return page.filter((t) => t.elementId === 'Task_B').length === moved.length;
    }, 30_000);
    for (const id of moved) {
      const history = (await call(second, 'GET', `/api/instances/${id}/history`)).body.items as Array<{
        event: string;
        elementId: string;
      }>;
      expect(history.filter((h) => h.event === 'timer.fired' && h.elementId === 'Wait')).toHaveLength(1);
      const open = (await call(second, 'GET', `/api/tasks?instanceId=${id}&status=open`)).body.items as Array<{
        elementId: string;
      }>;
      expect(open.map((t) => t.elementId)).toEqual(['Task_B']);
    }
    second.process.kill('SIGTERM');
  });
});

// helpers

interface Server {
  process: ChildProcess;
  url: string;
  /** The admin's bearer token on this server. */
  token?: string;
}

const ADMIN_PASSWORD = 'crash-test-admin';

async function launch(env: Record<string, string>): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, ['bin/svcflow.mjs', 'serve'], {
    cwd: ROOT,
    env: {
      ...process.env,
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: `sqlite:${join(dir, 'crash.db')}`,
      SVCFLOW_PROCESSES_DIR: join(dir, 'none'),
      SVCFLOW_DEMO: '0',
      SVCFLOW_ADMIN_PASSWORD: ADMIN_PASSWORD,
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  servers.push(child);
  const server: Server = { process: child, url: `http://127.0.0.1:${port}` };
  await waitUntil(
    async () => (await call(server, 'GET', '/health').catch(() => ({ status: 0 }))).status === 200,
    60_000,
  );
  server.token = (
    await call(server, 'POST', '/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD })
  ).body.token;
  return server;
}

async function call(
  server: Server,
  method: string,
  path: string,
  body?: unknown,
  type = 'application/json',
): Promise<{ status: number; body: any }> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      ...(server.token ? { authorization: `Bearer ${server.token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': type }),
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** Polls a condition of another process (a real server has no clock to inject); gives up after `ms`. */
async function waitUntil(condition: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
