/**
 * Risk register and KRIs through the API: the register lists each risk case with score, level and stage, its
 * 5 × 5 heat map drills into the risks of a cell, CSV export; KRI readings crossing amber notify the owner and
 * crossing red start the emergency path once per crossing (a new risk case, or the alert to a linked risk in
 * monitoring); PDCA improvement actions are raised from a case and closed with their effect check.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../engine/runtime/index.js';
import { referenceApp, shanghai, type ReferenceApp } from '../helpers/reference-app.js';

const report = (riskId: string) => ({
  riskId,
  title: 'Billing database has no standby',
  description: 'A single database server holds all billing data.',
  category: 'technical',
  source: 'manual',
  incidentOccurred: false,
});
const assessed = (probability: number, impact: number) => ({
  assessmentOutcome: 'valid',
  category: 'technical',
  probability,
  impact,
  riskOwner: 'riskowner1',
});
/** A register row or notification as the tests read them. */
interface RiskItem {
  riskId: string | null;
  instanceId: string;
  [field: string]: unknown;
}
interface Note {
  template: string;
  payload: Record<string, unknown>;
}

const kri = { name: 'Complaint rate', unit: 'percent', direction: 'above', amber: 2, red: 5, owner: 'riskowner1' };

describe('api/risks and api/kris', () => {
  let t: ReferenceApp;
  let watched: string;
  let planned: string;
  beforeAll(async () => {
    t = await referenceApp();
    planned = (await t.start('riskowner1', 'risk-response', report('RSK-2026-0001'))).id;
    watched = (await t.start('riskowner1', 'risk-response', report('RSK-2026-0002'))).id;
    await t.at(shanghai('2026-11-23 10:00'));
    await t.work('riskmanager1', planned, 'assess', assessed(3, 4));
    await t.work('riskmanager1', watched, 'assess', assessed(1, 2));
    await t.work('riskowner1', watched, 'plan', {
      strategy: 'accept',
      treatmentPlan: 'Accept: the nightly backup covers the data; monitor replica lag.',
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it('lists every risk case with score, level, owner, strategy, stage and treatment status', async () => {
    const { items } = await (await t.user('riskmanager1')).get('/api/risks');
    expect(items.find((r: RiskItem) => r.riskId === 'RSK-2026-0001')).toMatchObject({
      probability: 3,
      impact: 4,
      score: 12,
      level: 'high',
      owner: 'riskowner1',
      stage: 'plan',
      treatmentStatus: 'planned',
      closedAt: null,
    });
    expect(items.find((r: RiskItem) => r.riskId === 'RSK-2026-0002')).toMatchObject({
      score: 2,
      level: 'low',
      strategy: 'accept',
      stage: 'monitor',
      treatmentStatus: 'treated',
      nextReviewAt: expect.any(String),
    });
  });

  it('counts risks per probability × impact cell and drills into a cell', async () => {
    const manager = await t.user('riskmanager1');
    const { heatMap } = await manager.get('/api/risks?open=true');
    expect(heatMap.inherent[2][3]).toBe(1);
    expect(heatMap.inherent[0][1]).toBe(1);
    expect(heatMap.inherent.flat().reduce((a: number, b: number) => a + b, 0)).toBe(2);
    const drill = await manager.get('/api/risks?probability=3&impact=4');
    expect(drill.items.map((r: RiskItem) => r.riskId)).toEqual(['RSK-2026-0001']);
    expect(drill.heatMap.inherent[0][1]).toBe(1);
    expect((await manager.get('/api/risks?level=low')).items.map((r: RiskItem) => r.riskId)).toEqual(['RSK-2026-0002']);
  });

  it('exports the filtered register as CSV when asked for text/csv', async () => {
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'riskmanager1', password: DEMO_PASSWORD },
    });
    const answer = await t.app.inject({
      method: 'GET',
      url: '/api/risks?level=high',
      headers: { accept: 'text/csv', authorization: `Bearer ${login.json().token}` },
    });
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['content-type']).toContain('text/csv');
    const lines = answer.body
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toMatch(/^riskId,title,category/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^RSK-2026-0001,Billing database has no standby,technical,manual,3,4,12,high,/);
  });

  it('refuses the register to staff', async () => {
    expect((await (await t.user('agent1')).call('GET', '/api/risks')).statusCode).toBe(403);
  });

  it('notifies the owner on crossing amber and starts one emergency risk case per crossing into red', async () => {
    const manager = await t.user('riskmanager1');
    const { id } = await manager.post('/api/kris', kri);
    const post = async (value: number) => (await manager.post(`/api/kris/${id}/readings`, { value })).reading;
    expect(await post(1.5)).toMatchObject({ level: 'green', action: null });
    expect(await post(2.5)).toMatchObject({ level: 'amber', action: 'notified' });
    expect(await post(3)).toMatchObject({ level: 'amber', action: null });
    const red = await post(6);
    expect(red).toMatchObject({ level: 'red', action: 'emergency', startedInstanceId: expect.any(String) });
    expect(await post(7)).toMatchObject({ level: 'red', action: null, startedInstanceId: null });
    expect(await post(8)).toMatchObject({ level: 'red', action: null });

    const emergency = await t.instance(red.startedInstanceId);
    expect(emergency).toMatchObject({ definitionKey: 'risk-response', status: 'active' });
    expect(emergency.activeElements).toContain('activate');
    expect(emergency.variables).toMatchObject({
      source: 'kri',
      sourceRef: id,
      incidentOccurred: true,
      incidentSeverity: 'high',
      kriValue: 6,
    });
    const mine = await (await t.user('riskowner1')).get('/api/notifications?limit=50');
    expect(
      mine.items
        .filter((n: Note) => n.payload.kriId === id)
        .map((n: Note) => n.template)
        .sort(),
    ).toEqual(['kri-amber', 'kri-red']);
    const { items } = await manager.get('/api/risks?stage=emergency');
    expect(items.filter((r: RiskItem) => r.instanceId === red.startedInstanceId)).toHaveLength(1);

    // back to green, then red again: a second crossing, a second emergency
    expect(await post(1)).toMatchObject({ level: 'green', action: null });
    const again = await post(5.5);
    expect(again).toMatchObject({ action: 'emergency' });
    expect(again.startedInstanceId).not.toBe(red.startedInstanceId);
    const trend = await manager.get(`/api/kris/${id}/readings`);
    expect(trend.items.map((r: RiskItem) => r.value)).toEqual([5.5, 1, 8, 7, 6, 3, 2.5, 1.5]);
  });

  it('alerts a linked risk waiting in monitoring instead of opening a new one', async () => {
    const manager = await t.user('riskmanager1');
    const { id } = await manager.post('/api/kris', {
      ...kri,
      name: 'Replica lag',
      unit: 'minutes',
      amber: 5,
      red: 15,
      riskId: 'RSK-2026-0002',
    });
    const { reading } = await manager.post(`/api/kris/${id}/readings`, { value: 20 });
    expect(reading).toMatchObject({ action: 'emergency', startedInstanceId: watched });
    expect((await t.instance(watched)).activeElements).toContain('activate');
  });

  it('refuses thresholds that are not ordered in the direction', async () => {
    const answer = await (await t.user('riskmanager1')).call('POST', '/api/kris', { ...kri, amber: 5, red: 2 });
    expect(answer.statusCode).toBe(400);
    expect(answer.json()).toMatchObject({ code: 'KRI_INVALID' });
  });

  it('raises an improvement action from a risk case and closes it through PDCA with its effect check', async () => {
    const owner = await t.user('riskowner1');
    const action = await owner.post('/api/improvements', {
      title: 'Add a standby database',
      sourceKind: 'risk',
      sourceRef: planned,
      owner: 'riskowner1',
      due: '2026-12-31',
    });
    expect(action).toMatchObject({ stage: 'plan', definitionKey: 'risk-response' });
    for (const stage of ['do', 'check', 'act']) await owner.post(`/api/improvements/${action.id}/stage`, { stage });
    const early = await owner.call('POST', `/api/improvements/${action.id}/stage`, { stage: 'closed' });
    expect(early.json()).toMatchObject({ code: 'IMPROVEMENT_STAGE_INVALID' });
    const closed = await owner.post(`/api/improvements/${action.id}/stage`, {
      stage: 'closed',
      effectCheck: 'Fail-over drill passed twice.',
      effective: true,
    });
    expect(closed).toMatchObject({ stage: 'closed', effective: true, closedAt: expect.any(String) });
    const skip = await owner.call('POST', `/api/improvements/${action.id}/stage`, { stage: 'do' });
    expect(skip.statusCode).toBe(400);
    const week = `from=${encodeURIComponent(shanghai('2026-11-23 00:00'))}&to=${encodeURIComponent(shanghai('2026-11-30 00:00'))}`;
    const kpis = await (await t.user('owner1')).get(`/api/kpis?process=risk-response&${week}`);
    expect(kpis.totals.improvements).toEqual({ raised: 1, closed: 1, closureRate: { n: 1, of: 1, value: 100 } });
    const wrongSource = await owner.call('POST', '/api/improvements', {
      title: 'Not a complaint',
      sourceKind: 'complaint',
      sourceRef: planned,
      owner: 'riskowner1',
      due: '2026-12-31',
    });
    expect(wrongSource.statusCode).toBe(404);
  });
});
