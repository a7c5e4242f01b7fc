/**
 * Compiles the engine (tsconfig.build.json → dist/) when dist is missing or older than its sources.
 * `npm start` runs it before starting, and bin/svcflow.mjs before every command, so a checkout runs
 * compiled JavaScript without a separate build step. Concurrent callers take turns through a lock
 * file, so only one of them compiles.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const STAMP = join(ROOT, 'dist', '.compiled');
const SOURCES = ['engine', 'migrations', 'tsconfig.json', 'tsconfig.build.json', 'package.json'].map((path) =>
  join(ROOT, path),
);
const LOCK = join(tmpdir(), `svcflow-compile-${Buffer.from(ROOT).toString('base64url').slice(-24)}.lock`);
const STALE_LOCK_MS = 120_000;

/** The compiled CLI entry point, compiled first when stale. */
export function ensureCompiled() {
  if (isStale()) {
    acquireLock();
    try {
      if (isStale()) compile();
    } finally {
      rmSync(LOCK, { force: true });
    }
  }
  return join(ROOT, 'dist', 'engine', 'cli', 'main.js');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) ensureCompiled();

// helpers

function compile() {
  const startedAt = new Date();
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json')], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  // tsc exits 2 when it found type errors but still wrote the output; anything else without output is fatal.
  if (result.status !== 0) process.stderr.write(result.stdout + result.stderr);
  if (result.status !== 0 && (result.status !== 2 || !existsSync(join(ROOT, 'dist', 'engine', 'cli', 'main.js')))) {
    throw new Error(`svcflow: compiling the engine failed (tsc exit ${result.status ?? result.signal})`);
  }
  writeFileSync(STAMP, '');
  utimesSync(STAMP, startedAt, startedAt);
}

function isStale() {
  if (!existsSync(STAMP)) return true;
  const compiledAt = statSync(STAMP).mtimeMs;
  return SOURCES.some((path) => newestMtime(path) > compiledAt);
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
      closeSync(openSync(LOCK, 'wx'));
      return;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      // A compiler that died leaves its lock behind; after two minutes it is taken over.
      if (Date.now() - (statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? 0) > STALE_LOCK_MS)
        rmSync(LOCK, { force: true });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
}
