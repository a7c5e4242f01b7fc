import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.js';
import { replyProcess } from './models.js';

describe('api/messages', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp();
    await t.deploy(replyProcess());
  });
  afterEach(async () => {
    await t.close();
  });

  const start = async (caseId: string) =>
    (await t.call('POST', '/api/instances', { definitionKey: 'Process_reply', variables: { caseId } })).json()
      .id as string;

  it('delivers a message to the instance waiting with that correlation key', async () => {
    await start('C-1');
    const waiting = await start('C-2');
    const res = await t.call('POST', '/api/messages', {
      name: 'customer.replied',
      correlationKey: 'C-2',
      variables: { answer: 'yes' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ instanceIds: [waiting], buffered: false, duplicate: false });
    expect((await t.call('GET', `/api/instances/${waiting}`)).json()).toMatchObject({
      status: 'completed',
      variables: { caseId: 'C-2', answer: 'yes' },
    });
  });

  it('answers a message nobody waits for and that may not wait (timeToLive PT0S) with MESSAGE_NOT_CORRELATED and its name and key', async () => {
    const res = await t.call('POST', '/api/messages', {
      name: 'customer.replied',
      correlationKey: 'C-9',
      timeToLive: 'PT0S',
    });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({
      code: 'MESSAGE_NOT_CORRELATED',
      messageName: 'customer.replied',
      correlationKey: 'C-9',
    });
  });

  it('refuses a message without a name', async () => {
    const res = await t.call('POST', '/api/messages', { correlationKey: 'C-1' });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('VALIDATION_FAILED');
  });
});
