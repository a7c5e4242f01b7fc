/**
 * A grown SQLite database, filled directly with SQL: N instances waiting at a group's user task
 * (open task, running SLA) and M finished ones (completed task, met or breached SLA, full history).
 * The rows are copies of one real waiting and one real finished instance the engine wrote, with
 * fresh random ids and times spread over the past weeks, so every table looks as the engine keeps it.
 */
import Database from 'better-sqlite3';
import { Engine, attachSla, systemClock, type SlaService } from '../engine/runtime/index.js';
import { tempStore, type BenchStore } from './sqlite.js';

export const GROUP_KEY = 'Bench_groupTask';
export const GROUP_TASK = 'Task_handle';
/** The groups the copies are offered to, round robin; `support` holds a quarter of all tasks. */
export const GROUPS = ['support', 'billing', 'field', 'sales'];

export const groupTaskXml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  xmlns:svc="https://svcflow.dev/schema/bpmn/1.0" id="Definitions_${GROUP_KEY}" targetNamespace="https://svcflow.dev/bench">
  <bpmn:process id="${GROUP_KEY}" isExecutable="true">
    <bpmn:startEvent id="StartEvent_1" />
    <bpmn:userTask id="${GROUP_TASK}" name="Handle request">
      <bpmn:extensionElements>
        <zeebe:assignmentDefinition candidateGroups="support" />
        <svc:sla target="PT4H" calendar="24x7" />
      </bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:endEvent id="EndEvent_1" />
    <bpmn:sequenceFlow id="Flow_1" sourceRef="StartEvent_1" targetRef="${GROUP_TASK}" />
    <bpmn:sequenceFlow id="Flow_2" sourceRef="${GROUP_TASK}" targetRef="EndEvent_1" />
  </bpmn:process>
</bpmn:definitions>`;

export interface GrowOptions {
  waiting: number;
  finished: number;
}

export interface GrownDb {
  bench: BenchStore;
  engine: Engine;
  sla: SlaService;
  /** Seconds spent filling. */
  fillSeconds: number;
  close(): Promise<void>;
}

// Times of the copies: waiting ones started over the past 30 days, finished ones ended over the past year.
const WAITING_SPAN_S = 30 * 86_400;
const FINISHED_SPAN_S = 365 * 86_400;
const TABLES = ['instances', 'tasks', 'task_candidates', 'slas', 'history'] as const;
const BATCH = 50_000;

/** A temp-file store with the group-task model deployed and grown to the given sizes. */
export async function grownDb(options: GrowOptions): Promise<GrownDb> {
  const bench = await tempStore('grown');
  const engine = new Engine({ store: bench.store, clock: systemClock });
  const sla = await attachSla(engine);
  await engine.deploy(groupTaskXml);
  const started = performance.now();
  const waiting = await engine.startInstance({ definitionKey: GROUP_KEY });
  const finished = await engine.startInstance({ definitionKey: GROUP_KEY });
  const task = await engine.listTasks({ instanceId: finished.id, status: 'open' });
  await engine.completeTask(task.items[0].id, { approved: true }, 'ann');
  const db = new Database(bench.file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = OFF');
    copies(db, waiting.id, 'w', options.waiting, WAITING_SPAN_S);
    copies(db, finished.id, 'f', options.finished, FINISHED_SPAN_S);
    // as a database that grew over months: its WAL checkpointed, and no statistics (svcflow never runs ANALYZE)
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
  return {
    bench,
    engine,
    sla,
    fillSeconds: (performance.now() - started) / 1000,
    close: () => bench.close(),
  };
}

// helpers

/** Writes `count` copies of one instance's rows in every table, in batches. */
function copies(db: Database.Database, templateId: string, tag: string, count: number, spanS: number): void {
  const spacing = count > 0 ? spanS / count : 0;
  for (let from = 0; from < count; from += BATCH) {
    const size = Math.min(BATCH, count - from);
    db.transaction(() => {
      db.exec('drop table if exists temp.copy_ids');
      db.exec(
        `create temp table copy_ids (i integer primary key, instance_id text, task_id text, sla_id text, shift text)`,
      );
      db.prepare(`with recursive n(i) as (select ? union all select i + 1 from n where i < ?)
        insert into temp.copy_ids select i, lower(hex(randomblob(16))), lower(hex(randomblob(16))), lower(hex(randomblob(16))),
        printf('-%d seconds', cast(i * ? as integer)) from n`).run(from, from + size - 1, spacing);
      for (const table of TABLES) copyTable(db, table, templateId, tag);
    })();
  }
  db.exec('drop table if exists temp.copy_ids');
}

function copyTable(db: Database.Database, table: (typeof TABLES)[number], templateId: string, tag: string): void {
  const columns = (db.prepare(`select name from pragma_table_info('${table}')`).all() as Array<{ name: string }>)
    .map((c) => c.name)
    .filter((c) => !(table === 'history' && c === 'id'));
  const exprs = columns.map((c) => columnCopy(table, c, tag));
  const where =
    table === 'task_candidates'
      ? `t.task_id in (select id from tasks where instance_id = ?)`
      : `t.${table === 'instances' ? 'id' : 'instance_id'} = ?`;
  const order = table === 'history' ? ' order by c.i, t.id' : '';
  db.prepare(
    `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) select ${exprs.join(', ')} from temp.copy_ids c cross join "${table}" t where ${where}${order}`,
  ).run(templateId);
}

const TIME_COLUMNS = new Set([
  'started_at',
  'ended_at',
  'created_at',
  'due',
  'follow_up',
  'at',
  'due_at',
  'warned_at',
  'breached_at',
  'completed_at',
  'next_check_at',
  'paused_since',
]);

function columnCopy(table: string, column: string, tag: string): string {
  if (column === 'id') return table === 'instances' ? 'c.instance_id' : table === 'tasks' ? 'c.task_id' : 'c.sla_id';
  if (column === 'instance_id') return 'c.instance_id';
  if (column === 'task_id')
    return table === 'slas' ? 'case when t.task_id is null then null else c.task_id end' : 'c.task_id';
  if (table === 'task_candidates' && column === 'value')
    return `case when t.kind = 'group' then (${groupCase('c.i')}) else t.value end`;
  if (table === 'slas' && column === 'status' && tag === 'f')
    return `case when c.i % 10 = 0 then 'breached' else t.status end`;
  if (TIME_COLUMNS.has(column))
    return `case when t."${column}" is null then null else strftime('%Y-%m-%dT%H:%M:%fZ', t."${column}", c.shift) end`;
  return `t."${column}"`;
}

function groupCase(i: string): string {
  return `case ${i} % ${GROUPS.length} ${GROUPS.map((g, n) => `when ${n} then '${g}'`).join(' ')} end`;
}
