/** Issue #13: JUEL in a Camunda 7 model decides correctly, fails as an incident on a missing variable, and is refused at deploy when untranslatable. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.js';

const approval = (condition: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Definitions_1" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="Process_approval" isExecutable="true">
    <bpmn:startEvent id="Start_1"><bpmn:outgoing>Flow_1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:exclusiveGateway id="Gateway_approved" default="Flow_rejected"><bpmn:incoming>Flow_1</bpmn:incoming><bpmn:outgoing>Flow_approved</bpmn:outgoing><bpmn:outgoing>Flow_rejected</bpmn:outgoing></bpmn:exclusiveGateway>
    <bpmn:endEvent id="End_approved"><bpmn:incoming>Flow_approved</bpmn:incoming></bpmn:endEvent>
    <bpmn:endEvent id="End_rejected"><bpmn:incoming>Flow_rejected</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="Flow_1" sourceRef="Start_1" targetRef="Gateway_approved" />
    <bpmn:sequenceFlow id="Flow_approved" sourceRef="Gateway_approved" targetRef="End_approved"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${condition}</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="Flow_rejected" sourceRef="Gateway_approved" targetRef="End_rejected" />
  </bpmn:process>
</bpmn:definitions>`;

describe('api/camunda JUEL expressions', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp();
  });
  afterEach(async () => {
    await t.close();
  });

  const run = async (variables: Record<string, unknown>) => {
    const { id } = (await t.call('POST', '/api/instances', { definitionKey: 'Process_approval', variables })).json();
    return {
      instance: (await t.call('GET', `/api/instances/${id}`)).json(),
      history: (await t.call('GET', `/api/instances/${id}/history`))
        .json()
        .items.map((h: { elementId: string }) => h.elementId),
    };
  };

  it('decides on execution.getVariable(...) == true as Camunda 7 does', async () => {
    await t.deploy(approval("${execution.getVariable('approved') == true}"));
    expect((await run({ approved: true })).history).toContain('End_approved');
    expect((await run({ approved: false })).history).toContain('End_rejected');
  });

  it('raises an incident when the compared variable is missing, instead of taking the default flow', async () => {
    await t.deploy(approval("${execution.getVariable('approved') == true}"));
    const { instance, history } = await run({});
    expect(instance.status).toBe('incident');
    expect(history).not.toContain('End_rejected');
    const incidents = (await t.call('GET', `/api/incidents?instanceId=${instance.id}`)).json().items;
    expect(incidents).toEqual([
      expect.objectContaining({
        code: 'CONDITION_FAILED',
        elementId: 'Gateway_approved',
        message: expect.stringContaining('approved'),
      }),
    ]);
  });

  it('refuses at deploy a JUEL form it cannot translate, naming the flow and the expression', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/definitions',
      headers: { ...t.headers(), 'content-type': 'application/xml' },
      payload: approval("${execution.getProcessBusinessKey() == 'VIP'}"),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().problems).toContainEqual(
      expect.objectContaining({
        elementId: 'Flow_approved',
        message: expect.stringContaining('execution.getProcessBusinessKey()'),
      }),
    );
  });
});
