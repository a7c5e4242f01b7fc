// issue 12: an incident raised at one trigger of a multiple event names the BPMN event in /api, /engine-rest and
// /v2 (not the compiler-made element standing for the trigger), and its retry arms that trigger again
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { definitions, end, flow, message, start, userTask } from '../helpers/bpmn-builder.js';
import { testApp, type TestApp } from '../helpers/app.js';

const XSI = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';
const TIMER = `<bpmn:timerEventDefinition><bpmn:timeDuration xsi:type="bpmn:tFormalExpression" ${XSI}>=wait</bpmn:timeDuration></bpmn:timerEventDefinition>`;
const xml = definitions(
  'waitBoth',
  [
    start('S'),
    `<bpmn:intermediateCatchEvent id="W">${TIMER}<bpmn:messageEventDefinition messageRef="Msg" /></bpmn:intermediateCatchEvent>`,
    userTask('After'),
    end('E'),
    flow('S', 'W'),
    flow('W', 'After'),
    flow('After', 'E'),
  ],
  [message('Msg', 'customer.reply', '=caseId')],
);

describe('api/multiple-event incidents', () => {
  let t: TestApp;
  let instanceId: string;
  beforeEach(async () => {
    t = await testApp();
    await t.deploy(xml);
    instanceId = (
      await t.call('POST', '/api/instances', { definitionKey: 'waitBoth', variables: { caseId: 'A' } })
    ).json().id;
  });
  afterEach(async () => {
    await t.close();
  });

  it('names the event W in every incident list, and its retry arms the trigger again', async () => {
    const incidents = (await t.call('GET', `/api/incidents?instanceId=${instanceId}&status=open`)).json().items;
    expect(incidents).toEqual([expect.objectContaining({ elementId: 'W', code: 'EXPRESSION_FAILED' })]);
    const [incident] = incidents;
    expect((await t.call('GET', `/engine-rest/incident?processInstanceId=${instanceId}`)).json()).toEqual([
      expect.objectContaining({ id: incident.id, activityId: 'W', failedActivityId: 'W' }),
    ]);
    expect((await t.call('GET', `/engine-rest/incident?activityId=W`)).json()).toHaveLength(1);
    const key = await t.store.externalKeys.keyOf('instance', instanceId);
    const v2 = await t.call('POST', '/v2/incidents/search', { filter: { processInstanceKey: key } });
    expect(v2.json().items).toEqual([expect.objectContaining({ elementId: 'W' })]);

    // the store row keeps the trigger the machine raised it at, which a retry is routed by
    expect((await t.store.incidents.get(incident.id))?.triggerId).toBe('W__1');

    // retrying with the missing variable arms the timer trigger again; it fires when due
    const retried = await t.call('POST', `/api/incidents/${incident.id}/retry`, { variables: { wait: 'PT1H' } });
    expect(retried.statusCode).toBe(200);
    expect(retried.json()).toMatchObject({ status: 'resolved', elementId: 'W' });
    expect((await t.call('GET', `/api/instances/${instanceId}`)).json()).toMatchObject({
      status: 'active',
      activeElements: ['W'],
      variables: { caseId: 'A', wait: 'PT1H' },
    });
    t.clock.advance(60 * 60_000);
    await t.engine.tick();
    expect((await t.call('GET', `/api/instances/${instanceId}`)).json().activeElements).toEqual(['After']);
  });

  it('a timer after an event-based gateway whose expression failed is armed again by the retry', async () => {
    await t.deploy(
      definitions(
        'gatewayWait',
        [
          start('S'),
          '<bpmn:eventBasedGateway id="G" />',
          `<bpmn:intermediateCatchEvent id="T">${TIMER}</bpmn:intermediateCatchEvent>`,
          '<bpmn:intermediateCatchEvent id="M"><bpmn:messageEventDefinition messageRef="Msg" /></bpmn:intermediateCatchEvent>',
          userTask('After'),
          end('E'),
          end('E2'),
          flow('S', 'G'),
          flow('G', 'T'),
          flow('G', 'M'),
          flow('T', 'After'),
          flow('M', 'E2'),
          flow('After', 'E'),
        ],
        [message('Msg', 'customer.reply', '=caseId')],
      ),
    );
    const id = (
      await t.call('POST', '/api/instances', { definitionKey: 'gatewayWait', variables: { caseId: 'B' } })
    ).json().id;
    const [incident] = (await t.call('GET', `/api/incidents?instanceId=${id}&status=open`)).json().items;
    expect(incident).toMatchObject({ elementId: 'T', code: 'EXPRESSION_FAILED' });
    const retried = await t.call('POST', `/api/incidents/${incident.id}/retry`, { variables: { wait: 'PT2H' } });
    expect(retried.json()).toMatchObject({ status: 'resolved' });
    t.clock.advance(2 * 60 * 60_000);
    await t.engine.tick();
    expect((await t.call('GET', `/api/instances/${id}`)).json()).toMatchObject({
      status: 'active',
      activeElements: ['After'],
    });
  });
});
