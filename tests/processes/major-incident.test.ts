/**
 * issue 12: the signal major-incident-declared over the wired engine (fake clock, HTTP API). It reaches every open
 * service journey and risk once, through POST /api/signals and Camunda 7's POST /engine-rest/signal; affected cases
 * become urgent and go on where they were; finished cases are not touched.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endEventOf, referenceApp, shanghai, timesEntered, type ReferenceApp } from '../helpers/reference-app.js';

const SIGNAL = 'major-incident-declared';
const request = (requestId: string, serviceType: string) => ({
  requestId,
  channel: 'phone',
  customerId: 'C-2001',
  customerName: 'Wang Fang',
  contactPhone: '13900139000',
  preferredContact: 'sms',
  customerTier: 'medium',
  serviceType,
  serviceDown: false,
  productModel: 'AC-3000',
  description: 'The air conditioner rattles loudly.',
  address: '1 Century Avenue, Pudong, Shanghai',
  preferredDate: '2026-11-25',
  preferredSlot: 'morning',
});
const report = (riskId: string) => ({
  riskId,
  title: 'Billing database has no standby',
  description: 'A single database server holds all billing data.',
  category: 'technical',
  source: 'manual',
  incidentOccurred: false,
});
const mitigation = {
  strategy: 'mitigate',
  treatmentPlan: 'Add a standby replica and test the fail-over monthly.',
  actionOwner: 'riskowner1',
  treatmentDeadline: '2026-12-18',
  contingencyPlanRef: 'CP-BILL-02',
  targetProbability: 2,
  targetImpact: 3,
  kriName: 'Replica lag',
  kriUnit: 'minutes',
  kriDirection: 'above',
  kriWarning: 5,
  kriCritical: 15,
};

/** Where each reference process catches the signal: the journey's event sub-process, the risk's boundaries. */
const CATCHES = [
  'majorIncidentDeclared',
  'emergencyIncident',
  'pirIncident',
  'assessIncident',
  'treatIncident',
  'watchIncident',
  'periodicReviewIncident',
];
const catchesOf = async (t: ReferenceApp, id: string) => {
  const history = await t.history(id);
  return CATCHES.map((c) => timesEntered(history, c)).reduce((a, b) => a + b, 0);
};
/** The priority of each open task of the instance as the user sees it in GET /api/tasks. */
const priorities = async (t: ReferenceApp, username: string, id: string) =>
  Object.fromEntries((await (await t.user(username)).tasks(id)).map((task) => [task.elementId, task.priority]));

describe('major incident declared across the service journey and risk response', () => {
  let t: ReferenceApp;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    t = await referenceApp();
    ids.repair = (await t.start('agent1', 'service-journey', request('SRV-20261123-0001', 'repair'))).id;
    ids.installation = (await t.start('agent1', 'service-journey', request('SRV-20261123-0002', 'installation'))).id;
    ids.rejected = (await t.start('agent1', 'service-journey', request('SRV-20261123-0003', 'repair'))).id;
    ids.assessing = (await t.start('riskowner1', 'risk-response', report('RSK-2026-0001'))).id;
    ids.planning = (await t.start('riskowner1', 'risk-response', report('RSK-2026-0002'))).id;
    ids.dismissed = (await t.start('riskowner1', 'risk-response', report('RSK-2026-0003'))).id;
    await t.at(shanghai('2026-11-23 10:00'));
    await t.work('agent1', ids.rejected, 'confirmRequest', {
      requestDecision: 'rejected',
      inServiceArea: false,
      warrantyStatus: 'unknown',
      chargeable: false,
      rejectReason: 'out_of_area',
    });
    await t.work('riskmanager1', ids.planning, 'assess', {
      assessmentOutcome: 'valid',
      category: 'technical',
      probability: 3,
      impact: 4,
      riskOwner: 'riskowner1',
    });
    await t.work('riskmanager1', ids.dismissed, 'assess', {
      assessmentOutcome: 'not_a_risk',
      category: 'technical',
      note: 'Already covered by the DR contract.',
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it('POST /api/signals reaches each open case once, makes the affected ones urgent, and they go on', async () => {
    const before = await t.history(ids.rejected);
    const res = await (await t.user('supervisor1')).call('POST', '/api/signals', {
      name: SIGNAL,
      variables: { incidentServiceType: 'repair', incidentId: 'MI-1' },
    });
    await t.tick();

    expect(res.statusCode).toBe(200);
    expect(res.json().deliveredInstanceIds.sort()).toEqual(
      [ids.repair, ids.installation, ids.assessing, ids.planning].sort(),
    );
    for (const open of ['repair', 'installation', 'assessing', 'planning'])
      expect(await catchesOf(t, ids[open]), open).toBe(1);
    expect((await t.instance(ids.repair)).variables).toMatchObject({ priority: 'urgent', majorIncidentId: 'MI-1' });
    // the open SLA clocks report under the raised priority at once, as the open tasks do (below)
    expect((await t.slas(ids.repair)).map((s) => [s.elementId, s.priority])).toEqual([
      ['service-journey', 'urgent'],
      ['confirmRequest', 'urgent'],
    ]);
    // another service type: reached, not affected
    expect((await t.instance(ids.installation)).variables).toMatchObject({ priority: 'general' });
    // risks carry no service type: every open risk is affected
    for (const risk of ['assessing', 'planning'])
      expect((await t.instance(ids[risk])).variables, risk).toMatchObject({
        priority: 'urgent',
        majorIncidentId: 'MI-1',
      });
    // finished cases are not touched
    for (const done of ['rejected', 'dismissed']) {
      const instance = await t.instance(ids[done]);
      expect(instance.status, done).toBe('completed');
      expect(instance.variables.majorIncidentId, done).toBeUndefined();
    }
    expect(await t.history(ids.rejected)).toEqual(before);
    expect(endEventOf(await t.history(ids.dismissed))).toBe('endDismissed');

    // the cases wait where they were, and what staff do next carries the raised priority
    expect((await t.instance(ids.planning)).activeElements).toEqual(['plan', 'treat']);
    expect(await t.board(ids.repair, ['agent1'])).toEqual({ agent1: ['confirmRequest'] });
    // the task open at the declaration shows the raised priority at once, and its history says so
    expect(await priorities(t, 'agent1', ids.repair)).toEqual({ confirmRequest: 80 });
    expect(await priorities(t, 'riskowner1', ids.planning)).toEqual({ plan: 80 });
    expect(await priorities(t, 'riskmanager1', ids.assessing)).toEqual({ assess: 80 });
    expect(
      (await t.history(ids.repair)).filter((h) => h.event === 'task.priority-changed').map((h) => h.details),
    ).toEqual([{ taskId: expect.any(String), from: 50, to: 80 }]);
    await t.work('riskowner1', ids.planning, 'plan', mitigation);
    expect(await priorities(t, 'riskmanager1', ids.planning)).toEqual({ approvePlan: 80 });
    await t.work('agent1', ids.repair, 'confirmRequest', {
      requestDecision: 'accepted',
      inServiceArea: true,
      warrantyStatus: 'out_of_warranty',
      chargeable: false,
    });
    expect(await priorities(t, 'dispatcher1', ids.repair)).toEqual({ schedule: 80 });
    await t.work('riskmanager1', ids.assessing, 'assess', {
      assessmentOutcome: 'valid',
      category: 'technical',
      probability: 3,
      impact: 4,
      riskOwner: 'riskowner1',
    });
    expect(await priorities(t, 'riskowner1', ids.assessing)).toEqual({ plan: 80 });
    expect(t.problems.join('\n')).toBe('');
  });

  it('POST /engine-rest/signal with typed variables and no service type reaches every open case once more', async () => {
    // no service type names every type, whatever the type of the incident before
    const res = await (await t.user('supervisor1')).call('POST', '/engine-rest/signal', {
      name: SIGNAL,
      variables: { incidentId: { value: 'MI-2', type: 'String' } },
    });
    await t.tick();

    expect(res.statusCode).toBe(204);
    for (const open of ['repair', 'installation', 'assessing', 'planning'])
      expect(await catchesOf(t, ids[open]), open).toBe(2);
    for (const done of ['rejected', 'dismissed']) expect(await catchesOf(t, ids[done]), done).toBe(0);
    // every service type is affected now
    expect((await t.instance(ids.installation)).variables).toMatchObject({
      priority: 'urgent',
      majorIncidentId: 'MI-2',
    });
    expect((await t.instance(ids.planning)).variables).toMatchObject({ priority: 'urgent', majorIncidentId: 'MI-2' });
    expect((await t.instance(ids.planning)).activeElements).toEqual(['approvePlan', 'treat']);
    expect(t.problems.join('\n')).toBe('');
  });
});
