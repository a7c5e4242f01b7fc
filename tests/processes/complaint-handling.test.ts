/** Scenarios of processes/complaint-handling.bpmn (domain.md §2.1) through the pure simulator. */
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

const intake = {
  complaintId: 'CMP-20260105-0001',
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

const firstResponse = (vars: Record<string, unknown> = {}, id = 'firstResponse') =>
  complete(id, {
    responseChannel: 'phone',
    contactedAt: '2026-01-05T10:00:00+08:00',
    customerReached: true,
    category: 'service',
    priority: 'general',
    responseSummary: 'Called the customer and promised a plan by tomorrow.',
    resolvedAtFirstContact: false,
    ...vars,
  });
const resolved = (vars: Record<string, unknown> = {}) =>
  complete('investigate', {
    findings: 'The dispatcher double-booked the engineer.',
    outcome: 'resolved',
    rootCause: 'process',
    remedyType: 'explanation_apology',
    compensationAmount: 0,
    resolutionSummary: 'We apologise and have fixed the booking rules.',
    riskFlag: false,
    ...vars,
  });
const communicate = (customerResponse: string) =>
  complete('communicate', {
    communicatedAt: '2026-01-06T10:00:00+08:00',
    communicationChannel: 'phone',
    customerResponse,
  });
/** Resolution (approved first when `approval`) → record → survey sent. */
const resolvedAndSurveyed = (vars: Record<string, unknown> = {}, approval = false): EngineEvent[] => [
  resolved(vars),
  ...(approval ? [complete('approveResolution', { decision: 'approve' })] : []),
  communicate('accepted'),
  jobDone('record'),
  jobDone('sendSurvey'),
];
const answered = (satisfactionScore: number) => receive('surveyResponse', { satisfactionScore });
const callback = (reopen: boolean) =>
  complete('callback', {
    reached: true,
    dissatisfactionReason: 'not_resolved',
    reopen,
    note: 'Told the customer what we changed.',
  });
const opening = (vars: Record<string, unknown> = {}): EngineEvent[] => [jobDone('ack'), firstResponse(vars)];

describe('complaint-handling', () => {
  it('closes a general complaint resolved at first contact, skipping resolution', async () => {
    const sim = run(
      await loadProcess('complaint-handling'),
      [
        ...opening({
          resolvedAtFirstContact: true,
          resolutionSummary: 'Rebooked for tomorrow morning.',
          rootCause: 'process',
          remedyType: 'explanation_apology',
        }),
        jobDone('record'),
        jobDone('sendSurvey'),
        answered(5),
      ],
      intake,
    );

    expect(incidentsOf(sim)).toEqual([]);
    expect(sim.visited).toEqual(
      expect.arrayContaining([
        'classify',
        'fork',
        'ack',
        'firstResponse',
        'join',
        'fcrGw',
        'fcrPrep',
        'recordMerge',
        'record',
        'riskGw',
        'survey',
        'markOk',
        'endClosed',
      ]),
    );
    expect(sim.visited).not.toContain('resolve');
    expect(tasksOf(sim)).toEqual([
      {
        elementId: 'firstResponse',
        candidateGroups: ['cs-agents'],
        assignee: null,
        formKey: 'complaint-first-response',
        priority: 50,
      },
    ]);
    expect(sim.variables).toMatchObject({
      outcome: 'resolved',
      resolverGroup: 'cs-resolvers',
      transferCount: 0,
      reopenCount: 0,
      resolutionStatus: 'open',
      surveyOutcome: 'satisfied',
    });
    expect(slaTargetsOf(sim)).toEqual([
      ['complaint-handling', 'P5D'],
      ['firstResponse', 'P1D'],
    ]);
    expect(sim.status).toBe('done');
    expect(sim.visited.at(-1)).toBe('endClosed');
  });

  it('escalates a safety complaint to urgent: no first-contact closure, supervisor approval, follow-up call', async () => {
    const sim = run(
      await loadProcess('complaint-handling'),
      [
        ...opening({
          priority: 'urgent',
          category: 'billing',
          resolvedAtFirstContact: true,
          resolutionSummary: 'Refund promised.',
          rootCause: 'system',
          remedyType: 'none',
        }),
        resolved({ remedyType: 'refund', compensationAmount: 500, rootCause: 'system' }),
        complete('approveResolution', { decision: 'approve', approvedAmount: 500 }),
        communicate('accepted'),
        jobDone('record'),
        jobDone('sendSurvey'),
        fire('surveyTimeout'),
        complete('followUpCall', { reached: true, attempts: 1, satisfactionScore: 4 }),
      ],
      { ...intake, category: 'billing', safetyOrLegalRisk: true },
    );

    expect(incidentsOf(sim)).toEqual([]);
    expect(sim.visited).toEqual(
      expect.arrayContaining([
        'resolve',
        'approveResolution',
        'approvedGw',
        'communicate',
        'surveyTimeout',
        'followUpCall',
        'reachedGw',
        'markOk',
        'endClosed',
      ]),
    );
    expect(sim.visited).not.toContain('fcrPrep');
    expect(tasksOf(sim).map((t) => [t.elementId, t.candidateGroups, t.priority])).toEqual([
      ['firstResponse', ['cs-agents'], 80],
      ['investigate', ['billing'], 80],
      ['approveResolution', ['cs-supervisors'], 80],
      ['communicate', ['cs-agents'], 80],
      ['followUpCall', ['cs-agents'], 80],
    ]);
    // the process SLA starts on the intake priority; the runtime re-targets it when classify raises it (domain.md §4 rule 6)
    expect(slaTargetsOf(sim)).toEqual([
      ['complaint-handling', 'P5D'],
      ['firstResponse', 'PT2H'],
      ['resolve', 'P1D'],
      ['approveResolution', 'PT4H'],
      ['followUpCall', 'P2D'],
    ]);
    expect(sim.variables).toMatchObject({
      priority: 'urgent',
      resolverGroup: 'billing',
      decision: 'approve',
      surveyOutcome: 'satisfied',
    });
    expect(sim.visited.at(-1)).toBe('endClosed');
  });

  it('hands the communication to the first responder, and treats a resolution the form sends without an amount as compensation 0', async () => {
    const { compensationAmount: _hidden, ...withoutAmount } = (resolved() as { variables: Record<string, unknown> })
      .variables;
    const sim = run(
      await loadProcess('complaint-handling'),
      [jobDone('ack'), { ...firstResponse(), by: 'agent7' } as EngineEvent, complete('investigate', withoutAmount)],
      intake,
    );

    expect(incidentsOf(sim)).toEqual([]);
    expect(sim.variables).toMatchObject({ firstResponder: 'agent7', compensationAmount: 0 });
    expect(tasksOf(sim).at(-1)).toMatchObject({ elementId: 'communicate', assignee: 'agent7' });
  });

  it('keeps no stale compensation when a reopened complaint is resolved without money', async () => {
    const sim = run(
      await loadProcess('complaint-handling'),
      [
        ...opening(),
        resolved({ remedyType: 'refund', compensationAmount: 1500 }),
        complete('approveResolution', { decision: 'reject', approvalNote: 'Too much for a missed visit.' }),
        resolved({ remedyType: 'explanation_apology', compensationAmount: 1500 }),
      ],
      intake,
    );

    expect(incidentsOf(sim)).toEqual([]);
    expect(sim.variables).toMatchObject({ compensationAmount: 0 });
    // the second resolution needs no approval: general priority, resolved, no money
    expect(timesVisited(sim, 'approveResolution')).toBe(1);
    expect(tasksOf(sim).at(-1)).toMatchObject({ elementId: 'communicate' });
  });

  it('lands with supervisors on the third transfer, re-investigates rejected approvals and resolutions', async () => {
    const transfer = (transferTo: string) =>
      complete('investigate', {
        findings: 'Not ours to fix.',
        outcome: 'transfer',
        transferTo,
        transferReason: 'Belongs to another team.',
      });
    const sim = run(
      await loadProcess('complaint-handling'),
      [
        ...opening({ category: 'product' }),
        transfer('tech-support'),
        transfer('billing'),
        transfer('logistics'),
        complete('investigate', {
          findings: 'The customer misread the manual.',
          outcome: 'unfounded',
          rootCause: 'customer_misunderstanding',
          resolutionSummary: 'The product works as designed.',
          riskFlag: false,
        }),
        complete('approveResolution', { decision: 'reject', approvalNote: 'Offer at least an explanation call.' }),
        resolved({ remedyType: 'explanation_apology' }),
        communicate('rejected'),
        resolved({ remedyType: 'replacement' }),
        communicate('accepted'),
        jobDone('record'),
        jobDone('sendSurvey'),
        fire('surveyTimeout'),
      ],
      { ...intake, category: 'product' },
    );

    expect(incidentsOf(sim)).toEqual([]);
    expect(
      tasksOf(sim)
        .filter((t) => t.elementId === 'investigate')
        .map((t) => t.candidateGroups),
    ).toEqual([
      ['cs-resolvers'],
      ['tech-support'],
      ['billing'],
      ['cs-supervisors'],
      ['cs-supervisors'],
      ['cs-supervisors'],
    ]);
    expect(timesVisited(sim, 'transfer')).toBe(3);
    expect(sim.variables).toMatchObject({
      transferCount: 3,
      resolverGroup: 'cs-supervisors',
      surveyOutcome: 'no_response',
    });
    expect(sim.visited).toEqual(
      expect.arrayContaining([
        'approveResolution',
        'approvedGw',
        'acceptGw',
        'followUpGw',
        'noSurveyMerge',
        'markNoSurvey',
        'endClosed',
      ]),
    );
    expect(sim.visited).not.toContain('followUpCall');
    expect(sim.visited.at(-1)).toBe('endClosed');
  });

  it('pauses the resolution and end-to-end clocks while the customer is asked for information, and resumes on the answer', async () => {
    const sim = run(
      await loadProcess('complaint-handling'),
      [
        ...opening(),
        complete('investigate', {
          findings: 'We need the invoice number.',
          outcome: 'need_customer_info',
          customerInfoRequest: 'Please send us the invoice number.',
        }),
        jobDone('requestInfo'),
        receive('awaitInfo', { customerInfo: 'INV-2026-0042' }),
        ...resolvedAndSurveyed(),
        answered(3),
      ],
      intake,
    );

    expect(incidentsOf(sim)).toEqual([]);
    expect(timesVisited(sim, 'investigate')).toBe(2);
    expect(effectsOf(sim, 'sla.pause').map((e) => [e.elementId, e.reason])).toEqual([
      ['complaint-handling', 'awaitInfo'],
      ['resolve', 'awaitInfo'],
      ['complaint-handling', 'survey'],
    ]);
    expect(effectsOf(sim, 'sla.resume').map((e) => [e.elementId, e.reason])).toEqual([
      ['complaint-handling', 'awaitInfo'],
      ['resolve', 'awaitInfo'],
      ['complaint-handling', 'survey'],
    ]);
    expect(effectsOf(sim, 'message.subscribe')).toContainEqual(
      expect.objectContaining({
        elementId: 'awaitInfo',
        messageName: 'complaint-customer-info',
        correlationKey: 'CMP-20260105-0001',
      }),
    );
    expect(sim.variables).toMatchObject({ customerInfo: 'INV-2026-0042', surveyOutcome: 'neutral' });
    expect(sim.visited.at(-1)).toBe('endClosed');
  });

  it('reminds a silent customer after 2 days and closes the complaint as no response after 5 (wall clock)', async () => {
    const sim = run(
      await loadProcess('complaint-handling'),
      [
        ...opening(),
        complete('investigate', {
          findings: 'We need a photo of the damage.',
          outcome: 'need_customer_info',
          customerInfoRequest: 'Please send a photo of the damage.',
        }),
        jobDone('requestInfo'),
        fire('infoReminder'),
        jobDone('sendInfoReminder'),
        fire('infoTimeout'),
        jobDone('closeNoResponse'),
      ],
      intake,
    );

    expect(incidentsOf(sim)).toEqual([]);
    expect(effectsOf(sim, 'timer.schedule').map((t) => [t.elementId, t.due])).toEqual([
      ['infoReminder', '2026-01-07T09:00:00.000Z'],
      ['infoTimeout', '2026-01-10T09:00:00.000Z'],
    ]);
    expect(jobsOf(sim).map((j) => [j.elementId, j.inputs.template])).toEqual([
      ['ack', 'complaint-ack'],
      ['requestInfo', 'complaint-info-request'],
      ['sendInfoReminder', 'complaint-info-reminder'],
      ['closeNoResponse', 'complaint-closed-no-response'],
    ]);
    expect(sim.visited).toEqual(
      expect.arrayContaining([
        'infoReminder',
        'infoReminderEnd',
        'infoTimeout',
        'markNoResponse',
        'rsEndNoResponse',
        'afterResolveGw',
        'closeNoResponse',
        'endNoResponse',
      ]),
    );
    expect(sim.visited).not.toContain('record');
    expect(sim.variables.resolutionStatus).toBe('no_customer_response');
    expect(sim.visited.at(-1)).toBe('endNoResponse');
  });

  describe('survey loop', () => {
    /** One dissatisfied survey answer and a callback asking to reopen; urgent resolutions need approval. */
    const dissatisfiedCycle = (score: number, urgent = false): EngineEvent[] => [
      ...resolvedAndSurveyed({}, urgent),
      answered(score),
      callback(true),
    ];

    it('reopens twice with a priority bump each time, then the supervisor closes it', async () => {
      const sim = run(
        await loadProcess('complaint-handling'),
        [
          ...opening({ priority: 'non-urgent' }),
          ...dissatisfiedCycle(2),
          ...dissatisfiedCycle(1),
          ...dissatisfiedCycle(2, true),
          complete('finalReview', { finalDecision: 'close', goodwillAmount: 200, note: 'Goodwill paid, closing.' }),
        ],
        { ...intake, priority: 'non-urgent' },
      );

      expect(incidentsOf(sim)).toEqual([]);
      expect(timesVisited(sim, 'reopenPrep')).toBe(2);
      expect(timesVisited(sim, 'resolve')).toBe(3);
      expect(
        slaTargetsOf(sim)
          .filter(([id]) => id === 'resolve')
          .map(([, t]) => t),
      ).toEqual(['P5D', 'P3D', 'P1D']);
      expect(
        tasksOf(sim)
          .filter((t) => t.elementId === 'callback')
          .map((t) => t.priority),
      ).toEqual([20, 50, 80]);
      expect(tasksOf(sim).at(-1)).toMatchObject({
        elementId: 'finalReview',
        candidateGroups: ['cs-supervisors'],
        formKey: 'complaint-final-review',
      });
      expect(sim.variables).toMatchObject({
        reopenCount: 2,
        priority: 'urgent',
        surveyOutcome: 'closed_by_supervisor',
      });
      expect(sim.visited.at(-1)).toBe('endClosedBySupervisor');
    });

    it('reopens a third time when the supervisor decides so', async () => {
      const sim = run(
        await loadProcess('complaint-handling'),
        [
          ...opening(),
          ...dissatisfiedCycle(2),
          ...dissatisfiedCycle(2, true),
          ...dissatisfiedCycle(1, true),
          complete('finalReview', { finalDecision: 'reopen', note: 'One more attempt with a senior handler.' }),
          ...resolvedAndSurveyed({}, true),
          answered(4),
        ],
        intake,
      );

      expect(incidentsOf(sim)).toEqual([]);
      expect(sim.visited).toEqual(expect.arrayContaining(['finalGw', 'reopenMerge', 'markReopen']));
      expect(sim.variables).toMatchObject({ reopenCount: 3, surveyOutcome: 'satisfied' });
      expect(sim.visited.at(-1)).toBe('endClosed');
    });

    it('closes as dissatisfied when the callback does not reopen', async () => {
      const sim = run(
        await loadProcess('complaint-handling'),
        [...opening(), ...resolvedAndSurveyed(), answered(1), callback(false)],
        intake,
      );

      expect(incidentsOf(sim)).toEqual([]);
      expect(tasksOf(sim).at(-1)).toMatchObject({ elementId: 'callback', candidateGroups: ['cs-agents'] });
      expect(sim.variables.surveyOutcome).toBe('dissatisfied');
      expect(sim.visited.at(-1)).toBe('endClosedDissatisfied');
    });

    it('ends without a survey result when the follow-up call does not reach the customer', async () => {
      const sim = run(
        await loadProcess('complaint-handling'),
        [
          ...opening(),
          ...resolvedAndSurveyed(),
          fire('surveyTimeout'),
          complete('followUpCall', { reached: false, attempts: 3 }),
        ],
        { ...intake, customerTier: 'high' },
      );

      expect(incidentsOf(sim)).toEqual([]);
      expect(sim.visited).toEqual(
        expect.arrayContaining(['followUpCall', 'reachedGw', 'noSurveyMerge', 'markNoSurvey']),
      );
      expect(sim.variables.surveyOutcome).toBe('no_response');
      expect(sim.visited.at(-1)).toBe('endClosed');
    });
  });

  describe('SLA escalations', () => {
    it('warns supervisors at 75 % of the first response and keeps the task', async () => {
      const sim = run(await loadProcess('complaint-handling'), [escalate('firstResponse', 'sla-warning')], intake);

      expect(jobsOf(sim)).toContainEqual({
        elementId: 'firstResponseWarnNotify',
        jobType: 'notify.staff',
        inputs: {
          template: 'sla-warning',
          toGroup: 'cs-supervisors',
          about: 'firstResponse',
          subject: 'CMP-20260105-0001',
        },
      });
      expect(sim.activeElements).toEqual(expect.arrayContaining(['firstResponse', 'ack']));
      expect(effectsOf(sim, 'task.cancel')).toEqual([]);
    });

    it('hands the first response to a supervisor on breach, and tells service managers when that breaches too', async () => {
      const sim = run(
        await loadProcess('complaint-handling'),
        [
          escalate('firstResponse', 'sla-breach'),
          escalate('firstResponseEsc', 'sla-breach'),
          jobDone('firstResponseEscBreachNotify'),
          jobDone('ack'),
          firstResponse({}, 'firstResponseEsc'),
        ],
        intake,
      );

      expect(incidentsOf(sim)).toEqual([]);
      expect(effectsOf(sim, 'task.cancel')).toContainEqual({
        type: 'task.cancel',
        elementId: 'firstResponse',
        activationId: expect.any(String),
      });
      expect(tasksOf(sim).map((t) => [t.elementId, t.candidateGroups])).toEqual([
        ['firstResponse', ['cs-agents']],
        ['firstResponseEsc', ['cs-supervisors']],
        ['investigate', ['cs-resolvers']],
      ]);
      expect(slaTargetsOf(sim)).toContainEqual(['firstResponseEsc', 'PT1H']);
      expect(jobsOf(sim)).toContainEqual(
        expect.objectContaining({
          elementId: 'firstResponseEscBreachNotify',
          inputs: expect.objectContaining({ template: 'sla-breach', toGroup: 'service-managers' }),
        }),
      );
      expect(sim.visited).toEqual(
        expect.arrayContaining(['firstResponseBreach', 'firstResponseEsc', 'frMerge', 'join', 'resolve']),
      );
      expect(sim.activeElements).toEqual(['investigate', 'resolve']);
    });

    it('opens an overdue review on a resolution breach while work continues', async () => {
      const sim = run(
        await loadProcess('complaint-handling'),
        [
          ...opening(),
          escalate('resolve', 'sla-warning'),
          jobDone('resWarnNotify'),
          escalate('resolve', 'sla-breach'),
          complete('overdueReview', { action: 'expedite', note: 'Asked billing to prioritise it today.' }),
        ],
        intake,
      );

      expect(incidentsOf(sim)).toEqual([]);
      expect(jobsOf(sim)).toContainEqual(
        expect.objectContaining({
          elementId: 'resWarnNotify',
          inputs: expect.objectContaining({ toGroup: 'cs-supervisors', about: 'resolve' }),
        }),
      );
      expect(tasksOf(sim)).toContainEqual({
        elementId: 'overdueReview',
        candidateGroups: ['cs-supervisors'],
        assignee: null,
        formKey: 'sla-overdue-review',
        priority: 50,
      });
      expect(slaTargetsOf(sim)).toContainEqual(['overdueReview', 'PT4H']);
      expect(sim.visited).toEqual(expect.arrayContaining(['resBreach', 'overdueReview', 'overdueGw', 'overdueEnd']));
      expect(sim.visited).not.toContain('overdueEscalate');
      expect(sim.activeElements).toEqual(['investigate', 'resolve']);
    });

    it('always tells service managers about an urgent resolution breach', async () => {
      const sim = run(
        await loadProcess('complaint-handling'),
        [
          ...opening({ priority: 'urgent' }),
          escalate('resolve', 'sla-breach'),
          complete('overdueReview', {
            action: 'reassign',
            newAssignee: 'resolver2',
            note: 'Reassigned to a senior handler.',
          }),
        ],
        { ...intake, priority: 'urgent' },
      );

      expect(jobsOf(sim).at(-1)).toEqual({
        elementId: 'overdueEscalate',
        jobType: 'notify.staff',
        inputs: {
          template: 'sla-overdue-escalation',
          toGroup: 'service-managers',
          about: 'resolve',
          subject: 'CMP-20260105-0001',
        },
      });
    });

    it('tells service managers about a breached approval', async () => {
      const sim = run(
        await loadProcess('complaint-handling'),
        [...opening({ priority: 'urgent' }), resolved(), escalate('approveResolution', 'sla-breach')],
        { ...intake, priority: 'urgent' },
      );

      expect(jobsOf(sim).map((j) => j.elementId)).toContain('approveResolutionBreachNotify');
      expect(sim.activeElements).toEqual(
        expect.arrayContaining(['approveResolution', 'approveResolutionBreachNotify']),
      );
    });

    // An SLA's escalation is caught only by the boundaries of the element whose clock it is.
    it('does not open a resolution overdue review for an approval breach', async () => {
      const sim = run(
        await loadProcess('complaint-handling'),
        [...opening({ priority: 'urgent' }), resolved(), escalate('approveResolution', 'sla-breach')],
        { ...intake, priority: 'urgent' },
      );

      expect(sim.visited).not.toContain('overdueReview');
    });
  });

  describe('links', () => {
    it.each([
      ['system', 'technical'],
      ['process', 'process'],
      ['people', 'personnel'],
      ['supplier', 'external'],
      ['customer_misunderstanding', 'customer'],
    ])(
      'starts a risk case for a complaint flagged risky (root cause %s → category %s)',
      async (rootCause, category) => {
        const sim = run(
          await loadProcess('complaint-handling'),
          [
            ...opening(),
            resolved({ riskFlag: true, rootCause }),
            communicate('accepted'),
            jobDone('record'),
            jobDone('raiseRisk', { startedInstanceId: 'risk-1' }),
            jobDone('sendSurvey'),
            answered(4),
          ],
          intake,
        );

        expect(incidentsOf(sim)).toEqual([]);
        expect(jobsOf(sim)).toContainEqual({
          elementId: 'raiseRisk',
          jobType: 'process.start',
          inputs: {
            definitionKey: 'risk-response',
            variables: {
              source: 'complaint',
              sourceRef: 'CMP-20260105-0001',
              title: 'Complaint CMP-20260105-0001',
              description: 'The dispatcher double-booked the engineer.',
              category,
              incidentOccurred: false,
            },
          },
        });
        expect(sim.visited).toEqual(expect.arrayContaining(['riskGw', 'raiseRisk', 'riskMerge', 'survey']));
        expect(sim.visited.at(-1)).toBe('endClosed');
      },
    );

    it('acknowledges through the preferred channel with the SLA it promises', async () => {
      const sim = run(await loadProcess('complaint-handling'), [], intake);

      expect(jobsOf(sim)).toEqual([
        {
          elementId: 'ack',
          jobType: 'notify.customer',
          inputs: {
            template: 'complaint-ack',
            channel: 'sms',
            contactPhone: '13800138000',
            contactEmail: null,
            customerName: 'Li Wei',
            subject: 'CMP-20260105-0001',
            priority: 'general',
            promiseOf: 'firstResponse',
          },
        },
      ]);
    });
  });
});
