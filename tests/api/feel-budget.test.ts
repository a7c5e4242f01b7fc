/**
 * Issue 17, "No request can stall a node": FEEL evaluation has a budget. A runaway expression (a loop over a
 * range of 10^9, exponential recursion, a huge cartesian product) fails its step into an incident naming the
 * element and the expression within the budget, on every entry point, and the node keeps answering.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_FEEL_BUDGET_MS, installFeelBudget } from '../../engine/runtime/index.js';
import { testApp, type TestApp } from '../helpers/app.js';
import {
  chain,
  definitions,
  end,
  flow,
  gateway,
  scriptTask,
  serviceTask,
  start,
  userTask,
} from '../helpers/bpmn-builder.js';

// a wall-clock limit: wide enough that fib(12) stays within it on a loaded two-core machine
const BUDGET_MS = 500;
// generous: what matters is that the answer comes in about one budget, not after the 10^9 iterations (hours)
const ANSWER_WITHIN_MS = 20 * BUDGET_MS;

const LOOP = 'count(for i in 1..n return i)';
const FIB = '{fib: function(k) if k < 2 then k else fib(k - 1) + fib(k - 2), r: fib(n)}.r';
// fib(12) = 144 > 100 in a few hundred calls; fib(60) would take years
const PRODUCT = 'count(for a in 1..n, b in 1..n return a)';

const scriptModel = definitions('budget_script', [
  start('S'),
  scriptTask('Task_count', LOOP, 'counted'),
  userTask('Task_after'),
  end('E'),
  ...chain('S', 'Task_count', 'Task_after', 'E'),
]);
const gatewayModel = definitions('budget_gateway', [
  start('S'),
  gateway('exclusive', 'Gateway_fib', 'Flow_small'),
  userTask('Task_big'),
  userTask('Task_small'),
  end('E1'),
  end('E2'),
  flow('S', 'Gateway_fib'),
  flow('Gateway_fib', 'Task_big', `${FIB} > 100`, 'Flow_big'),
  flow('Gateway_fib', 'Task_small', undefined, 'Flow_small'),
  ...chain('Task_big', 'E1'),
  ...chain('Task_small', 'E2'),
]);
const mappingModel = definitions('budget_mapping', [
  start('S'),
  serviceTask(
    'Task_call',
    'crm.lookup',
    `<zeebe:ioMapping><zeebe:input source="=${PRODUCT}" target="pairs" /></zeebe:ioMapping>`,
  ),
  end('E'),
  ...chain('S', 'Task_call', 'E'),
]);

describe('api/feel-budget', () => {
  let t: TestApp;
  beforeAll(() => installFeelBudget(BUDGET_MS));
  afterAll(() => installFeelBudget(DEFAULT_FEEL_BUDGET_MS));
  beforeEach(async () => {
    t = await testApp();
    installFeelBudget(BUDGET_MS); // the engine installs its own (default) budget when built
    await t.deploy(scriptModel);
    await t.deploy(gatewayModel);
    await t.deploy(mappingModel);
  });
  afterEach(async () => {
    await t.close();
  });

  it('fails a script looping over 1..10^9 into an incident at the script task, within the budget', async () => {
    // when
    const started = performance.now();
    const res = await t.call('POST', '/api/instances', {
      definitionKey: 'budget_script',
      variables: { n: 1_000_000_000 },
    });
    const took = performance.now() - started;

    // then
    expect(res.statusCode).toBe(201);
    expect(took).toBeLessThan(ANSWER_WITHIN_MS);
    const incident = await onlyIncident(res.json().id);
    expect(incident).toMatchObject({ elementId: 'Task_count', code: 'EXPRESSION_FAILED' });
    expect(incident.message).toContain(`FEEL evaluation budget of ${BUDGET_MS} ms`);
    expect(incident.message).toContain(LOOP);
    expect((await t.call('GET', `/api/instances/${res.json().id}`)).json()).toMatchObject({
      activeElements: ['Task_count'],
    });
  });

  it('runs the same script again after a retry with a bound that fits the budget', async () => {
    // given
    const id = (
      await t.call('POST', '/api/instances', { definitionKey: 'budget_script', variables: { n: 1_000_000_000 } })
    ).json().id;
    const incident = await onlyIncident(id);

    // when
    const retry = await t.call('POST', `/api/incidents/${incident.id}/retry`, { variables: { n: 50 } });

    // then
    expect(retry.statusCode).toBe(200);
    expect((await t.call('GET', `/api/instances/${id}`)).json()).toMatchObject({
      activeElements: ['Task_after'],
      variables: { counted: 50 },
    });
  });

  it('fails an exponential recursion in a gateway condition into a CONDITION_FAILED incident naming the gateway', async () => {
    // when
    const started = performance.now();
    const res = await t.call('POST', '/api/instances', { definitionKey: 'budget_gateway', variables: { n: 60 } });

    // then: the default flow is not taken silently
    expect(performance.now() - started).toBeLessThan(ANSWER_WITHIN_MS);
    const incident = await onlyIncident(res.json().id);
    expect(incident).toMatchObject({ elementId: 'Gateway_fib', code: 'CONDITION_FAILED' });
    expect(incident.message).toContain('FEEL evaluation budget');
    const open = (await t.call('GET', `/api/tasks?instanceId=${res.json().id}`)).json().items;
    expect(open).toEqual([]);
  });

  it('decides the same gateway normally when the recursion is small', async () => {
    const res = await t.call('POST', '/api/instances', { definitionKey: 'budget_gateway', variables: { n: 12 } });
    expect((await t.call('GET', `/api/instances/${res.json().id}`)).json()).toMatchObject({
      activeElements: ['Task_big'],
    });
  });

  it('fails an input mapping over a 10^5 × 10^5 product into an incident at the service task, and creates no job', async () => {
    const res = await t.call('POST', '/api/instances', { definitionKey: 'budget_mapping', variables: { n: 100_000 } });
    const incident = await onlyIncident(res.json().id);
    expect(incident).toMatchObject({ elementId: 'Task_call', code: 'EXPRESSION_FAILED' });
    expect(incident.message).toContain('FEEL evaluation budget');
    const jobs = (await t.call('POST', '/api/jobs/fetch-and-lock', { workerId: 'w', types: ['crm.lookup'] })).json()
      .items;
    expect(jobs).toEqual([]);
  });

  it('holds on /engine-rest starts too', async () => {
    const res = await t.call('POST', '/engine-rest/process-definition/key/budget_script/start', {
      variables: { n: { value: 1_000_000_000, type: 'Long' } },
    });
    expect(res.statusCode).toBe(200);
    const incident = await onlyIncident(res.json().id);
    expect(incident).toMatchObject({ elementId: 'Task_count', code: 'EXPRESSION_FAILED' });
  });

  it('keeps answering other requests while hostile starts come in', async () => {
    // when: five hostile starts and health checks are sent at once
    const started = performance.now();
    const hostile = Array.from({ length: 5 }, () =>
      t.call('POST', '/api/instances', { definitionKey: 'budget_script', variables: { n: 1_000_000_000 } }),
    );
    const health = Array.from({ length: 5 }, () => t.app.inject({ method: 'GET', url: '/health' }));
    const answers = await Promise.all([...hostile, ...health]);

    // then: every one is answered, all of them in a few budgets
    expect(answers.map((a) => a.statusCode)).toEqual([201, 201, 201, 201, 201, 200, 200, 200, 200, 200]);
    expect(performance.now() - started).toBeLessThan(5 * ANSWER_WITHIN_MS);
  });

  async function onlyIncident(
    instanceId: string,
  ): Promise<{ id: string; elementId: string; code: string; message: string }> {
    const items = (await t.call('GET', `/api/incidents?instanceId=${instanceId}`)).json().items;
    expect(items).toHaveLength(1);
    return items[0];
  }
});
