import type { Knex } from 'knex';

/**
 * The case around an instance (issue 14, "Working a case"):
 * - `case_terms`: the search words of each case (business key, customer, phone, e-mail, description), one
 *   row per word, so a search reads the (term, started_at, instance_id) index in page order instead of
 *   scanning instances; `case_index` holds a digest of the words last written, so a step that changes none
 *   of them writes nothing.
 * - `case_notes`: notes and attachments (the bytes in the row, size-limited by the service).
 * - `case_links`: one case recorded as the duplicate of another, one row per direction.
 */
export async function up(knex: Knex): Promise<void> {
  const postgres = knex.client.dialect === 'postgresql';
  const ts = (t: Knex.CreateTableBuilder, name: string) =>
    postgres ? t.timestamp(name, { useTz: true, precision: 3 }) : t.text(name);
  await knex.schema.createTable('case_index', (t) => {
    t.string('instance_id').primary();
    t.string('digest').notNullable();
  });
  await knex.schema.createTable('case_terms', (t) => {
    t.string('term', 100).notNullable();
    t.string('instance_id').notNullable();
    ts(t, 'started_at').notNullable();
    t.primary(['term', 'instance_id']);
    t.index(['term', 'started_at', 'instance_id']);
    t.index(['instance_id']);
  });
  await knex.schema.createTable('case_notes', (t) => {
    t.string('id').primary();
    t.string('instance_id').notNullable();
    t.string('kind', 20).notNullable();
    t.text('text');
    t.string('filename');
    t.string('content_type');
    t.integer('size');
    t.binary('data');
    ts(t, 'created_at').notNullable();
    t.string('created_by');
    t.index(['instance_id', 'created_at']);
  });
  await knex.schema.createTable('case_links', (t) => {
    t.string('instance_id').notNullable();
    t.string('other_id').notNullable();
    t.string('kind', 30).notNullable();
    ts(t, 'created_at').notNullable();
    t.string('created_by');
    t.primary(['instance_id', 'other_id', 'kind']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['case_links', 'case_notes', 'case_terms', 'case_index'])
    await knex.schema.dropTableIfExists(table);
}
