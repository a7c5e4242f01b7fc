/**
 * The daily KPI roll-up answers the same figures as the raw rows: kept step by step in each step's
 * transaction, and rebuilt from case_facts and slas. Counts and means are exact; medians and p90s
 * read from its 5 % histogram buckets are within 2.5 % of the nearest-rank figure.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { InsightService } from '../../engine/runtime/index.js';
import type { KpiSet } from '../../engine/runtime/insight/kpi-report.js';
import { bucketOf, bucketValue } from '../../engine/runtime/insight/rollup.js';
import { runCases, type KpiWorld } from './kpi-cases.js';

let world: KpiWorld;
let rolled: InsightService;

beforeAll(async () => {
  world = await runCases();
  // the same engine, asked to answer from the roll-up whatever the size of the period
  rolled = new InsightService(world.engine, world.sla, { exactLimit: 0 });
}, 120_000);

afterAll(async () => {
  await world.store.close();
});

// whole Shanghai days around the generated period, so the roll-up covers all of it
const period = () => ({
  definitionKey: 'kpi-case',
  from: DateTime.fromISO(world.from, { zone: 'Asia/Shanghai' }).startOf('day').toUTC().toISO()!,
  to: DateTime.fromISO(world.to, { zone: 'Asia/Shanghai' }).startOf('day').plus({ days: 1 }).toUTC().toISO()!,
});

describe('insight/kpi roll-up', () => {
  it('is kept in the step transactions: the same counts, rates and means as the raw rows', async () => {
    const raw = await world.insight.kpis(period());
    const fromRollup = await rolled.kpis(period());
    expect(raw.fromRollup).toBe(false);
    expect(fromRollup.fromRollup).toBe(true);
    expect(raw.totals.cases.ended).toBe(230);
    expectSameSet(fromRollup.totals, raw.totals);
  });

  it('groups by day and by channel like the raw rows', async () => {
    for (const groupBy of ['day', 'week', 'channel', 'assignee'] as const) {
      const raw = await world.insight.kpis({ ...period(), groupBy });
      const fromRollup = await rolled.kpis({ ...period(), groupBy });
      expect(
        fromRollup.groups.map((g) => g.key),
        groupBy,
      ).toEqual(raw.groups.map((g) => g.key));
      for (const [i, g] of raw.groups.entries())
        expectSameSet(fromRollup.groups[i].kpis, g.kpis, `${groupBy} ${g.key}`);
    }
  });

  it('adds the raw rows of partial days at the edges of the period', async () => {
    const p = {
      definitionKey: 'kpi-case',
      from: new Date(Date.parse(period().from) + 3 * 3_600_000 + 17 * 60_000).toISOString(),
      to: world.endedAt[180]!,
    };
    const raw = await world.insight.kpis(p);
    const fromRollup = await rolled.kpis(p);
    expect(fromRollup.fromRollup).toBe(true);
    expect(raw.totals.cases.ended).toBeGreaterThan(0);
    expectSameSet(fromRollup.totals, raw.totals);
  });

  it('a rebuild from case_facts and slas gives the rows the steps kept', async () => {
    const before = await rolled.kpis({ ...period(), groupBy: 'channel' });
    const cases = await rolled.rebuildRollup();
    expect(cases).toBe(240);
    expect(await rolled.kpis({ ...period(), groupBy: 'channel' })).toEqual(before);
  });

  it('histogram buckets are 5 % wide: a value is read back within 2.5 %', () => {
    for (const ms of [1, 999, 60_000, 3_600_000, 86_400_000 * 9]) {
      expect(Math.abs(bucketValue(bucketOf(ms)) - ms) / ms).toBeLessThanOrEqual(0.025);
    }
    expect(bucketValue(bucketOf(0))).toBe(0);
  });
});

// helpers

function expectSameSet(actual: KpiSet, expected: KpiSet, label = 'totals'): void {
  const { firstResponse, resolution, ...counts } = expected;
  const { firstResponse: fr, resolution: res, ...actualCounts } = actual;
  expect(actualCounts, label).toEqual(counts);
  for (const [a, e] of [
    [fr.wall, firstResponse.wall],
    [fr.business, firstResponse.business],
    [res.wall, resolution.wall],
    [res.business, resolution.business],
  ]) {
    expect(a.n, label).toBe(e.n);
    expect(a.mean, label).toBe(e.mean);
    for (const q of ['median', 'p90'] as const) {
      if (e[q] === null) expect(a[q]).toBeNull();
      else expect(Math.abs(a[q]! - e[q]!), `${label} ${q}`).toBeLessThanOrEqual(Math.max(1, e[q]! * 0.025));
    }
  }
}
