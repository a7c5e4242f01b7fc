import type { Knex } from 'knex';

/**
 * The monthly level of the KPI roll-up: the sums of kpi_daily's rows per local month (`YYYY-MM`), process
 * and dimension value, kept in the same step transactions, so a wide period reads one row per month instead
 * of one per day. Filled here from the daily rows a database already holds.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('kpi_monthly', (t) => {
    t.string('month', 7).notNullable();
    t.string('definition_key').notNullable();
    t.string('dim', 16).notNullable();
    t.string('value').notNullable();
    t.text('counts').notNullable();
    t.text('hist').notNullable();
    t.primary(['dim', 'month', 'definition_key', 'value']);
  });
  const months = new Map<string, MonthRow>();
  let after = '';
  for (;;) {
    const rows: Array<Record<string, unknown>> = await knex('kpi_daily')
      .select('dim', 'day', 'definition_key', 'value', 'counts', 'hist')
      .whereRaw(`dim || '|' || day || '|' || definition_key || '|' || value > ?`, [after])
      .orderByRaw(`dim || '|' || day || '|' || definition_key || '|' || value`)
      .limit(2000);
    if (rows.length === 0) break;
    for (const row of rows) {
      const month = String(row.day).slice(0, 7);
      const key = `${row.dim}|${month}|${row.definition_key}|${row.value}`;
      let into = months.get(key);
      if (!into) {
        into = { dim: String(row.dim), month, definitionKey: String(row.definition_key), value: String(row.value) };
        into.counts = {};
        into.hist = {};
        months.set(key, into);
      }
      addInto(into, JSON.parse(String(row.counts)), JSON.parse(String(row.hist)));
    }
    const last = rows[rows.length - 1];
    after = `${last.dim}|${last.day}|${last.definition_key}|${last.value}`;
  }
  const all = [...months.values()];
  for (let i = 0; i < all.length; i += 200) {
    await knex('kpi_monthly').insert(
      all.slice(i, i + 200).map((m) => ({
        month: m.month,
        definition_key: m.definitionKey,
        dim: m.dim,
        value: m.value,
        counts: JSON.stringify(m.counts),
        hist: JSON.stringify(m.hist),
      })),
    );
  }
}

/** Drops the monthly level. */
export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('kpi_monthly');
}

interface MonthRow {
  dim: string;
  month: string;
  definitionKey: string;
  value: string;
  counts?: Record<string, number>;
  hist?: Record<string, Record<string, number>>;
}

function addInto(into: MonthRow, counts: Record<string, number>, hist: Record<string, Record<string, number>>): void {
  const c = into.counts!;
  for (const [name, n] of Object.entries(counts)) c[name] = (c[name] ?? 0) + n;
  const h = into.hist!;
  for (const [measure, buckets] of Object.entries(hist)) {
    const m = (h[measure] ??= {});
    for (const [bucket, n] of Object.entries(buckets)) m[bucket] = (m[bucket] ?? 0) + n;
  }
}
