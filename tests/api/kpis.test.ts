/**
 * /api/kpis on the reference processes: a complaint resolved at first contact shows up in the owner's and the
 * supervisor's figures (not in another group's), complaint rates divide by a posted volume series, targets are
 * set per process by owners, and staff may not read KPIs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referenceApp, shanghai, type ReferenceApp } from '../helpers/reference-app.js';

const CMP = 'CMP-20261123-0001';
const intake = {
  complaintId: CMP,
  channel: 'phone',
  customerId: 'C-1001',
  customerName: 'Li Wei',
  contactPhone: '13800138000',
  preferredContact: 'sms',
  customerTier: 'medium',
  category: 'service',
  description: 'The technician missed two appointments.',
  priority: 'general',
  safetyOrLegalRisk: false,
  isRepeat: false,
};
const firstContact = {
  responseChannel: 'phone',
  contactedAt: '2026-11-23T10:15:00+08:00',
  customerReached: true,
  category: 'service',
  priority: 'general',
  responseSummary: 'Called the customer and promised a plan by tomorrow.',
  resolvedAtFirstContact: true,
  resolutionSummary: 'Rebooked the visit for tomorrow morning.',
  rootCause: 'process',
  remedyType: 'explanation_apology',
};
const HOUR = 3_600_000;
const WEEK = `from=${encodeURIComponent(shanghai('2026-11-23 00:00'))}&to=${encodeURIComponent(shanghai('2026-11-30 00:00'))}`;

describe('api/kpis', () => {
  let t: ReferenceApp;
  beforeAll(async () => {
    t = await referenceApp();
    const { id } = await t.start('agent1', 'complaint-handling', intake);
    await t.at(shanghai('2026-11-23 10:30'));
    await t.work('agent1', id, 'firstResponse', firstContact);
    await t.at(shanghai('2026-11-24 20:00'));
    await t.message('complaint-survey-response', CMP, { satisfactionScore: 5 });
  });
  afterAll(async () => {
    await t.close();
  });

  it("gives the process owner the complaint's figures: first response, case-level resolution in business time, CSAT, FCR", async () => {
    const report = await (await t.user('owner1')).get(`/api/kpis?process=complaint-handling&${WEEK}`);
    expect(report.totals.cases).toEqual({ ended: 1, completed: 1, success: 1 });
    expect(report.totals.firstResponse.wall).toEqual({ n: 1, mean: 1.5 * HOUR, median: 1.5 * HOUR, p90: 1.5 * HOUR });
    expect(report.totals.firstResponse.business.mean).toBe(1.5 * HOUR);
    // the case took 35 wall hours; its process clock paused while the customer had the survey, so 1.5 business hours
    expect(report.totals.resolution.wall.mean).toBe(35 * HOUR);
    expect(report.totals.resolution.business.mean).toBe(1.5 * HOUR);
    expect(report.totals.csat).toEqual({ n: 1, mean: 5, satisfied: { n: 1, of: 1, value: 100 } });
    expect(report.totals.firstContactResolution.value).toBe(100);
    expect(report.totals.slaCompliance).toMatchObject({ met: 2, breached: 0, value: 100 });
    expect(report.backlog.open).toBe(0);
  });

  it('scopes a supervisor to the cases of their groups', async () => {
    const cs = await (await t.user('supervisor1')).get(`/api/kpis?process=complaint-handling&${WEEK}`);
    expect(cs.totals.cases.ended).toBe(1);
    const risk = await (await t.user('riskmanager1')).get(`/api/kpis?process=complaint-handling&${WEEK}`);
    expect(risk.totals.cases.ended).toBe(0);
    expect(risk.totals.slaCompliance.value).toBeNull();
  });

  it('refuses KPIs to staff', async () => {
    expect((await (await t.user('agent1')).call('GET', `/api/kpis?${WEEK}`)).statusCode).toBe(403);
  });

  it('shows the complaint rate per 1,000 service orders only once a volume series is posted', async () => {
    const owner = await t.user('owner1');
    expect((await owner.get(`/api/kpis?${WEEK}`)).totals.complaintRate).toEqual({
      complaints: 1,
      volume: null,
      perThousand: null,
    });
    const posted = await owner.call('POST', '/api/volumes', {
      series: 'service-orders',
      counts: [
        { day: '2026-11-23', count: 300 },
        { day: '2026-11-24', count: 200 },
        { day: '2026-11-30', count: 999 },
      ],
    });
    expect(posted.statusCode).toBe(204);
    expect((await owner.get(`/api/kpis?${WEEK}`)).totals.complaintRate).toEqual({
      complaints: 1,
      volume: 500,
      perThousand: 2,
    });
    const byDay = await owner.get(`/api/kpis?${WEEK}&groupBy=day`);
    expect(
      byDay.groups.map((g: { key: string; kpis: { complaintRate: { perThousand: number | null } } }) => [
        g.key,
        g.kpis.complaintRate.perThousand,
      ]),
    ).toEqual([
      ['2026-11-23', 3.33],
      ['2026-11-24', 0],
      ['2026-11-25', null],
      ['2026-11-26', null],
      ['2026-11-27', null],
      ['2026-11-28', null],
      ['2026-11-29', null],
    ]);
  });

  it('keeps targets per process, set by owners and returned with the figures', async () => {
    const owner = await t.user('owner1');
    expect(
      await owner
        .call('PUT', '/api/kpis/targets/complaint-handling', { targets: { slaCompliance: 95, csatMean: 4.2 } })
        .then((r) => r.json()),
    ).toEqual({ csatMean: 4.2, slaCompliance: 95 });
    expect((await owner.get(`/api/kpis?process=complaint-handling&${WEEK}`)).targets).toEqual({
      csatMean: 4.2,
      slaCompliance: 95,
    });
    expect(
      (
        await (
          await t.user('supervisor1')
        ).call('PUT', '/api/kpis/targets/complaint-handling', { targets: { nps: 30 } })
      ).statusCode,
    ).toBe(403);
    expect(
      (await owner.call('PUT', '/api/kpis/targets/complaint-handling', { targets: { made_up: 1 } })).statusCode,
    ).toBe(400);
  });

  it('answers an empty period with a problem document', async () => {
    const answer = await (await t.user('owner1')).call(
      'GET',
      `/api/kpis?from=${encodeURIComponent(shanghai('2026-11-30 00:00'))}&to=${encodeURIComponent(shanghai('2026-11-23 00:00'))}`,
    );
    expect(answer.statusCode).toBe(400);
    expect(answer.json()).toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('shows the process owner the performance per diagram element: counts, time in the step, gateway paths, SLA clocks', async () => {
    const owner = await t.user('owner1');
    const perf = await owner.get(`/api/kpis/elements?process=complaint-handling&${WEEK}`);
    expect(perf).toMatchObject({ definitionKey: 'complaint-handling', cases: 1, sampled: false });
    const firstResponse = perf.elements.find((e: { elementId: string }) => e.elementId === 'firstResponse');
    // the task opened with the case and was completed 1.5 hours later; its first-response clock was met
    expect(firstResponse).toMatchObject({
      entered: 1,
      completed: 1,
      waiting: 0,
      duration: { n: 1, mean: 1.5 * HOUR, p90: 1.5 * HOUR },
      sla: { met: 1, breached: 0, breachRate: 0 },
    });
    expect(perf.paths.length).toBeGreaterThan(0);
    for (const path of perf.paths)
      expect(perf.elements.find((e: { elementId: string }) => e.elementId === path.from).elementType).toMatch(
        /Gateway$/,
      );
    expect((await owner.call('GET', '/api/kpis/elements?process=no-such-process')).statusCode).toBe(404);
    const empty = await owner.call(
      'GET',
      `/api/kpis/elements?process=complaint-handling&from=${encodeURIComponent(shanghai('2026-11-30 00:00'))}&to=${encodeURIComponent(shanghai('2026-11-23 00:00'))}`,
    );
    expect(empty.statusCode).toBe(400);
    expect(
      (await (await t.user('agent1')).call('GET', '/api/kpis/elements?process=complaint-handling')).statusCode,
    ).toBe(403);
  });
});
