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
import type { RollupRow } from '../../engine/store/index.js';
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

  it('keeps a monthly level that is the sum of its days, row by row', async () => {
    expect(await monthsAsSummedDays()).toEqual(await monthlyLevel());
    // the generated cases cross a month boundary, so at least two months hold figures
    expect(new Set((await monthlyLevel()).map((r) => r.day)).size).toBeGreaterThanOrEqual(2);
  });

  it('answers periods of whole months from the monthly level with the raw rows figures', async () => {
    // Shanghai 2026-10-01 .. 2028-01-01: whole months only, read as month rows
    const months = { definitionKey: 'kpi-case', from: '2026-09-30T16:00:00.000Z', to: '2027-12-31T16:00:00.000Z' };
    for (const groupBy of [undefined, 'month', 'channel', 'category'] as const) {
      const raw = await world.insight.kpis({ ...months, groupBy });
      const fromRollup = await rolled.kpis({ ...months, groupBy });
      expect(fromRollup.fromRollup).toBe(true);
      expect(raw.totals.cases.ended).toBe(230);
      expectSameSet(fromRollup.totals, raw.totals, String(groupBy));
      expect(fromRollup.groups.map((g) => g.key)).toEqual(raw.groups.map((g) => g.key));
      for (const [i, g] of raw.groups.entries())
        expectSameSet(fromRollup.groups[i].kpis, g.kpis, `${groupBy} ${g.key}`);
    }
  });

  it('a rebuild from case_facts and slas gives the rows the steps kept', async () => {
    const before = await rolled.kpis({ ...period(), groupBy: 'channel' });
    const cases = await rolled.rebuildRollup();
    expect(cases).toBe(240);
    expect(await rolled.kpis({ ...period(), groupBy: 'channel' })).toEqual(before);
    expect(await monthsAsSummedDays()).toEqual(await monthlyLevel());
  });

  it('histogram buckets are 5 % wide: a value is read back within 2.5 %', () => {
    for (const ms of [1, 999, 60_000, 3_600_000, 86_400_000 * 9]) {
      expect(Math.abs(bucketValue(bucketOf(ms)) - ms) / ms).toBeLessThanOrEqual(0.025);
    }
    expect(bucketValue(bucketOf(0))).toBe(0);
  });
});

// helpers

const DIMS = ['all', 'channel', 'category', 'priority', 'group', 'assignee', 'touchPoint'];

/** Every row of the monthly level, in a stable order. */
async function monthlyLevel(): Promise<RollupRow[]> {
  const rows: RollupRow[] = [];
  for (const dim of DIMS)
    rows.push(...(await world.store.insight.monthlyRows({ dim, fromMonth: '2000-01', toMonth: '2100-01' })));
  return sorted(rows);
}

/** The daily level's rows summed by month by hand. */
async function monthsAsSummedDays(): Promise<RollupRow[]> {
  const months = new Map<string, RollupRow>();
  for (const dim of DIMS) {
    for (const r of await world.store.insight.rollupRows({ dim, fromDay: '2000-01-01', toDay: '2100-01-01' })) {
      const day = `${r.day.slice(0, 7)}-01`;
      const key = `${dim}|${day}|${r.definitionKey}|${r.value}`;
      let m = months.get(key);
      if (!m) months.set(key, (m = { day, definitionKey: r.definitionKey, dim, value: r.value, counts: {}, hist: {} }));
      for (const [name, n] of Object.entries(r.counts)) m.counts[name] = (m.counts[name] ?? 0) + n;
      for (const [measure, buckets] of Object.entries(r.hist)) {
        const h = (m.hist[measure] ??= {});
        for (const [b, n] of Object.entries(buckets)) h[b] = (h[b] ?? 0) + n;
      }
    }
  }
  for (const m of months.values()) {
    for (const [name, n] of Object.entries(m.counts)) if (n === 0) delete m.counts[name];
    for (const [measure, buckets] of Object.entries(m.hist)) {
      for (const [b, n] of Object.entries(buckets)) if (n === 0) delete buckets[b];
      if (Object.keys(buckets).length === 0) delete m.hist[measure];
    }
  }
  return sorted([...months.values()]);
}

function sorted(rows: RollupRow[]): RollupRow[] {
  const key = (r: RollupRow) => `${r.dim}|${r.day}|${r.definitionKey}|${r.value}`;
  return rows.sort((a, b) => (key(a) < key(b) ? -1 : 1));
}

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
