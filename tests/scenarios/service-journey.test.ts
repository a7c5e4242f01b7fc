/**
 * processes/service-journey.bpmn through the HTTP API (issue 5): booking, confirmation, scheduling with the
 * built-in slot proposal, appointment timers, the visit, billing and after-care, as the demo users of each lane.
 * Appointment timers are wall-clock dates; SLAs run on the default calendar from Mon 2026-11-23 09:00 Shanghai.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { endEventOf, referenceApp, shanghai, timesEntered, type ReferenceApp } from '../helpers/reference-app.js';

const SRV = 'SRV-20261123-0001';
const request = {
  requestId: SRV,
  channel: 'phone',
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
  preferredDate: '2026-11-25',
  preferredSlot: 'morning',
};
/** The journey's lanes, and staff of an unrelated group (complaint resolvers). */
const ROLES = ['agent1', 'dispatcher1', 'engineer1', 'logistics1', 'supervisor1', 'resolver1'];
const none = { agent1: [], dispatcher1: [], engineer1: [], logistics1: [], supervisor1: [], resolver1: [] };
const HOUR = 3_600_000;

const accepted = (vars: Record<string, unknown> = {}) => ({
  requestDecision: 'accepted',
  inServiceArea: true,
  warrantyStatus: 'out_of_warranty',
  chargeable: false,
  ...vars,
});
const slot = (start: string, end: string, vars: Record<string, unknown> = {}) => ({
  appointmentStart: start,
  appointmentEnd: end,
  engineerId: 'engineer1',
  customerChoseLaterSlot: false,
  partsRequired: false,
  ...vars,
});
const completedVisit = (arrivedAt: string, finishedAt: string, vars: Record<string, unknown> = {}) => ({
  arrivedAt,
  finishedAt,
  visitOutcome: 'completed',
  workPerformed: 'Replaced the fan bearing and tested the unit.',
  customerSignedOff: true,
  ...vars,
});

describe('scenarios/service-journey through the API', () => {
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

  it('a major incident declared through /api/signals raises the priority of the open repair orders only', async () => {
    const repair = (await t.start('agent1', 'service-journey', request)).id;
    const installation = (
      await t.start('agent1', 'service-journey', {
        ...request,
        requestId: 'SRV-20261123-0002',
        serviceType: 'installation',
      })
    ).id;
    expect((await t.instance(repair)).variables).toMatchObject({ priority: 'general' });
    const supervisor = await t.user('supervisor1');
    const res = await supervisor.call('POST', '/api/signals', {
      name: 'major-incident-declared',
      variables: { incidentServiceType: 'repair', incidentId: 'MI-1' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().deliveredInstanceIds.sort()).toEqual([repair, installation].sort());
    expect((await t.instance(repair)).variables).toMatchObject({ priority: 'urgent', majorIncidentId: 'MI-1' });
    expect((await t.instance(installation)).variables).toMatchObject({ priority: 'general' });
    // the order goes on where it was
    expect(await t.board(repair, ROLES)).toEqual({
      ...none,
      agent1: ['confirmRequest'],
      supervisor1: ['confirmRequest'],
    });
  });

  it('serves a chargeable repair end to end: proposal, scheduling, a customer reschedule, reminder, visit, invoice and survey', async () => {
    const { id } = await t.start('agent1', 'service-journey', request);
    expect((await t.instance(id)).variables).toMatchObject({ priority: 'general', visitCount: 0 });
    expect(await t.board(id, ROLES)).toEqual({ ...none, agent1: ['confirmRequest'], supervisor1: ['confirmRequest'] });

    await t.at(shanghai('2026-11-23 10:00'));
    await t.work(
      'agent1',
      id,
      'confirmRequest',
      accepted({ chargeable: true, quotedAmount: 280, customerConsentToQuote: true }),
    );
    expect(await t.board(id, ROLES)).toEqual({ ...none, dispatcher1: ['schedule'], supervisor1: ['schedule'] });
    // schedule.propose offered the preferred morning and a member of field-engineers (the seed makes the CS supervisor
    // one too, so it may be supervisor1); the task form is prefilled with it and the dispatcher confirms engineer1
    const [scheduleTask] = await (await t.user('dispatcher1')).tasks(id);
    expect(scheduleTask.inputs).toEqual({
      appointmentStart: '2026-11-25T09:00:00.000+08:00',
      appointmentEnd: '2026-11-25T12:00:00.000+08:00',
      engineerId: expect.stringMatching(/^(engineer1|supervisor1)$/),
    });

    await t.at(shanghai('2026-11-23 11:00'));
    await t.work(
      'dispatcher1',
      id,
      'schedule',
      slot(scheduleTask.inputs.appointmentStart as string, scheduleTask.inputs.appointmentEnd as string),
    );
    expect(await t.board(id, ROLES)).toEqual(none);

    // the customer asks for Thursday afternoon: the clocks stop while we wait for the date they chose
    await t.at(shanghai('2026-11-23 14:00'));
    expect(await t.message('journey-reschedule', SRV)).toEqual([id]);
    expect(await t.board(id, ROLES)).toEqual({ ...none, dispatcher1: ['schedule'], supervisor1: ['schedule'] });
    await t.at(shanghai('2026-11-23 15:00'));
    await t.work(
      'dispatcher1',
      id,
      'schedule',
      slot('2026-11-26T14:00:00+08:00', '2026-11-26T17:00:00+08:00', { customerChoseLaterSlot: true }),
    );
    expect((await t.slas(id)).filter((s) => s.status === 'paused').map((s) => s.elementId)).toEqual([
      'service-journey',
      'fulfil',
    ]);

    await t.at(shanghai('2026-11-25 13:59'));
    expect((await t.notifications(id)).map((n) => n.template ?? n.kind)).toEqual([
      'schedule.propose',
      'journey-appointment',
      'schedule.propose',
      'journey-appointment',
    ]);
    await t.at(shanghai('2026-11-25 14:00'));
    expect((await t.notifications(id)).at(-1)).toMatchObject({
      template: 'journey-reminder',
      channel: 'sms',
      payload: expect.objectContaining({ appointmentStart: '2026-11-26T14:00:00+08:00' }),
    });

    await t.at(shanghai('2026-11-26 14:00'));
    expect(await t.board(id, ROLES)).toEqual({ ...none, engineer1: ['visit'], supervisor1: ['visit'] });
    const [visitTask] = await (await t.user('engineer1')).tasks(id);
    expect(visitTask).toMatchObject({
      assignee: 'engineer1',
      candidateGroups: ['field-engineers'],
      due: shanghai('2026-11-26 17:00'),
    });
    await t.at(shanghai('2026-11-26 16:00'));
    await t.work(
      'engineer1',
      id,
      'visit',
      completedVisit('2026-11-26T14:05:00+08:00', '2026-11-26T15:40:00+08:00', { amountCharged: 280 }),
    );
    expect(await t.board(id, ROLES)).toEqual(none);

    await t.at(shanghai('2026-11-26 20:00'));
    await t.message('journey-survey-response', SRV, { satisfactionScore: 5, npsScore: 9 });

    const instance = await t.instance(id);
    expect(instance.status).toBe('completed');
    expect(instance.variables).toMatchObject({
      visitCount: 1,
      fulfilStatus: 'completed',
      aftercareOutcome: 'ok',
      amountCharged: 280,
      invoiceId: expect.stringMatching(/^INV-20261126-/),
    });
    expect(endEventOf(await t.history(id))).toBe('endCompleted');
    expect((await t.notifications(id)).slice(4).map((n) => [n.kind, n.template, n.createdAt])).toEqual([
      ['notify.customer', 'journey-reminder', shanghai('2026-11-25 14:00')],
      ['billing.invoice', null, shanghai('2026-11-26 16:00')],
      ['crm.update', null, shanghai('2026-11-26 16:00')],
      ['survey.send', 'csat-journey', shanghai('2026-11-26 16:00')],
    ]);
    expect((await t.notifications(id)).find((n) => n.kind === 'billing.invoice')?.payload).toEqual({
      amountCharged: 280,
      customerId: 'C-2001',
      requestId: SRV,
    });
    // fulfilment ran Mon 10:00–15:00 and Thu 14:00–16:00; the 26 business hours waiting for the customer's date do not
    // count, nor (end to end) the 2 hours of after-care until the survey answer
    expect((await t.slas(id)).map((s) => [s.elementId, s.target, s.status, s.businessMs, s.pausedMs])).toEqual([
      ['service-journey', 'P5D', 'met', 8 * HOUR, 28 * HOUR],
      ['confirmRequest', 'PT4H', 'met', HOUR, 0],
      ['fulfil', 'P3D', 'met', 7 * HOUR, 26 * HOUR],
      ['schedule', 'PT4H', 'met', HOUR, 0],
      ['schedule', 'PT4H', 'met', HOUR, 0],
    ]);
  });

  it('sends the order to a supervisor after three failed visits, who turns it into a complaint', async () => {
    const { id } = await t.start('agent1', 'service-journey', { ...request, preferredDate: '2026-11-24' });
    await t.at(shanghai('2026-11-23 09:30'));
    await t.work('agent1', id, 'confirmRequest', accepted());
    await t.at(shanghai('2026-11-23 10:00'));
    await t.work('dispatcher1', id, 'schedule', slot('2026-11-24T09:00:00+08:00', '2026-11-24T12:00:00+08:00'));

    await t.at(shanghai('2026-11-24 09:20'));
    await t.work('engineer1', id, 'visit', { arrivedAt: '2026-11-24T09:15:00+08:00', visitOutcome: 'customer_absent' });
    // the next proposal is the next morning, the preferred one having passed; the dispatcher picks the afternoon
    expect((await (await t.user('dispatcher1')).tasks(id))[0].inputs).toMatchObject({
      appointmentStart: '2026-11-25T09:00:00.000+08:00',
    });
    await t.at(shanghai('2026-11-24 10:00'));
    await t.work('dispatcher1', id, 'schedule', slot('2026-11-25T14:00:00+08:00', '2026-11-25T16:00:00+08:00'));

    await t.at(shanghai('2026-11-25 14:30'));
    expect(
      (await t.notifications(id)).some((n) => n.template === 'sla-warning' && n.elementId === 'fulfilWarnNotify'),
    ).toBe(true);
    await t.work('engineer1', id, 'visit', {
      arrivedAt: '2026-11-25T14:10:00+08:00',
      visitOutcome: 'reschedule_requested',
    });
    await t.at(shanghai('2026-11-25 15:00'));
    await t.work('dispatcher1', id, 'schedule', slot('2026-11-26T09:00:00+08:00', '2026-11-26T12:00:00+08:00'));

    // P3D of fulfilment from Mon 09:30 ends Thu 09:30, while the engineer is on site
    await t.at(shanghai('2026-11-26 10:00'));
    expect(await t.board(id, ROLES)).toEqual({
      ...none,
      engineer1: ['visit'],
      supervisor1: ['overdueReview', 'visit'],
    });
    await t.work('engineer1', id, 'visit', {
      arrivedAt: '2026-11-26T09:05:00+08:00',
      visitOutcome: 'needs_parts',
      partsNeeded: 'Compressor relay, not in stock.',
    });
    expect(await t.board(id, ROLES)).toEqual({ ...none, supervisor1: ['overdueReview', 'supervisorReview'] });
    await t.work('supervisor1', id, 'overdueReview', { action: 'expedite', note: 'Order the relay by courier today.' });
    await t.work('supervisor1', id, 'supervisorReview', {
      supervisorDecision: 'complaint',
      goodwillAmount: 100,
      note: 'Three failed visits: handle as a complaint.',
    });

    const journey = await t.instance(id);
    expect(journey.status).toBe('completed');
    expect(journey.variables).toMatchObject({ visitCount: 3, fulfilStatus: 'complaint' });
    expect(endEventOf(await t.history(id))).toBe('endConvertedToComplaint');
    expect(timesEntered(await t.history(id), 'visit')).toBe(3);
    // the overdue review of J-FULFIL has no SLA of its own (domain.md §2.2)
    expect(
      (await t.slas(id)).filter((s) => s.status !== 'met').map((s) => [s.elementId, s.status, s.breachedAt]),
    ).toEqual([['fulfil', 'breached', shanghai('2026-11-26 09:30')]]);
    expect((await t.slas(id)).find((s) => s.elementId === 'supervisorReview')).toMatchObject({
      target: 'P1D',
      status: 'met',
    });

    const complaintId = journey.variables.startedInstanceId as string;
    const complaint = await t.instance(complaintId);
    expect(complaint).toMatchObject({ definitionKey: 'complaint-handling', status: 'active' });
    expect(complaint.variables).toMatchObject({
      customerId: 'C-2001',
      customerName: 'Wang Fang',
      channel: 'phone',
      category: 'service',
      description: 'Three failed visits: handle as a complaint.',
      priority: 'general',
      isRepeat: false,
      orderRef: SRV,
      resolverGroup: 'cs-resolvers',
    });
    expect(await t.board(complaintId, ['agent1', 'dispatcher1', 'engineer1'])).toEqual({
      agent1: ['firstResponse'],
      dispatcher1: [],
      engineer1: [],
    });
  });

  it('rejects a request outside the service area', async () => {
    const { id } = await t.start('agent1', 'service-journey', request);
    await t.at(shanghai('2026-11-23 09:45'));
    await t.work('agent1', id, 'confirmRequest', {
      requestDecision: 'rejected',
      inServiceArea: false,
      warrantyStatus: 'unknown',
      chargeable: false,
      rejectReason: 'out_of_area',
    });

    expect((await t.instance(id)).status).toBe('completed');
    expect(endEventOf(await t.history(id))).toBe('endRejected');
    expect((await t.notifications(id)).map((n) => [n.template, n.payload.rejectReason])).toEqual([
      ['journey-rejected', 'out_of_area'],
    ]);
    expect((await t.slas(id)).map((s) => [s.elementId, s.status, s.businessMs])).toEqual([
      ['service-journey', 'met', 0.75 * HOUR],
      ['confirmRequest', 'met', 0.75 * HOUR],
    ]);
  });

  it('abandons the request when the customer sends no details within 3 days, the end-to-end clock paused meanwhile', async () => {
    const { id } = await t.start('agent1', 'service-journey', request);
    await t.at(shanghai('2026-11-23 10:00'));
    await t.work('agent1', id, 'confirmRequest', {
      requestDecision: 'needs_info',
      inServiceArea: false,
      warrantyStatus: 'unknown',
      chargeable: false,
      infoNeeded: 'Which room is the unit in, and is it wall-mounted?',
    });
    expect((await t.slas(id)).find((s) => s.elementId === 'service-journey')).toMatchObject({ status: 'paused' });

    await t.at(shanghai('2026-11-26 09:59'));
    expect((await t.instance(id)).activeElements).toEqual(['awaitDetails']);
    await t.at(shanghai('2026-11-26 10:00'));

    expect((await t.instance(id)).status).toBe('completed');
    expect(endEventOf(await t.history(id))).toBe('endAbandoned');
    expect((await t.notifications(id)).map((n) => [n.template, n.createdAt])).toEqual([
      ['journey-info-request', shanghai('2026-11-23 10:00')],
      ['journey-abandoned', shanghai('2026-11-26 10:00')],
    ]);
    expect((await t.slas(id)).find((s) => s.elementId === 'service-journey')).toMatchObject({
      status: 'met',
      businessMs: HOUR,
      pausedMs: 27 * HOUR,
    });
  });

  describe('details', () => {
    it('targets the end-to-end SLA at the segmented priority from the start (domain.md §4 rule 6)', async () => {
      const { id } = await t.start('agent1', 'service-journey', { ...request, serviceDown: true });

      expect((await t.instance(id)).variables.priority).toBe('urgent');
      expect((await t.slas(id)).find((s) => s.elementId === 'service-journey')).toMatchObject({
        target: 'P2D',
        dueAt: shanghai('2026-11-24 18:00'),
      });
    });

    it('gives the complaint a journey starts a complaintId to correlate its survey with', async () => {
      const { id } = await t.start('agent1', 'service-journey', request);
      await t.work('agent1', id, 'confirmRequest', accepted());
      await t.work('dispatcher1', id, 'schedule', slot('2026-11-25T09:00:00+08:00', '2026-11-25T12:00:00+08:00'));
      await t.at(shanghai('2026-11-25 10:00'));
      await t.work('engineer1', id, 'visit', { arrivedAt: '2026-11-25T09:10:00+08:00', visitOutcome: 'cannot_fix' });
      await t.work('supervisor1', id, 'supervisorReview', {
        supervisorDecision: 'complaint',
        note: 'The engineer cannot fix it: handle as a complaint.',
      });

      const complaint = await t.instance((await t.instance(id)).variables.startedInstanceId as string);
      expect(complaint.variables.complaintId).toMatch(/^CMP-\d{8}-\d{4}$/);
      expect(complaint.businessKey).toBe(complaint.variables.complaintId);
    });
  });
});
