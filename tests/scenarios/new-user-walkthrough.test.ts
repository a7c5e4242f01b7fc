/**
 * Issue 5, "tried as a new user would": the engine as `npm start` wires it, every demo user signs in with the
 * published password, and one complaint goes from intake to closed through the API only, while each user sees
 * exactly the tasks their role should.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endEventOf, referenceApp, shanghai, type ReferenceApp } from '../helpers/reference-app.js';
import { REFERENCE_CONFIG } from '../helpers/reference-config.js';

const DEMO_USERS = REFERENCE_CONFIG.identity.demoUsers;

const EVERYONE = DEMO_USERS.map((u) => u.username);
/** The users who see every open task: the process owner and the service manager (an all-seeing group). */
const OVERSEERS = ['owner1', 'manager1'];

describe('scenarios/new user walkthrough', () => {
  let t: ReferenceApp;
  let id: string;
  beforeAll(async () => {
    t = await referenceApp();
  });
  afterAll(async () => {
    expect(t.problems).toEqual([]);
    await t.close();
  });

  /** Every demo user's view of the complaint: those named see its one open task at the element, all others nothing. */
  const onlyTheseSee = async (elementId: string | null, users: string[]) => {
    const expected = Object.fromEntries(
      EVERYONE.map((u) => [u, elementId && [...users, ...OVERSEERS].includes(u) ? [elementId] : []]),
    );
    expect(await t.board(id, EVERYONE)).toEqual(expected);
  };

  it('signs in all 13 demo users with the password demo, each with their role and groups', async () => {
    expect(EVERYONE).toHaveLength(13);
    for (const demo of DEMO_USERS) {
      const me = await (await t.user(demo.username)).get('/api/me');
      expect(me).toMatchObject({
        username: demo.username,
        roles: demo.roles,
        groups: expect.arrayContaining(demo.groups),
      });
      expect(await (await t.user(demo.username)).tasks()).toEqual([]);
    }
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'agent1', password: 'not-demo' },
    });
    expect(wrong.statusCode).toBe(401);
  });

  it('shows a new agent the four shipped processes and the intake form', async () => {
    const agent = await t.user('agent1');
    const definitions = await agent.get('/api/definitions');
    expect(definitions.items.map((d: { key: string }) => d.key).sort()).toEqual([
      'complaint-handling',
      'risk-portfolio-review',
      'risk-response',
      'service-journey',
    ]);
    expect(await agent.get('/api/definitions/complaint-handling:1')).toMatchObject({
      startFormKey: 'complaint-intake',
    });
    const form = await agent.get('/api/forms/complaint-intake');
    expect(JSON.stringify(form)).toContain('"key":"customerName"');
  });

  it('walks one complaint from intake to closed, each user seeing exactly their tasks', async () => {
    ({ id } = await t.start('agent1', 'complaint-handling', {
      complaintId: 'CMP-20261123-0042',
      channel: 'phone',
      customerId: 'C-3001',
      customerName: 'Zhao Min',
      contactPhone: '13700137000',
      preferredContact: 'phone',
      customerTier: 'medium',
      category: 'delivery',
      description: 'The parcel was left outside in the rain.',
      priority: 'general',
      safetyOrLegalRisk: false,
      isRepeat: false,
    }));
    await onlyTheseSee('firstResponse', ['agent1', 'supervisor1']);

    // agent1 takes it; nobody else may complete or even read it unless their group is offered it
    await t.at(shanghai('2026-11-23 09:20'));
    const [first] = await (await t.user('agent1')).tasks(id);
    await (await t.user('agent1')).post(`/api/tasks/${first.id}/claim`, { userId: 'agent1' });
    expect((await (await t.user('logistics1')).call('GET', `/api/tasks/${first.id}`)).statusCode).toBe(403);
    expect(
      (
        await (
          await t.user('agent1')
        ).call('POST', `/api/tasks/${first.id}/complete`, { variables: { responseChannel: 'phone' } })
      ).json(),
    ).toMatchObject({ code: 'FORM_INVALID' });
    await t.work('agent1', id, 'firstResponse', {
      responseChannel: 'phone',
      contactedAt: '2026-11-23T09:15:00+08:00',
      customerReached: true,
      category: 'delivery',
      priority: 'general',
      responseSummary: 'Apologised; logistics will check the courier and call back.',
      resolvedAtFirstContact: false,
    });
    await onlyTheseSee('investigate', ['logistics1', 'supervisor1']);

    await t.at(shanghai('2026-11-23 14:00'));
    await t.work('logistics1', id, 'investigate', {
      findings: 'The courier skipped the signature step.',
      outcome: 'resolved',
      rootCause: 'supplier',
      remedyType: 'voucher',
      compensationAmount: 50,
      resolutionSummary: 'We sent a 50 yuan voucher and briefed the courier company.',
      riskFlag: false,
    });
    await onlyTheseSee('communicate', ['agent1', 'supervisor1']);

    await t.at(shanghai('2026-11-23 15:00'));
    await t.work('agent1', id, 'communicate', {
      communicatedAt: '2026-11-23T14:55:00+08:00',
      communicationChannel: 'phone',
      customerResponse: 'accepted',
    });
    await onlyTheseSee(null, []);

    await t.at(shanghai('2026-11-24 09:00'));
    await t.message('complaint-survey-response', 'CMP-20261123-0042', {
      satisfactionScore: 4,
      surveyComment: 'Quick and polite.',
    });

    const closed = await (await t.user('agent1')).get(`/api/instances/${id}`);
    expect(closed).toMatchObject({
      status: 'completed',
      variables: expect.objectContaining({ surveyOutcome: 'satisfied', resolverGroup: 'logistics' }),
    });
    expect(endEventOf(await t.history(id))).toBe('endClosed');
    await onlyTheseSee(null, []);
    // who did what is in the audit history
    expect((await t.history(id)).filter((h) => h.event === 'task.completed').map((h) => [h.elementId, h.by])).toEqual([
      ['firstResponse', 'agent1'],
      ['investigate', 'logistics1'],
      ['communicate', 'agent1'],
    ]);
    // staff who never touched it cannot open it; staff read no SLA dashboard; supervisors do
    expect((await (await t.user('engineer1')).call('GET', `/api/instances/${id}`)).statusCode).toBe(403);
    expect((await (await t.user('agent1')).call('GET', `/api/sla?instanceId=${id}`)).statusCode).toBe(403);
    expect(
      (await (await t.user('supervisor1')).get(`/api/sla?instanceId=${id}`)).items
        .map((s: { elementId: string; status: string }) => [s.elementId, s.status])
        .sort(),
    ).toEqual([
      ['complaint-handling', 'met'],
      ['firstResponse', 'met'],
      ['resolve', 'met'],
    ]);
    expect((await t.notifications(id)).map((n) => n.template ?? n.kind)).toEqual([
      'complaint-ack',
      'crm.update',
      'csat-complaint',
    ]);
  });
});
