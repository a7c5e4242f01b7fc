import type { Knex } from 'knex';

type Table = Knex.CreateTableBuilder;

/** Creates the core tables and every index the repositories' queries rely on. */
export async function up(knex: Knex): Promise<void> {
  const ts = timestampColumn(knex);
  await knex.schema.createTable('definitions', (t) => {
    t.string('id').primary();
    t.string('key').notNullable();
    t.integer('version').notNullable();
    t.string('name');
    t.string('hash', 64).notNullable();
    t.text('xml').notNullable();
    ts(t, 'deployed_at').notNullable();
    t.string('deployed_by');
    t.unique(['key', 'version']);
    t.index(['key', 'hash']);
  });
  await knex.schema.createTable('instances', (t) => {
    t.string('id').primary();
    t.string('definition_id').notNullable().references('id').inTable('definitions');
    t.string('definition_key').notNullable();
    t.string('business_key');
    t.string('status', 16).notNullable();
    t.text('snapshot').notNullable();
    t.text('variables').notNullable();
    t.text('active_elements').notNullable();
    t.integer('version').notNullable();
    ts(t, 'started_at').notNullable();
    ts(t, 'ended_at');
    t.string('started_by');
    t.index(['definition_key', 'status', 'started_at']);
    t.index(['business_key']);
    t.index(['status', 'started_at']);
    t.index(['started_at']);
  });
  await createTaskTables(knex, ts);
  await createSchedulingTables(knex, ts);
  await createRecordTables(knex, ts);
}

/** Drops the core tables, children first. */
export async function down(knex: Knex): Promise<void> {
  const tables = [
    'history',
    'incidents',
    'subscriptions',
    'jobs',
    'timers',
    'task_candidates',
    'tasks',
    'instances',
    'definitions',
  ];
  for (const table of tables) await knex.schema.dropTableIfExists(table);
}

// helpers

type TimestampColumn = (t: Table, name: string) => Knex.ColumnBuilder;

/** PostgreSQL keeps real timestamptz(3); SQLite keeps ISO text in UTC, which sorts correctly. */
function timestampColumn(knex: Knex): TimestampColumn {
  if (knex.client.dialect === 'postgresql') return (t, name) => t.timestamp(name, { useTz: true, precision: 3 });
  return (t, name) => t.text(name);
}

function instanceColumn(t: Table): void {
  t.string('instance_id').notNullable().references('id').inTable('instances');
}

async function createTaskTables(knex: Knex, ts: TimestampColumn): Promise<void> {
  await knex.schema.createTable('tasks', (t) => {
    t.string('id').primary();
    instanceColumn(t);
    t.string('definition_key').notNullable();
    t.string('element_id').notNullable();
    t.string('name');
    t.string('status', 16).notNullable();
    t.string('assignee');
    t.integer('priority').notNullable();
    ts(t, 'due');
    ts(t, 'follow_up');
    t.string('form_key');
    t.text('inputs').notNullable();
    ts(t, 'created_at').notNullable();
    ts(t, 'ended_at');
    t.string('completed_by');
    t.index(['instance_id', 'element_id', 'status']);
    t.index(['status', 'assignee', 'due']);
    t.index(['assignee', 'status']);
    t.index(['definition_key', 'status']);
  });
  await knex.schema.createTable('task_candidates', (t) => {
    t.string('task_id').notNullable().references('id').inTable('tasks').onDelete('CASCADE');
    t.string('kind', 8).notNullable();
    t.string('value').notNullable();
    t.integer('position').notNullable();
    // A copy of tasks.status, so "open tasks of group X" is read from this index alone.
    t.string('task_status', 16).notNullable();
    t.primary(['task_id', 'kind', 'value']);
    t.index(['kind', 'value', 'task_status', 'task_id']);
  });
}

async function createSchedulingTables(knex: Knex, ts: TimestampColumn): Promise<void> {
  await knex.schema.createTable('timers', (t) => {
    t.string('id').primary();
    instanceColumn(t);
    t.string('element_id').notNullable();
    ts(t, 'due').notNullable();
    t.text('repeat');
    t.string('locked_by');
    ts(t, 'locked_until');
    t.index(['due']);
    t.index(['instance_id', 'element_id']);
  });
  await knex.schema.createTable('jobs', (t) => {
    t.string('id').primary();
    instanceColumn(t);
    t.string('definition_key').notNullable();
    t.string('element_id').notNullable();
    t.string('type').notNullable();
    t.string('status', 16).notNullable();
    t.integer('retries').notNullable();
    ts(t, 'due').notNullable();
    t.text('inputs').notNullable();
    t.string('worker_id');
    ts(t, 'locked_until');
    t.text('error_message');
    ts(t, 'created_at').notNullable();
    t.index(['status', 'type', 'due']);
    t.index(['instance_id', 'element_id']);
    t.index(['type', 'status']);
  });
  await knex.schema.createTable('subscriptions', (t) => {
    t.string('id').primary();
    instanceColumn(t);
    t.string('element_id').notNullable();
    t.string('message_name').notNullable();
    t.string('correlation_key');
    ts(t, 'created_at').notNullable();
    t.index(['message_name', 'correlation_key', 'created_at']);
    t.index(['instance_id', 'element_id']);
  });
}

async function createRecordTables(knex: Knex, ts: TimestampColumn): Promise<void> {
  await knex.schema.createTable('incidents', (t) => {
    t.string('id').primary();
    instanceColumn(t);
    t.string('definition_key').notNullable();
    t.string('element_id').notNullable();
    t.string('code').notNullable();
    t.text('message').notNullable();
    t.string('job_id');
    t.string('status', 16).notNullable();
    ts(t, 'created_at').notNullable();
    ts(t, 'resolved_at');
    t.index(['instance_id', 'status']);
    t.index(['status', 'created_at']);
    t.index(['definition_key', 'status']);
  });
  await knex.schema.createTable('history', (t) => {
    t.bigIncrements('id');
    instanceColumn(t);
    t.string('element_id');
    t.string('element_type');
    t.string('event').notNullable();
    ts(t, 'at').notNullable();
    t.string('actor');
    t.text('details');
    t.index(['instance_id', 'id']);
  });
}
