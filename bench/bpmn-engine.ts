/**
 * The same simple model driven by bpmn-engine (devDependency, comparison only), its state saved to
 * SQLite after every step as its users do: one better-sqlite3 transaction per step on a WAL file.
 */
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Engine as BpmnEngine } from 'bpmn-engine';
import { simpleUserTaskXml } from './models.js';
import type { BenchResult } from './report.js';
import { tempDir, tempStore } from './sqlite.js';
import { Latencies, round, timed, type Summary } from './stats.js';
import { deployedEngine, driveInProcess, latencyJson, latencyTable, snapshotSizes } from './throughput.js';

export interface BpmnEngineOptions {
  instances: number;
  /** svcflow's in-process figures from this run; measured here at the same N when absent. */
  svcflow?: SvcflowFigures;
}

export interface SvcflowFigures {
  perSecond: number;
  snapshotBytes: { waiting: number; completed: number };
}

interface StateTable {
  insert(id: string, state: string): void;
  update(id: string, state: string): void;
  load(id: string): string;
  bytes(id: string): number;
}

interface WaitingApi {
  id: string;
  signal(message?: unknown): void;
}

/** Runs N instances start → signal → end through bpmn-engine and compares with svcflow's rate. */
export async function benchBpmnEngine(options: BpmnEngineOptions): Promise<BenchResult> {
  const temp = tempDir('bpmn-engine');
  const db = new Database(join(temp.dir, 'states.db'));
  try {
    const table = stateTable(db);
    await drive(table, Math.min(100, options.instances), new Latencies());
    const latencies = new Latencies();
    const { ms } = await timed(() => drive(table, options.instances, latencies));
    const sizes = await stateSizes(table);
    const svcflow = options.svcflow ?? (await svcflowFigures(options.instances));
    return report(options.instances / (ms / 1000), svcflow, latencies.summaries(), sizes);
  } finally {
    db.close();
    temp.remove();
  }
}

// helpers

function stateTable(db: Database.Database): StateTable {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('create table if not exists engine_states (id text primary key, state text not null)');
  const insert = db.prepare('insert into engine_states (id, state) values (?, ?)');
  const update = db.prepare('update engine_states set state = ? where id = ?');
  const select = db.prepare('select state from engine_states where id = ?');
  const length = db.prepare('select length(state) as bytes from engine_states where id = ?');
  return {
    insert: db.transaction((id: string, state: string) => insert.run(id, state)),
    update: db.transaction((id: string, state: string) => update.run(state, id)),
    load: (id) => (select.get(id) as { state: string }).state,
    bytes: (id) => (length.get(id) as { bytes: number }).bytes,
  };
}

async function drive(table: StateTable, instances: number, latencies: Latencies): Promise<void> {
  for (let i = 0; i < instances; i++) {
    const id = `instance-${i}-${Math.random().toString(36).slice(2)}`;
    await latencies.measure('start (execute → wait, save)', () => start(table, id));
    await latencies.measure('complete (load, recover, resume, signal → end, save)', () => complete(table, id));
  }
}

// Runs until the user task waits, saves the state and drops the engine: nothing stays in memory.
async function start(table: StateTable, id: string): Promise<void> {
  const listener = new EventEmitter();
  const engine = new BpmnEngine({ name: id, source: simpleUserTaskXml });
  const waiting = nextWait(listener);
  await engine.execute({ listener });
  await waiting;
  table.insert(id, JSON.stringify(await engine.getState()));
  await engine.stop();
}

async function complete(table: StateTable, id: string): Promise<void> {
  const listener = new EventEmitter();
  const engine = new BpmnEngine({ name: id }).recover(JSON.parse(table.load(id)));
  const ended = engine.waitFor('end');
  const waiting = nextWait(listener);
  await engine.resume({ listener });
  (await waiting).signal({ approved: true });
  await ended;
  table.update(id, JSON.stringify(await engine.getState()));
}

function nextWait(listener: EventEmitter): Promise<WaitingApi> {
  return new Promise((resolve) => listener.once('wait', resolve));
}

async function stateSizes(table: StateTable): Promise<{ waiting: number; completed: number }> {
  const [waiting, done] = ['size-waiting', 'size-completed'];
  await start(table, waiting);
  await start(table, done);
  await complete(table, done);
  return { waiting: table.bytes(waiting), completed: table.bytes(done) };
}

async function svcflowFigures(instances: number): Promise<SvcflowFigures> {
  const bench = await tempStore('compare');
  try {
    const engine = await deployedEngine(bench);
    await driveInProcess(engine, Math.min(300, instances));
    const { perSecond } = await driveInProcess(engine, instances);
    return { perSecond, snapshotBytes: await snapshotSizes(engine, bench) };
  } finally {
    await bench.close();
  }
}

function report(perSecond: number, svcflow: SvcflowFigures, latencies: Record<string, Summary>, sizes: { waiting: number; completed: number }): BenchResult {
  const ratio = svcflow.perSecond / perSecond;
  return {
    name: 'bpmn-engine 25 (same model, state saved to SQLite after every step)',
    tables: [
      {
        title: 'Instances/s, start → complete the user task, sequential, SQLite WAL temp file',
        head: ['engine', 'instances/s', 'state bytes (waiting)', 'state bytes (completed)'],
        rows: [
          ['bpmn-engine', round(perSecond, 0), sizes.waiting, sizes.completed],
          ['svcflow (in-process, this run)', round(svcflow.perSecond, 0), svcflow.snapshotBytes.waiting, svcflow.snapshotBytes.completed],
          ['ratio svcflow / bpmn-engine', `${round(ratio, 1)}×`, `${round(sizes.waiting / svcflow.snapshotBytes.waiting, 1)}× smaller`, ''],
        ],
      },
      latencyTable('bpmn-engine latency per step (ms)', latencies),
    ],
    notes: ['bpmn-engine writes one state row per step through better-sqlite3 directly; svcflow goes through knex and also writes task and history rows in the same transaction, and lists the open tasks between start and complete'],
    checks: [],
    json: { bpmnEnginePerSecond: round(perSecond, 1), svcflowPerSecond: round(svcflow.perSecond, 1), ratio: round(ratio, 2), stateBytes: sizes, latencyMs: latencyJson(latencies) },
  };
}
