/**
 * svcflow beside bpmn-engine (devDependency, comparison only) on the same models, in the same run,
 * interleaved: rounds alternate a batch of svcflow instances and a batch of bpmn-engine instances, so
 * both sides share whatever else the machine is doing. bpmn-engine gets its definition parsed once
 * (the `moddleContext` option, as a user keeping the parsed model would) and its state is saved to
 * SQLite after every step, as its users do: one better-sqlite3 transaction per step on a WAL file.
 * Bytes are all bytes on disk per instance on both sides (database file after a WAL checkpoint).
 */
import { EventEmitter } from 'node:events';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { BpmnModdle } from 'bpmn-moddle';
import { Engine as BpmnEngine } from 'bpmn-engine';
import { Engine, systemClock } from '../engine/runtime/index.js';
import {
  CALLED_TASK,
  CALL_KEY,
  MI_ITEMS,
  MI_KEY,
  MI_TASK,
  PARALLEL_KEY,
  PARALLEL_TASKS,
  SIMPLE_KEY,
  SIMPLE_TASK,
  callPairXml,
  calledXml,
  callerXml,
  multiInstanceXml,
  parallelThreeXml,
  simpleUserTaskXml,
} from './models.js';
import type { BenchResult, Table } from './report.js';
import { sizeOf, tempDir, tempStore, type BenchStore } from './sqlite.js';
import { round } from './stats.js';

export interface BpmnEngineOptions {
  /** Instances per model and side. */
  instances: number;
  /** Instances per batch; rounds alternate one batch of each side. */
  batch?: number;
}

interface Model {
  name: string;
  key: string;
  xml: string;
  /** The user tasks an instance waits at, completed in this order (one step each; an id repeats per multi-instance item). */
  tasks: string[];
  /** What svcflow deploys when not `xml` alone (a called process is a file of its own). */
  deploy?: string[];
  /** The user tasks are in the called child instances (svcflow lists them there). */
  inChildren?: boolean;
  /** Fraction of the instances this model runs (a 50-step instance is run fewer times). */
  share?: number;
}

const MODELS: Model[] = [
  { name: 'simple user task', key: SIMPLE_KEY, xml: simpleUserTaskXml, tasks: [SIMPLE_TASK] },
  { name: 'parallel, three branches', key: PARALLEL_KEY, xml: parallelThreeXml, tasks: PARALLEL_TASKS },
  {
    name: `parallel multi-instance user task, ${MI_ITEMS} items`,
    key: MI_KEY,
    xml: multiInstanceXml,
    tasks: Array.from({ length: MI_ITEMS }, () => MI_TASK),
    share: 0.1,
  },
  {
    name: 'call activity: child start → complete',
    key: CALL_KEY,
    xml: callPairXml,
    deploy: [calledXml, callerXml],
    tasks: [CALLED_TASK],
    inChildren: true,
  },
];

interface Side {
  name: string;
  /** Runs one instance to its end, step by step. */
  run(i: number): Promise<void>;
  /** Bytes on disk now (database file after a checkpoint). */
  bytes(): number;
  close(): Promise<void>;
}

interface Figures {
  model: string;
  instances: number;
  steps: number;
  svcflowPerSecond: number;
  bpmnEnginePerSecond: number;
  ratio: number;
  svcflowCpuMs: number;
  bpmnEngineCpuMs: number;
  svcflowBytes: number;
  bpmnEngineBytes: number;
  load: number;
}

/** Each model: warm both sides, then interleaved rounds; rate, CPU per instance and bytes per instance. */
export async function benchBpmnEngine(options: BpmnEngineOptions): Promise<BenchResult> {
  const figures: Figures[] = [];
  for (const model of MODELS) {
    const instances = Math.max(10, Math.round(options.instances * (model.share ?? 1)));
    figures.push(await compare(model, instances, options.batch ?? Math.max(10, Math.floor(instances / 10))));
  }
  return report(figures, options.instances);
}

// helpers

async function compare(model: Model, instances: number, batch: number): Promise<Figures> {
  const sides = [await svcflowSide(model), await bpmnEngineSide(model)];
  try {
    const warm = Math.min(50, instances);
    for (const side of sides) for (let i = 0; i < warm; i++) await side.run(-1 - i);
    const before = sides.map((side) => side.bytes());
    const load = round(loadavg()[0]);
    const ms = [0, 0];
    const cpu = [0, 0];
    for (let done = 0; done < instances; done += batch) {
      const n = Math.min(batch, instances - done);
      for (const [s, side] of sides.entries()) {
        const cpuBefore = process.cpuUsage();
        const started = performance.now();
        for (let i = 0; i < n; i++) await side.run(done + i);
        ms[s] += performance.now() - started;
        const used = process.cpuUsage(cpuBefore);
        cpu[s] += (used.user + used.system) / 1000;
      }
    }
    const bytes = sides.map((side, s) => (side.bytes() - before[s]) / instances);
    const [svcflow, bpmnEngine] = ms.map((m) => instances / (m / 1000));
    return {
      model: model.name,
      instances,
      steps: model.tasks.length + 1,
      svcflowPerSecond: round(svcflow, 0),
      bpmnEnginePerSecond: round(bpmnEngine, 0),
      ratio: round(svcflow / bpmnEngine, 2),
      svcflowCpuMs: round(cpu[0] / instances, 3),
      bpmnEngineCpuMs: round(cpu[1] / instances, 3),
      svcflowBytes: round(bytes[0], 0),
      bpmnEngineBytes: round(bytes[1], 0),
      load,
    };
  } finally {
    for (const side of sides) await side.close();
  }
}

/** svcflow in-process on a temp SQLite file: start, list the open tasks, complete each (one step each). */
async function svcflowSide(model: Model): Promise<Side> {
  const bench: BenchStore = await tempStore('peer');
  const engine = new Engine({ store: bench.store, clock: systemClock });
  for (const xml of model.deploy ?? [model.xml]) await engine.deploy(xml);
  return {
    name: 'svcflow',
    async run() {
      const started = await engine.startInstance({ definitionKey: model.key });
      const holders = model.inChildren
        ? (await engine.listInstances({ parentInstanceId: started.id })).items.map((c) => c.id)
        : [started.id];
      const open = [];
      for (const instanceId of holders)
        open.push(...(await engine.listTasks({ instanceId, status: 'open', limit: model.tasks.length })).items);
      for (const elementId of model.tasks) {
        const at = open.findIndex((t) => t.elementId === elementId);
        await engine.completeTask(open.splice(at, 1)[0].id, { approved: true });
      }
    },
    bytes: () => bench.checkpointedBytes(),
    close: () => bench.close(),
  };
}

/** bpmn-engine: every step recovers the saved state, resumes, signals one task and saves the state. */
async function bpmnEngineSide(model: Model): Promise<Side> {
  const temp = tempDir('bpmn-engine');
  const file = join(temp.dir, 'states.db');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('create table engine_states (id text primary key, state text not null)');
  const insert = db.transaction((id: string, state: string) =>
    db.prepare('insert into engine_states (id, state) values (?, ?)').run(id, state),
  );
  const update = db.transaction((id: string, state: string) =>
    db.prepare('update engine_states set state = ? where id = ?').run(state, id),
  );
  const select = db.prepare('select state from engine_states where id = ?');
  // parsed once, as a user keeping the model would
  const moddleContext = await new BpmnModdle().fromXML(model.xml);
  let serial = 0;
  return {
    name: 'bpmn-engine',
    async run() {
      const id = `instance-${serial++}`;
      const listener = new EventEmitter();
      const engine = new BpmnEngine({ name: id, moddleContext });
      await engine.execute({ listener });
      insert(id, JSON.stringify(await engine.getState()));
      await engine.stop();
      for (const [k, taskId] of model.tasks.entries()) {
        const waits: WaitingApi[] = [];
        const resumed = new EventEmitter();
        resumed.on('wait', (api: WaitingApi) => waits.push(api));
        const recovered = new BpmnEngine({ name: id }).recover(JSON.parse((select.get(id) as { state: string }).state));
        const last = k === model.tasks.length - 1;
        const ended = last ? recovered.waitFor('end') : null;
        await recovered.resume({ listener: resumed });
        const api = waits.find((w) => w.id === taskId);
        if (!api) throw new Error(`bpmn-engine: ${id} does not wait at ${taskId}`);
        api.signal({ approved: true });
        if (ended) await ended;
        update(id, JSON.stringify(await recovered.getState()));
        // a finished engine has nothing to stop (stop() on it never resolves)
        if (!last) await recovered.stop();
      }
    },
    bytes() {
      db.pragma('wal_checkpoint(TRUNCATE)');
      return sizeOf(file) + sizeOf(`${file}-wal`);
    },
    async close() {
      db.close();
      temp.remove();
    },
  };
}

interface WaitingApi {
  id: string;
  signal(message?: unknown): void;
}

function report(figures: Figures[], instances: number): BenchResult {
  const table: Table = {
    title: `${instances} instances per model and side (a tenth for the multi-instance model), sequential, interleaved in batches (start → complete every user task)`,
    head: [
      'model',
      'instances',
      'steps/inst',
      'svcflow inst/s',
      'bpmn-engine inst/s',
      'ratio',
      'svcflow CPU ms/inst',
      'bpmn-engine CPU ms/inst',
      'svcflow bytes/inst',
      'bpmn-engine bytes/inst',
      'bytes ratio',
      'load',
    ],
    rows: figures.map((f) => [
      f.model,
      f.instances,
      f.steps,
      f.svcflowPerSecond,
      f.bpmnEnginePerSecond,
      `${f.ratio}×`,
      f.svcflowCpuMs,
      f.bpmnEngineCpuMs,
      f.svcflowBytes,
      f.bpmnEngineBytes,
      `${round(f.bpmnEngineBytes / Math.max(1, f.svcflowBytes), 2)}× smaller`,
      f.load,
    ]),
  };
  return {
    name: 'svcflow beside bpmn-engine 25 (same models, same run, interleaved)',
    tables: [table],
    notes: [
      'bpmn-engine: definition parsed once (moddleContext), state saved with better-sqlite3 after every step (recover → resume → signal → save); its state carries the serialised definition, as getState() gives it',
      'svcflow: Engine in-process on SQLite (WAL), each step one transaction with its task, history and SLA rows; the open tasks are listed once per instance',
      `multi-instance: ${MI_ITEMS} user tasks created in the start step, then one step per completion (${MI_ITEMS + 1} steps per instance); the same XML (loopCardinality) on both sides`,
      'call activity: svcflow deploys the called process as a file of its own and runs it as an instance of its own (row, history); bpmn-engine runs it from the same definitions document (the called process not executable) inside the caller state',
      "bytes: the database file after a WAL checkpoint, grown over the measured instances, divided by their number (all tables and indexes on svcflow's side)",
    ],
    checks: [],
    json: { figures },
  };
}
