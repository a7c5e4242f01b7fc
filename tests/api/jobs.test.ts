import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.js';
import { chargeProcess } from './models.js';

describe('api/jobs', () => {
  let t: TestApp;
  let instanceId: string;
  beforeEach(async () => {
    t = await testApp();
    await t.deploy(chargeProcess());
    instanceId = (
      await t.call('POST', '/api/instances', { definitionKey: 'Process_charge', variables: { amount: 42 } })
    ).json().id;
  });
  afterEach(async () => {
    await t.close();
  });

  const fetchJobs = async (workerId = 'worker-1') =>
    (
      await t.call('POST', '/api/jobs/fetch-and-lock', { workerId, types: ['charge-card'], lockDuration: 60_000 })
    ).json().items;

  it('locks a due job for a worker with its variables', async () => {
    const items = await fetchJobs();
    expect(items).toEqual([
      {
        id: expect.any(String),
        type: 'charge-card',
        instanceId,
        elementId: 'Task_charge',
        retries: 3,
        inputs: {},
        variables: { amount: 42 },
        lockedUntil: '2026-11-23T09:01:00.000Z',
        idempotencyKey: `${items[0].id}:3`,
      },
    ]);
    expect(await fetchJobs('worker-2')).toEqual([]);
  });

  it('completes a locked job (204) and moves the instance on', async () => {
    const [job] = await fetchJobs();
    const res = await t.call('POST', `/api/jobs/${job.id}/complete`, {
      workerId: 'worker-1',
      variables: { receipt: 'R-1' },
    });
    expect(res.statusCode).toBe(204);
    expect((await t.call('GET', `/api/instances/${instanceId}`)).json()).toMatchObject({
      status: 'completed',
      variables: { receipt: 'R-1' },
    });
  });

  it('refuses a job completed by a worker that did not lock it with JOB_NOT_LOCKED', async () => {
    const [job] = await fetchJobs();
    const res = await t.call('POST', `/api/jobs/${job.id}/complete`, { workerId: 'intruder' });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('JOB_NOT_LOCKED');
  });

  it('answers an unknown job with JOB_NOT_FOUND', async () => {
    const res = await t.call('POST', '/api/jobs/nope/complete', { workerId: 'worker-1' });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('JOB_NOT_FOUND');
  });

  it('runs the whole worker round trip: fail with backoff, incident, retry, complete', async () => {
    const [first] = await fetchJobs();
    const failed = await t.call('POST', `/api/jobs/${first.id}/fail`, {
      workerId: 'worker-1',
      message: 'gateway timeout',
      retryBackoff: 30_000,
    });
    expect(failed.statusCode).toBe(200);
    expect(failed.json()).toMatchObject({
      status: 'pending',
      retries: 2,
      due: '2026-11-23T09:00:30.000Z',
      errorMessage: 'gateway timeout',
    });
    expect(await fetchJobs()).toEqual([]);

    t.clock.advance(30_000);
    const [second] = await fetchJobs();
    expect(second.id).toBe(first.id);
    await t.call('POST', `/api/jobs/${second.id}/fail`, {
      workerId: 'worker-1',
      message: 'card service down',
      retries: 0,
    });
    const incidents = (await t.call('GET', `/api/incidents?instanceId=${instanceId}&status=open`)).json();
    expect(incidents).toMatchObject({
      total: 1,
      items: [{ elementId: 'Task_charge', code: 'JOB_FAILED', jobId: first.id, status: 'open' }],
    });
    expect((await t.call('GET', `/api/instances/${instanceId}`)).json().status).toBe('incident');

    const retried = await t.call('POST', `/api/incidents/${incidents.items[0].id}/retry`, { retries: 1 });
    expect(retried.statusCode).toBe(200);
    expect(retried.json()).toMatchObject({ status: 'resolved' });
    const [third] = await fetchJobs();
    expect(third).toMatchObject({ id: first.id, retries: 1 });
    await t.call('POST', `/api/jobs/${third.id}/complete`, { workerId: 'worker-1' });
    expect((await t.call('GET', `/api/instances/${instanceId}`)).json().status).toBe('completed');
  });

  it('lets a BPMN error from the worker be caught by the boundary event', async () => {
    const [job] = await fetchJobs();
    const res = await t.call('POST', `/api/jobs/${job.id}/bpmn-error`, {
      workerId: 'worker-1',
      errorCode: 'CARD_DECLINED',
      message: 'insufficient funds',
    });
    expect(res.statusCode).toBe(204);
    const history = (await t.call('GET', `/api/instances/${instanceId}/history`)).json().items;
    expect(history).toContainEqual(expect.objectContaining({ elementId: 'End_declined', event: 'element.entered' }));
    expect((await t.call('GET', `/api/instances/${instanceId}`)).json().status).toBe('completed');
  });

  it('lists jobs by instance, status and type', async () => {
    await fetchJobs();
    const res = await t.call('GET', `/api/jobs?instanceId=${instanceId}&status=locked&type=charge-card`);
    expect(res.json()).toMatchObject({
      total: 1,
      items: [{ type: 'charge-card', status: 'locked', workerId: 'worker-1' }],
    });
  });

  it('refuses fetch-and-lock without types', async () => {
    const res = await t.call('POST', '/api/jobs/fetch-and-lock', { workerId: 'worker-1', types: [] });
    expect(res.statusCode).toBe(400);
    expect(res.json().fields[0].name).toBe('body.types');
  });
});
