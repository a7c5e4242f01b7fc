import type { Knex } from 'knex';

type Table = Knex.CreateTableBuilder;
type TimestampColumn = (t: Table, name: string) => Knex.ColumnBuilder;

/** Creates users, groups, memberships, API tokens and the settings table (the shared JWT secret). */
export async function up(knex: Knex): Promise<void> {
  const ts = timestampColumn(knex);
  await knex.schema.createTable('users', (t) => {
    t.string('username', 64).primary();
    t.string('display_name', 200).notNullable();
    // null: the account cannot sign in with a password
    t.string('password_hash', 255);
    t.text('roles').notNullable();
    t.boolean('disabled').notNullable().defaultTo(false);
    ts(t, 'created_at').notNullable();
    ts(t, 'updated_at').notNullable();
  });
  await knex.schema.createTable('groups', (t) => {
    t.string('id', 64).primary();
    t.string('name', 200).notNullable();
    ts(t, 'created_at').notNullable();
  });
  await knex.schema.createTable('memberships', (t) => {
    t.string('username', 64).notNullable().references('username').inTable('users').onDelete('CASCADE');
    t.string('group_id', 64).notNullable().references('id').inTable('groups').onDelete('CASCADE');
    t.primary(['username', 'group_id']);
    t.index(['group_id', 'username']);
  });
  await createTokenTables(knex, ts);
  // The tasks and instances a user may see are found through these (engine/store/visibility.ts).
  await knex.schema.alterTable('tasks', (t) => {
    t.index(['completed_by']);
    t.index(['instance_id', 'assignee']);
  });
}

/** Drops the user tables and the visibility indexes. */
export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tasks', (t) => {
    t.dropIndex(['completed_by']);
    t.dropIndex(['instance_id', 'assignee']);
  });
  for (const table of ['settings', 'api_tokens', 'memberships', 'groups', 'users'])
    await knex.schema.dropTableIfExists(table);
}

// helpers

/** PostgreSQL keeps real timestamptz(3); SQLite keeps ISO text in UTC, which sorts correctly. */
function timestampColumn(knex: Knex): TimestampColumn {
  if (knex.client.dialect === 'postgresql') return (t, name) => t.timestamp(name, { useTz: true, precision: 3 });
  return (t, name) => t.text(name);
}

async function createTokenTables(knex: Knex, ts: TimestampColumn): Promise<void> {
  await knex.schema.createTable('api_tokens', (t) => {
    t.string('id', 64).primary();
    t.string('name', 200).notNullable();
    // sha256 of the token, hex; the token itself is shown once and never stored
    t.string('token_hash', 64).notNullable().unique();
    t.text('roles').notNullable();
    t.string('created_by', 64);
    ts(t, 'created_at').notNullable();
    ts(t, 'revoked_at');
    t.index(['created_at']);
  });
  await knex.schema.createTable('settings', (t) => {
    t.string('key', 100).primary();
    t.text('value').notNullable();
  });
}
