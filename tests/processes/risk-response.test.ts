/** Scenarios of processes/risk-response.bpmn (domain.md §2.3) through the pure simulator. */
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../engine/compile/index.js';
import { complete, effectsOf, fire, jobDone, receive, run } from '../helpers/compile.js';
import {
  escalate,
  incidentsOf,
  jobsOf,
  loadProcess,
  slaTargetsOf,
  tasksOf,
  timesVisited,
} from '../helpers/reference-processes.js';

const report = {
  riskId: 'RSK-2026-0001',
  title: 'Billing database has no standby',
  description: 'A single database server holds all billing data.',
  category: 'technical',
  source: 'manual',
  incidentOccurred: false,
};

const assess = (probability: number, impact: number) =>
  complete('assess', { assessmentOutcome: 'valid', category: 'technical', probability, impact, riskOwner: 'owner1' });
const plan = (strategy: string, vars: Record<string, unknown> = {}) =>
  complete('plan', {
    strategy,
    treatmentPlan: 'Add a standby replica and test the fail-over monthly.',
    ...(strategy === 'accept'
      ? {}
      : { actionOwner: 'owner2', treatmentDeadline: '2026-01-30', targetProbability: 2, targetImpact: 3 }),
    ...vars,
  });
const approve = (planDecision = 'approve') =>
  complete('approvePlan', {
    planDecision,
    ...(planDecision === 'reject' ? { approvalComment: 'Name a deadline you can keep.' } : {}),
  });
const implemented = complete('implement', {
  implementationStatus: 'done',
  actionsCompleted: 'Standby replica running since Monday.',
  completedOn: '2026-01-05',
});
const verify = (residualProbability: number, residualImpact: number, treatmentEffective: boolean) =>
  complete('verify', {
    treatmentEffective,
    residualProbability,
    residualImpact,
    verificationNote: 'Fail-over test passed in 4 minutes.',
  });
/** One approved PDCA cycle of a mitigation ending in verification. */
const cycle = (residual: [number, number], effective: boolean): EngineEvent[] => [
  plan('mitigate'),
  approve(),
  implemented,
  verify(...residual, effective),
];
const activate = (vars: Record<string, unknown> = {}, id = 'activate') =>
  complete(id, {
    incidentSeverity: 'high',
    incidentCommander: 'responder1',
    emergencyPlanRef: 'EP-BILL-01',
    containmentActions: 'Switched billing to the standby.',
    resourcesActivated: ['backup_system'],
    customerCommsNeeded: true,
    ...vars,
  });
const restored = complete('restore', {
  serviceRestoredAt: '2026-01-05T11:00:00+08:00',
  interruptionMinutes: 90,
  customersAffected: 1200,
  restorationSummary: 'Primary rebuilt and back in service.',
});

/** domain.md §2.3: the possible scores of each level. */
function expectedLevel(p: number, i: number): string {
  const score = p * i;
  if ([20, 25].includes(score)) return 'critical';
  if ([10, 12, 15, 16].includes(score) || i === 5) return 'high';
  if ([5, 6, 8, 9].includes(score)) return 'medium';
  return 'low';
}

/** R-PLAN, R-TREAT and the review period by level. */
const TARGETS: Record<string, [string, string, string]> = {
  critical: ['P1D', 'P10D', 'P30D'],
  high: ['P3D', 'P20D', 'P30D'],
  medium: ['P5D', 'P40D', 'P90D'],
  low: ['P10D', 'P60D', 'P180D'],
};

const MATRIX = [1, 2, 3, 4, 5].flatMap((p) => [1, 2, 3, 4, 5].map((i) => [p, i, expectedLevel(p, i)] as const));

describe('risk-response', () => {
  describe('assessment', () => {
    it.each(MATRIX)('levels probability %i × impact %i as %s', async (p, i, level) => {
      const sim = run(await loadProcess('risk-response'), [assess(p, i), jobDone('notifyCritical')], report);
      const targets = TARGETS[level];

      expect(incidentsOf(sim)).toEqual([]);
      expect(sim.variables).toMatchObject({
        riskScore: p * i,
        riskLevel: level,
        reviewPeriod: targets[2],
        pdcaCycle: 0,
      });
      expect(slaTargetsOf(sim)).toEqual([
        ['assess', 'P2D'],
        ['treat', targets[1]],
        ['plan', targets[0]],
      ]);
      expect(tasksOf(sim).at(-1)).toMatchObject({
        elementId: 'plan',
        assignee: 'owner1',
        candidateGroups: ['risk-owners'],
        formKey: 'risk-plan',
      });
      expect(jobsOf(sim).map((j) => j.elementId)).toEqual(level === 'critical' ? ['notifyCritical'] : []);
    });

    it('ends a duplicate and dismisses what is not a risk', async () => {
      const duplicate = run(
        await loadProcess('risk-response'),
        [complete('assess', { assessmentOutcome: 'duplicate', duplicateOf: 'RSK-2025-0042', category: 'technical' })],
        report,
      );
      const dismissed = run(
        await loadProcess('risk-response'),
        [
          complete('assess', {
            assessmentOutcome: 'not_a_risk',
            category: 'technical',
            note: 'Already covered by the DR contract.',
          }),
        ],
        report,
      );

      expect(tasksOf(duplicate)).toEqual([
        {
          elementId: 'assess',
          candidateGroups: ['risk-managers'],
          assignee: null,
          formKey: 'risk-assess',
          priority: 20,
        },
      ]);
      expect(duplicate.visited.at(-1)).toBe('endDuplicate');
      expect(dismissed.visited.at(-1)).toBe('endDismissed');
    });

    it('assesses KRI and incident risks within 4 working hours', async () => {
      const sim = run(await loadProcess('risk-response'), [], {
        ...report,
        source: 'kri',
        sourceRef: 'complaint-rate',
      });

      expect(slaTargetsOf(sim)).toEqual([['assess', 'PT4H']]);
    });
  });

  describe('treatment (PDCA)', () => {
    it('accepts a low risk without approval, monitors it and closes it at the periodic review', async () => {
      const sim = run(
        await loadProcess('risk-response'),
        [
          assess(1, 2),
          plan('accept'),
          fire('reviewDue'),
          complete('periodicReview', {
            reviewDecision: 'close',
            statusNote: 'No change in a year.',
            closeReason: 'The system was retired.',
          }),
        ],
        report,
      );

      expect(incidentsOf(sim)).toEqual([]);
      expect(sim.visited).toEqual(
        expect.arrayContaining([
          'approvalGw',
          'strategyGw',
          'acceptResidual',
          'tEnd',
          'monitorMerge',
          'watch',
          'reviewDue',
          'periodicReview',
          'reviewGw',
        ]),
      );
      expect(sim.visited).not.toContain('approvePlan');
      expect(sim.variables).toMatchObject({
        residualProbability: 1,
        residualImpact: 2,
        residualScore: 2,
        residualLevel: 'low',
      });
      expect(effectsOf(sim, 'message.subscribe')).toContainEqual(
        expect.objectContaining({ elementId: 'watch', messageName: 'risk-kri-alert', correlationKey: 'RSK-2026-0001' }),
      );
      expect(effectsOf(sim, 'timer.schedule')).toContainEqual(
        expect.objectContaining({ elementId: 'reviewDue', due: '2026-07-04T09:00:00.000Z' }),
      );
      expect(tasksOf(sim).at(-1)).toMatchObject({
        elementId: 'periodicReview',
        assignee: 'owner1',
        candidateGroups: [],
      });
      expect(sim.visited.at(-1)).toBe('endClosed');
    });

    it('replans after a rejected plan and a replan request, then closes the cycle on an effective treatment', async () => {
      const sim = run(
        await loadProcess('risk-response'),
        [
          assess(2, 3),
          plan('mitigate'),
          approve('reject'),
          plan('mitigate'),
          approve(),
          complete('implement', {
            implementationStatus: 'replan',
            replanReason: 'The vendor cannot deliver the replica in time.',
          }),
          plan('transfer', { transferCounterparty: 'Cloud DB provider' }),
          approve(),
          implemented,
          verify(1, 3, true),
        ],
        report,
      );

      expect(incidentsOf(sim)).toEqual([]);
      expect(tasksOf(sim).map((t) => [t.elementId, t.assignee, t.candidateGroups])).toEqual([
        ['assess', null, ['risk-managers']],
        ['plan', 'owner1', ['risk-owners']],
        ['approvePlan', null, ['risk-managers']],
        ['plan', 'owner1', ['risk-owners']],
        ['approvePlan', null, ['risk-managers']],
        ['implement', 'owner2', ['risk-owners']],
        ['plan', 'owner1', ['risk-owners']],
        ['approvePlan', null, ['risk-managers']],
        ['implement', 'owner2', ['risk-owners']],
        ['verify', null, ['risk-managers']],
      ]);
      expect(slaTargetsOf(sim)).toEqual(
        expect.arrayContaining([
          ['approvePlan', 'P2D'],
          ['implement', 'P20D'],
          ['verify', 'P5D'],
        ]),
      );
      expect(sim.variables).toMatchObject({
        riskLevel: 'medium',
        residualScore: 3,
        residualLevel: 'low',
        reviewPeriod: 'P180D',
        pdcaCycle: 1,
      });
      expect(sim.activeElements).toEqual(['watch']);
    });

    it.each([
      ['a critical mitigation', [5, 4], 'mitigate', 'service-managers', 'PT4H'],
      ['accepting a high risk', [3, 4], 'accept', 'service-managers', 'P2D'],
      ['a high transfer', [3, 4], 'transfer', 'risk-managers', 'P2D'],
    ] as const)('routes the approval of %s to %s', async (_case, [p, i], strategy, group, target) => {
      const sim = run(
        await loadProcess('risk-response'),
        [
          assess(p, i),
          jobDone('notifyCritical'),
          plan(strategy, strategy === 'transfer' ? { transferCounterparty: 'Insurer' } : {}),
        ],
        report,
      );

      expect(tasksOf(sim).at(-1)).toMatchObject({
        elementId: 'approvePlan',
        candidateGroups: [group],
        formKey: 'risk-approve',
      });
      expect(slaTargetsOf(sim).at(-1)).toEqual(['approvePlan', target]);
    });

    it('loops PDCA three times and then asks management about the persistent risk, twice', async () => {
      const sim = run(
        await loadProcess('risk-response'),
        [
          assess(4, 3),
          ...cycle([3, 3], false),
          ...cycle([4, 4], true),
          ...cycle([4, 4], true),
          complete('persistentRisk', { decision: 'new_cycle', note: 'Fund a second data centre.' }),
          ...cycle([3, 3], false),
          complete('persistentRisk', {
            decision: 'accept_residual',
            note: 'Residual risk accepted until the migration.',
          }),
        ],
        report,
      );

      expect(incidentsOf(sim)).toEqual([]);
      expect(timesVisited(sim, 'plan')).toBe(4);
      expect(timesVisited(sim, 'persistentRisk')).toBe(2);
      expect(
        tasksOf(sim)
          .filter((t) => t.elementId === 'persistentRisk')
          .map((t) => t.candidateGroups),
      ).toEqual([['service-managers'], ['service-managers']]);
      expect(slaTargetsOf(sim)).toContainEqual(['persistentRisk', 'P5D']);
      expect(sim.variables).toMatchObject({
        pdcaCycle: 4,
        residualLevel: 'medium',
        reviewPeriod: 'P90D',
        decision: 'accept_residual',
      });
      expect(effectsOf(sim, 'timer.schedule').at(-1)).toMatchObject({
        elementId: 'reviewDue',
        due: '2026-04-05T09:00:00.000Z',
      });
      expect(sim.activeElements).toEqual(['watch']);
    });
  });

  describe('monitoring and emergencies', () => {
    /** A high risk (P3 × I4) treated in one effective cycle, now in monitoring. */
    const monitored: EngineEvent[] = [assess(3, 4), ...cycle([2, 2], true)];

    it('turns a critical KRI alert into an emergency with customer communication, then a post-incident review', async () => {
      const sim = run(
        await loadProcess('risk-response'),
        [
          ...monitored,
          receive('watch', { alertLevel: 'critical', kriValue: 7.5, observedAt: '2026-01-05T08:30:00Z' }),
          activate(),
          jobDone('notifyMgmt'),
          fire('statusTick'),
          jobDone('sendStatus'),
          complete('customerComms', {
            channelsUsed: ['sms', 'app_push'],
            messageText: 'Billing is delayed; no action needed.',
            customersNotified: 1200,
            sentAt: '2026-01-05T17:10:00+08:00',
          }),
          restored,
          complete('pir', {
            rootCauseCategory: 'technical',
            rootCauseDescription: 'Disk failure on the primary.',
            timelineSummary: '08:30 alert, 10:30 restored.',
            improvementActions: 'Monitor disk health.',
          }),
          complete('assess', { assessmentOutcome: 'duplicate', duplicateOf: 'RSK-2026-0001', category: 'technical' }),
        ],
        report,
      );

      expect(incidentsOf(sim)).toEqual([]);
      expect(sim.visited).toEqual(
        expect.arrayContaining([
          'kriGw',
          'kriToIncident',
          'emergencyMerge',
          'emergency',
          'eFork',
          'notifyMgmt',
          'customerComms',
          'restore',
          'sendStatus',
          'eJoin',
          'pir',
          'assessMerge',
        ]),
      );
      expect(
        tasksOf(sim)
          .slice(-5)
          .map((t) => [t.elementId, t.assignee, t.candidateGroups]),
      ).toEqual([
        ['activate', null, ['emergency-team']],
        ['restore', 'responder1', ['emergency-team']],
        ['customerComms', null, ['cs-supervisors']],
        ['pir', null, ['risk-managers']],
        ['assess', null, ['risk-managers']],
      ]);
      expect(
        effectsOf(sim, 'sla.start')
          .filter((e) => ['emergency', 'activate', 'customerComms'].includes(e.elementId))
          .map((e) => [e.elementId, e.target, e.sla.calendar]),
      ).toEqual([
        ['emergency', 'PT8H', '24x7'],
        ['activate', 'PT30M', '24x7'],
        ['customerComms', 'PT2H', '24x7'],
      ]);
      expect(effectsOf(sim, 'timer.schedule')).toContainEqual(
        expect.objectContaining({ elementId: 'statusTick', repeat: { remaining: null, interval: 'PT4H' } }),
      );
      expect(sim.variables).toMatchObject({
        incidentOccurred: true,
        incidentSeverity: 'high',
        incidentStartedAt: '2026-01-05T08:30:00Z',
      });
      expect(sim.visited.at(-1)).toBe('endDuplicate');
    });

    it('reassesses on a warning KRI alert', async () => {
      const sim = run(
        await loadProcess('risk-response'),
        [...monitored, receive('watch', { alertLevel: 'warning', kriValue: 3.1, observedAt: '2026-01-05T08:30:00Z' })],
        report,
      );

      expect(sim.visited).not.toContain('emergency');
      expect(timesVisited(sim, 'assess')).toBe(2);
      expect(sim.activeElements).toEqual(['assess']);
    });

    it('responds to a reported critical incident first; the duty manager activates the plan when the team is late', async () => {
      const sim = run(
        await loadProcess('risk-response'),
        [
          escalate('activate', 'sla-warning'),
          jobDone('activateWarnNotify'),
          escalate('activate', 'sla-breach'),
          activate({ incidentSeverity: 'critical', customerCommsNeeded: false }, 'activateEsc'),
          jobDone('notifyMgmt'),
          restored,
          complete('pir', {
            rootCauseCategory: 'external',
            rootCauseDescription: 'Power cut at the data centre.',
            timelineSummary: 'Two hours.',
            improvementActions: 'Second power feed.',
          }),
          complete('assess', {
            assessmentOutcome: 'not_a_risk',
            category: 'external',
            note: 'One-off event, covered by the landlord.',
          }),
        ],
        {
          ...report,
          source: 'incident',
          incidentOccurred: true,
          incidentSeverity: 'critical',
          incidentStartedAt: '2026-01-05T08:00:00Z',
        },
      );

      expect(incidentsOf(sim)).toEqual([]);
      expect(jobsOf(sim)[0]).toMatchObject({
        elementId: 'activateWarnNotify',
        inputs: { toGroup: 'emergency-team', about: 'activate' },
      });
      expect(effectsOf(sim, 'task.cancel')).toContainEqual({
        type: 'task.cancel',
        elementId: 'activate',
        activationId: expect.any(String),
      });
      expect(
        tasksOf(sim)
          .map((t) => [t.elementId, t.candidateGroups])
          .slice(0, 3),
      ).toEqual([
        ['activate', ['emergency-team']],
        ['activateEsc', ['service-managers']],
        ['restore', ['emergency-team']],
      ]);
      expect(sim.visited).not.toContain('customerComms');
      expect(slaTargetsOf(sim).slice(0, 2)).toEqual([
        ['emergency', 'PT4H'],
        ['activate', 'PT15M'],
      ]);
      expect(effectsOf(sim, 'timer.schedule')).toContainEqual(
        expect.objectContaining({ elementId: 'statusTick', repeat: { remaining: null, interval: 'PT1H' } }),
      );
      expect(slaTargetsOf(sim)).toContainEqual(['assess', 'PT4H']);
      expect(sim.visited.at(-1)).toBe('endDismissed');
    });

    it('continues monitoring or reassesses at periodic reviews', async () => {
      const review = (reviewDecision: string) =>
        complete('periodicReview', { reviewDecision, statusNote: 'KRI stable within thresholds.' });
      const sim = run(
        await loadProcess('risk-response'),
        [...monitored, fire('reviewDue'), review('continue'), fire('reviewDue'), review('reassess')],
        report,
      );

      expect(incidentsOf(sim)).toEqual([]);
      expect(timesVisited(sim, 'watch')).toBe(2);
      expect(timesVisited(sim, 'monitorMerge')).toBe(2);
      expect(slaTargetsOf(sim).filter(([id]) => id === 'periodicReview')).toEqual([
        ['periodicReview', 'P5D'],
        ['periodicReview', 'P5D'],
      ]);
      expect(sim.activeElements).toEqual(['assess']);
    });
  });

  describe('major incident declared (signal major-incident-declared)', () => {
    const declared = (boundary: string): EngineEvent => ({
      type: 'signal.received',
      elementId: boundary,
      variables: { incidentServiceType: 'repair', incidentId: 'MI-7' },
    });
    const monitored: EngineEvent[] = [assess(3, 4), ...cycle([2, 2], true)];

    it.each([
      ['in assessment', [], 'assessIncident', ['assess']],
      ['in treatment', [assess(3, 4), plan('mitigate')], 'treatIncident', ['approvePlan', 'treat']],
      ['in monitoring', monitored, 'watchIncident', ['watch']],
      ['at the periodic review', [...monitored, fire('reviewDue')], 'periodicReviewIncident', ['periodicReview']],
    ] as const)(
      'makes a risk %s urgent through a non-interrupting boundary, and it goes on',
      async (_, before, boundary, open) => {
        const waiting = run(await loadProcess('risk-response'), [...before], report);
        const sim = run(await loadProcess('risk-response'), [...before, declared(boundary)], report);

        expect(incidentsOf(sim)).toEqual([]);
        expect(sim.variables).toMatchObject({ priority: 'urgent', majorIncidentId: 'MI-7' });
        expect(sim.visited.at(-1)).toBe(`${boundary}End`);
        expect(sim.activeElements).toEqual(open);
        expect(waiting.variables.priority).toBeUndefined();
        // nothing open was cancelled or created again: the signal added only its own path
        expect(effectsOf(sim, 'task.cancel')).toEqual(effectsOf(waiting, 'task.cancel'));
        expect(tasksOf(sim)).toEqual(tasksOf(waiting));
      },
    );

    it('arms the catch on each open state once, and tasks created afterwards carry the raised priority', async () => {
      const sim = run(
        await loadProcess('risk-response'),
        [
          declared('emergencyIncident'),
          activate({ customerCommsNeeded: false }),
          jobDone('notifyMgmt'),
          restored,
          declared('pirIncident'),
          complete('pir', {
            rootCauseCategory: 'technical',
            rootCauseDescription: 'Disk failure on the primary.',
            timelineSummary: '08:30 alert, 10:30 restored.',
            improvementActions: 'Monitor disk health.',
          }),
        ],
        { ...report, source: 'incident', incidentOccurred: true, incidentSeverity: 'high' },
      );
      const subscribed = effectsOf(sim, 'signal.subscribe').map((e) => e.elementId);

      expect(incidentsOf(sim)).toEqual([]);
      expect(subscribed).toEqual(['emergencyIncident', 'pirIncident', 'assessIncident']);
      expect(effectsOf(sim, 'signal.subscribe').every((e) => e.signalName === 'major-incident-declared')).toBe(true);
      expect(tasksOf(sim).map((t) => [t.elementId, t.priority])).toEqual([
        ['activate', 20],
        ['restore', 80],
        ['pir', 80],
        ['assess', 80],
      ]);
      expect(sim.activeElements).toEqual(['assess']);
    });
  });

  describe('SLA escalations', () => {
    it('warns and tells risk managers about a late plan', async () => {
      const sim = run(
        await loadProcess('risk-response'),
        [assess(3, 3), escalate('plan', 'sla-warning'), escalate('plan', 'sla-breach')],
        report,
      );

      expect(jobsOf(sim).map((j) => [j.elementId, j.inputs.template, j.inputs.toGroup])).toEqual(
        expect.arrayContaining([
          ['planWarnNotify', 'sla-warning', 'risk-managers'],
          ['planBreachNotify', 'sla-breach', 'risk-managers'],
        ]),
      );
    });

    // An SLA's escalation is caught only by the boundaries of the element whose clock it is.
    it('does not report a late plan as a late treatment', async () => {
      const sim = run(await loadProcess('risk-response'), [assess(3, 3), escalate('plan', 'sla-breach')], report);

      expect(jobsOf(sim).map((j) => j.elementId)).toEqual(['planBreachNotify']);
    });

    it('opens an overdue review for a late implementation and escalates it on request', async () => {
      const sim = run(
        await loadProcess('risk-response'),
        [
          assess(3, 3),
          plan('mitigate'),
          approve(),
          escalate('implement', 'sla-breach'),
          complete('overdueReview', { action: 'escalate', note: 'The action owner has left the company.' }),
        ],
        report,
      );

      expect(tasksOf(sim).at(-1)).toMatchObject({
        elementId: 'overdueReview',
        candidateGroups: ['risk-managers'],
        formKey: 'sla-overdue-review',
      });
      expect(jobsOf(sim).at(-1)).toMatchObject({
        elementId: 'overdueEscalate',
        inputs: { toGroup: 'service-managers', about: 'implement' },
      });
      expect(sim.activeElements).toEqual(expect.arrayContaining(['implement', 'treat']));
    });

    it('tells service managers about a late treatment, assessment and post-incident review', async () => {
      const sim = run(
        await loadProcess('risk-response'),
        [
          escalate('assess', 'sla-breach'),
          jobDone('assessBreachNotify'),
          assess(3, 3),
          escalate('treat', 'sla-breach'),
        ],
        report,
      );

      expect(jobsOf(sim).map((j) => [j.elementId, j.inputs.toGroup])).toEqual([
        ['assessBreachNotify', 'service-managers'],
        ['treatBreachNotify', 'service-managers'],
      ]);
    });
  });
});
