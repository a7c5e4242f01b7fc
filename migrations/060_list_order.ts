import type { Knex } from 'knex';

/**
 * Indexes that keep a step's and a list page's cost flat as work grows:
 * - tasks get `list_key`, a generated column spelling the tasklist order (due, nulls last; priority,
 *   highest first; created; id) as one sortable text, so a page is read in index order and the next
 *   one starts after the last key (keyset paging);
 * - the open tasks of an instance are found by (instance_id, status);
 * - instances are listed newest first by (…, started_at, id), SLAs by (…, due_at, id), and open SLA
 *   clocks (completed_at null) from a partial index on (due_at, id);
 * - indexes no query uses any more are dropped (every index costs each insert).
 */
export async function up(knex: Knex): Promise<void> {
  const pg = knex.client.dialect === 'postgresql';
  if (pg) await knex.raw(PG_LIST_KEY_FUNCTION);
  await knex.raw(`alter table tasks add column list_key ${pg ? PG_LIST_KEY : SQLITE_LIST_KEY}`);
  await knex.schema.alterTable('tasks', (t) => {
    t.dropIndex(['instance_id', 'element_id', 'status']);
    t.dropIndex(['status', 'assignee', 'due']);
    t.dropIndex(['assignee', 'status']);
    t.dropIndex(['definition_key', 'status']);
    t.dropIndex(['instance_id', 'assignee']);
    t.index(['instance_id', 'status']);
    t.index(['status', 'list_key']);
    t.index(['assignee', 'status', 'list_key']);
    t.index(['definition_key', 'status', 'list_key']);
  });
  await knex.schema.alterTable('instances', (t) => {
    t.dropIndex(['definition_key', 'status', 'started_at']);
    t.dropIndex(['status', 'started_at']);
    t.dropIndex(['started_at']);
    t.index(['definition_key', 'status', 'started_at', 'id']);
    t.index(['status', 'started_at', 'id']);
    t.index(['started_at', 'id']);
  });
  await knex.schema.alterTable('slas', (t) => {
    t.dropIndex(['status', 'due_at']);
    t.dropIndex(['due_at']);
    t.dropIndex(['completed_at']);
    t.index(['status', 'due_at', 'id']);
    t.index(['due_at', 'id']);
    // open clocks (running or paused) by urgency; partial, so both databases read it in order
    t.index(['due_at', 'id'], 'slas_open_due_at_id_index', { predicate: knex.whereNull('completed_at') });
    // closed clocks by when they closed: the report's period (a range on it implies not null)
    t.index(['completed_at'], 'slas_closed_completed_at_index', { predicate: knex.whereNotNull('completed_at') });
  });
}

/** Restores the indexes of 001/003 and drops list_key. */
export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('slas', (t) => {
    t.dropIndex(['status', 'due_at', 'id']);
    t.dropIndex(['due_at', 'id']);
    t.dropIndex([], 'slas_open_due_at_id_index');
    t.dropIndex([], 'slas_closed_completed_at_index');
    t.index(['completed_at']);
    t.index(['status', 'due_at']);
    t.index(['due_at']);
  });
  await knex.schema.alterTable('instances', (t) => {
    t.dropIndex(['definition_key', 'status', 'started_at', 'id']);
    t.dropIndex(['status', 'started_at', 'id']);
    t.dropIndex(['started_at', 'id']);
    t.index(['definition_key', 'status', 'started_at']);
    t.index(['status', 'started_at']);
    t.index(['started_at']);
  });
  await knex.schema.alterTable('tasks', (t) => {
    t.dropIndex(['instance_id', 'status']);
    t.dropIndex(['status', 'list_key']);
    t.dropIndex(['assignee', 'status', 'list_key']);
    t.dropIndex(['definition_key', 'status', 'list_key']);
    t.index(['instance_id', 'element_id', 'status']);
    t.index(['status', 'assignee', 'due']);
    t.index(['assignee', 'status']);
    t.index(['definition_key', 'status']);
    t.index(['instance_id', 'assignee']);
  });
  await knex.schema.alterTable('tasks', (t) => t.dropColumn('list_key'));
  if (knex.client.dialect === 'postgresql') await knex.raw('drop function if exists svcflow_task_list_key');
}

// helpers

// The key is `due|priority|created|id`: due as ISO UTC text ('~' for none, after every date), priority
// as 2147483648 − priority in ten digits (higher priority sorts first), created as ISO UTC text.
// SQLite keeps times as ISO text already; a VIRTUAL column is computed when read and when indexed.
const SQLITE_LIST_KEY = `text generated always as (coalesce("due", '~') || '|' || printf('%010d', 2147483648 - "priority") || '|' || "created_at" || '|' || "id") virtual`;

// PostgreSQL formats its timestamptz in UTC; to_char is only STABLE, but the format here reads
// neither locale nor session time zone, so the wrapper may be declared IMMUTABLE for a stored column.
const PG_LIST_KEY_FUNCTION = `create or replace function svcflow_task_list_key(due timestamptz, priority integer, created_at timestamptz, id text)
returns text language sql immutable parallel safe as $$
  select coalesce(to_char(due at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), '~') || '|'
    || lpad((2147483648 - priority)::text, 10, '0') || '|'
    || to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '|' || id
$$`;
const PG_LIST_KEY = `text collate "C" generated always as (svcflow_task_list_key("due", "priority", "created_at", "id")) stored`;
