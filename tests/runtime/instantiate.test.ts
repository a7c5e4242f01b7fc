// issue #12: a receive task or an event-based gateway with instantiate="true" starts the process (BPMN 2.0 §13.2.6)
import { afterAll, beforeEach, expect, it } from 'vitest';
import { engineOn, type TestEngine } from '../helpers/engine.js';
import { closeStores, describeEachStore } from '../helpers/stores.js';

const HEAD = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="Defs" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:message id="Msg_order" name="order.placed" />
  <bpmn:message id="Msg_quote" name="quote.requested" />
  <bpmn:signal id="Sig_outage" name="outage.declared" />`;

// a web order is taken by an instantiating receive task that keeps the order number
const ORDERS = `${HEAD}
  <bpmn:process id="Orders" isExecutable="true">
    <bpmn:receiveTask id="Receive_order" name="Order received" messageRef="Msg_order" instantiate="true">
      <bpmn:extensionElements><zeebe:ioMapping><zeebe:output source="=orderNo" target="order" /></zeebe:ioMapping></bpmn:extensionElements>
      <bpmn:outgoing>Flow_1</bpmn:outgoing>
    </bpmn:receiveTask>
    <bpmn:userTask id="Task_pick" name="Pick"><bpmn:incoming>Flow_1</bpmn:incoming><bpmn:outgoing>Flow_2</bpmn:outgoing></bpmn:userTask>
    <bpmn:endEvent id="End"><bpmn:incoming>Flow_2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="Flow_1" sourceRef="Receive_order" targetRef="Task_pick" />
    <bpmn:sequenceFlow id="Flow_2" sourceRef="Task_pick" targetRef="End" />
  </bpmn:process>
</bpmn:definitions>`;

// whichever arrives first starts the case at its own branch
const INTAKE = (gateway = 'instantiate="true" eventGatewayType="Exclusive"', third = '') => `${HEAD}
  <bpmn:process id="Intake" isExecutable="true">
    <bpmn:eventBasedGateway id="Gateway_first" ${gateway}>
      <bpmn:outgoing>Flow_a</bpmn:outgoing><bpmn:outgoing>Flow_b</bpmn:outgoing><bpmn:outgoing>Flow_c</bpmn:outgoing>
    </bpmn:eventBasedGateway>
    <bpmn:intermediateCatchEvent id="Catch_order"><bpmn:incoming>Flow_a</bpmn:incoming><bpmn:outgoing>Flow_a2</bpmn:outgoing><bpmn:messageEventDefinition messageRef="Msg_order" /></bpmn:intermediateCatchEvent>
    <bpmn:receiveTask id="Receive_quote" messageRef="Msg_quote"><bpmn:incoming>Flow_b</bpmn:incoming><bpmn:outgoing>Flow_b2</bpmn:outgoing></bpmn:receiveTask>
    ${third || '<bpmn:intermediateCatchEvent id="Catch_outage"><bpmn:incoming>Flow_c</bpmn:incoming><bpmn:outgoing>Flow_c2</bpmn:outgoing><bpmn:signalEventDefinition signalRef="Sig_outage" /></bpmn:intermediateCatchEvent>'}
    <bpmn:userTask id="Task_order"><bpmn:incoming>Flow_a2</bpmn:incoming><bpmn:outgoing>Flow_a3</bpmn:outgoing></bpmn:userTask>
    <bpmn:userTask id="Task_quote"><bpmn:incoming>Flow_b2</bpmn:incoming><bpmn:outgoing>Flow_b3</bpmn:outgoing></bpmn:userTask>
    <bpmn:userTask id="Task_outage"><bpmn:incoming>Flow_c2</bpmn:incoming><bpmn:outgoing>Flow_c3</bpmn:outgoing></bpmn:userTask>
    <bpmn:endEvent id="End"><bpmn:incoming>Flow_a3</bpmn:incoming><bpmn:incoming>Flow_b3</bpmn:incoming><bpmn:incoming>Flow_c3</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="Flow_a" sourceRef="Gateway_first" targetRef="Catch_order" />
    <bpmn:sequenceFlow id="Flow_b" sourceRef="Gateway_first" targetRef="Receive_quote" />
    <bpmn:sequenceFlow id="Flow_c" sourceRef="Gateway_first" targetRef="${third ? 'Timer_late' : 'Catch_outage'}" />
    <bpmn:sequenceFlow id="Flow_a2" sourceRef="Catch_order" targetRef="Task_order" />
    <bpmn:sequenceFlow id="Flow_b2" sourceRef="Receive_quote" targetRef="Task_quote" />
    <bpmn:sequenceFlow id="Flow_c2" sourceRef="${third ? 'Timer_late' : 'Catch_outage'}" targetRef="Task_outage" />
    <bpmn:sequenceFlow id="Flow_a3" sourceRef="Task_order" targetRef="End" />
    <bpmn:sequenceFlow id="Flow_b3" sourceRef="Task_quote" targetRef="End" />
    <bpmn:sequenceFlow id="Flow_c3" sourceRef="Task_outage" targetRef="End" />
  </bpmn:process>
</bpmn:definitions>`;

afterAll(closeStores);

describeEachStore('runtime/instantiating receive tasks and event-based gateways', (backend) => {
  let t: TestEngine;
  beforeEach(async () => {
    t = engineOn(await backend.open());
  });

  it('a message for an instantiating receive task starts the process there, with its output mapping', async () => {
    await t.engine.deploy(ORDERS);
    const { instanceIds, started } = await t.engine.correlateMessage({
      name: 'order.placed',
      variables: { orderNo: 'W-17' },
    });
    expect(started).toBe(true);
    const instance = await t.engine.getInstance(instanceIds[0]);
    expect(instance).toMatchObject({ activeElements: ['Task_pick'], variables: { order: 'W-17' } });
    expect((await t.engine.history(instance.id))[0]).toMatchObject({
      event: 'instance.started',
      elementId: 'Receive_order',
    });
    // it has no none start: a plain start is refused, not left waiting for a message it can never get
    await expect(t.engine.startInstance({ definitionKey: 'Orders' })).rejects.toMatchObject({
      code: 'NO_NONE_START_EVENT',
    });
  });

  it('an instantiating event-based gateway starts at the branch whose message or signal comes first', async () => {
    await t.engine.deploy(INTAKE());
    const byOrder = await t.engine.correlateMessage({ name: 'order.placed' });
    const byQuote = await t.engine.correlateMessage({ name: 'quote.requested' });
    await t.engine.broadcastSignal({ name: 'outage.declared' });
    const active = async (id: string) => (await t.engine.getInstance(id)).activeElements;
    expect(await active(byOrder.instanceIds[0])).toEqual(['Task_order']);
    expect(await active(byQuote.instanceIds[0])).toEqual(['Task_quote']);
    const all = (await t.engine.listInstances({ definitionKey: 'Intake' })).items;
    expect(all.map((i) => i.activeElements[0]).sort()).toEqual(['Task_order', 'Task_outage', 'Task_quote']);
  });

  it('refuses what it cannot run: a parallel event gateway, a timer target, incoming flows', async () => {
    const refusal = (xml: string) =>
      t.engine.deploy(xml).then(
        () => null,
        (err: { problems?: Array<{ elementId: string | null; message: string }> }) => err.problems ?? [],
      );
    expect(await refusal(INTAKE('instantiate="true" eventGatewayType="Parallel"'))).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ elementId: 'Gateway_first', message: expect.stringMatching(/not run it yet/) }),
      ]),
    );
    const timer =
      '<bpmn:intermediateCatchEvent id="Timer_late"><bpmn:incoming>Flow_c</bpmn:incoming><bpmn:outgoing>Flow_c2</bpmn:outgoing><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>';
    expect(await refusal(INTAKE(undefined, timer))).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ elementId: 'Gateway_first', message: expect.stringMatching(/timer/) }),
      ]),
    );
    const entered = ORDERS.replace(
      '<bpmn:outgoing>Flow_1</bpmn:outgoing>\n    </bpmn:receiveTask>',
      '<bpmn:outgoing>Flow_1</bpmn:outgoing><bpmn:incoming>Flow_back</bpmn:incoming>\n    </bpmn:receiveTask><bpmn:sequenceFlow id="Flow_back" sourceRef="Task_pick" targetRef="Receive_order" />',
    );
    expect(await refusal(entered)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ elementId: 'Receive_order', message: expect.stringMatching(/incoming/) }),
      ]),
    );
  });
});
