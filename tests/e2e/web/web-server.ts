/** The real engine server for the browser suites: temp SQLite and forms directory, demo users, port 0. */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
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
  formsDir: string;
  close(): Promise<void>;
}

/** Builds the web app if its build is missing or stale (the same check `npm start` runs). */
export function ensureWebBuilt(): void {
  execFileSync(process.execPath, [join(ROOT, 'designer', 'ensure-built.mjs')], { cwd: ROOT, stdio: 'inherit' });
}

/** Starts the server on a free port with a fresh database, forms directory and the demo users (password `demo`). */
export async function startWebServer(): Promise<WebServer> {
  const dir = await mkdtemp(join(tmpdir(), 'svcflow-web-'));
  const formsDir = join(dir, 'forms');
  process.env.SVCFLOW_FORMS_DIR = formsDir;
  // The server seeds the demo users (password `demo`) on an empty database; the admin gets the same.
  process.env.SVCFLOW_ADMIN_PASSWORD = DEMO_PASSWORD;
  const server = await startServer({
    port: 0,
    host: '127.0.0.1',
    databaseUrl: `sqlite:${join(dir, 'e2e.db')}`,
    processesDir: join(dir, 'no-processes'),
    logger: false,
    handleSignals: false,
  });
  delete process.env.SVCFLOW_ADMIN_PASSWORD;
  return {
    server, formsDir,
    baseUrl: server.address.replace('0.0.0.0', '127.0.0.1'),
    async close() {
      await server.close();
      delete process.env.SVCFLOW_FORMS_DIR;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Signs in through the API; resolves with the session the web app keeps. */
export async function signIn(baseUrl: string, username: string): Promise<{ token: string; user: unknown }> {
  const response = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  if (!response.ok) throw new Error(`sign-in of ${username} failed: ${response.status} ${await response.text()}`);
  return response.json();
}

const tokens = new Map<string, string>();

/** Calls the API as a demo user (signed in once per server); rejects with the problem's detail on an error status. */
export async function api<T = unknown>(web: WebServer, username: string, method: string, path: string, body?: unknown): Promise<T> {
  const key = `${web.baseUrl}|${username}`;
  if (!tokens.has(key)) tokens.set(key, (await signIn(web.baseUrl, username)).token);
  const response = await fetch(`${web.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${tokens.get(key)}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return (response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) as T;
}

/** Deploys BPMN XML as the process owner. */
export async function deployXml(web: WebServer, xml: string): Promise<void> {
  const { token } = await signIn(web.baseUrl, 'owner1');
  const response = await fetch(`${web.baseUrl}/api/definitions`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/xml' }, body: xml });
  if (!response.ok) throw new Error(`deploy answered ${response.status}: ${await response.text()}`);
}
