/**
 * Issue 17, "Supervisor scoping applies to every resource": /engine-rest's external-task routes that supervisors
 * may call (query, read, set retries) are scoped by the same rule as /api/jobs — another group's supervisor neither
 * sees the job nor retries it; a supervisor of the group and workers do.
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

describe('api/security: /engine-rest external-task scoping', () => {
  let t: TestApp;
  let own: Caller;
  let other: Caller;
  let worker: Caller;
  let instanceId: string;
  let jobId: string;
  beforeEach(async () => {
    t = await testApp();
    await t.deploy(MODEL);
    own = await t.as({ username: 'sup-complaints', roles: ['supervisor'], groups: ['complaints'] });
    other = await t.as({ username: 'sup-billing', roles: ['supervisor'], groups: ['billing'] });
    worker = await t.as({ username: 'charger', roles: ['worker'] });
    instanceId = (await t.call('POST', '/api/instances', { definitionKey: 'scoped' })).json().id;
    jobId = (await t.call('GET', `/api/jobs?instanceId=${instanceId}`)).json().items[0].id;
  });
  afterEach(async () => {
    await t.close();
  });

  it("lists and reads the job for the group's supervisor and workers, not for another group's supervisor", async () => {
    const ids = async (caller: Caller, query: string) =>
      ((await caller.call('GET', `/engine-rest/external-task${query}`)).json() as Array<{ id: string }>).map(
        (j) => j.id,
      );
    expect(await ids(own, '')).toEqual([jobId]);
    expect(await ids(worker, '')).toEqual([jobId]);
    expect(await ids(other, '')).toEqual([]);
    expect(await ids(other, `?externalTaskId=${jobId}`)).toEqual([]);
    expect(await ids(other, `?processInstanceId=${instanceId}`)).toEqual([]);
    expect((await own.call('GET', `/engine-rest/external-task/${jobId}`)).statusCode).toBe(200);
    expect((await other.call('GET', `/engine-rest/external-task/${jobId}`)).statusCode).toBe(403);
  });

  it("refuses another group's supervisor setting retries, and lets the group's own resolve the incident so", async () => {
    const [locked] = (
      await worker.call('POST', '/api/jobs/fetch-and-lock', { workerId: 'w', types: ['charge-card'] })
    ).json().items;
    await worker.call('POST', `/api/jobs/${locked.id}/fail`, { workerId: 'w', message: 'card declined', retries: 0 });
    expect((await other.call('PUT', `/engine-rest/external-task/${jobId}/retries`, { retries: 2 })).statusCode).toBe(
      403,
    );
    expect((await t.call('GET', `/api/incidents?instanceId=${instanceId}&status=open`)).json().items).toHaveLength(1);
    expect((await own.call('PUT', `/engine-rest/external-task/${jobId}/retries`, { retries: 2 })).statusCode).toBe(204);
    expect((await t.call('GET', `/api/incidents?instanceId=${instanceId}&status=open`)).json().items).toEqual([]);
  });
});
