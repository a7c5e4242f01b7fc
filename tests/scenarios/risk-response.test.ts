/**
 * processes/risk-response.bpmn through the HTTP API (issue 5): assessment across the 5×5 matrix, a KRI alert
 * correlated through POST /api/messages turning into an emergency on the 24x7 calendar, and the PDCA loop
 * ending in management's persistent-risk decision and a periodic review.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { endEventOf, referenceApp, shanghai, timesEntered, type ReferenceApp } from '../helpers/reference-app.js';

// These reports pass their riskId, as a reporting tool does; one started without it gets a generated one (see 'details').
const report = (riskId: string, vars: Record<string, unknown> = {}) => ({
  riskId,
  title: 'Billing database has no standby',
  description: 'A single database server holds all billing data.',
  category: 'technical',
  source: 'manual',
  incidentOccurred: false,
  ...vars,
});
const assessed = (probability: number, impact: number) => ({
  assessmentOutcome: 'valid',
  category: 'technical',
  probability,
  impact,
  riskOwner: 'riskowner1',
});
const mitigation = (treatmentDeadline: string) => ({
  strategy: 'mitigate',
  treatmentPlan: 'Add a standby replica and test the fail-over monthly.',
  actionOwner: 'riskowner1',
  treatmentDeadline,
  contingencyPlanRef: 'CP-BILL-02',
  targetProbability: 2,
  targetImpact: 3,
  kriName: 'Replica lag',
  kriUnit: 'minutes',
  kriDirection: 'above',
  kriWarning: 5,
  kriCritical: 15,
});
/** The risk roles, and staff and supervisors of the customer-service side. */
const ROLES = ['riskmanager1', 'riskowner1', 'responder1', 'manager1', 'supervisor1', 'agent1'];
const none = { riskmanager1: [], riskowner1: [], responder1: [], manager1: [], supervisor1: [], agent1: [] };
const HOUR = 3_600_000;

describe('scenarios/risk-response through the API', () => {
  let t: ReferenceApp;
  beforeAll(async () => {
    t = await referenceApp();
  });
  beforeEach(async () => {
    await t.reset();
  });
  afterEach(() => {
    expect(t.problems).toEqual([]);
  });
  afterAll(async () => {
    await t.close();
  });

  it('levels one risk of each level of the 5×5 matrix and targets plan and treatment by level', async () => {
    const cases = [
      { p: 1, i: 2, level: 'low', review: 'P180D', plan: ['P10D', shanghai('2026-12-07 10:00')], treat: 'P60D' },
      { p: 2, i: 3, level: 'medium', review: 'P90D', plan: ['P5D', shanghai('2026-11-30 10:00')], treat: 'P40D' },
      { p: 3, i: 4, level: 'high', review: 'P30D', plan: ['P3D', shanghai('2026-11-26 10:00')], treat: 'P20D' },
      { p: 1, i: 5, level: 'high', review: 'P30D', plan: ['P3D', shanghai('2026-11-26 10:00')], treat: 'P20D' },
      { p: 5, i: 4, level: 'critical', review: 'P30D', plan: ['P1D', shanghai('2026-11-24 10:00')], treat: 'P10D' },
    ];
    const ids: string[] = [];
    for (const n of cases.keys())
      ids.push((await t.start('riskowner1', 'risk-response', report(`RSK-2026-000${n + 1}`))).id);
    expect(await t.board(ids[0], ROLES)).toEqual({ ...none, riskmanager1: ['assess'], manager1: ['assess'] });

    await t.at(shanghai('2026-11-23 10:00'));
    for (const [n, c] of cases.entries()) {
      await t.work('riskmanager1', ids[n], 'assess', assessed(c.p, c.i));
      const { variables } = await t.instance(ids[n]);
      expect(variables, `P${c.p} × I${c.i}`).toMatchObject({
        riskScore: c.p * c.i,
        riskLevel: c.level,
        reviewPeriod: c.review,
        pdcaCycle: 0,
      });
      expect(await t.board(ids[n], ['riskowner1', 'riskmanager1', 'supervisor1'])).toEqual({
        riskowner1: ['plan'],
        riskmanager1: ['plan'],
        supervisor1: [],
      });
      expect((await (await t.user('riskowner1')).tasks(ids[n]))[0]).toMatchObject({
        assignee: 'riskowner1',
        candidateGroups: ['risk-owners'],
        formKey: 'risk-plan',
      });
      const slas = await t.slas(ids[n]);
      expect(
        slas.map((s) => [s.elementId, s.status]),
        `P${c.p} × I${c.i}`,
      ).toEqual([
        ['assess', 'met'],
        ['treat', 'running'],
        ['plan', 'running'],
      ]);
      expect(slas.find((s) => s.elementId === 'plan')).toMatchObject({ target: c.plan[0], dueAt: c.plan[1] });
      expect(slas.find((s) => s.elementId === 'treat')).toMatchObject({ target: c.treat });
    }
    // only the critical risk tells management at once
    expect((await t.notifications(ids[4])).map((n) => [n.template, n.toGroup])).toEqual([
      ['risk-critical', 'service-managers'],
    ]);
    for (const id of ids.slice(0, 4)) expect(await t.notifications(id)).toEqual([]);
    // R-TREAT of a critical risk is due in two working weeks; those of medium and low risks fall in 2027, a year without holiday data yet
    const treat = async (id: string) => (await t.slas(id)).find((s) => s.elementId === 'treat')!;
    expect(await treat(ids[4])).toMatchObject({ dueAt: shanghai('2026-12-07 10:00'), holidayDataMissing: false });
    expect(await treat(ids[2])).toMatchObject({ dueAt: shanghai('2026-12-21 10:00'), holidayDataMissing: false });
    expect(await treat(ids[1])).toMatchObject({ holidayDataMissing: true });
    expect(await treat(ids[0])).toMatchObject({ holidayDataMissing: true });
    expect(t.problems).toEqual([
      expect.stringContaining("calendar 'default' has no holiday data"),
      expect.stringContaining("calendar 'default' has no holiday data"),
    ]);
    t.problems.length = 0;
  });

  it('turns a critical KRI alert on a Saturday night into an emergency run on the 24x7 calendar, then a post-incident review', async () => {
    const RISK = 'RSK-2026-0042';
    const { id } = await t.start('riskowner1', 'risk-response', report(RISK));
    await t.at(shanghai('2026-11-23 10:00'));
    await t.work('riskmanager1', id, 'assess', assessed(1, 2));
    await t.work('riskowner1', id, 'plan', {
      strategy: 'accept',
      treatmentPlan: 'Accept: the nightly backup covers the data; monitor replica lag.',
    });
    expect((await t.instance(id)).activeElements).toEqual(['watch']);
    // R-TREAT of a low risk (P60D) would fall due in 2027, for which the calendar has no holidays yet: logged once
    expect(t.problems).toEqual([expect.stringContaining("calendar 'default' has no holiday data")]);
    t.problems.length = 0;
    expect(await t.board(id, ROLES)).toEqual(none);

    await t.at(shanghai('2026-11-28 22:00'));
    expect(
      await t.message('risk-kri-alert', RISK, {
        alertLevel: 'critical',
        kriValue: 7.5,
        observedAt: '2026-11-28T21:55:00+08:00',
      }),
    ).toEqual([id]);
    expect((await t.instance(id)).variables).toMatchObject({
      incidentOccurred: true,
      incidentSeverity: 'high',
      incidentStartedAt: '2026-11-28T21:55:00+08:00',
    });
    expect(await t.board(id, ROLES)).toEqual({
      ...none,
      responder1: ['activate'],
      riskmanager1: ['activate'],
      manager1: ['activate'],
    });
    expect(
      (await t.slas(id))
        .filter((s) => s.status === 'running')
        .map((s) => [s.elementId, s.calendarId, s.target, s.dueAt]),
    ).toEqual([
      ['emergency', '24x7', 'PT8H', shanghai('2026-11-29 06:00')],
      ['activate', '24x7', 'PT30M', shanghai('2026-11-28 22:30')],
    ]);

    await t.at(shanghai('2026-11-28 22:25'));
    expect((await t.notifications(id)).map((n) => [n.template, n.toGroup, n.payload.about])).toEqual([
      ['sla-warning', 'emergency-team', 'activate'],
    ]);
    await t.work('responder1', id, 'activate', {
      incidentSeverity: 'high',
      incidentCommander: 'responder1',
      emergencyPlanRef: 'EP-BILL-01',
      containmentActions: 'Switched billing to read-only mode.',
      resourcesActivated: ['backup_system', 'backup_staff'],
      customerCommsNeeded: true,
    });
    expect(await t.board(id, ROLES)).toEqual({
      ...none,
      responder1: ['restore'],
      riskmanager1: ['restore'],
      manager1: ['customerComms', 'restore'],
      supervisor1: ['customerComms'],
    });

    // 24x7: customer communication is due 2 h after declaration (Sun 00:25), the status update every 4 h (Sun 02:25)
    for (const at of ['2026-11-29 00:25', '2026-11-29 02:25']) await t.at(shanghai(at));
    await t.at(shanghai('2026-11-29 03:00'));
    await t.work('responder1', id, 'restore', {
      serviceRestoredAt: '2026-11-29T02:50:00+08:00',
      interruptionMinutes: 295,
      customersAffected: 1200,
      restorationSummary: 'Primary rebuilt from the replica and back in service.',
    });
    for (const at of ['2026-11-29 04:00', '2026-11-29 06:00']) await t.at(shanghai(at));
    await t.at(shanghai('2026-11-29 09:00'));
    await t.work('supervisor1', id, 'customerComms', {
      channelsUsed: ['sms', 'app_push'],
      messageText: 'Billing was unavailable overnight; no action is needed.',
      customersNotified: 1200,
      sentAt: '2026-11-29T08:50:00+08:00',
    });
    expect(await t.board(id, ROLES)).toEqual({ ...none, riskmanager1: ['pir'], manager1: ['pir'] });
    expect((await t.notifications(id)).map((n) => [n.template, n.toGroup, n.elementId, n.createdAt])).toEqual([
      ['incident-declared', 'service-managers', 'notifyMgmt', shanghai('2026-11-28 22:25')],
      ['sla-warning', 'emergency-team', 'activateWarnNotify', shanghai('2026-11-28 22:25')],
      ['sla-breach', 'service-managers', 'customerCommsBreachNotify', shanghai('2026-11-29 00:25')],
      ['incident-status', 'service-managers', 'sendStatus', shanghai('2026-11-29 02:25')],
      // pattern W on a sub-process also tells whoever holds its open work: the customer communication
      ['sla-warning', 'cs-supervisors', 'emergencyWarnNotify', shanghai('2026-11-29 04:00')],
      ['sla-warning', 'service-managers', 'emergencyWarnNotify', shanghai('2026-11-29 04:00')],
      ['sla-breach', 'service-managers', 'emergencyBreachNotify', shanghai('2026-11-29 06:00')],
    ]);

    // the post-incident review runs on the default calendar: from Sunday, the clock opens Monday 09:00
    await t.at(shanghai('2026-11-30 10:00'));
    await t.work('riskmanager1', id, 'pir', {
      rootCauseCategory: 'technical',
      rootCauseDescription: 'Disk failure on the primary database.',
      timelineSummary: '21:55 alert, 22:25 declared, 02:50 restored.',
      improvementActions: 'Monitor disk health; automate the fail-over.',
      planUpdateNeeded: true,
      drillNeeded: true,
    });
    // issue 14: a duplicate must name an existing risk; an unknown one is refused
    const unknown = await (await t.user('riskmanager1')).call(
      'POST',
      `/api/tasks/${(await (await t.user('riskmanager1')).tasks(id)).find((x) => x.elementId === 'assess')!.id}/complete`,
      { variables: { assessmentOutcome: 'duplicate', duplicateOf: 'RSK-2026-0007', category: 'technical' } },
    );
    expect(unknown.json()).toMatchObject({
      code: 'FORM_INVALID',
      fields: [{ name: 'duplicateOf', message: 'must name an existing case of risk-response' }],
    });
    await t.start('riskowner1', 'risk-response', report('RSK-2026-0007'));
    await t.work('riskmanager1', id, 'assess', {
      assessmentOutcome: 'duplicate',
      duplicateOf: 'RSK-2026-0007',
      category: 'technical',
    });

    expect((await t.instance(id)).status).toBe('completed');
    const history = await t.history(id);
    expect(endEventOf(history)).toBe('endDuplicate');
    expect(['kriToIncident', 'emergency', 'pir'].map((e) => timesEntered(history, e))).toEqual([1, 1, 1]);
    expect((await t.slas(id)).map((s) => [s.elementId, s.calendarId, s.status, s.warnedAt, s.breachedAt])).toEqual([
      ['assess', 'default', 'met', null, null],
      ['treat', 'default', 'met', null, null],
      ['plan', 'default', 'met', null, null],
      ['emergency', '24x7', 'breached', shanghai('2026-11-29 04:00'), shanghai('2026-11-29 06:00')],
      ['activate', '24x7', 'met', '2026-11-28T14:22:30.000Z', null],
      // its warning is dashboard-only (domain.md: dash), so no notification went out at 23:55
      ['customerComms', '24x7', 'breached', shanghai('2026-11-28 23:55'), shanghai('2026-11-29 00:25')],
      ['pir', 'default', 'met', null, null],
      ['assess', 'default', 'met', null, null],
    ]);
    expect((await t.slas(id)).find((s) => s.elementId === 'pir')).toMatchObject({
      target: 'P5D',
      dueAt: shanghai('2026-12-04 18:00'),
      businessMs: HOUR,
    });
  });

  it('loops PDCA three times without an acceptable residual risk, then management accepts it and the owner closes it at the periodic review', async () => {
    await t.reset(shanghai('2026-11-02 09:00'));
    const RISK = 'RSK-2026-0050';
    const { id } = await t.start('riskowner1', 'risk-response', report(RISK));
    await t.at(shanghai('2026-11-02 09:30'));
    await t.work('riskmanager1', id, 'assess', assessed(4, 3));
    const cycle = async (day: string, residual: [number, number], treatmentEffective: boolean) => {
      await t.at(shanghai(`${day} 10:00`));
      await t.work('riskowner1', id, 'plan', mitigation('2026-11-13'));
      expect(await t.board(id, ROLES)).toEqual({ ...none, riskmanager1: ['approvePlan'], manager1: ['approvePlan'] });
      await t.work('riskmanager1', id, 'approvePlan', { planDecision: 'approve' });
      await t.at(shanghai(`${day} 15:00`));
      await t.work('riskowner1', id, 'implement', {
        implementationStatus: 'done',
        actionsCompleted: 'Replica running; fail-over drilled.',
        completedOn: day,
      });
      await t.at(shanghai(`${day} 17:00`));
      await t.work('riskmanager1', id, 'verify', {
        treatmentEffective,
        residualProbability: residual[0],
        residualImpact: residual[1],
        verificationNote: 'Fail-over drill measured against the target.',
      });
    };

    await cycle('2026-11-02', [3, 3], false);
    expect((await t.instance(id)).variables).toMatchObject({ pdcaCycle: 1, residualScore: 9, residualLevel: 'medium' });
    expect(await t.board(id, ROLES)).toEqual({
      ...none,
      riskowner1: ['plan'],
      riskmanager1: ['plan'],
      manager1: ['plan'],
    });
    await cycle('2026-11-03', [3, 3], false);
    await cycle('2026-11-04', [3, 4], true);
    expect(await t.board(id, ROLES)).toEqual({ ...none, manager1: ['persistentRisk'] });

    await t.at(shanghai('2026-11-05 10:00'));
    await t.work('manager1', id, 'persistentRisk', {
      decision: 'accept_residual',
      note: 'Residual risk accepted until the data-centre migration.',
    });
    expect(await t.instance(id)).toMatchObject({
      activeElements: ['watch'],
      variables: expect.objectContaining({
        pdcaCycle: 3,
        residualLevel: 'high',
        reviewPeriod: 'P30D',
        decision: 'accept_residual',
      }),
    });

    // a high residual risk is reviewed after 30 days (wall clock), by its owner
    await t.at(shanghai('2026-12-05 09:59'));
    expect(await t.board(id, ROLES)).toEqual(none);
    await t.at(shanghai('2026-12-05 10:00'));
    expect(await t.board(id, ROLES)).toEqual({ ...none, riskowner1: ['periodicReview'], manager1: ['periodicReview'] });
    expect((await (await t.user('riskowner1')).tasks(id))[0]).toMatchObject({
      assignee: 'riskowner1',
      candidateGroups: [],
    });
    await t.at(shanghai('2026-12-07 10:00'));
    await t.work('riskowner1', id, 'periodicReview', {
      reviewDecision: 'close',
      statusNote: 'Migrated to the new data centre.',
      closeReason: 'The single database was retired with the migration.',
    });

    expect((await t.instance(id)).status).toBe('completed');
    const history = await t.history(id);
    expect(endEventOf(history)).toBe('endClosed');
    expect(
      ['plan', 'approvePlan', 'implement', 'verify', 'persistentRisk'].map((e) => timesEntered(history, e)),
    ).toEqual([3, 3, 3, 3, 1]);
    const slas = await t.slas(id);
    expect(slas.every((s) => s.status === 'met')).toBe(true);
    expect(slas.filter((s) => s.elementId === 'plan').map((s) => [s.target, s.dueAt])).toEqual([
      ['P3D', shanghai('2026-11-05 09:30')],
      ['P3D', shanghai('2026-11-05 17:00')],
      ['P3D', shanghai('2026-11-06 17:00')],
    ]);
    expect(slas.find((s) => s.elementId === 'treat')).toMatchObject({
      target: 'P20D',
      businessMs: 27 * HOUR + 0.5 * HOUR,
    });
    expect(slas.find((s) => s.elementId === 'persistentRisk')).toMatchObject({ target: 'P5D', businessMs: 2 * HOUR });
    // opened on Saturday: the review clock starts Monday 09:00 and the owner took one business hour
    expect(slas.find((s) => s.elementId === 'periodicReview')).toMatchObject({
      target: 'P5D',
      dueAt: shanghai('2026-12-11 18:00'),
      businessMs: HOUR,
    });
  });

  describe('details', () => {
    it('gives a risk reported through the start form a riskId, its business key, so KRI alerts can find it', async () => {
      const { riskId: _none, ...fromTheForm } = report('');
      const { id } = await t.start('riskowner1', 'risk-response', fromTheForm);

      const instance = await t.instance(id);
      expect(instance.variables.riskId).toMatch(/^RSK-2026-\d{4}$/);
      expect(instance.businessKey).toBe(instance.variables.riskId);
    });

    it('refuses a risk owner who is not in risk-owners (svc.memberOf)', async () => {
      const { id } = await t.start('riskowner1', 'risk-response', report('RSK-2026-0001'));
      const [task] = await (await t.user('riskmanager1')).tasks(id);
      await (await t.user('riskmanager1')).post(`/api/tasks/${task.id}/claim`, { userId: 'riskmanager1' });

      const res = await (await t.user('riskmanager1')).call('POST', `/api/tasks/${task.id}/complete`, {
        variables: { ...assessed(3, 4), riskOwner: 'agent1' },
      });
      expect(res.statusCode).toBe(400);
    });
  });
});
