// issue #12: /api/signals, /engine-rest/signal and /v2/signals/broadcast go through the engine's one fan-out
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chain, definitions, end, start, userTask } from '../helpers/bpmn-builder.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { signal, signalCatch, signalStart } from '../helpers/event-builder.js';

const WAITER = definitions(
  'Waiter',
  [start('S'), signalCatch('Wait', 'Sig'), userTask('After'), end('E'), ...chain('S', 'Wait', 'After', 'E')],
  [signal('Sig', 'outage')],
);
const REVIEW = definitions(
  'Review',
  [signalStart('OnOutage', 'Sig'), userTask('Assess'), end('E'), ...chain('OnOutage', 'Assess', 'E')],
  [signal('Sig', 'outage')],
);

describe('api/signals', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp();
    await t.deploy(WAITER);
    await t.deploy(REVIEW);
  });
  afterEach(() => t.close());

  async function waiting(): Promise<string> {
    const res = await t.call('POST', '/api/instances', { definitionKey: 'Waiter' });
    expect(res.statusCode).toBe(201);
    return res.json().id;
  }

  it('POST /api/signals reaches the waiting instance, starts the signal start process and answers with both', async () => {
    const id = await waiting();
    const res = await t.call('POST', '/api/signals', { name: 'outage', variables: { region: 'north' } });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ deliveredInstanceIds: [id], complete: true });
    expect(body.startedInstanceIds).toHaveLength(1);
    expect((await t.call('GET', `/api/instances/${id}`)).json()).toMatchObject({
      activeElements: ['After'],
      variables: { region: 'north' },
    });
    expect((await t.call('GET', `/api/instances/${body.startedInstanceIds[0]}`)).json()).toMatchObject({
      definitionKey: 'Review',
      activeElements: ['Assess'],
    });
  });

  it('refuses a signal without a name and unknown fields', async () => {
    const missing = await t.call('POST', '/api/signals', {});
    expect(missing.statusCode).toBe(400);
    expect(missing.json().code).toMatch(/^[A-Z_]+$/);
    expect((await t.call('POST', '/api/signals', { name: 'outage', all: true })).statusCode).toBe(400);
  });

  it('POST /engine-rest/signal broadcasts with typed variables and answers 204', async () => {
    const id = await waiting();
    const res = await t.call('POST', '/engine-rest/signal', {
      name: 'outage',
      variables: { region: { value: 'east', type: 'String' } },
    });
    expect(res.statusCode).toBe(204);
    expect((await t.call('GET', `/api/instances/${id}`)).json()).toMatchObject({
      activeElements: ['After'],
      variables: { region: 'east' },
    });
    expect((await t.call('GET', '/api/instances?definitionKey=Review')).json().items).toHaveLength(1);
    expect((await t.call('POST', '/engine-rest/signal', { name: 'outage', executionId: 'x' })).statusCode).toBe(400);
  });

  it('POST /v2/signals/broadcast broadcasts and answers a signal key', async () => {
    const id = await waiting();
    const res = await t.call('POST', '/v2/signals/broadcast', { signalName: 'outage', variables: { region: 'west' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ signalKey: expect.stringMatching(/^\d+$/), tenantId: '<default>' });
    expect((await t.call('GET', `/api/instances/${id}`)).json()).toMatchObject({
      activeElements: ['After'],
      variables: { region: 'west' },
    });
  });
});
