/**
 * Issue 17, "Supervisor scoping applies to every resource": the Camunda 8 door (/v2) scopes incidents (search and
 * resolution) and instance cancellation by the same rule as /api — a supervisor of another group neither sees nor
 * acts on the instance, one of its own group does.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testApp, type Caller, type TestApp } from '../../helpers/app.js';
import { definitions, end, flow, gateway, serviceTask, start, userTask } from '../../helpers/bpmn-builder.js';

const MODEL = definitions('scoped', [
  start('S'),
  gateway('parallel', 'Split'),
  userTask('Task_review', { groups: 'complaints' }),
  serviceTask('Task_charge', 'charge-card'),
  gateway('parallel', 'Join'),
  end('E'),
  flow('S', 'Split'),
  flow('Split', 'Task_review'),
  flow('Split', 'Task_charge'),
  flow('Task_review', 'Join'),
  flow('Task_charge', 'Join'),
  flow('Join', 'E'),
]);

describe('api/security: /v2 scoping', () => {
  let t: TestApp;
  let own: Caller;
  let other: Caller;
  let instanceId: string;
  beforeEach(async () => {
    t = await testApp();
    await t.deploy(MODEL);
    own = await t.as({ username: 'sup-complaints', roles: ['supervisor'], groups: ['complaints'] });
    other = await t.as({ username: 'sup-billing', roles: ['supervisor'], groups: ['billing'] });
    instanceId = (await t.call('POST', '/api/instances', { definitionKey: 'scoped' })).json().id;
    const [job] = (await t.call('POST', '/api/jobs/fetch-and-lock', { workerId: 'w', types: ['charge-card'] })).json()
      .items;
    await t.call('POST', `/api/jobs/${job.id}/fail`, { workerId: 'w', message: 'card declined', retries: 0 });
  });
  afterEach(async () => {
    await t.close();
  });

  const instanceKey = () => t.store.externalKeys.keyOf('instance', instanceId);

  it('lists the incident to a supervisor of the group, not to one of another group', async () => {
    const search = { filter: { processInstanceKey: await instanceKey() } };
    expect((await own.call('POST', '/v2/incidents/search', search)).json().items).toHaveLength(1);
    expect((await other.call('POST', '/v2/incidents/search', search)).json().items).toEqual([]);
    expect((await other.call('POST', '/v2/incidents/search', {})).json().items).toEqual([]);
  });

  it("refuses another group's supervisor resolving the incident, and lets the group's own do it", async () => {
    const [incident] = (await t.call('GET', `/api/incidents?instanceId=${instanceId}`)).json().items;
    const key = await t.store.externalKeys.keyOf('incident', incident.id);
    expect((await other.call('POST', `/v2/incidents/${key}/resolution`)).statusCode).toBe(403);
    expect((await t.call('GET', `/api/incidents?instanceId=${instanceId}&status=open`)).json().items).toHaveLength(1);
    expect((await own.call('POST', `/v2/incidents/${key}/resolution`)).statusCode).toBe(204);
    expect((await t.call('GET', `/api/incidents?instanceId=${instanceId}&status=open`)).json().items).toEqual([]);
  });

  it("refuses another group's supervisor cancelling the instance, and lets the group's own do it", async () => {
    expect((await other.call('POST', `/v2/process-instances/${await instanceKey()}/cancellation`)).statusCode).toBe(
      403,
    );
    expect((await t.call('GET', `/api/instances/${instanceId}`)).json().status).not.toBe('terminated');
    expect((await own.call('POST', `/v2/process-instances/${await instanceKey()}/cancellation`)).statusCode).toBe(204);
    expect((await t.call('GET', `/api/instances/${instanceId}`)).json().status).toBe('terminated');
  });
});
