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
    ['instances by definition key and status', (db) => instances.listQuery(db, { definitionKey: 'Process_complaint', status: 'active' })],
    ['instances by status', (db) => instances.listQuery(db, { status: 'incident' })],
    ['instances by business key', (db) => instances.listQuery(db, { businessKey: 'C-1001' })],
    ['instances, newest first', (db) => instances.listQuery(db, {})],
    ['tasks by candidate group', (db) => tasks.listQuery(db, { candidateGroups: ['support', 'billing'], status: 'open' }, 'sqlite')],
    ['tasks by candidate user', (db) => tasks.listQuery(db, { candidateUser: 'ann' }, 'sqlite')],
    ['tasks by assignee', (db) => tasks.listQuery(db, { assignee: 'ann' }, 'sqlite')],
    ['tasks open by assignee', (db) => tasks.listQuery(db, { status: 'open', assignee: 'ann' }, 'sqlite')],
    ['tasks by instance', (db) => tasks.listQuery(db, { instanceId: 'inst_1' }, 'sqlite')],
    ['tasks by definition key', (db) => tasks.listQuery(db, { definitionKey: 'Process_complaint' }, 'sqlite')],
    ['open tasks visible to a user and their groups', (db) => tasks.listQuery(db, { status: 'open', visibleTo: { user: 'ann', groups: ['support', 'billing'] } }, 'sqlite')],
    ['tasks of any status visible to a user', (db) => tasks.listQuery(db, { visibleTo: { user: 'ann', groups: ['support'] } }, 'sqlite')],
    ['instances visible to a user and their groups', (db) => instances.listQuery(db, { status: 'active', visibleTo: { user: 'ann', groups: ['support'] } })],
    ['api token by hash', (db) => db('api_tokens').where({ token_hash: 'a'.repeat(64) })],
    ['groups of a user', (db) => db('memberships').select('group_id').where({ username: 'ann' })],
    ['members of groups', (db) => db('memberships').select('username').whereIn('group_id', ['support'])],
    ['timers claimDue', (db) => db('timers').whereIn('id', timers.claimableQuery(db, 'sqlite', T0, 10)).update({ locked_by: 'n' })],
    ['jobs fetchAndLock', (db) => db('jobs').whereIn('id', jobs.lockableQuery(db, 'sqlite', ['mail', 'sms'], T0, 10)).update({ worker_id: 'w' })],
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

  it('reads open tasks of a group from the candidate index, then tasks by id', async () => {
    const steps = await plan(db, tasks.listQuery(db, { candidateGroups: ['support'], status: 'open' }, 'sqlite'));
    expect(steps).toEqual(expect.arrayContaining([
      expect.stringMatching(/^SEARCH task_candidates USING COVERING INDEX \S+ \(kind=\? AND value=\? AND task_status=\?\)$/),
      expect.stringMatching(/^SEARCH tasks USING INDEX sqlite_autoindex_tasks_1 \(id=\?\)$/),
    ]));
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
