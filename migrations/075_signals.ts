import type { Knex } from 'knex';

/**
 * Signals and triggered starts: instances' signal subscriptions (numbered, so a broadcast reaches those
 * subscribed when it was thrown), the broadcast outbox with its delivery cursors, and the start events
 * (message, signal) of each key's latest version.
 */
export async function up(knex: Knex): Promise<void> {
  const pg = knex.client.dialect === 'postgresql';
  const instant = (t: Knex.CreateTableBuilder, name: string) => {
    if (pg) t.timestamp(name, { useTz: true, precision: 3 }).nullable();
    else t.text(name).nullable();
  };
  await knex.schema.createTable('signal_subscriptions', (t) => {
    t.bigIncrements('seq').primary();
    t.string('id', 64).notNullable().unique();
    t.string('instance_id', 64).notNullable();
    t.string('element_id', 255).notNullable();
    t.string('signal_name', 255).notNullable();
    instant(t, 'created_at');
    t.index(['signal_name', 'seq']);
    t.index(['instance_id', 'element_id']);
  });
  await knex.schema.createTable('signal_broadcasts', (t) => {
    t.string('id', 64).primary();
    t.string('name', 255).notNullable();
    t.text('variables').notNullable();
    t.string('thrown_by_instance', 64).nullable();
    t.string('thrown_by', 255).nullable();
    instant(t, 'thrown_at');
    // subscriptions numbered up to max_seq when it was thrown are its receivers; cursor: the last one delivered
    t.bigInteger('max_seq').notNullable();
    t.bigInteger('cursor').notNullable().defaultTo(0);
    // start events (by id) already started from it; starts_done once every listening definition has an instance
    t.string('start_cursor', 255).nullable();
    t.boolean('starts_done').notNullable().defaultTo(false);
    t.integer('delivered').notNullable().defaultTo(0);
    t.integer('started').notNullable().defaultTo(0);
    t.string('status', 16).notNullable();
    t.string('locked_by', 255).nullable();
    instant(t, 'locked_until');
    instant(t, 'done_at');
    t.index(['status', 'thrown_at']);
  });
  await knex.schema.createTable('start_events', (t) => {
    t.string('id', 64).primary();
    t.string('definition_id', 255).notNullable();
    t.string('definition_key', 255).notNullable();
    t.string('element_id', 255).notNullable();
    t.string('kind', 16).notNullable();
    t.string('name', 255).nullable();
    instant(t, 'created_at');
    t.index(['kind', 'name', 'id']);
    t.index(['definition_key']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('start_events');
  await knex.schema.dropTableIfExists('signal_broadcasts');
  await knex.schema.dropTableIfExists('signal_subscriptions');
}
