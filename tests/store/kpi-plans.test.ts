/**
 * Issue #15/#18: a KPI period is read from the case index that bounds it (the process and period, or the
 * period), never through the practice flag that nearly every case shares — which walked every case and made
 * a one-week KPI of all processes cost 120–315 ms at 1,000,000 cases (bench: `kpis --kpi-cases=1000000`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../engine/store/connection.js';
import { storeOn } from '../../engine/store/db.js';
import { backlogFigures, caseSamples, slaAggregates, startedCounts } from '../../engine/store/kpi-queries.js';
import type { KpiFilter } from '../../engine/store/index.js';
import { migrationSource } from '../../migrations/index.js';

describe('store/KPI query plans (sqlite)', () => {
  let dir: string;
  let db: Knex;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'svcflow-kpi-plans-'));
    db = connect({ url: `sqlite:${join(dir, 'kpi.db')}` }).knex;
    await storeOn(db, 'sqlite', { migrations: migrationSource }).migrate();
  });
  afterAll(async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The plan of every statement the KPI reads run for `filter`. */
  async function plansOf(filter: KpiFilter): Promise<Array<{ sql: string; plan: string }>> {
    const statements: Array<{ sql: string; bindings: readonly unknown[] }> = [];
    const listen = (query: { sql: string; bindings?: readonly unknown[] }) =>
      statements.push({ sql: query.sql, bindings: query.bindings ?? [] });
    db.on('query', listen);
    try {
      await caseSamples(db, filter);
      await slaAggregates(db, filter);
      await startedCounts(db, filter.definitionKey ?? 'k', filter);
      await backlogFigures(db, filter, filter.to);
    } finally {
      db.removeListener('query', listen);
    }
    return Promise.all(
      statements.map(async ({ sql, bindings }) => {
        const rows: Array<{ detail: string }> = await db.raw(
          `explain query plan ${sql}`,
          bindings as Knex.RawBinding[],
        );
        return { sql, plan: rows.map((r) => r.detail).join('\n') };
      }),
    );
  }

  it.each([
    ['all processes', { from: '2026-11-23T00:00:00.000Z', to: '2026-11-30T00:00:00.000Z' }],
    [
      'all processes by channel',
      { from: '2026-11-23T00:00:00.000Z', to: '2026-11-30T00:00:00.000Z', dimension: 'channel' },
    ],
    ['one process', { definitionKey: 'complaint', from: '2026-11-23T00:00:00.000Z', to: '2026-11-30T00:00:00.000Z' }],
  ] as Array<[string, KpiFilter]>)(
    'reads a period of %s without the practice flag or a walk of every case',
    async (_, filter) => {
      const plans = await plansOf(filter);
      expect(plans.length).toBeGreaterThanOrEqual(4);
      for (const { sql, plan } of plans) {
        expect(plan, sql).not.toMatch(/case_facts_practice_index/);
        expect(plan, sql).not.toMatch(/^SCAN (f|case_facts)$/m);
      }
      const periods = plans.filter((p) => /from .case_facts. as .f./.test(p.sql) && /ended_at/.test(p.sql));
      expect(periods.length).toBeGreaterThan(0);
      for (const { plan } of periods) expect(plan).toMatch(/ended_at/);
    },
  );
});
