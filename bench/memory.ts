/**
 * Memory of waiting instances: start N instances that wait at a user task and measure the RSS and
 * heap they add after a forced GC. Runs in a fresh child process so earlier benchmarks do not blur it.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type { Engine } from '../engine/runtime/index.js';
import { SIMPLE_KEY } from './models.js';
import type { BenchResult } from './report.js';
import { tempStore } from './sqlite.js';
import { mb, round, timed } from './stats.js';
import { deployedEngine, driveInProcess } from './throughput.js';

export interface MemoryOptions {
  waiting: number;
}

interface MemoryFigures {
  waiting: number;
  startsPerSecond: number;
  rssAdded: number;
  /** RSS added by the second half alone: what each further waiting instance costs once caches are warm. */
  rssAddedSecondHalf: number;
  heapUsedAdded: number;
  heapTotalAdded: number;
  externalAdded: number;
  sqliteCacheKb: number;
  rssAfter: number;
  diskBytes: number;
  gc: boolean;
}

const TARGET_RSS_MB = 50;
const CHILD_FLAG = 'SVCFLOW_BENCH_MEMORY_CHILD';

/** Forks a child (node --expose-gc --import tsx) that does the measuring and sends back its figures. */
export async function benchMemory(options: MemoryOptions): Promise<BenchResult> {
  const child = fork(fileURLToPath(import.meta.url), [String(options.waiting)], {
    execArgv: ['--expose-gc', '--import', 'tsx'],
    env: { ...process.env, [CHILD_FLAG]: '1' },
  });
  const figures = await new Promise<MemoryFigures>((resolve, reject) => {
    child.once('message', (message) => resolve(message as MemoryFigures));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`memory benchmark child exited with code ${code} before reporting`)));
  });
  return report(figures);
}

// helpers

async function measure(waiting: number): Promise<MemoryFigures> {
  const bench = await tempStore('memory');
  try {
    const engine = await deployedEngine(bench);
    // A short warm-up only: a long one would fill SQLite's page cache before the baseline and hide it.
    await driveInProcess(engine, 20);
    const before = settledMemory();
    const half = Math.floor(waiting / 2);
    const first = await timed(() => startWaiting(engine, half));
    const middle = settledMemory();
    const second = await timed(() => startWaiting(engine, waiting - half));
    const after = settledMemory();
    return {
      waiting,
      startsPerSecond: waiting / ((first.ms + second.ms) / 1000),
      gc: typeof globalThis.gc === 'function',
      diskBytes: bench.diskBytes(),
      rssAdded: after.rss - before.rss,
      rssAddedSecondHalf: after.rss - middle.rss,
      heapUsedAdded: after.heapUsed - before.heapUsed,
      heapTotalAdded: after.heapTotal - before.heapTotal,
      externalAdded: after.external - before.external,
      rssAfter: after.rss,
      sqliteCacheKb: sqliteCacheKb(),
    };
  } finally {
    await bench.close();
  }
}

async function startWaiting(engine: Engine, count: number): Promise<void> {
  for (let i = 0; i < count; i++)
    await engine.startInstance({ definitionKey: SIMPLE_KEY, variables: { requestId: i } });
}

// The page cache limit a better-sqlite3 connection gets by default (negative = KiB).
function sqliteCacheKb(): number {
  const db = new Database(':memory:');
  const size = db.pragma('cache_size', { simple: true }) as number;
  db.close();
  return size < 0 ? -size : (size * 4096) / 1024;
}

function settledMemory(): NodeJS.MemoryUsage {
  globalThis.gc?.();
  globalThis.gc?.();
  return process.memoryUsage();
}

const half = (f: MemoryFigures) => (f.waiting - Math.floor(f.waiting / 2)).toLocaleString('en');

function report(f: MemoryFigures): BenchResult {
  return {
    name: 'memory (instances waiting at a user task)',
    tables: [
      {
        title: `${f.waiting.toLocaleString('en')} instances started in-process and left waiting; measured after forced GC in a fresh process`,
        head: ['figure', 'value'],
        rows: [
          ['RSS added (MB), from a cold baseline', mb(f.rssAdded)],
          [`RSS added by the last ${half(f)} alone (MB)`, mb(f.rssAddedSecondHalf)],
          ['heapUsed added (MB)', mb(f.heapUsedAdded)],
          ['heapTotal added (MB, V8 pages kept after GC)', mb(f.heapTotalAdded)],
          ['external added (MB)', mb(f.externalAdded)],
          ['RSS after (MB)', mb(f.rssAfter)],
          ['database + WAL on disk (MB)', mb(f.diskBytes)],
          ['starts/s while filling', round(f.startsPerSecond, 0)],
        ],
      },
    ],
    notes: [
      `heapUsed changed by ${round(f.heapUsedAdded / f.waiting, 1)} bytes per waiting instance; the cold-baseline RSS delta is one-off warm-up: SQLite's page cache filling to its cap (${round(f.sqliteCacheKb / 1024, 1)} MB per connection, better-sqlite3's default cache_size), JIT code and allocator arenas`,
      ...(f.gc ? [] : ['the child ran without --expose-gc; figures include uncollected garbage']),
    ],
    checks: [
      {
        name: `< ${TARGET_RSS_MB} MB RSS added by ${f.waiting.toLocaleString('en')} waiting instances`,
        ok: mb(f.rssAdded) < TARGET_RSS_MB,
        figure: `${mb(f.rssAdded)} MB`,
      },
    ],
    json: {
      waiting: f.waiting,
      rssAddedMb: mb(f.rssAdded),
      rssAddedSecondHalfMb: mb(f.rssAddedSecondHalf),
      heapUsedAddedMb: mb(f.heapUsedAdded),
      heapTotalAddedMb: mb(f.heapTotalAdded),
      externalAddedMb: mb(f.externalAdded),
      rssAfterMb: mb(f.rssAfter),
      diskMb: mb(f.diskBytes),
      startsPerSecond: round(f.startsPerSecond, 0),
    },
  };
}

if (process.env[CHILD_FLAG] && process.send) {
  measure(Number(process.argv[2])).then(
    (figures) => process.send!(figures, () => process.exit(0)),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
