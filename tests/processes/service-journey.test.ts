/** Scenarios of processes/service-journey.bpmn (domain.md §2.2) through the pure simulator. */
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

const request = {
  requestId: 'SRV-20260105-0001',
  channel: 'online',
  customerId: 'C-2001',
  customerName: 'Wang Fang',
  contactPhone: '13900139000',
  preferredContact: 'sms',
  customerTier: 'medium',
  serviceType: 'repair',
  serviceDown: false,
  productModel: 'AC-3000',
  description: 'The air conditioner rattles loudly.',
  address: '1 Century Avenue, Pudong, Shanghai',
  preferredDate: '2026-01-07',
  preferredSlot: 'morning',
};
const START = '2026-01-07T09:00:00+08:00';
const END = '2026-01-07T11:00:00+08:00';

const confirm = (requestDecision: string, vars: Record<string, unknown> = {}) =>
  complete('confirmRequest', {
    requestDecision,
    inServiceArea: true,
    warrantyStatus: 'out_of_warranty',
    chargeable: false,
    ...vars,
  });
const proposal = jobDone('proposeSlot', { proposedStart: START, proposedEnd: END, proposedEngineerId: 'engineer1' });
const schedule = (vars: Record<string, unknown> = {}) =>
  complete('schedule', {
    appointmentStart: START,
    appointmentEnd: END,
    engineerId: 'engineer1',
    customerChoseLaterSlot: false,
    partsRequired: false,
    ...vars,
  });
/** Proposal, scheduling, confirmation and the appointment time arriving. */
const untilVisit = (vars: Record<string, unknown> = {}): EngineEvent[] => [
  proposal,
  schedule(vars),
  jobDone('confirmAppointment'),
  fire('awaitAppointmentDue'),
];
const visit = (visitOutcome: string, vars: Record<string, unknown> = {}) =>
  complete('visit', {
    arrivedAt: '2026-01-07T09:10:00+08:00',
    visitOutcome,
    ...(visitOutcome === 'completed'
      ? { finishedAt: '2026-01-07T10:20:00+08:00', workPerformed: 'Replaced the fan bearing.', customerSignedOff: true }
      : {}),
    ...vars,
  });
/** CRM and the survey being sent after a served order without a charge. */
const served: EngineEvent[] = [jobDone('crmUpdate'), jobDone('sendSurvey')];
const answered = (satisfactionScore: number) =>
  receive('surveyResponse', { satisfactionScore, npsScore: satisfactionScore * 2 });
const recovery = (recoveryAction: string) =>
  complete('recovery', {
    reached: true,
    dissatisfactionReason: 'late_arrival',
    recoveryAction,
    note: 'Apologised for the late arrival.',
  });

describe('service-journey', () => {
  it('serves a chargeable repair end to end: proposal, schedule, appointment, visit, invoice, survey', async () => {
    const sim = run(
      await loadProcess('service-journey'),
      [
        confirm('accepted', { chargeable: true, quotedAmount: 280, customerConsentToQuote: true }),
        ...untilVisit(),
        visit('completed', { amountCharged: 280 }),
        jobDone('invoice', { invoiceId: 'INV-1' }),
        ...served,
        answered(5),
      ],
      request,
    );

    expect(incidentsOf(sim)).toEqual([]);
    expect(tasksOf(sim).map((t) => [t.elementId, t.candidateGroups, t.assignee, t.priority])).toEqual([
      ['confirmRequest', ['cs-agents'], null, 50],
      ['schedule', ['dispatchers'], null, 50],
      ['visit', ['field-engineers'], 'engineer1', 50],
    ]);
    const [scheduleTask, visitTask] = effectsOf(sim, 'task.create')
      .slice(1)
      .map((e) => e.task);
    expect(scheduleTask.inputs).toEqual({ appointmentStart: START, appointmentEnd: END, engineerId: 'engineer1' });
    expect(visitTask.due).toBe('2026-01-07T03:00:00.000Z');
    expect(effectsOf(sim, 'timer.schedule').map((t) => [t.elementId, t.due])).toEqual([
      ['awaitAppointmentReminder', '2026-01-06T01:00:00.000Z'],
      ['awaitAppointmentDue', '2026-01-07T01:00:00.000Z'],
      ['surveyTimeout', '2026-01-08T09:00:00.000Z'],
    ]);
    expect(jobsOf(sim).map((j) => j.elementId)).toEqual([
      'proposeSlot',
      'confirmAppointment',
      'invoice',
      'crmUpdate',
      'sendSurvey',
    ]);
    expect(jobsOf(sim)[0].inputs).toEqual({
      preferredDate: '2026-01-07',
      preferredSlot: 'morning',
      address: request.address,
      serviceType: 'repair',
      priority: 'general',
    });
    expect(jobsOf(sim)[2].inputs).toEqual({ amountCharged: 280, customerId: 'C-2001', requestId: 'SRV-20260105-0001' });
    // J-E2E starts before `segment` sets the priority; the runtime re-targets it on that change (domain.md §4 rule 6)
    expect(slaTargetsOf(sim)).toEqual([
      ['service-journey', 'P10D'],
      ['confirmRequest', 'PT4H'],
      ['fulfil', 'P3D'],
      ['schedule', 'PT4H'],
    ]);
    expect(sim.variables).toMatchObject({
      priority: 'general',
      visitCount: 1,
      fulfilStatus: 'completed',
      aftercareOutcome: 'ok',
    });
    expect(sim.visited.at(-1)).toBe('endCompleted');
  });

  it.each([
    [{ serviceType: 'repair', serviceDown: true }, 'urgent', 'PT2H', 'P1D', 'P2D'],
    [{ serviceType: 'installation' }, 'general', 'PT4H', 'P3D', 'P5D'],
    [{ serviceType: 'maintenance', customerTier: 'high' }, 'general', 'PT4H', 'P3D', 'P5D'],
    [{ serviceType: 'inspection' }, 'non-urgent', 'P1D', 'P5D', 'P10D'],
  ])('segments %o as %s', async (vars, priority, contact, fulfil, e2e) => {
    const sim = run(await loadProcess('service-journey'), [confirm('accepted')], { ...request, ...vars });

    expect(sim.variables.priority).toBe(priority);
    expect(slaTargetsOf(sim)).toEqual([
      ['service-journey', 'P10D'],
      ['confirmRequest', contact],
      ['fulfil', fulfil],
    ]);
    // what J-E2E is re-targeted to once `segment` has set the priority
    expect(run(await loadProcess('service-journey'), [], { ...request, ...vars, priority }).effects).toContainEqual(
      expect.objectContaining({ type: 'sla.start', elementId: 'service-journey', target: e2e }),
    );
  });

  it('raises the priority of an open order when a major incident of its service type is declared, and goes on', async () => {
    const declared = (incidentServiceType: string | null): EngineEvent => ({
      type: 'signal.received',
      elementId: 'majorIncidentDeclared',
      variables: { incidentServiceType, incidentId: 'MI-7' },
    });
    const other = run(await loadProcess('service-journey'), [declared('installation')], request);
    expect(other.variables).toMatchObject({ priority: 'general', majorIncidentServiceType: 'installation' });
    expect(other.activeElements).toEqual(['confirmRequest']);

    const sim = run(
      await loadProcess('service-journey'),
      [declared('repair'), confirm('accepted'), ...untilVisit(), declared(null)],
      request,
    );
    expect(incidentsOf(sim)).toEqual([]);
    expect(sim.variables).toMatchObject({ priority: 'urgent', majorIncidentId: 'MI-7' });
    expect(sim.visited.filter((id) => id === 'raisePriority')).toHaveLength(2);
    // tasks created after the declaration carry the raised priority
    expect(tasksOf(sim).map((t) => [t.elementId, t.priority])).toEqual([
      ['confirmRequest', 50],
      ['schedule', 80],
      ['visit', 80],
    ]);
    expect(sim.activeElements).toEqual(['fulfil', 'visit']);
  });

  it('rejects an ineligible request', async () => {
    const sim = run(
      await loadProcess('service-journey'),
      [confirm('rejected', { inServiceArea: false, rejectReason: 'out_of_area' }), jobDone('notifyRejected')],
      request,
    );

    expect(jobsOf(sim)).toEqual([
      expect.objectContaining({
        elementId: 'notifyRejected',
        inputs: expect.objectContaining({ template: 'journey-rejected', rejectReason: 'out_of_area' }),
      }),
    ]);
    expect(sim.visited.at(-1)).toBe('endRejected');
  });

  it('asks for details with the end-to-end clock paused, and confirms again when they arrive', async () => {
    const sim = run(
      await loadProcess('service-journey'),
      [
        confirm('needs_info', { infoNeeded: 'Which room is the unit in?' }),
        jobDone('requestDetails'),
        receive('awaitDetails', { description: 'Bedroom unit rattles loudly.' }),
        confirm('rejected', { rejectReason: 'not_supported' }),
        jobDone('notifyRejected'),
      ],
      request,
    );

    expect(incidentsOf(sim)).toEqual([]);
    expect(timesVisited(sim, 'confirmRequest')).toBe(2);
    expect(effectsOf(sim, 'sla.pause').map((e) => [e.elementId, e.reason])).toEqual([
      ['service-journey', 'awaitDetails'],
    ]);
    expect(effectsOf(sim, 'message.subscribe')).toContainEqual(
      expect.objectContaining({
        elementId: 'awaitDetails',
        messageName: 'journey-customer-details',
        correlationKey: 'SRV-20260105-0001',
      }),
    );
    expect(sim.visited.at(-1)).toBe('endRejected');
  });

  it('abandons the request when no details arrive within 3 days', async () => {
    const sim = run(
      await loadProcess('service-journey'),
      [
        confirm('needs_info', { infoNeeded: 'Which room is the unit in?' }),
        jobDone('requestDetails'),
        fire('detailsTimeout'),
        jobDone('notifyAbandoned'),
      ],
      request,
    );

    expect(effectsOf(sim, 'timer.schedule')).toContainEqual(
      expect.objectContaining({ elementId: 'detailsTimeout', due: '2026-01-08T09:00:00.000Z' }),
    );
    expect(sim.visited.at(-1)).toBe('endAbandoned');
  });

  it('prepares parts beside the appointment confirmation, and waits with the clocks paused after a reschedule', async () => {
    const sim = run(
      await loadProcess('service-journey'),
      [
        confirm('accepted'),
        proposal,
        schedule({ partsRequired: true, partsList: 'Fan bearing 6202' }),
        jobDone('confirmAppointment'),
        complete('prepareParts', { partsShipped: true, expectedArrival: '2026-01-06T18:00:00+08:00' }),
        receive('awaitAppointment'),
        proposal,
        schedule({ customerChoseLaterSlot: true }),
        jobDone('confirmAppointment'),
        fire('awaitCustomerDateReminder'),
        jobDone('awaitCustomerDateRemind'),
        fire('awaitCustomerDateDue'),
        visit('completed'),
        ...served,
        fire('surveyTimeout'),
      ],
      request,
    );

    expect(incidentsOf(sim)).toEqual([]);
    expect(tasksOf(sim).map((t) => [t.elementId, t.candidateGroups])).toEqual([
      ['confirmRequest', ['cs-agents']],
      ['schedule', ['dispatchers']],
      ['prepareParts', ['logistics']],
      ['schedule', ['dispatchers']],
      ['visit', ['field-engineers']],
    ]);
    expect(sim.visited).toEqual(
      expect.arrayContaining([
        'prepFork',
        'prepareParts',
        'prepJoin',
        'deferGw',
        'awaitAppointment',
        'rescheduleMerge',
        'markReschedule',
        'awaitCustomerDate',
        'awaitCustomerDateRemind',
        'visitMerge',
      ]),
    );
    expect(slaTargetsOf(sim)).toContainEqual(['prepareParts', 'P2D']);
    expect(effectsOf(sim, 'sla.pause').map((e) => [e.elementId, e.reason])).toEqual([
      ['service-journey', 'awaitCustomerDate'],
      ['fulfil', 'awaitCustomerDate'],
      ['service-journey', 'aftercare'],
    ]);
    expect(jobsOf(sim).find((j) => j.elementId === 'awaitCustomerDateRemind')?.inputs).toMatchObject({
      template: 'journey-reminder',
      appointmentStart: START,
    });
    expect(sim.visited.at(-1)).toBe('endCompleted');
  });

  it('sends the order to a supervisor after the third failed visit, who converts it into a complaint', async () => {
    const sim = run(
      await loadProcess('service-journey'),
      [
        confirm('accepted'),
        ...untilVisit(),
        visit('customer_absent'),
        ...untilVisit(),
        visit('reschedule_requested'),
        ...untilVisit(),
        visit('needs_parts', { partsNeeded: 'Compressor relay' }),
        complete('supervisorReview', {
          supervisorDecision: 'complaint',
          note: 'Three failed visits: handle as a complaint.',
        }),
        jobDone('startComplaint'),
      ],
      request,
    );

    expect(incidentsOf(sim)).toEqual([]);
    expect(timesVisited(sim, 'visit')).toBe(3);
    expect(tasksOf(sim).at(-1)).toMatchObject({ elementId: 'supervisorReview', candidateGroups: ['cs-supervisors'] });
    expect(jobsOf(sim).at(-1)).toEqual({
      elementId: 'startComplaint',
      jobType: 'process.start',
      inputs: {
        definitionKey: 'complaint-handling',
        variables: {
          customerId: 'C-2001',
          customerName: 'Wang Fang',
          contactPhone: '13900139000',
          contactEmail: null,
          preferredContact: 'sms',
          customerTier: 'medium',
          channel: 'phone',
          category: 'service',
          description: 'Three failed visits: handle as a complaint.',
          priority: 'general',
          isRepeat: false,
          safetyOrLegalRisk: false,
          orderRef: 'SRV-20260105-0001',
        },
      },
    });
    expect(sim.variables).toMatchObject({ visitCount: 3, fulfilStatus: 'complaint' });
    expect(sim.visited.at(-1)).toBe('endConvertedToComplaint');
  });

  it("revisits on the supervisor's decision, then cancels when the engineer cannot fix it", async () => {
    const sim = run(
      await loadProcess('service-journey'),
      [
        confirm('accepted'),
        ...untilVisit(),
        visit('cannot_fix'),
        complete('supervisorReview', { supervisorDecision: 'revisit', note: 'Send a senior engineer.' }),
        ...untilVisit(),
        visit('cannot_fix'),
        complete('supervisorReview', { supervisorDecision: 'cancel', note: 'Model no longer supported.' }),
        jobDone('notifyCancelled'),
      ],
      request,
    );

    expect(incidentsOf(sim)).toEqual([]);
    expect(timesVisited(sim, 'supervisorReview')).toBe(2);
    expect(sim.variables.fulfilStatus).toBe('cancelled');
    expect(sim.visited.at(-1)).toBe('endCancelled');
  });

  describe('after-care', () => {
    it('recovers a dissatisfied customer with a free revisit that counts against the company', async () => {
      const sim = run(
        await loadProcess('service-journey'),
        [
          confirm('accepted', { chargeable: true, quotedAmount: 150, customerConsentToQuote: true }),
          ...untilVisit(),
          visit('completed', { amountCharged: 150 }),
          jobDone('invoice'),
          ...served,
          answered(2),
          recovery('revisit'),
          ...untilVisit(),
          visit('completed', { amountCharged: 0 }),
          ...served,
          fire('surveyTimeout'),
        ],
        request,
      );

      expect(incidentsOf(sim)).toEqual([]);
      expect(tasksOf(sim).find((t) => t.elementId === 'recovery')).toMatchObject({ candidateGroups: ['cs-agents'] });
      expect(timesVisited(sim, 'fulfil')).toBe(2);
      expect(timesVisited(sim, 'invoice')).toBe(1);
      expect(effectsOf(sim, 'sla.resume').map((e) => [e.elementId, e.reason])).toContainEqual([
        'service-journey',
        'aftercare',
      ]);
      expect(sim.variables).toMatchObject({ visitCount: 2, chargeable: false, aftercareOutcome: 'ok' });
      expect(sim.visited.at(-1)).toBe('endCompleted');
    });

    it('opens a repeat complaint from a recovery call', async () => {
      const sim = run(
        await loadProcess('service-journey'),
        [
          confirm('accepted'),
          ...untilVisit(),
          visit('completed'),
          ...served,
          answered(1),
          recovery('complaint'),
          jobDone('startComplaint'),
        ],
        request,
      );

      expect(jobsOf(sim).at(-1)?.inputs).toMatchObject({
        definitionKey: 'complaint-handling',
        variables: expect.objectContaining({ isRepeat: true, description: 'Apologised for the late arrival.' }),
      });
      expect(sim.visited.at(-1)).toBe('endConvertedToComplaint');
    });

    it('completes dissatisfied after goodwill', async () => {
      const sim = run(
        await loadProcess('service-journey'),
        [confirm('accepted'), ...untilVisit(), visit('completed'), ...served, answered(2), recovery('goodwill')],
        request,
      );

      expect(sim.variables.aftercareOutcome).toBe('dissatisfied');
      expect(sim.visited.at(-1)).toBe('endCompletedDissatisfied');
    });

    it('calls a high-value installation customer after 30 days', async () => {
      const sim = run(
        await loadProcess('service-journey'),
        [
          confirm('accepted'),
          ...untilVisit(),
          visit('completed'),
          ...served,
          answered(4),
          fire('careWait'),
          complete('careCall', { reached: true, usingNormally: true, interestedInOffers: false }),
        ],
        { ...request, serviceType: 'installation', customerTier: 'high' },
      );

      expect(incidentsOf(sim)).toEqual([]);
      expect(effectsOf(sim, 'timer.schedule')).toContainEqual(
        expect.objectContaining({ elementId: 'careWait', due: '2026-02-04T09:00:00.000Z' }),
      );
      expect(tasksOf(sim).at(-1)).toMatchObject({
        elementId: 'careCall',
        candidateGroups: ['cs-agents'],
        formKey: 'journey-care-call',
      });
      expect(sim.visited.at(-1)).toBe('endCompleted');
    });
  });

  describe('SLA escalations', () => {
    it('warns and then tells supervisors about a late confirmation, work continuing', async () => {
      const sim = run(
        await loadProcess('service-journey'),
        [escalate('confirmRequest', 'sla-warning'), escalate('confirmRequest', 'sla-breach')],
        request,
      );

      expect(jobsOf(sim).map((j) => [j.elementId, j.inputs.template, j.inputs.toGroup])).toEqual([
        ['confirmRequestWarnNotify', 'sla-warning', 'cs-supervisors'],
        ['confirmRequestBreachNotify', 'sla-breach', 'cs-supervisors'],
      ]);
      expect(sim.activeElements).toContain('confirmRequest');
    });

    it('opens an overdue review for a late fulfilment and escalates it on request', async () => {
      const sim = run(
        await loadProcess('service-journey'),
        [
          confirm('accepted'),
          proposal,
          escalate('fulfil', 'sla-breach'),
          complete('overdueReview', { action: 'escalate', note: 'No engineer available this week.' }),
        ],
        request,
      );

      expect(tasksOf(sim).at(-1)).toMatchObject({
        elementId: 'overdueReview',
        candidateGroups: ['cs-supervisors'],
        formKey: 'sla-overdue-review',
      });
      expect(jobsOf(sim).at(-1)).toMatchObject({
        elementId: 'overdueEscalate',
        inputs: { toGroup: 'service-managers', about: 'fulfil' },
      });
      expect(sim.activeElements).toEqual(expect.arrayContaining(['fulfil', 'schedule']));
    });

    it('tells service managers about a late supervisor review', async () => {
      const sim = run(
        await loadProcess('service-journey'),
        [confirm('accepted'), ...untilVisit(), visit('cannot_fix'), escalate('supervisorReview', 'sla-breach')],
        request,
      );

      expect(jobsOf(sim).at(-1)).toMatchObject({
        elementId: 'supervisorReviewBreachNotify',
        inputs: { toGroup: 'service-managers' },
      });
    });
  });
});
