// issue 11 "Call activities": a called instance's incident is visible on every instance above it (Camunda 7's
// incident chain: cause and root cause), over /api, /engine-rest and /v2, and resolving the root clears the chain
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { boundary, chain, definitions, end, flow, serviceTask, start } from '../helpers/bpmn-builder.js';
import { callActivity8 } from '../helpers/call-builder.js';
import { testApp, type TestApp } from '../helpers/app.js';

const leaf = definitions('Leaf', [
  start('LS'),
  serviceTask('Send', 'notify-send'),
  end('LE'),
  ...chain('LS', 'Send', 'LE'),
]);
const middle = definitions('Middle', [
  start('MS'),
  callActivity8('CallLeaf', 'Leaf'),
  end('ME'),
  ...chain('MS', 'CallLeaf', 'ME'),
]);
const top = definitions('Top', [
  start('S'),
  callActivity8('Call', 'Middle'),
  end('E'),
  ...chain('S', 'Call', 'E'),
  boundary('Late', 'Call', { timer: ['duration', 'PT1H'] }),
  end('LateEnd'),
  flow('Late', 'LateEnd'),
]);

describe('api/call-incidents', () => {
  let t: TestApp;
  let ids: { top: string; middle: string; leaf: string };
  beforeEach(async () => {
    t = await testApp();
    for (const xml of [leaf, middle, top]) await t.deploy(xml);
    const topId = (await t.call('POST', '/api/instances', { definitionKey: 'Top' })).json().id as string;
    const childOf = async (id: string) =>
      (await t.call('GET', `/api/instances?parentInstanceId=${id}`)).json().items[0].id as string;
    const middleId = await childOf(topId);
    ids = { top: topId, middle: middleId, leaf: await childOf(middleId) };
  });
  afterEach(async () => {
    await t.close();
  });
  const failJob = async () => {
    const [job] = (await t.call('POST', '/api/jobs/fetch-and-lock', { workerId: 'w', types: ['notify-send'] })).json()
      .items;
    expect(
      (await t.call('POST', `/api/jobs/${job.id}/fail`, { workerId: 'w', message: 'smtp down', retries: 0 }))
        .statusCode,
    ).toBe(200);
  };
  const openIncidents = async (instanceId: string) =>
    (await t.call('GET', `/api/incidents?instanceId=${instanceId}&status=open`)).json().items as Array<
      Record<string, unknown>
    >;
  const statuses = async () =>
    Promise.all(
      [ids.top, ids.middle, ids.leaf].map(async (id) => (await t.call('GET', `/api/instances/${id}`)).json().status),
    );

  it('chains the leaf incident up to the top in /api, each naming its cause and the root cause', async () => {
    await failJob();
    const [root] = await openIncidents(ids.leaf);
    expect(root).toMatchObject({
      code: 'JOB_FAILED',
      elementId: 'Send',
      causeIncidentId: null,
      rootCauseIncidentId: null,
    });
    const [mid] = await openIncidents(ids.middle);
    expect(mid).toMatchObject({
      code: 'CALLED_INSTANCE_INCIDENT',
      elementId: 'CallLeaf',
      causeIncidentId: root.id,
      rootCauseIncidentId: root.id,
    });
    const [up] = await openIncidents(ids.top);
    expect(up).toMatchObject({
      code: 'CALLED_INSTANCE_INCIDENT',
      elementId: 'Call',
      causeIncidentId: mid.id,
      rootCauseIncidentId: root.id,
    });
    expect(up.message).toContain(ids.leaf);
    expect(up.message).toContain('smtp down');
    expect(await statuses()).toEqual(['incident', 'incident', 'incident']);
    const history = (await t.call('GET', `/api/instances/${ids.top}/history`)).json();
    const items = (history.items ?? history) as Array<{ event: string; elementId: string; details: unknown }>;
    expect(items).toContainEqual(
      expect.objectContaining({
        event: 'incident.raised',
        elementId: 'Call',
        details: expect.objectContaining({ calledInstanceId: ids.middle, rootCauseIncidentId: root.id }),
      }),
    );
  });

  it('retrying the top incident retries the root cause; the job done, the whole chain is resolved', async () => {
    await failJob();
    const [up] = await openIncidents(ids.top);
    const retried = await t.call('POST', `/api/incidents/${up.id}/retry`, {});
    expect(retried.statusCode).toBe(200);
    expect(retried.json()).toMatchObject({ id: up.id, status: 'resolved' });
    expect(await statuses()).toEqual(['active', 'active', 'active']);
    expect([...(await openIncidents(ids.top)), ...(await openIncidents(ids.middle))]).toEqual([]);
    // the job works again and the chain completes
    const [job] = (await t.call('POST', '/api/jobs/fetch-and-lock', { workerId: 'w', types: ['notify-send'] })).json()
      .items;
    expect((await t.call('POST', `/api/jobs/${job.id}/complete`, { workerId: 'w' })).statusCode).toBe(204);
    expect(await statuses()).toEqual(['completed', 'completed', 'completed']);
  });

  it('a boundary interrupting the call cancels the chain below and resolves its incidents', async () => {
    await failJob();
    t.clock.advance(3_600_000);
    await t.engine.tick();
    expect(await statuses()).toEqual(['completed', 'terminated', 'terminated']);
    expect((await t.call('GET', `/api/incidents?instanceId=${ids.top}&status=open`)).json().items).toEqual([]);
  });

  it('/engine-rest lists the chain incident on the parent with its cause and root cause', async () => {
    await failJob();
    const [root] = await openIncidents(ids.leaf);
    const [mid] = await openIncidents(ids.middle);
    const res = await t.call('GET', `/engine-rest/incident?processInstanceId=${ids.top}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual([
      expect.objectContaining({
        processInstanceId: ids.top,
        activityId: 'Call',
        incidentType: 'failedExternalTask',
        causeIncidentId: mid.id,
        rootCauseIncidentId: root.id,
      }),
    ]);
    const own = (await t.call('GET', `/engine-rest/incident?processInstanceId=${ids.leaf}`)).json();
    expect(own).toEqual([
      expect.objectContaining({ id: root.id, causeIncidentId: root.id, rootCauseIncidentId: root.id }),
    ]);
    // the type filter matches the type shown: the chained incident is the root's failedExternalTask
    const ofType = async (type: string) =>
      (await t.call('GET', `/engine-rest/incident?processInstanceId=${ids.top}&incidentType=${type}`)).json();
    expect(await ofType('failedExternalTask')).toEqual([expect.objectContaining({ causeIncidentId: mid.id })]);
    expect(await ofType('failedJob')).toEqual([]);
    const counted = await t.call('GET', `/engine-rest/incident/count?incidentType=failedExternalTask`);
    expect(counted.json()).toEqual({ count: 3 });
    const byId = await t.call('GET', `/engine-rest/incident?incidentId=${mid.id}&incidentType=failedJob`);
    expect(byId.json()).toEqual([]);
    const withIncident = (await t.call('GET', '/engine-rest/process-instance?withIncident=true')).json();
    expect(withIncident.map((i: { id: string }) => i.id).sort()).toEqual([ids.top, ids.middle, ids.leaf].sort());
  });

  it('/v2 shows the parent with an incident and lists only the incident of the instance it belongs to', async () => {
    await failJob();
    const topKey = await t.store.externalKeys.keyOf('instance', ids.top);
    const leafKey = await t.store.externalKeys.keyOf('instance', ids.leaf);
    const instance = await t.call('GET', `/v2/process-instances/${topKey}`);
    expect(instance.statusCode).toBe(200);
    expect(instance.json()).toMatchObject({ processInstanceKey: topKey, state: 'ACTIVE', hasIncident: true });
    const mine = await t.call('POST', '/v2/incidents/search', { filter: { processInstanceKey: topKey } });
    expect(mine.json().items).toEqual([]);
    const leafIncidents = await t.call('POST', '/v2/incidents/search', { filter: { processInstanceKey: leafKey } });
    expect(leafIncidents.json().items).toEqual([
      expect.objectContaining({ processInstanceKey: leafKey, elementId: 'Send', errorType: 'JOB_NO_RETRIES' }),
    ]);
    const resolved = await t.call('POST', `/v2/incidents/${leafIncidents.json().items[0].incidentKey}/resolution`, {});
    expect(resolved.statusCode).toBe(204);
    expect((await t.call('GET', `/v2/process-instances/${topKey}`)).json()).toMatchObject({ hasIncident: false });
  });
});
