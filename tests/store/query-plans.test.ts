import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../engine/store/connection.js';
import { storeOn } from '../../engine/store/db.js';
import * as definitions from '../../engine/store/definitions.js';
import * as incidents from '../../engine/store/incidents.js';
import * as instances from '../../engine/store/instances.js';
import * as jobs from '../../engine/store/jobs.js';
import * as subscriptions from '../../engine/store/subscriptions.js';
import * as tasks from '../../engine/store/tasks.js';
import * as timers from '../../engine/store/timers.js';
import * as sla from '../../engine/store/sla.js';
import * as slaReport from '../../engine/store/sla-report.js';
import { describeEachStore, openKnex } from '../helpers/stores.js';
import { T0 } from '../helpers/store-rows.js';
import { migrationSource } from '../../migrations/index.js';

// Design rule: every query the API or scheduler runs is served by an index. SQLite's
// EXPLAIN QUERY PLAN shows a full table scan as a bare `SCAN <table>`.
describe('store/query plans (sqlite)', () => {
  let dir: string;
  let db: Knex;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'svcflow-plans-'));
    const connection = connect({ url: `sqlite:${join(dir, 'plans.db')}` });
    db = connection.knex;
    await storeOn(db, 'sqlite', { migrations: migrationSource }).migrate();
  });
  afterAll(async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const queries: Array<[string, (db: Knex) => Knex.QueryBuilder]> = [
    [
      'instances by definition key and status',
      (db) => instances.listQuery(db, { definitionKey: 'Process_complaint', status: 'active' }),
    ],
    ['instances by status', (db) => instances.listQuery(db, { status: 'incident' })],
    ['instances by business key', (db) => instances.listQuery(db, { businessKey: 'C-1001' })],
    ['instances, newest first', (db) => instances.listQuery(db, {})],
    [
      'tasks by candidate group',
      (db) => tasks.listQuery(db, { candidateGroups: ['support', 'billing'], status: 'open' }, 'sqlite'),
    ],
    ['tasks by candidate user', (db) => tasks.listQuery(db, { candidateUser: 'ann' }, 'sqlite')],
    ['tasks by assignee', (db) => tasks.listQuery(db, { assignee: 'ann' }, 'sqlite')],
    ['tasks open by assignee', (db) => tasks.listQuery(db, { status: 'open', assignee: 'ann' }, 'sqlite')],
    ['tasks by instance', (db) => tasks.listQuery(db, { instanceId: 'inst_1' }, 'sqlite')],
    ['tasks by definition key', (db) => tasks.listQuery(db, { definitionKey: 'Process_complaint' }, 'sqlite')],
    [
      'open tasks visible to a user and their groups',
      (db) =>
        tasks.listQuery(db, { status: 'open', visibleTo: { user: 'ann', groups: ['support', 'billing'] } }, 'sqlite'),
    ],
    [
      'tasks of any status visible to a user',
      (db) => tasks.listQuery(db, { visibleTo: { user: 'ann', groups: ['support'] } }, 'sqlite'),
    ],
    [
      'instances visible to a user and their groups',
      (db) => instances.listQuery(db, { status: 'active', visibleTo: { user: 'ann', groups: ['support'] } }),
    ],
    ['api token by hash', (db) => db('api_tokens').where({ token_hash: 'a'.repeat(64) })],
    ['groups of a user', (db) => db('memberships').select('group_id').where({ username: 'ann' })],
    ['members of groups', (db) => db('memberships').select('username').whereIn('group_id', ['support'])],
    [
      'timers claimDue',
      (db) =>
        db('timers')
          .whereIn('id', timers.claimableQuery(db, 'sqlite', T0, 10))
          .update({ locked_by: 'n' }),
    ],
    [
      'jobs fetchAndLock',
      (db) =>
        db('jobs')
          .whereIn('id', jobs.lockableQuery(db, 'sqlite', ['mail', 'sms'], T0, 10))
          .update({ worker_id: 'w' }),
    ],
    ['jobs by type', (db) => jobs.listQuery(db, { type: 'mail' })],
    ['jobs by status', (db) => jobs.listQuery(db, { status: 'failed' })],
    ['jobs by instance', (db) => jobs.listQuery(db, { instanceId: 'inst_1' })],
    ['subscriptions by name and key', (db) => subscriptions.findQuery(db, 'customer.replied', 'C-1')],
    ['subscriptions by name without key', (db) => subscriptions.findQuery(db, 'customer.replied', null)],
    ['incidents open, newest first', (db) => incidents.listQuery(db, { status: 'open' })],
    ['incidents by instance', (db) => incidents.listQuery(db, { instanceId: 'inst_1' })],
    ['incidents by definition key', (db) => incidents.listQuery(db, { definitionKey: 'Process_complaint' })],
    ['definitions of a key', (db) => definitions.listQuery(db, { key: 'Process_complaint' })],
    ['latest definitions', (db) => definitions.listQuery(db, { latestOnly: true })],
  ];

  it.each(queries)('serves %s from an index', async (_, build) => {
    expect(await tableScans(db, build(db))).toEqual([]);
  });

  it("reads a group's open tasks in list order from the status index, probing candidates by key", async () => {
    const steps = await plan(db, tasks.listQuery(db, { candidateGroups: ['support'], status: 'open' }, 'sqlite'));
    expect(steps).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^SEARCH tasks USING INDEX tasks_status_list_key_index \(status=\?\)$/),
        expect.stringMatching(
          /^SEARCH oc (EXISTS )?USING (COVERING )?INDEX sqlite_autoindex_task_candidates_1 \(task_id=\? AND kind=\? AND value=\?\)$/,
        ),
      ]),
    );
    expect(steps.filter((s) => s.includes('TEMP B-TREE'))).toEqual([]);
  });

  it('notices a query no index serves', async () => {
    expect(await tableScans(db, db('tasks').where('name', 'Review'))).toEqual(['SCAN tasks']);
  });
});

// helpers

async function plan(db: Knex, query: Knex.QueryBuilder): Promise<string[]> {
  const { sql, bindings } = query.toSQL().toNative();
  const steps: Array<{ detail: string }> = await db.raw(`EXPLAIN QUERY PLAN ${sql}`, bindings as Knex.RawBinding[]);
  return steps.map((step) => step.detail);
}

async function tableScans(db: Knex, query: Knex.QueryBuilder): Promise<string[]> {
  return (await plan(db, query)).filter((detail) => /^SCAN \w+( AS \w+)?$/.test(detail));
}

// Issue #18: the statements of a step and the first page of every list stay on their index as work
// grows. SQLite's EXPLAIN QUERY PLAN must name the index; PostgreSQL (sequential and bitmap scans
// off, so an empty table's plan is the one a grown table gets) must show an Index Scan on it and no Sort.
describeEachStore('store/query plans of the hot statements', (backend) => {
  let db: Knex;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ knex: db, close } = await openKnex(backend));
    // PostgreSQL plans by statistics: give it a grown table's shape (SQLite, as svcflow runs it, has none)
    if (backend.name === 'postgres') await growForPlanner(db);
  });
  afterAll(() => close());

  const staff = { user: 'ann', groups: ['support', 'billing'] };
  const dialect = backend.name === 'sqlite' ? 'sqlite' : 'postgres';
  const hot: Array<[string, string, (db: Knex) => Knex.QueryBuilder]> = [
    [
      "a group's open tasks, first page",
      'tasks_status_list_key_index',
      (db) => tasks.listQuery(db, { candidateGroups: ['support'], status: 'open' }, dialect).limit(51),
    ],
    [
      "a group's open tasks, next page",
      'tasks_status_list_key_index',
      (db) => tasks.listQuery(db, { candidateGroups: ['support'], status: 'open', cursor: CURSOR }, dialect).limit(51),
    ],
    [
      'open tasks a staff member may see',
      'tasks_status_list_key_index',
      (db) => tasks.listQuery(db, { status: 'open', visibleTo: staff }, dialect).limit(51),
    ],
    [
      'open tasks of an assignee',
      'tasks_assignee_status_list_key_index',
      (db) => tasks.listQuery(db, { status: 'open', assignee: 'ann' }, dialect).limit(51),
    ],
    ['instances newest first', 'instances_started_at_id_index', (db) => instances.listQuery(db, {}).limit(51)],
    [
      'active instances a staff member may see',
      'instances_status_started_at_id_index',
      (db) => instances.listQuery(db, { status: 'active', visibleTo: staff }).limit(51),
    ],
    [
      "running SLAs of a supervisor's groups",
      'slas_open_due_at_id_index',
      (db) => sla.listQuery(db, { status: 'running', scopeGroups: ['support'] }, dialect).limit(51),
    ],
    [
      "breached SLAs of a supervisor's groups",
      'slas_status_due_at_id_index',
      (db) => sla.listQuery(db, { status: 'breached', scopeGroups: ['support'] }, dialect).limit(51),
    ],
  ];

  it('reads the open tasks of an instance from the instance index, not by walking every open task', async () => {
    const steps = await planOn(db, dialect, tasks.listQuery(db, { instanceId: 'i1', status: 'open' }, dialect));
    expect(steps.join('\n')).toMatch(usesIndex(dialect, 'tasks_instance_id_status_index'));
  });

  it.each(hot)('reads %s in order from %s', async (_, index, build) => {
    const steps = await planOn(db, dialect, build(db));
    expect(steps.join('\n')).toMatch(usesIndex(dialect, index));
    if (process.env.SHOW_PLANS) console.log(steps.join('\n'));
    expect(
      steps.filter((step) => /TEMP B-TREE|^\s*(->\s*)?(Sort|Incremental Sort)\b|Seq Scan|^SCAN \w+$/.test(step)),
    ).toEqual([]);
  });

  it("reads only the period's rows for the SLA report, from the completed_at index", async () => {
    const query = slaReport.baseQuery(db, {
      from: T0,
      to: '2026-12-01T00:00:00.000Z',
      groupBy: 'definition',
      scopeGroups: ['support'],
    });
    const steps = await planOn(db, dialect, query);
    expect(steps.join('\n')).toMatch(usesIndex(dialect, 'slas_closed_completed_at_index'));
    expect(steps.join('\n')).not.toMatch(/slas_status_due_at_index|Seq Scan on slas|^SCAN s$/m);
  });
});

// helpers (hot statements)

const CURSOR = Buffer.from(`~|2147483598|${T0}|task_1`).toString('base64url');

// 5,000 instances, one task and one SLA each: a tenth open, the rest finished, offered to four groups.
async function growForPlanner(db: Knex): Promise<void> {
  const group = "case g % 4 when 0 then 'support' when 1 then 'billing' when 2 then 'field' else 'sales' end";
  const open = 'g % 10 = 0';
  await db.raw(
    "insert into definitions (id, key, version, hash, xml, deployed_at) values ('d1', 'k', 1, 'h', '<x/>', now())",
  );
  await db.raw(`insert into instances (id, definition_id, definition_key, status, snapshot, variables, active_elements, version, started_at, ended_at)
    select 'i' || g, 'd1', 'k', case when ${open} then 'active' else 'completed' end, '{}', '{}', '[]', 1, now() - g * interval '1 minute',
    case when ${open} then null else now() end from generate_series(1, 5000) g`);
  await db.raw(`insert into tasks (id, instance_id, definition_key, element_id, status, priority, inputs, created_at, completed_by)
    select 't' || g, 'i' || g, 'k', 'Task_1', case when ${open} then 'open' else 'completed' end, 50, '{}', now() - g * interval '1 minute',
    case when ${open} then null else 'u' || (g % 50) end from generate_series(1, 5000) g`);
  await db.raw(`insert into task_candidates (task_id, kind, value, position, task_status)
    select 't' || g, 'group', ${group}, 0, case when ${open} then 'open' else 'completed' end from generate_series(1, 5000) g`);
  await db.raw(`insert into slas (id, instance_id, definition_key, element_id, kind, task_id, calendar_id, target, target_ms, warn_at, warnings_due,
    next_warning, warning_code, breach_code, status, started_at, due_at, paused_ms, pause_count, pause_depth, holiday_data_missing, completed_at)
    select 's' || g, 'i' || g, 'k', 'Task_1', 'task', 't' || g, '24x7', 'PT4H', 14400000, '[]', '[]', 0, 'w', 'b',
    case when ${open} then 'running' when g % 7 = 0 then 'breached' else 'met' end, now() - g * interval '1 minute',
    now() - g * interval '1 minute' + interval '4 hours', 0, 0, 0, 0, case when ${open} then null else now() - g * interval '30 seconds' end
    from generate_series(1, 5000) g`);
  await db.raw('analyze');
}

function usesIndex(dialect: string, index: string): RegExp {
  return dialect === 'sqlite'
    ? new RegExp(`USING (COVERING )?INDEX ${index}\\b`)
    : new RegExp(`Index (Only )?Scan (Backward )?using ${index}\\b`);
}

async function planOn(db: Knex, dialect: string, query: Knex.QueryBuilder): Promise<string[]> {
  if (dialect === 'sqlite') return plan(db, query);
  const { sql, bindings } = query.toSQL();
  return db.transaction(async (trx) => {
    await trx.raw('set local enable_seqscan = off');
    await trx.raw('set local enable_bitmapscan = off');
    const result: { rows: Array<{ 'QUERY PLAN': string }> } = await trx.raw(
      `explain ${sql}`,
      bindings as Knex.RawBinding[],
    );
    return result.rows.map((row) => row['QUERY PLAN']);
  });
}
