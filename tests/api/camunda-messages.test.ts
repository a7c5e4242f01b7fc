/**
 * Issue #13: POST /engine-rest/message selects executions as Camunda 7 does: by business key, process
 * instance id, process variables (correlationKeys) and local variables; a name-only correlation that
 * matches several waiting instances is refused, not delivered to the oldest.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.js';

/** As Camunda Modeler (Camunda 7) writes it: a message catch event, no correlation key in the model. */
const REPLY = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Definitions_1" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="Process_reply" isExecutable="true">
    <bpmn:startEvent id="Start_case"><bpmn:outgoing>Flow_1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:intermediateCatchEvent id="Event_reply"><bpmn:incoming>Flow_1</bpmn:incoming><bpmn:outgoing>Flow_2</bpmn:outgoing><bpmn:messageEventDefinition messageRef="Message_reply" /></bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="End_replied"><bpmn:incoming>Flow_2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="Flow_1" sourceRef="Start_case" targetRef="Event_reply" />
    <bpmn:sequenceFlow id="Flow_2" sourceRef="Event_reply" targetRef="End_replied" />
  </bpmn:process>
  <bpmn:message id="Message_reply" name="customer.replied" />
</bpmn:definitions>`;

describe('api/camunda messages', () => {
  let t: TestApp;
  let ids: Record<string, string>;

  beforeEach(async () => {
    t = await testApp();
    await t.deploy(REPLY);
    ids = {};
    for (const [businessKey, region] of [
      ['CASE-1', 'north'],
      ['CASE-2', 'south'],
      ['CASE-3', 'south'],
    ]) {
      const res = await t.call('POST', '/engine-rest/process-definition/key/Process_reply/start', {
        businessKey,
        variables: { region: { value: region, type: 'String' } },
      });
      ids[businessKey] = res.json().id;
    }
  });
  afterEach(async () => {
    await t.close();
  });

  const correlate = (body: Record<string, unknown>) =>
    t.call('POST', '/engine-rest/message', { messageName: 'customer.replied', ...body });
  const statuses = async () =>
    Object.fromEntries(
      await Promise.all(
        Object.entries(ids).map(async ([key, id]) => [
          key,
          (await t.call('GET', `/api/instances/${id}`)).json().status,
        ]),
      ),
    );

  it('selects the instance by its business key, not by a correlation key', async () => {
    const res = await correlate({
      businessKey: 'CASE-2',
      processVariables: { answer: { value: 'yes', type: 'String' } },
    });
    expect(res.statusCode).toBe(204);
    expect(await statuses()).toEqual({ 'CASE-1': 'active', 'CASE-2': 'completed', 'CASE-3': 'active' });
    expect((await t.call('GET', `/api/instances/${ids['CASE-2']}`)).json().variables).toMatchObject({ answer: 'yes' });
  });

  it('selects by process instance id', async () => {
    expect((await correlate({ processInstanceId: ids['CASE-3'] })).statusCode).toBe(204);
    expect(await statuses()).toEqual({ 'CASE-1': 'active', 'CASE-2': 'active', 'CASE-3': 'completed' });
  });

  it('selects by correlationKeys as process variable values', async () => {
    expect((await correlate({ correlationKeys: { region: { value: 'north', type: 'String' } } })).statusCode).toBe(204);
    expect(await statuses()).toEqual({ 'CASE-1': 'completed', 'CASE-2': 'active', 'CASE-3': 'active' });
  });

  it('refuses a correlation matching several instances as MismatchingMessageCorrelationException does', async () => {
    const res = await correlate({ correlationKeys: { region: { value: 'south', type: 'String' } } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      type: 'RestException',
      message: expect.stringMatching(
        /^Cannot correlate message 'customer\.replied': Cannot correlate a message with name 'customer\.replied' to a single execution\. 2 executions match the correlation keys: CorrelationSet \[/,
      ),
    });
    expect(await statuses()).toEqual({ 'CASE-1': 'active', 'CASE-2': 'active', 'CASE-3': 'active' });
    expect((await correlate({})).statusCode).toBe(400);
  });

  it('delivers to every match with all, and reports each with its variables when asked', async () => {
    const res = await correlate({
      all: true,
      correlationKeys: { region: { value: 'south', type: 'String' } },
      resultEnabled: true,
      variablesInResultEnabled: true,
    });
    expect(res.statusCode).toBe(200);
    const results = res.json();
    expect(
      results.map((r: { execution: { processInstanceId: string } }) => r.execution.processInstanceId).sort(),
    ).toEqual([ids['CASE-2'], ids['CASE-3']].sort());
    expect(results[0]).toMatchObject({
      resultType: 'Execution',
      execution: { ended: true },
      variables: { region: { value: 'south', type: 'String' } },
    });
    expect(await statuses()).toEqual({ 'CASE-1': 'active', 'CASE-2': 'completed', 'CASE-3': 'completed' });
  });

  it('refuses tenants, which svcflow cannot honour', async () => {
    expect((await correlate({ businessKey: 'CASE-1', tenantId: 'acme' })).statusCode).toBe(400);
    expect(await statuses()).toEqual({ 'CASE-1': 'active', 'CASE-2': 'active', 'CASE-3': 'active' });
  });

  it("gives processVariablesLocal to the receiving event's output mappings only, as local variables of its execution", async () => {
    await t.deploy(ANSWER);
    const started = (
      await t.call('POST', '/engine-rest/process-definition/key/Process_answer/start', { businessKey: 'ASK-1' })
    ).json();
    const res = await correlate({
      messageName: 'customer.answered',
      businessKey: 'ASK-1',
      processVariables: { channel: { value: 'mail', type: 'String' } },
      processVariablesLocal: { answer: { value: 'yes', type: 'String' }, scratch: { value: 1, type: 'Integer' } },
    });
    expect(res.statusCode).toBe(204);
    const variables = (await t.call('GET', `/api/instances/${started.id}`)).json().variables;
    expect(variables).toEqual({ channel: 'mail', accepted: true });
  });
  it("selects by localCorrelationKeys as the waiting element's local variables", async () => {
    await t.deploy(LOCAL);
    const started: string[] = [];
    for (const ticket of ['T-1', 'T-2']) {
      const res = await t.call('POST', '/engine-rest/process-definition/key/Process_local/start', {
        variables: { ticket: { value: ticket, type: 'String' } },
      });
      started.push(res.json().id);
    }
    const res = await t.call('POST', '/engine-rest/message', {
      messageName: 'ticket.answered',
      localCorrelationKeys: { waitingFor: { value: 'T-2', type: 'String' } },
    });
    expect(res.statusCode).toBe(204);
    const status = async (id: string) => (await t.call('GET', `/api/instances/${id}`)).json().status;
    expect([await status(started[0]), await status(started[1])]).toEqual(['active', 'completed']);
    // a process variable of that name is not a local variable of the element
    const none = await t.call('POST', '/engine-rest/message', {
      messageName: 'ticket.answered',
      localCorrelationKeys: { ticket: { value: 'T-1', type: 'String' } },
    });
    expect(none.statusCode).toBe(400);
    expect(await status(started[0])).toBe('active');
  });
});

/** A catch event whose camunda:inputOutput maps a local variable of the message out. */
const ANSWER = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Definitions_2" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="Process_answer" isExecutable="true">
    <bpmn:startEvent id="Start_ask"><bpmn:outgoing>Flow_1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:intermediateCatchEvent id="Event_answer">
      <bpmn:extensionElements><camunda:inputOutput><camunda:outputParameter name="accepted">\${answer == 'yes'}</camunda:outputParameter></camunda:inputOutput></bpmn:extensionElements>
      <bpmn:incoming>Flow_1</bpmn:incoming><bpmn:outgoing>Flow_2</bpmn:outgoing><bpmn:messageEventDefinition messageRef="Message_answer" />
    </bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="End_answered"><bpmn:incoming>Flow_2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="Flow_1" sourceRef="Start_ask" targetRef="Event_answer" />
    <bpmn:sequenceFlow id="Flow_2" sourceRef="Event_answer" targetRef="End_answered" />
  </bpmn:process>
  <bpmn:message id="Message_answer" name="customer.answered" />
</bpmn:definitions>`;

/** A message catch event whose input mapping gives it a local variable, as Camunda Modeler writes it. */
const LOCAL = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Definitions_2" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="Process_local" isExecutable="true">
    <bpmn:startEvent id="Start_ticket"><bpmn:outgoing>Flow_1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:intermediateCatchEvent id="Event_answer">
      <bpmn:extensionElements>
        <camunda:inputOutput><camunda:inputParameter name="waitingFor">\${ticket}</camunda:inputParameter></camunda:inputOutput>
      </bpmn:extensionElements>
      <bpmn:incoming>Flow_1</bpmn:incoming><bpmn:outgoing>Flow_2</bpmn:outgoing>
      <bpmn:messageEventDefinition messageRef="Message_answer" />
    </bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="End_answered"><bpmn:incoming>Flow_2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="Flow_1" sourceRef="Start_ticket" targetRef="Event_answer" />
    <bpmn:sequenceFlow id="Flow_2" sourceRef="Event_answer" targetRef="End_answered" />
  </bpmn:process>
  <bpmn:message id="Message_answer" name="ticket.answered" />
</bpmn:definitions>`;
