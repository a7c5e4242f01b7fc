/**
 * KPIs computed from the engine's own rows agree with a hand computation over a generated data set:
 * 240 cases with known outcomes on the fake clock (tests/insight/kpi-cases.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import type { KpiReport } from '../../engine/runtime/index.js';
import { CASES, OPEN_CASES, runCases, type CaseOutcome, type KpiWorld } from './kpi-cases.js';

const MIN = 60_000;

let world: KpiWorld;
let report: KpiReport;

beforeAll(async () => {
  world = await runCases();
  report = await world.insight.kpis({ definitionKey: 'kpi-case', from: world.from, to: world.to });
}, 120_000);

afterAll(async () => {
  await world.store.close();
});

const ended = () => world.outcomes.filter((o) => !o.open);
const completed = () => ended().filter((o) => !o.cancelled);

describe('insight/kpis over 240 generated cases', () => {
  it('counts ended, completed and open cases', () => {
    expect(report.totals.cases).toEqual({
      ended: CASES - OPEN_CASES,
      completed: completed().length,
      success: completed().length,
    });
    expect(report.totals.completionRate).toEqual(rateOf(completed().length, ended().length));
    expect(report.backlog.open).toBe(OPEN_CASES);
  });

  it('measures first-response time from start to the first completed task (mean, median, p90; business = wall on 24x7)', () => {
    const expected = stats(ended().map((o) => o.respondAfter * MIN));
    expect(report.totals.firstResponse.wall).toEqual(expected);
    expect(report.totals.firstResponse.business).toEqual(expected);
  });

  it('measures resolution time at case level, over completed cases only', () => {
    const expected = stats(completed().map((o) => (o.respondAfter + o.resolveAfter) * MIN));
    expect(report.totals.resolution.wall).toEqual(expected);
    expect(report.totals.resolution.business).toEqual(expected);
  });

  it('computes SLA compliance over clocks that ended in the period and shows open breaches apart', () => {
    const respondMet = ended().filter((o) => o.respondAfter <= 120).length;
    const respondBreached = ended().length - respondMet;
    // the process-level clock ends met on every completed case; a cancelled case's clock is left out
    const met = respondMet + completed().length;
    expect(report.totals.slaCompliance).toEqual({
      ...rateOf(met, met + respondBreached),
      met,
      breached: respondBreached,
    });
    expect(report.backlog.openBreaches).toBe(OPEN_CASES);
    expect(report.backlog.runningClocks).toBe(OPEN_CASES);
  });

  it('computes CSAT, NPS and the survey response rate', () => {
    const scores = completed().flatMap((o) => (o.satisfaction === null ? [] : [o.satisfaction]));
    expect(report.totals.csat).toEqual({
      n: scores.length,
      mean: round(sum(scores) / scores.length, 2),
      satisfied: rateOf(scores.filter((s) => s >= 4).length, scores.length),
    });
    const nps = completed().flatMap((o) => (o.nps === null ? [] : [o.nps]));
    expect(report.totals.nps).toEqual({
      n: nps.length,
      score: round(((nps.filter((s) => s >= 9).length - nps.filter((s) => s <= 6).length) / nps.length) * 100, 1),
    });
    const sent = completed().filter((o) => o.surveySent);
    expect(report.totals.surveyResponseRate).toEqual(
      rateOf(sent.filter((o) => o.satisfaction !== null).length, sent.length),
    );
  });

  it('computes first-contact resolution, reopen and transfer rates over completed cases', () => {
    const done = completed();
    expect(report.totals.firstContactResolution).toEqual(rateOf(done.filter((o) => o.fcr).length, done.length));
    expect(report.totals.reopenRate).toEqual(rateOf(done.filter((o) => o.reopened).length, done.length));
    expect(report.totals.transferRate).toEqual(rateOf(done.filter((o) => o.transferred).length, done.length));
  });

  it('computes on-time arrival, first-time fix and cost per case', () => {
    const done = completed();
    expect(report.totals.onTimeArrival).toEqual(rateOf(done.filter((o) => o.lateMinutes <= 30).length, done.length));
    const visited = done.filter((o) => o.visitCount >= 1);
    expect(report.totals.firstTimeFix).toEqual(
      rateOf(visited.filter((o) => o.visitCount === 1).length, visited.length),
    );
    const costs = ended().map((o) => (o.cancelled ? 10 : o.cost));
    expect(report.totals.costPerCase).toEqual({ n: costs.length, value: round(sum(costs) / costs.length, 2) });
  });

  it('shows no complaint rate without complaints or a volume series', () => {
    expect(report.totals.complaintRate).toEqual({ complaints: 0, volume: null, perThousand: null });
  });

  it('groups by channel with the same figures per group', async () => {
    const byChannel = await world.insight.kpis({
      definitionKey: 'kpi-case',
      from: world.from,
      to: world.to,
      groupBy: 'channel',
    });
    expect(byChannel.groups.map((g) => g.key)).toEqual(['email', 'online', 'phone']);
    for (const group of byChannel.groups) {
      const mine = (o: CaseOutcome) => o.channel === group.key;
      expect(group.kpis.cases.ended).toBe(ended().filter(mine).length);
      expect(group.kpis.firstResponse.wall).toEqual(
        stats(
          ended()
            .filter(mine)
            .map((o) => o.respondAfter * MIN),
        ),
      );
    }
    expect(byChannel.totals).toEqual(report.totals);
  });

  it('groups by Shanghai day of the end, every day of the period listed in order', async () => {
    const byDay = await world.insight.kpis({
      definitionKey: 'kpi-case',
      from: world.from,
      to: world.to,
      groupBy: 'day',
    });
    const days = new Map<string, number>();
    world.endedAt.forEach((at) => {
      if (at) days.set(day(at), (days.get(day(at)) ?? 0) + 1);
    });
    const keys = byDay.groups.map((g) => g.key!);
    expect(keys).toEqual([...keys].sort());
    expect(keys[0]).toBe('2026-11-23');
    for (const group of byDay.groups)
      expect(group.kpis.cases.ended, `ended on ${group.key}`).toBe(days.get(group.key!) ?? 0);
  });

  it('groups by week (Monday keys) summing to the totals', async () => {
    const byWeek = await world.insight.kpis({
      definitionKey: 'kpi-case',
      from: world.from,
      to: world.to,
      groupBy: 'week',
    });
    for (const group of byWeek.groups) expect(DateTime.fromISO(group.key!).weekday).toBe(1);
    expect(sum(byWeek.groups.map((g) => g.kpis.cases.ended))).toBe(report.totals.cases.ended);
    expect(sum(byWeek.groups.map((g) => g.kpis.slaCompliance.met))).toBe(report.totals.slaCompliance.met);
  });

  it('counts only cases that ended inside the period', async () => {
    const half = world.endedAt[100]!;
    const firstPart = await world.insight.kpis({ definitionKey: 'kpi-case', from: world.from, to: half });
    expect(firstPart.totals.cases.ended).toBe(world.endedAt.filter((at) => at !== null && at < half).length);
  });
});

// helpers

function stats(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  return {
    n,
    mean: Math.round(sum(sorted) / n),
    median: sorted[Math.ceil(n / 2) - 1],
    p90: sorted[Math.ceil(0.9 * n) - 1],
  };
}

function rateOf(n: number, of: number) {
  return { n, of, value: of > 0 ? round((n / of) * 100, 1) : null };
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function round(value: number, digits: number): number {
  return Math.round(value * 10 ** digits) / 10 ** digits;
}

function day(iso: string): string {
  return DateTime.fromISO(iso, { zone: 'Asia/Shanghai' }).toFormat('yyyy-MM-dd');
}
