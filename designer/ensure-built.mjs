/**
 * Builds the web app when designer/dist is missing or older than its sources; `npm start` runs it first,
 * so a fresh checkout serves the app without a separate step. Concurrent callers (parallel test files)
 * take turns through a lock file, so only one of them builds.
 */
import { closeSync, existsSync, openSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const designer = fileURLToPath(new URL('.', import.meta.url));
const built = join(designer, 'dist', 'index.html');
const sources = [
  join(designer, 'src'),
  join(designer, 'index.html'),
  join(designer, 'vite.config.ts'),
  join(designer, '..', 'engine', 'bpmn', 'moddle', 'svc.json'),
];
const lock = join(tmpdir(), `svcflow-web-build-${Buffer.from(designer).toString('base64url').slice(-24)}.lock`);
const STALE_LOCK_MS = 120_000;

if (isStale()) {
  acquireLock();
  try {
    if (isStale()) {
      console.log('svcflow: building the web app (designer/dist)…');
      const { build } = await import('vite');
      await build({ configFile: join(designer, 'vite.config.ts'), logLevel: 'warn' });
    }
  } finally {
    rmSync(lock, { force: true });
  }
}

function isStale() {
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  return sources.some((path) => newestMtime(path) > builtAt);
}

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

function acquireLock() {
  for (;;) {
    try {
      closeSync(openSync(lock, 'wx'));
      return;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      // A builder that died leaves its lock behind; after two minutes it is taken over.
      if (Date.now() - statSync(lock, { throwIfNoEntry: false })?.mtimeMs > STALE_LOCK_MS)
        rmSync(lock, { force: true });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
}
