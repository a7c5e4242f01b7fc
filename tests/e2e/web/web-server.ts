/** The real engine server for the browser suites: temp SQLite, demo users, port 0. */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, type RunningServer } from '../../../engine/api/server.js';
import { DEMO_PASSWORD } from '../../../engine/runtime/index.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface WebServer {
  server: RunningServer;
  /** e.g. http://127.0.0.1:41234 */
  baseUrl: string;
  close(): Promise<void>;
}

/** Builds the web app if its build is missing or stale (the same check `npm start` runs). */
export function ensureWebBuilt(): void {
  execFileSync(process.execPath, [join(ROOT, 'designer', 'ensure-built.mjs')], { cwd: ROOT, stdio: 'inherit' });
}

export interface WebServerOptions {
  /** Deploy the shipped reference processes at start, with their forms (default: none). */
  referenceProcesses?: boolean;
  /** Where customer e-mail goes (SVCFLOW_SMTP_URL), e.g. a test SMTP server. */
  smtpUrl?: string;
}

/** Starts the server on a free port with a fresh database and the demo users (password `demo`). */
export async function startWebServer(options: WebServerOptions = {}): Promise<WebServer> {
  const dir = await mkdtemp(join(tmpdir(), 'svcflow-web-'));
  // The survey links in e-mails point at the server itself, so its port is chosen before it starts.
  const port = await freePort();
  const env: Record<string, string | undefined> = {
    // The server seeds the demo users (password `demo`) on an empty database; the admin gets the same.
    SVCFLOW_ADMIN_PASSWORD: DEMO_PASSWORD,
    SVCFLOW_SMTP_URL: options.smtpUrl,
    SVCFLOW_MAIL_FROM: options.smtpUrl ? 'Service desk <desk@svcflow.test>' : undefined,
    SVCFLOW_PUBLIC_URL: `http://127.0.0.1:${port}`,
  };
  const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  setEnv(env);
  const server = await startServer({
    port,
    host: '127.0.0.1',
    databaseUrl: `sqlite:${join(dir, 'e2e.db')}`,
    processesDir: options.referenceProcesses ? join(ROOT, 'processes') : join(dir, 'no-processes'),
    logger: false,
    handleSignals: false,
  }).finally(() => setEnv(saved));
  return {
    server,
    baseUrl: server.address.replace('0.0.0.0', '127.0.0.1'),
    async close() {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Signs in through the API; resolves with the session the web app keeps. */
export async function signIn(baseUrl: string, username: string): Promise<{ token: string; user: unknown }> {
  const response = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  if (!response.ok) throw new Error(`sign-in of ${username} failed: ${response.status} ${await response.text()}`);
  return response.json();
}

const tokens = new Map<string, string>();

/** Calls the API as a demo user (signed in once per server); rejects with the problem's detail on an error status. */
export async function api<T = unknown>(
  web: WebServer,
  username: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const key = `${web.baseUrl}|${username}`;
  if (!tokens.has(key)) tokens.set(key, (await signIn(web.baseUrl, username)).token);
  const response = await fetch(`${web.baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${tokens.get(key)}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return (response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) as T;
}

/** Deploys BPMN XML as the process owner. */
export async function deployXml(web: WebServer, xml: string): Promise<void> {
  const { token } = await signIn(web.baseUrl, 'owner1');
  const response = await fetch(`${web.baseUrl}/api/definitions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/xml' },
    body: xml,
  });
  if (!response.ok) throw new Error(`deploy answered ${response.status}: ${await response.text()}`);
}

/** Deploys the `*.form` files of a directory through POST /api/definitions (multipart) as owner1. */
export async function deployForms(web: WebServer, dir: string): Promise<void> {
  const { token } = await signIn(web.baseUrl, 'owner1');
  const body = new FormData();
  for (const name of (await readdir(dir)).filter((f) => f.endsWith('.form')))
    body.append(name, new Blob([await readFile(join(dir, name), 'utf8')], { type: 'application/json' }), name);
  const response = await fetch(`${web.baseUrl}/api/definitions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body,
  });
  if (!response.ok) throw new Error(`form deploy answered ${response.status}: ${await response.text()}`);
}

// helpers

function setEnv(values: Record<string, string | undefined>): void {
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
      .once('error', reject)
      .listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
  });
}
