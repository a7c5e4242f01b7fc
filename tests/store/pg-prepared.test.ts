/**
 * The hot statements of a step are prepared (named) on PostgreSQL: the server parses and plans them once per
 * connection. A connection that prepared them before another node changed a table keeps working.
 */
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../engine/runtime/index.js';
import { connect } from '../../engine/store/connection.js';
import { storeOn } from '../../engine/store/db.js';
import { preparedStatements } from '../../engine/store/prepared.js';
import { migrationSource } from '../../migrations/index.js';
import { SIMPLE_KEY, simpleUserTaskXml } from '../../bench/models.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { storeBackends } from '../helpers/stores.js';

const URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const postgres = storeBackends().find((b) => b.name === 'postgres');
const suite = postgres?.available ? describe : describe.skip;

suite('prepared step statements (postgres)', () => {
  const schema = `svcflow_test_${randomBytes(5).toString('hex')}`;
  let knex: Knex;
  let engine: Engine;

  beforeAll(async () => {
    // one connection, so the statements this test looks at are the ones the steps prepared
    knex = connect({ url: URL, schema, poolMax: 1 }).knex;
    const store = storeOn(knex, 'postgres', { migrations: migrationSource, schema });
    await store.migrate();
    engine = new Engine({ store, clock: new FakeClock('2026-03-02T09:00:00Z') });
    await engine.deploy(simpleUserTaskXml);
  });
  afterAll(async () => {
    await knex?.destroy();
    const client = new pg.Client({ connectionString: URL });
    await client.connect();
    await client.query(`drop schema if exists "${schema}" cascade`);
    await client.end();
  });

  async function simpleInstance(): Promise<string> {
    const started = await engine.startInstance({ definitionKey: SIMPLE_KEY });
    const [task] = (await engine.listTasks({ instanceId: started.id, status: 'open', withTotal: false })).items;
    const done = await engine.completeTask(task.id, { approved: true });
    return done.status;
  }

  async function prepared(): Promise<string[]> {
    const result: { rows: Array<{ statement: string }> } = await knex.raw(
      "select statement from pg_prepared_statements where name like 'svcflow\\_%' order by statement",
    );
    return result.rows.map((r) => r.statement);
  }

  it('prepares the instance read, the task read and the writes of a start and a completion once', async () => {
    await simpleInstance();
    const first = await prepared();
    expect(first.some((s) => /from "instances" where "id" = \$1/.test(s))).toBe(true);
    expect(first.some((s) => /from tasks where tasks.id = \$1/.test(s))).toBe(true);
    expect(first.some((s) => /insert into "instances"/.test(s))).toBe(true);
    expect(first.some((s) => /update tasks set status = 'completed'/.test(s))).toBe(true);
    await simpleInstance();
    expect(await prepared()).toEqual(first);
  });

  it('keeps completing instances after a table the prepared statements read gained a column', async () => {
    await simpleInstance();
    await knex.raw('alter table instances add column added_by_another_node text');
    await knex.raw('alter table tasks add column added_by_another_node text');
    expect(await simpleInstance()).toBe('completed');
    expect(await simpleInstance()).toBe('completed');
  });

  it('is switched by SVCFLOW_DB_PREPARED, refusing anything but on and off', () => {
    expect(preparedStatements({})).toBe(true);
    expect(preparedStatements({ SVCFLOW_DB_PREPARED: 'off' })).toBe(false);
    expect(() => preparedStatements({ SVCFLOW_DB_PREPARED: 'yes' })).toThrow(/SVCFLOW_DB_PREPARED/);
  });
});
