import type { Knex } from 'knex';

/** Idempotency-Key records: the first answer to a keyed request, replayed to a retry of the same request. */
export async function up(knex: Knex): Promise<void> {
  const pg = knex.client.dialect === 'postgresql';
  await knex.schema.createTable('idempotency_keys', (t) => {
    t.string('scope', 64).notNullable();
    t.string('owner', 255).notNullable();
    t.string('key', 255).notNullable();
    t.string('fingerprint', 64).notNullable();
    t.string('reservation', 64).notNullable();
    t.integer('status_code').nullable();
    t.text('response').nullable();
    if (pg) t.timestamp('created_at', { useTz: true, precision: 3 }).notNullable();
    else t.text('created_at').notNullable();
    t.primary(['scope', 'owner', 'key']);
    t.index(['created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('idempotency_keys');
}
