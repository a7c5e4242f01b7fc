/**
 * In-process throughput on SQLite: start the simple user-task process and complete its task, N
 * times through Engine, with per-call latencies and the size of what each step persists.
 */
import { Engine, systemClock } from '../engine/runtime/index.js';
import { SIMPLE_KEY, simpleUserTaskXml } from './models.js';
import type { BenchResult, Table } from './report.js';
import { tempStore, type BenchStore } from './sqlite.js';
import { Latencies, round, timed, type Summary } from './stats.js';

export interface ThroughputOptions {
  instances: number;
  warmup: number;
}

export interface SnapshotSizes {
  waiting: number;
  completed: number;
  waitingWithVariables: number;
}

export interface InProcessRun {
  instances: number;
  seconds: number;
  perSecond: number;
  /** CPU time (user + system) this process spent per instance; steadier than wall time on a shared machine. */
  cpuMsPerInstance: number;
  /** CPU time over wall time: well under 100% means the process waited (I/O, or other work on the machine). */
  cpuShare: number;
  latencies: Record<string, Summary>;
}

const TARGET_PER_SECOND = 1000;
const TARGET_SNAPSHOT_BYTES = 1024;

/** Runs the in-process loop on a fresh temp-file store and reports rate, latencies and persisted sizes. */
export async function benchThroughput(options: ThroughputOptions): Promise<BenchResult> {
  const bench = await tempStore('throughput');
  try {
    const engine = await deployedEngine(bench);
    await driveInProcess(engine, options.warmup);
    const diskBefore = bench.diskBytes();
    const run = await driveInProcess(engine, options.instances);
    const diskPerInstance = (bench.diskBytes() - diskBefore) / options.instances;
    const sizes = await snapshotSizes(engine, bench);
    return report(run, sizes, diskPerInstance);
  } finally {
    await bench.close();
  }
}

/** An engine on the store with the simple model deployed. */
export async function deployedEngine(bench: BenchStore): Promise<Engine> {
  const engine = new Engine({ store: bench.store, clock: systemClock });
  await engine.deploy(simpleUserTaskXml);
  return engine;
}

/** start → list the instance's open tasks → complete, `instances` times, one after the other. */
export async function driveInProcess(engine: Engine, instances: number): Promise<InProcessRun> {
  const latencies = new Latencies();
  const cpuBefore = process.cpuUsage();
  const { ms } = await timed(async () => {
    for (let i = 0; i < instances; i++) await startAndComplete(engine, latencies);
  });
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  return {
    instances,
    seconds: ms / 1000,
    perSecond: instances / (ms / 1000),
    cpuMsPerInstance: cpuMs / instances,
    cpuShare: cpuMs / ms,
    latencies: latencies.summaries(),
  };
}

/** Bytes of instances.snapshot as stored (the JSON text) for a waiting, a completed and a waiting instance with variables. */
export async function snapshotSizes(engine: Engine, bench: BenchStore): Promise<SnapshotSizes> {
  const waiting = await engine.startInstance({ definitionKey: SIMPLE_KEY });
  const done = await engine.startInstance({ definitionKey: SIMPLE_KEY });
  const task = await engine.listTasks({ instanceId: done.id, status: 'open' });
  await engine.completeTask(task.items[0].id, { approved: true });
  const withVars = await engine.startInstance({
    definitionKey: SIMPLE_KEY,
    variables: { requestId: 42, customer: 'ACME Ltd', priority: 3 },
  });
  return {
    waiting: bench.snapshotBytes(waiting.id),
    completed: bench.snapshotBytes(done.id),
    waitingWithVariables: bench.snapshotBytes(withVars.id),
  };
}

// helpers

async function startAndComplete(engine: Engine, latencies: Latencies): Promise<void> {
  const instance = await latencies.measure('startInstance', () =>
    engine.startInstance({ definitionKey: SIMPLE_KEY, variables: { requestId: 42 } }),
  );
  const page = await latencies.measure('listTasks', () =>
    engine.listTasks({ instanceId: instance.id, status: 'open' }),
  );
  await latencies.measure('completeTask', () => engine.completeTask(page.items[0].id, { approved: true }));
}

function report(run: InProcessRun, sizes: SnapshotSizes, diskPerInstance: number): BenchResult {
  const largest = Math.max(sizes.waiting, sizes.completed);
  return {
    name: 'throughput (in-process, SQLite WAL temp file)',
    tables: [
      {
        title: `${run.instances} instances: start → listTasks → completeTask, sequential`,
        head: ['figure', 'value'],
        rows: [
          ['instances/s (start + complete)', round(run.perSecond, 0)],
          ['wall time s', round(run.seconds)],
          ['CPU ms per instance (user + system)', round(run.cpuMsPerInstance, 3)],
          ['CPU share of wall time', `${round(run.cpuShare * 100, 0)}%`],
          ['disk bytes per completed instance (all tables, WAL incl.)', round(diskPerInstance, 0)],
        ],
      },
      latencyTable('Latency per engine call (ms)', run.latencies),
      {
        title: 'Bytes per persisted snapshot (length of instances.snapshot)',
        head: ['instance', 'bytes'],
        rows: [
          ['waiting at the user task, no variables', sizes.waiting],
          ['waiting, 3 variables', sizes.waitingWithVariables],
          ['completed', sizes.completed],
        ],
      },
    ],
    checks: [
      {
        name: `≥ ${TARGET_PER_SECOND} instances/s in-process`,
        ok: run.perSecond >= TARGET_PER_SECOND,
        figure: `${round(run.perSecond, 0)}/s`,
      },
      {
        name: `≤ ${TARGET_SNAPSHOT_BYTES} bytes per snapshot`,
        ok: largest <= TARGET_SNAPSHOT_BYTES,
        figure: `${largest} bytes`,
      },
    ],
    json: {
      instances: run.instances,
      perSecond: round(run.perSecond, 1),
      seconds: round(run.seconds, 3),
      cpuMsPerInstance: round(run.cpuMsPerInstance, 3),
      cpuShare: round(run.cpuShare, 2),
      latencyMs: latencyJson(run.latencies),
      snapshotBytes: sizes,
      diskBytesPerInstance: round(diskPerInstance, 0),
    },
  };
}

/** A latency table with one row per call. */
export function latencyTable(title: string, latencies: Record<string, Summary>): Table {
  const rows = Object.entries(latencies).map(([name, s]) => [
    name,
    round(s.median, 3),
    round(s.p99, 3),
    round(s.max, 2),
  ]);
  return { title, head: ['call', 'p50', 'p99', 'max'], rows };
}

/** Latencies as { call: { p50, p99 } } for the JSON line. */
export function latencyJson(latencies: Record<string, Summary>): Record<string, { p50: number; p99: number }> {
  return Object.fromEntries(
    Object.entries(latencies).map(([name, s]) => [name, { p50: round(s.median, 3), p99: round(s.p99, 3) }]),
  );
}
