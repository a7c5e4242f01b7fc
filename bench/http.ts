/**
 * HTTP throughput: the Fastify app on 127.0.0.1 (ephemeral port), driven by a keep-alive client
 * with bounded concurrency, signed in as an admin (bearer token from POST /api/auth/login):
 * POST /api/instances → GET /api/tasks?instanceId= → POST /api/tasks/:id/complete.
 */
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Engine, UserService, systemClock } from '../engine/runtime/index.js';
import { SIMPLE_KEY, simpleUserTaskXml } from './models.js';
import type { BenchResult } from './report.js';
import type { Store } from '../engine/store/index.js';
import { tempStore } from './sqlite.js';
import { Latencies, bounded, round, timed } from './stats.js';
import { latencyJson, latencyTable } from './throughput.js';

export interface HttpOptions {
  instances: number;
  concurrency: number;
}

interface App {
  listen(options: { host: string; port: number }): Promise<unknown>;
  server: { address(): AddressInfo | string | null };
  close(): Promise<unknown>;
}

const TARGET_PER_SECOND = 400;
const [USER, PASSWORD, PASSWORD_COST] = ['bench-admin', 'bench-password', 1024];
const APP_MODULE = '../engine/api/app.js';

/** Runs the HTTP loop, or reports a skip when engine/api/app.ts does not exist yet. */
export async function benchHttp(options: HttpOptions): Promise<BenchResult> {
  const buildApp = await loadBuildApp();
  if (!buildApp) return skipped('engine/api/app.ts (buildApp) does not exist yet; HTTP benchmark skipped');
  const bench = await tempStore('http');
  try {
    const server = await startServer(buildApp, bench.store, options.concurrency);
    try {
      await server.client('POST', '/api/definitions', simpleUserTaskXml, 'application/xml');
      await drive(server.client, new Latencies(), Math.min(200, options.instances), options.concurrency);
      const latencies = new Latencies();
      const cpuBefore = process.cpuUsage();
      const { ms } = await timed(() => drive(server.client, latencies, options.instances, options.concurrency));
      const cpu = process.cpuUsage(cpuBefore);
      return report(options, { seconds: ms / 1000, cpuMs: (cpu.user + cpu.system) / 1000 }, latencies.summaries());
    } finally {
      await server.close();
    }
  } finally {
    await bench.close();
  }
}

// helpers

export type Client = (method: string, path: string, body?: unknown, type?: string) => Promise<any>;
export type BuildApp = (options: object) => unknown;

// Listens on an ephemeral port and signs in as a fresh admin; the client sends its bearer token.
export async function startServer(
  buildApp: BuildApp,
  store: Store,
  concurrency: number,
  createUser = true,
): Promise<{ client: Client; close(): Promise<void> }> {
  const app = (await buildApp({
    engine: new Engine({ store, clock: systemClock }),
    logger: false,
    auth: { passwordCost: PASSWORD_COST },
  })) as App;
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const close = async () => {
    agent.destroy();
    await app.close();
  };
  try {
    await app.listen({ host: '127.0.0.1', port: 0 });
    if (createUser)
      await new UserService(store, { passwordCost: PASSWORD_COST }).create({
        username: USER,
        password: PASSWORD,
        roles: ['admin'],
      });
    const signIn = await clientFor(app, agent, {})('POST', '/api/auth/login', { username: USER, password: PASSWORD });
    return { client: clientFor(app, agent, { authorization: `Bearer ${signIn.token}` }), close };
  } catch (error) {
    await close();
    throw error;
  }
}

export async function loadBuildApp(): Promise<BuildApp | null> {
  try {
    const module = (await import(APP_MODULE)) as { buildApp?: BuildApp };
    return module.buildApp ?? null;
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND' && String(error).includes('engine/api/app'))
      return null;
    throw error;
  }
}

export async function drive(
  client: Client,
  latencies: Latencies,
  instances: number,
  concurrency: number,
): Promise<void> {
  await bounded(instances, concurrency, async () => {
    const instance = await latencies.measure('POST /api/instances', () =>
      client('POST', '/api/instances', { definitionKey: SIMPLE_KEY, variables: { requestId: 42 } }),
    );
    const tasks = await latencies.measure('GET /api/tasks?instanceId=', () =>
      client('GET', `/api/tasks?instanceId=${instance.id}&status=open`),
    );
    await latencies.measure('POST /api/tasks/:id/complete', () =>
      client('POST', `/api/tasks/${tasks.items[0].id}/complete`, { variables: { approved: true } }),
    );
  });
}

function clientFor(app: App, agent: Agent, auth: Record<string, string>): Client {
  const { port } = app.server.address() as AddressInfo;
  return (method, path, body, type = 'application/json') =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
      const headers =
        payload === undefined ? auth : { ...auth, 'content-type': type, 'content-length': Buffer.byteLength(payload) };
      const req = request({ host: '127.0.0.1', port, method, path, agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if ((res.statusCode ?? 500) >= 300)
            reject(new Error(`${method} ${path} answered ${res.statusCode}: ${text.slice(0, 300)}`));
          else resolve(text ? JSON.parse(text) : null);
        });
      });
      req.on('error', reject);
      req.end(payload);
    });
}

function report(
  options: HttpOptions,
  time: { seconds: number; cpuMs: number },
  latencies: ReturnType<Latencies['summaries']>,
): BenchResult {
  const { seconds, cpuMs } = time;
  const perSecond = options.instances / seconds;
  const cpuMsPerInstance = cpuMs / options.instances;
  return {
    name: 'throughput (HTTP, Fastify on 127.0.0.1, SQLite WAL temp file)',
    tables: [
      {
        title: `${options.instances} instances over HTTP, keep-alive, ${options.concurrency} in flight`,
        head: ['figure', 'value'],
        rows: [
          ['instances/s (start + complete)', round(perSecond, 0)],
          ['wall time s', round(seconds)],
          ['CPU ms per instance (server and client share this process)', round(cpuMsPerInstance, 3)],
          ['CPU share of wall time', `${round(cpuMs / seconds / 10, 0)}%`],
        ],
      },
      latencyTable(
        'Latency per request (ms, client side, includes queueing behind the other in-flight requests)',
        latencies,
      ),
    ],
    checks: [
      {
        name: `≥ ${TARGET_PER_SECOND} instances/s over HTTP`,
        ok: perSecond >= TARGET_PER_SECOND,
        figure: `${round(perSecond, 0)}/s`,
      },
    ],
    json: {
      instances: options.instances,
      concurrency: options.concurrency,
      httpPerSecond: round(perSecond, 1),
      seconds: round(seconds, 3),
      cpuMsPerInstance: round(cpuMsPerInstance, 3),
      latencyMs: latencyJson(latencies),
    },
  };
}

function skipped(reason: string): BenchResult {
  return { name: 'throughput (HTTP)', tables: [], checks: [], notes: [reason], json: { skipped: reason } };
}
