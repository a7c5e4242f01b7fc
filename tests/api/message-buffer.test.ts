/** Issue 14, "Reaching the customer": messages are buffered for their time to live (Camunda 8), and a messageId makes publishing idempotent. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.js';
import { replyProcess } from './models.js';

const MINUTE = 60_000;

describe('api/messages buffered', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp();
    await t.deploy(replyProcess());
  });
  afterEach(async () => {
    await t.close();
  });

  const start = async (caseId: string) =>
    (await t.call('POST', '/api/instances', { definitionKey: 'Process_reply', variables: { caseId } })).json();
  const publish = (body: Record<string, unknown>) =>
    t.call('POST', '/api/messages', { name: 'customer.replied', ...body });

  it('keeps a message that arrives before its instance waits (202) and delivers it when the subscription opens', async () => {
    const early = await publish({ correlationKey: 'C-1', variables: { answer: 'early' } });
    expect(early.statusCode).toBe(202);
    expect(early.json()).toEqual({ instanceIds: [], buffered: true, duplicate: false });
    t.clock.advance(59 * MINUTE);
    const instance = await start('C-1');
    expect(instance).toMatchObject({ status: 'completed', variables: { caseId: 'C-1', answer: 'early' } });
    // delivered once: the next instance with that key waits
    expect(await start('C-1')).toMatchObject({ status: 'active', activeElements: ['Event_reply'] });
  });

  it('drops a buffered message when its time to live (default one hour) has passed', async () => {
    await publish({ correlationKey: 'C-2', variables: { answer: 'stale' } });
    await publish({ correlationKey: 'C-3', timeToLive: 'PT10M' });
    t.clock.advance(11 * MINUTE);
    expect(await start('C-3')).toMatchObject({ status: 'active' });
    t.clock.advance(50 * MINUTE);
    expect(await start('C-2')).toMatchObject({ status: 'active', activeElements: ['Event_reply'] });
  });

  it('delivers on the scheduler tick what a subscription opened elsewhere waits for', async () => {
    const waiting = await start('C-4');
    // as if another node buffered it just before the subscription opened
    await t.store.messages.insert({
      id: 'm-1',
      name: 'customer.replied',
      correlationKey: 'C-4',
      variables: { answer: 'late' },
      messageId: null,
      status: 'buffered',
      instanceId: null,
      publishedAt: t.clock.now().toISOString(),
      expiresAt: new Date(t.clock.now().getTime() + MINUTE).toISOString(),
      deliveredAt: null,
    });
    await t.engine.tick();
    expect((await t.call('GET', `/api/instances/${waiting.id}`)).json()).toMatchObject({
      status: 'completed',
      variables: { answer: 'late' },
    });
    await t.engine.tick();
  });

  it('acknowledges and ignores a second publish with the same messageId, delivered or buffered', async () => {
    const first = await start('C-5');
    const second = await start('C-5');
    const once = (
      await publish({ correlationKey: 'C-5', messageId: 'survey-77', variables: { answer: 'one' } })
    ).json();
    expect(once).toEqual({ instanceIds: [expect.any(String)], buffered: false, duplicate: false });
    const again = await publish({ correlationKey: 'C-5', messageId: 'survey-77', variables: { answer: 'two' } });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ instanceIds: [], buffered: false, duplicate: true });
    const other = once.instanceIds[0] === first.id ? second : first;
    expect((await t.call('GET', `/api/instances/${other.id}`)).json().status).toBe('active');

    expect((await publish({ correlationKey: 'C-6', messageId: 'survey-78' })).statusCode).toBe(202);
    expect((await publish({ correlationKey: 'C-6', messageId: 'survey-78' })).json()).toMatchObject({
      duplicate: true,
    });
    expect((await start('C-6')).status).toBe('completed');
    expect((await start('C-6')).status).toBe('active');
  });

  it('refuses a time to live that is not a duration in days to seconds', async () => {
    const res = await publish({ correlationKey: 'C-7', timeToLive: 'P1M' });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('VALIDATION_FAILED');
  });
});
