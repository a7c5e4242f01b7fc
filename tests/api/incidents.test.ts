import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.js';
import { chargeProcess } from './models.js';

describe('api/incidents', () => {
  let t: TestApp;
  let instanceId: string;
  beforeEach(async () => {
    t = await testApp();
    await t.deploy(chargeProcess());
    instanceId = (await t.call('POST', '/api/instances', { definitionKey: 'Process_charge' })).json().id;
    const [job] = (await t.call('POST', '/api/jobs/fetch-and-lock', { workerId: 'w', types: ['charge-card'] })).json()
      .items;
    await t.call('POST', `/api/jobs/${job.id}/fail`, { workerId: 'w', message: 'down', retries: 0 });
  });
  afterEach(async () => {
    await t.close();
  });

  it('lists open incidents by definition key', async () => {
    const res = await t.call('GET', '/api/incidents?definitionKey=Process_charge&status=open');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      total: 1,
      items: [{ instanceId, definitionKey: 'Process_charge', code: 'JOB_FAILED', resolvedAt: null }],
    });
  });

  it('retries with new variables and reactivates the instance', async () => {
    const [incident] = (await t.call('GET', `/api/incidents?instanceId=${instanceId}`)).json().items;
    const res = await t.call('POST', `/api/incidents/${incident.id}/retry`, { variables: { cardToken: 'tok-2' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: incident.id, status: 'resolved', resolvedAt: expect.any(String) });
    expect((await t.call('GET', `/api/instances/${instanceId}`)).json()).toMatchObject({
      status: 'active',
      variables: { cardToken: 'tok-2' },
    });
  });

  it('answers retrying a resolved incident with INCIDENT_NOT_FOUND', async () => {
    const [incident] = (await t.call('GET', `/api/incidents?instanceId=${instanceId}`)).json().items;
    await t.call('POST', `/api/incidents/${incident.id}/retry`, {});
    const res = await t.call('POST', `/api/incidents/${incident.id}/retry`, {});
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('INCIDENT_NOT_FOUND');
  });
});
