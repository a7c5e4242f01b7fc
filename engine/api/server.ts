/**
 * Runs the engine as a server: opens and migrates the store, deploys the shipped processes, builds
 * the app, starts the scheduler, listens, and shuts everything down on SIGINT/SIGTERM.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import { ModelError } from '../bpmn/index.js';
import {
  DeliveryService,
  Engine,
  UserService,
  attachSla,
  channelsFromEnv,
  surveySecretOf,
  registerBuiltinHandlers,
  seedUsers,
  configPathOf,
  loadEngineConfig,
  type Clock,
  type IdentityConfig,
} from '../runtime/index.js';
import { openStore, type Store } from '../store/index.js';
import { buildApp } from './app.js';
import { migrationSource } from '../../migrations/index.js';

/** What a setup hook gets to wire further services (SLA clock, demo seeding) before the server listens. */
export interface ServerContext {
  engine: Engine;
  app: FastifyInstance;
  store: Store;
}

export interface ServerOptions {
  port?: number;
  host?: string;
  /** Default: DATABASE_URL, else `sqlite:./data/svcflow.db`. */
  databaseUrl?: string;
  /** Every `*.bpmn` here is deployed at start (default `./processes`; skipped when absent). */
  processesDir?: string;
  /** The installation's configuration file (default SVCFLOW_CONFIG, else ./processes/svcflow.config.json). */
  configPath?: string;
  clock?: Clock;
  /** Pino options; false silences the server. */
  logger?: false | object;
  /** Called after deployment and before listening. */
  setup?: (ctx: ServerContext) => Promise<void>;
  /** Where the plain start lines (URL, first admin password) go; default stdout. */
  print?: (text: string) => void;
  /** Close on SIGINT/SIGTERM (default true). */
  handleSignals?: boolean;
}

/** A listening server and how to stop it. */
export interface RunningServer extends ServerContext {
  address: string;
  close(): Promise<void>;
}

/** Starts the whole engine and listens on PORT/HOST (default 3000; 127.0.0.1 while demo users exist, else 0.0.0.0). */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const log = pino(
    options.logger === false ? { enabled: false } : (options.logger ?? { level: process.env.LOG_LEVEL ?? 'info' }),
  );
  // before the store opens: a wrong configuration stops the start with the file and the field, and touches nothing
  const config = await loadEngineConfig(configPathOf(options.configPath));
  const store = await openStore({
    migrations: migrationSource,
    url: options.databaseUrl ?? process.env.DATABASE_URL ?? 'sqlite:./data/svcflow.db',
  });
  const closers: Array<() => Promise<void>> = [() => store.close()];
  const close = once(async () => {
    for (const closer of closers.reverse()) await closer().catch((err) => log.error({ err }, 'shutdown step failed'));
  });
  try {
    await store.migrate();
    const engine = new Engine({
      store,
      config,
      clock: options.clock,
      logger: log.child({ component: 'engine' }),
      jobLockMs: msFromEnv('SVCFLOW_JOB_LOCK_MS'),
      timerLeaseMs: msFromEnv('SVCFLOW_TIMER_LEASE_MS'),
      timerBatch: countFromEnv('SVCFLOW_TIMER_BATCH'),
      timerWorkers: countFromEnv('SVCFLOW_TIMER_WORKERS'),
      feelBudgetMs: budgetFromEnv('SVCFLOW_FEEL_BUDGET_MS'),
      idempotencyLeaseMs: msFromEnv('SVCFLOW_IDEMPOTENCY_LEASE_MS'),
      attachmentMaxBytes: countFromEnv('SVCFLOW_ATTACHMENT_MAX_BYTES'),
    });
    // First start: an admin (SVCFLOW_ADMIN_PASSWORD, else random and logged once) and, unless SVCFLOW_DEMO=0, the demo users.
    const seeded = await seedUsers(new UserService(store, { clock: options.clock }), {
      identity: config.identity,
      adminPassword: process.env.SVCFLOW_ADMIN_PASSWORD,
      demo: process.env.SVCFLOW_DEMO !== '0',
      log: log.child({ component: 'users' }),
    });
    const host = listenHost(
      options.host ?? process.env.HOST,
      await demoUsersPresent(store, config.identity),
      process.env.SVCFLOW_DEMO_PUBLIC === '1',
    );
    // the SLA service checks calendars and targets at deploy, so it is attached before the shipped processes are deployed
    const sla = await attachSla(engine, { logger: log.child({ component: 'sla' }) });
    await deployProcesses(engine, options.processesDir ?? process.env.SVCFLOW_PROCESSES_DIR ?? './processes', log);
    const deliveries = new DeliveryService(engine, {
      channels: channelsFromEnv(),
      publicUrl: process.env.SVCFLOW_PUBLIC_URL,
      surveySecret: await surveySecretOf(store),
      leaseMs: msFromEnv('SVCFLOW_JOB_LOCK_MS'),
    });
    registerBuiltinHandlers(engine, { deliveries });
    const app = await buildApp({ engine, sla, logger: log });
    closers.push(() => app.close());
    await options.setup?.({ engine, app, store });
    // SVCFLOW_SCHEDULER=off: this node serves the API but fires no timers and runs no in-process jobs
    if (process.env.SVCFLOW_SCHEDULER !== 'off') {
      engine.start();
      closers.push(() => engine.stop());
    }
    // before listening: a SIGTERM that arrives as soon as the port is open must still close everything
    if (options.handleSignals !== false) onSignals(close, log);
    const address = await app.listen({ port: options.port ?? Number(process.env.PORT ?? 3000), host });
    (options.print ?? printLine)(firstStartLines(address, seeded.adminPassword, host));
    return { engine, app, store, address, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * Deploys every `*.dmn` and then every `*.bpmn` file of a directory (decisions first, so the processes'
 * business rule tasks find them); logs invalid ones instead of failing, skips a missing directory. Each BPMN
 * file is deployed with the forms of `forms/` beside it (`*.form`), in one transaction, so its version shows
 * them. Deploy-changed-only: a file whose content (with the forms) is the one last deployed from it is
 * skipped, so a version an owner deployed since (from the designer or the API) stays the latest across restarts.
 */
export async function deployProcesses(engine: Engine, dir: string, log: Pick<Logger, 'info' | 'warn'>): Promise<void> {
  const files = await readdir(dir).catch(() => [] as string[]);
  const forms = await readForms(join(dir, 'forms'));
  const ordered = [
    ...files.filter((f) => f.endsWith('.dmn')).sort(),
    ...files.filter((f) => f.endsWith('.bpmn')).sort(),
  ];
  for (const file of ordered) {
    const deployment = [{ name: file, xml: await readFile(join(dir, file), 'utf8') }];
    if (file.endsWith('.bpmn')) deployment.push(...forms);
    const hash = contentHash(deployment);
    if ((await engine.store.deployments.fileHash(file)) === hash) {
      log.info({ file }, `${file} unchanged since it was last deployed; not deployed again`);
      continue;
    }
    try {
      const deployed = await engine.deployResources(deployment);
      await engine.store.deployments.recordFile(file, hash, engine.clock.now().toISOString());
      for (const d of deployed.decisions) log.info({ file, id: d.id, created: d.created }, 'decision deployed');
      for (const d of deployed.processes) log.info({ file, id: d.id, created: d.created }, 'process deployed');
      for (const f of deployed.forms.filter((f) => f.created)) log.info({ file, id: f.id }, 'form deployed');
    } catch (err) {
      if (!(err instanceof ModelError)) throw err;
      log.warn({ file, problems: err.problems }, `${file} not deployed: ${err.problems.length} problem(s)`);
    }
  }
}

/**
 * Where to listen: the configured host, else 127.0.0.1 while the demo users (with their published
 * password) exist and 0.0.0.0 otherwise. Exposing demo users beyond this machine needs SVCFLOW_DEMO_PUBLIC=1.
 */
export function listenHost(configured: string | undefined, demoUsers: boolean, demoPublic: boolean): string {
  if (!configured) return demoUsers ? '127.0.0.1' : '0.0.0.0';
  if (demoUsers && !demoPublic && !isLoopback(configured)) {
    throw new Error(
      `refusing to listen on ${configured}: the demo users with the published password exist; disable or delete them, or set SVCFLOW_DEMO_PUBLIC=1 to serve them anyway`,
    );
  }
  return configured;
}

/** The plain lines a person reads at start: where to open the app and, on the first start, the admin's password. */
export function firstStartLines(address: string, adminPassword: string | undefined, host: string): string {
  const lines = [`svcflow is running: open ${address}/tasks (designer: ${address}/designer)`];
  if (adminPassword)
    lines.push(
      `Sign in as admin with the password ${adminPassword} (shown only this once; change it after signing in)`,
    );
  if (isLoopback(host))
    lines.push(
      'Listening on this machine only; set HOST=0.0.0.0 to serve others (demo users need SVCFLOW_DEMO_PUBLIC=1 too)',
    );
  return `${lines.join('\n')}\n`;
}

// helpers

/** The `*.form` files of a directory (read once at start; the running engine reads forms from the database). */
async function readForms(dir: string): Promise<Array<{ name: string; xml: string }>> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.form')).sort();
  return Promise.all(names.map(async (name) => ({ name, xml: await readFile(join(dir, name), 'utf8') })));
}

// A single file keeps the plain hash of its text, as recorded before forms were deployed with it.
function contentHash(files: Array<{ name: string; xml: string }>): string {
  const hash = createHash('sha256').update(files[0].xml);
  for (const f of files.slice(1)) hash.update(`\0${f.name}\0${f.xml}`);
  return hash.digest('hex');
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

async function demoUsersPresent(store: Store, identity: IdentityConfig): Promise<boolean> {
  for (const demo of identity.demoUsers) {
    const user = await store.users.get(demo.username);
    if (user && !user.disabled) return true;
  }
  return false;
}

function printLine(text: string): void {
  process.stdout.write(text);
}

function onSignals(close: () => Promise<void>, log: Logger): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log.info({ signal }, 'shutting down');
      close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => (running ??= fn());
}

// A whole number ≥ 1 from the environment, else undefined (the engine's default).
function countFromEnv(name: string): number | undefined {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value >= 1 ? value : undefined;
}

// 0 turns the limit off; anything else that is no whole number keeps the default
function budgetFromEnv(name: string): number | undefined {
  const value = Number(process.env[name]);
  return process.env[name] !== undefined && Number.isInteger(value) && value >= 0 ? value : undefined;
}

// A positive number of milliseconds from the environment, else undefined (the engine's default).
function msFromEnv(name: string): number | undefined {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value >= 1000 ? value : undefined;
}
