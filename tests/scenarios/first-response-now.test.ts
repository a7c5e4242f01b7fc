/**
 * Issue 14, "Working a case": the first-response form can be completed right after a case arrives. The time picker
 * has minute precision, so a contact "now" in the minute the complaint arrived (whose start has seconds) is valid;
 * before the arrival's minute or in the future it is not.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { referenceApp, type ReferenceApp } from '../helpers/reference-app.js';
import { PROCESSES_DIR } from '../helpers/reference-processes.js';

const intake = {
  channel: 'phone',
  customerId: 'C-1001',
  customerName: 'Li Wei',
  contactPhone: '13800138000',
  preferredContact: 'sms',
  customerTier: 'medium',
  category: 'service',
  description: 'The technician missed two appointments.',
  priority: 'general',
};
const response = (contactedAt: string) => ({
  responseChannel: 'phone',
  contactedAt,
  customerReached: true,
  category: 'service',
  priority: 'general',
  responseSummary: 'Called the customer and promised a plan by tomorrow.',
  resolvedAtFirstContact: false,
});

describe('scenarios/first response right after arrival', () => {
  let t: ReferenceApp;
  beforeAll(async () => {
    t = await referenceApp();
  });
  beforeEach(async () => {
    await t.reset('2026-11-23T02:05:37.000Z');
  });
  afterAll(async () => {
    await t.close();
  });

  it('offers minute steps in the time picker', () => {
    const form = JSON.parse(readFileSync(`${PROCESSES_DIR}/forms/complaint-first-response.form`, 'utf8')) as {
      components: Array<{ key?: string; timeInterval?: number }>;
    };
    expect(form.components.find((c) => c.key === 'contactedAt')?.timeInterval).toBe(1);
  });

  it('accepts a contact in the minute the complaint arrived, 20 seconds later, and refuses the minute before and the next minute', async () => {
    const { id } = await t.start('agent1', 'complaint-handling', intake);
    await t.advance(20_000);
    const agent = await t.user('agent1');
    const [task] = (await agent.tasks(id)).filter((x) => x.elementId === 'firstResponse');
    await agent.post(`/api/tasks/${task.id}/claim`, { userId: 'agent1' });
    for (const early of ['2026-11-23T10:04+08:00', '2026-11-23T10:06+08:00']) {
      const refused = await agent.call('POST', `/api/tasks/${task.id}/complete`, { variables: response(early) });
      expect(refused.json()).toMatchObject({
        code: 'FORM_INVALID',
        fields: [expect.objectContaining({ name: 'contactedAt' })],
      });
    }
    const done = await agent.call('POST', `/api/tasks/${task.id}/complete`, {
      variables: response('2026-11-23T10:05+08:00'),
    });
    expect(done.statusCode).toBe(200);
  });
});
