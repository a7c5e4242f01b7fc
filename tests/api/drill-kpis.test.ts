/**
 * Drills are practice: a generated day of real incidents and drills on the risk process, where every service
 * figure (GET /api/kpis raw and from the roll-up, after a rebuild too, the SLA report, the performance overlay,
 * the risk report) would change if the drills were counted (the acknowledged cases are cancelled to end them); their response times are reported apart by
 * GET /api/drills. Figures are computed by hand from the acknowledgement minutes below.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InsightService } from '../../engine/runtime/index.js';
import { referenceApp, shanghai, type ReferenceApp } from '../helpers/reference-app.js';

const MINUTE = 60_000;
// real incidents acknowledged this many minutes after the start; null: still unacknowledged at the end
const REAL_ACKS = [5, 10, 15, 20, null, null];
// drills acknowledged after these minutes (well inside R-ACK, PT30M for 'high'); null: not yet
const DRILL_ACKS = [22, 24, null];
const START = shanghai('2026-11-24 10:00');
const END = shanghai('2026-11-24 10:25');
const DAY = { from: shanghai('2026-11-24 00:00'), to: shanghai('2026-11-25 00:00') };
const PERIOD = `from=${encodeURIComponent(DAY.from)}&to=${encodeURIComponent(DAY.to)}`;
const steps = '1. Fail over to the standby. 2. Inform service-managers within 15 minutes. 3. Restore within 4 hours.';

const activation = {
  incidentSeverity: 'high',
  incidentCommander: 'responder1',
  emergencyPlanRef: 'EP-BILL-01',
  containmentActions: 'Switched billing to read-only mode.',
  resourcesActivated: ['backup_system'],
  customerCommsNeeded: false,
};

describe('api/drills kept out of the service KPIs', () => {
  let t: ReferenceApp;
  const drillCases: string[] = [];
  beforeAll(async () => {
    t = await referenceApp(START);
    const rm = await t.user('riskmanager1');
    const plan = await rm.post('/api/emergency-plans', {
      category: 'technical',
      title: 'Billing outage',
      steps,
      owner: 'riskowner1',
    });
    for (const _ of DRILL_ACKS) await rm.post(`/api/emergency-plans/${plan.id}/drills`, { at: START });
    await t.tick();
    drillCases.push(...(await rm.get('/api/drills')).items.map((d: { instanceId: string }) => d.instanceId));
    const real: string[] = [];
    for (const [i] of REAL_ACKS.entries())
      real.push(
        (
          await t.start('riskowner1', 'risk-response', {
            title: `Billing outage ${i}`,
            description: 'Billing is down.',
            category: 'technical',
            source: 'incident',
            incidentOccurred: true,
            incidentSeverity: 'high',
            sourceRef: `INC-${i}`,
            incidentStartedAt: START,
          })
        ).id,
      );
    const acks = [
      ...REAL_ACKS.map((minutes, i) => ({ minutes, id: real[i] })),
      ...DRILL_ACKS.map((minutes, i) => ({ minutes, id: drillCases[i] })),
    ]
      .filter((a): a is { minutes: number; id: string } => a.minutes !== null)
      .sort((a, b) => a.minutes - b.minutes);
    for (const ack of acks) {
      await t.at(new Date(Date.parse(START) + ack.minutes * MINUTE).toISOString());
      await t.work('responder1', ack.id, 'activate', activation);
    }
    await t.at(END);
    // the acknowledged cases are called off, so they end in the period (the KPIs' durations are over ended cases)
    for (const ack of acks) await rm.post(`/api/instances/${ack.id}/cancel`);
    await t.tick();
  }, 60_000);
  afterAll(async () => {
    await t.close();
  });

  it('started three practice cases, flagged as drills in the register', async () => {
    expect(drillCases).toHaveLength(3);
    const { items } = await (await t.user('riskmanager1')).get('/api/risks');
    expect(
      items
        .filter((r: { drill: boolean }) => r.drill)
        .map((r: { instanceId: string }) => r.instanceId)
        .sort(),
    ).toEqual([...drillCases].sort());
  });

  it('leaves drills out of GET /api/kpis: first response, SLA compliance and the open backlog count real cases', async () => {
    const report = await (await t.user('owner1')).get(`/api/kpis?process=risk-response&${PERIOD}`);
    // real acknowledgements 5, 10, 15, 20 min: mean 12.5, nearest-rank median 10, p90 20 (drills would add 22, 24)
    expect(report.totals.firstResponse.wall).toEqual({
      n: 4,
      mean: 12.5 * MINUTE,
      median: 10 * MINUTE,
      p90: 20 * MINUTE,
    });
    expect(report.totals.slaCompliance).toMatchObject({ met: 4, breached: 0 });
    expect(report.totals.cases).toMatchObject({ ended: 4 });
    // two real cases still open, each with its R-RESTORE and R-ACK clock (a drill would add one more case)
    expect(report.backlog.open).toBe(2);
    expect(report.backlog.runningClocks).toBe(4);
  });

  it('leaves drills out of the roll-up (kpi_daily and kpi_monthly), kept step by step and rebuilt', async () => {
    const rolled = new InsightService(t.engine, t.sla, { exactLimit: 0 });
    const expectReal = async () => {
      for (const groupBy of [undefined, 'month'] as const) {
        const report = await rolled.kpis({ definitionKey: 'risk-response', ...DAY, groupBy });
        expect(report.fromRollup).toBe(true);
        expect(report.totals.firstResponse.wall).toMatchObject({ n: 4, mean: 12.5 * MINUTE });
        expect(report.totals.slaCompliance).toMatchObject({ met: 4, breached: 0 });
        expect(report.totals.cases).toMatchObject({ ended: 4 });
      }
      const month = await rolled.kpis({
        definitionKey: 'risk-response',
        from: shanghai('2026-11-01 00:00'),
        to: shanghai('2026-12-01 00:00'),
      });
      expect(month.totals.firstResponse.wall).toMatchObject({ n: 4, mean: 12.5 * MINUTE });
    };
    await expectReal();
    expect(await rolled.rebuildRollup()).toBe(9);
    await expectReal();
  });

  it('leaves drills out of the SLA report and the performance overlay', async () => {
    const owner = await t.user('owner1');
    const sla = await owner.get(`/api/sla/report?${PERIOD}&groupBy=element`);
    expect(sla.groups.find((g: { key: string }) => g.key === 'risk-response/activate')).toMatchObject({
      total: 4,
      met: 4,
    });
    const overlay = await owner.get(`/api/kpis/elements?process=risk-response&${PERIOD}`);
    expect(overlay.cases).toBe(6);
    const activate = overlay.elements.find((e: { elementId: string }) => e.elementId === 'activate');
    expect(activate).toMatchObject({ entered: 6, completed: 4, waiting: 2 });
    expect(activate.sla).toMatchObject({ met: 4, open: 2 });
  });

  it('leaves drills out of the risk report counts and reports them in a section apart', async () => {
    const csv = await (await t.user('owner1')).call('GET', `/api/reports/risk?period=week&at=${END}&format=csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toContain('Active emergencies,2');
    // and gives the drills a section of their own: three started, acknowledged after 22 and 24 minutes
    expect(csv.body).toContain('Drills started in the period,3');
    expect(csv.body).toContain('Drill acknowledgement mean (min),23');
    expect(csv.body).toContain('Drill acknowledgement p90 (min),24');
    expect(csv.body).toContain('Drills acknowledged within R-ACK,2/2');
  });

  it('reports the drills apart: count, acknowledgement mean, median and p90', async () => {
    const { items, summary } = await (await t.user('riskmanager1')).get(`/api/drills?${PERIOD}`);
    expect(summary).toEqual({
      drills: 3,
      started: 3,
      acknowledge: { n: 2, mean: 23 * MINUTE, median: 22 * MINUTE, p90: 24 * MINUTE, met: 2, breached: 0 },
      restore: { n: 0, mean: null, median: null, p90: null, met: 0, breached: 0 },
    });
    expect(items.map((d: { acknowledge: { ms: number | null } }) => d.acknowledge.ms).sort()).toEqual([
      22 * MINUTE,
      24 * MINUTE,
      null,
    ]);
    expect(items[0]).toMatchObject({ planTitle: 'Billing outage', category: 'technical' });
    const none = await (await t.user('riskmanager1')).get(
      `/api/drills?from=${encodeURIComponent(DAY.to)}&to=${encodeURIComponent(shanghai('2026-11-26 00:00'))}`,
    );
    expect(none.summary.drills).toBe(0);
  });

  it('edits a plan in place; an unknown plan is EMERGENCY_PLAN_NOT_FOUND', async () => {
    const rm = await t.user('riskmanager1');
    const [plan] = (await rm.get('/api/emergency-plans?category=technical')).items;
    const edited = await rm.call('PUT', `/api/emergency-plans/${plan.id}`, {
      category: 'technical',
      title: 'Billing outage v2',
      steps,
      owner: 'riskowner1',
    });
    expect(edited.statusCode).toBe(200);
    expect(edited.json()).toMatchObject({ id: plan.id, title: 'Billing outage v2', createdAt: plan.createdAt });
    const missing = await rm.call('PUT', '/api/emergency-plans/no-such-plan', {
      category: 'technical',
      title: 'Nothing',
      steps,
      owner: 'riskowner1',
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('EMERGENCY_PLAN_NOT_FOUND');
  });
});
