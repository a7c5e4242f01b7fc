import type { Knex } from 'knex';

/** Timer start events of each key's latest version: claimed with a lease like timers, fired once across nodes. */
export async function up(knex: Knex): Promise<void> {
  const pg = knex.client.dialect === 'postgresql';
  const instant = (t: Knex.CreateTableBuilder, name: string, nullable: boolean) => {
    const column = pg ? t.timestamp(name, { useTz: true, precision: 3 }) : t.text(name);
    if (nullable) column.nullable();
    else column.notNullable();
  };
  await knex.schema.createTable('start_timers', (t) => {
    t.string('id', 64).primary();
    t.string('definition_id', 255).notNullable();
    t.string('definition_key', 255).notNullable();
    t.string('element_id', 255).notNullable();
    instant(t, 'due', false);
    t.text('repeat').nullable();
    t.string('locked_by', 255).nullable();
    instant(t, 'locked_until', true);
    t.index(['due']);
    t.index(['definition_key']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('start_timers');
}
