// issue #12: /api/messages, /engine-rest/message, /v2/messages/publication and /correlation start instances at message start events
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chain, definitions, end, message, userTask } from '../helpers/bpmn-builder.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { messageStart } from '../helpers/event-builder.js';

const INTAKE = definitions(
  'Intake',
  [messageStart('FromWeb', 'Web'), userTask('Triage'), end('E'), ...chain('FromWeb', 'Triage', 'E')],
  [message('Web', 'complaint.submitted')],
);

describe('api/message start events', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp();
    await t.deploy(INTAKE);
  });
  afterEach(() => t.close());

  const count = async () => (await t.call('GET', '/api/instances?definitionKey=Intake')).json().items.length;

  it('POST /api/messages answers 201 with the started instance', async () => {
    const res = await t.call('POST', '/api/messages', { name: 'complaint.submitted', variables: { customer: 'C-1' } });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      started: true,
      buffered: false,
      instances: [{ definitionKey: 'Intake', activeElements: ['Triage'], variables: { customer: 'C-1' } }],
    });
  });

  it('POST /api/messages with the key of a running instance it started answers 202 buffered, and starts after it ends', async () => {
    const body = { name: 'complaint.submitted', correlationKey: 'C-5', timeToLive: 'PT1H' };
    const first = await t.call('POST', '/api/messages', body);
    expect(first.statusCode).toBe(201);
    const held = await t.call('POST', '/api/messages', body);
    expect(held.statusCode).toBe(202);
    expect(held.json()).toMatchObject({ buffered: true, instanceIds: [] });
    expect(await count()).toBe(1);
    const id = first.json().instances[0].id;
    expect((await t.call('POST', `/api/instances/${id}/cancel`)).statusCode).toBe(200);
    await t.engine.tick();
    expect(await count()).toBe(2);
  });

  it('a plain start of a process with only a message start answers 409 naming how it starts', async () => {
    const res = await t.call('POST', '/api/instances', { definitionKey: 'Intake' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({
      code: 'NO_NONE_START_EVENT',
      detail: expect.stringContaining('POST /api/messages'),
    });
    expect(res.json().detail).not.toContain('does not run');
  });

  it('POST /engine-rest/message starts with the business key and answers resultType ProcessDefinition', async () => {
    const res = await t.call('POST', '/engine-rest/message', {
      messageName: 'complaint.submitted',
      businessKey: 'BK-1',
      resultEnabled: true,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual([
      expect.objectContaining({
        resultType: 'ProcessDefinition',
        processInstance: expect.objectContaining({ businessKey: 'BK-1' }),
      }),
    ]);
    expect(await count()).toBe(1);
  });

  it('POST /v2/messages/publication and /v2/messages/correlation start instances', async () => {
    expect(
      (await t.call('POST', '/v2/messages/publication', { name: 'complaint.submitted', correlationKey: 'k' }))
        .statusCode,
    ).toBe(200);
    // the instance key 'k' started still runs: Camunda 8 starts no second one for that key
    const held = await t.call('POST', '/v2/messages/correlation', { name: 'complaint.submitted', correlationKey: 'k' });
    expect(held.statusCode).toBe(404);
    expect(held.json()).toMatchObject({ code: 'MESSAGE_NOT_CORRELATED' });
    const correlated = await t.call('POST', '/v2/messages/correlation', {
      name: 'complaint.submitted',
      correlationKey: 'k2',
    });
    expect(correlated.statusCode).toBe(200);
    expect(correlated.json().processInstanceKey).toMatch(/^\d+$/);
    expect(await count()).toBe(2);
  });
});
