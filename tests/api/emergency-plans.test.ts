/**
 * Emergency plans and drills: a plan per risk category goes with the emergency case a KRI starts; a drill
 * scheduled on a plan starts, at its instant and once, a practice emergency case (drill = true) that the
 * register shows as a drill and whose acknowledgement clock (R-ACK) runs like a real incident's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referenceApp, shanghai, type ReferenceApp } from '../helpers/reference-app.js';

const steps =
  '1. Fail over to the standby. 2. Incident commander informs service-managers within 15 minutes. 3. Restore within 4 hours.';

describe('api/emergency-plans', () => {
  let t: ReferenceApp;
  beforeAll(async () => {
    t = await referenceApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('keeps plans per category; the emergency case a red KRI starts carries the newest plan of its category', async () => {
    const rm = await t.user('riskmanager1');
    const older = await rm.post('/api/emergency-plans', {
      category: 'customer',
      title: 'Complaint surge v1',
      steps,
      owner: 'riskowner1',
    });
    await t.advance('PT1M');
    const plan = await rm.post('/api/emergency-plans', {
      category: 'customer',
      title: 'Complaint surge v2',
      steps,
      owner: 'riskowner1',
    });
    await rm.post('/api/emergency-plans', {
      category: 'technical',
      title: 'Billing outage',
      steps,
      owner: 'riskowner1',
    });
    expect((await rm.get('/api/emergency-plans?category=customer')).items.map((p: { id: string }) => p.id)).toEqual([
      plan.id,
      older.id,
    ]);
    const kri = await rm.post('/api/kris', {
      name: 'Complaint rate',
      unit: 'percent',
      direction: 'above',
      amber: 2,
      red: 5,
      owner: 'riskowner1',
      category: 'customer',
    });
    const reading = await rm.post(`/api/kris/${kri.id}/readings`, { value: 7 });
    const instanceId = reading.reading.startedInstanceId;
    expect(instanceId).toEqual(expect.any(String));
    const instance = await t.instance(instanceId);
    expect(instance.variables).toMatchObject({ emergencyPlanRef: plan.id, incidentOccurred: true });
  });

  it('starts a scheduled drill once at its instant, as a practice emergency measured like an incident', async () => {
    const rm = await t.user('riskmanager1');
    const plan = (await rm.get('/api/emergency-plans?category=technical')).items[0];
    const drill = await rm.post(`/api/emergency-plans/${plan.id}/drills`, { at: shanghai('2026-11-24 15:00') });
    expect(drill).toMatchObject({ status: 'scheduled', instanceId: null });
    await t.at(shanghai('2026-11-24 14:59'));
    expect((await rm.get('/api/drills')).items[0]).toMatchObject({ id: drill.id, status: 'scheduled' });
    await t.at(shanghai('2026-11-24 15:00'));
    await t.tick();
    const [row] = (await rm.get('/api/drills')).items;
    expect(row).toMatchObject({ id: drill.id, status: 'started', instanceId: expect.any(String) });
    const drills = (await rm.get('/api/risks')).items.filter((r: { drill: boolean }) => r.drill);
    expect(drills).toEqual([
      expect.objectContaining({
        instanceId: row.instanceId,
        stage: 'emergency',
        emergencyPlanRef: plan.id,
        title: 'Drill: Billing outage',
      }),
    ]);
    // the acknowledgement clock of the emergency runs on the drill too
    const slas = await t.slas(row.instanceId);
    expect(slas.map((s) => s.elementId)).toContain('activate');
    expect(
      (await rm.call('POST', '/api/emergency-plans/no-such-plan/drills', { at: shanghai('2026-11-25 15:00') })).json()
        .code,
    ).toBe('EMERGENCY_PLAN_NOT_FOUND');
    expect((await (await t.user('agent1')).call('GET', '/api/emergency-plans')).statusCode).toBe(403);
  });
});
