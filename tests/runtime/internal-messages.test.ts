// issue #10: message throw and end events and send tasks without a job type never pass through silently
import { afterAll, beforeEach, expect, it } from 'vitest';
import { ModelError } from '../../engine/bpmn/index.js';
import { chain, definitions, end, message, receiveTask, start } from '../helpers/bpmn-builder.js';
import { engineOn, type TestEngine } from '../helpers/engine.js';
import { closeStores, describeEachStore } from '../helpers/stores.js';

afterAll(closeStores);

const throwEvent = (id: string, ref: string) =>
  `<bpmn:intermediateThrowEvent id="${id}"><bpmn:messageEventDefinition messageRef="${ref}" /></bpmn:intermediateThrowEvent>`;
const messageEnd = (id: string, ref: string) =>
  `<bpmn:endEvent id="${id}"><bpmn:messageEventDefinition messageRef="${ref}" /></bpmn:endEvent>`;
const sendTask = (id: string, ref: string) => `<bpmn:sendTask id="${id}" messageRef="${ref}" />`;
const receiver = `<bpmn:process id="Receiver" isExecutable="true">${[start('RS'), receiveTask('Wait', 'Msg_ready'), end('RE')].join('')}
  <bpmn:sequenceFlow id="R1" sourceRef="RS" targetRef="Wait" /><bpmn:sequenceFlow id="R2" sourceRef="Wait" targetRef="RE" /></bpmn:process>`;

describeEachStore('runtime/messages sent inside the engine', (backend) => {
  let t: TestEngine;
  beforeEach(async () => {
    t = engineOn(await backend.open());
  });

  it.each([
    ['an intermediate throw event', (ref: string) => [throwEvent('Send', ref), end('E'), ...chain('S', 'Send', 'E')]],
    ['a message end event', (ref: string) => [messageEnd('Send', ref), ...chain('S', 'Send')]],
    ['a send task', (ref: string) => [sendTask('Send', ref), end('E'), ...chain('S', 'Send', 'E')]],
  ])('%s without a job type correlates its message with the instance waiting for it', async (_, body) => {
    // given: a receiver waiting for 'order-ready' with key = order, and a sender of the same order
    await t.engine.deploy(
      definitions(
        'Sender',
        [start('S'), ...body('Msg_ready')],
        [message('Msg_ready', 'order-ready', '=order'), receiver],
      ),
    );
    const waiting = await t.engine.startInstance({ definitionKey: 'Receiver', variables: { order: 'o-1' } });
    const other = await t.engine.startInstance({ definitionKey: 'Receiver', variables: { order: 'o-2' } });
    // when
    const sender = await t.engine.startInstance({ definitionKey: 'Sender', variables: { order: 'o-1' } });
    await t.engine.tick();
    // then
    expect((await t.engine.getInstance(waiting.id)).status).toBe('completed');
    expect((await t.engine.getInstance(other.id)).status).toBe('active');
    expect((await t.engine.getInstance(sender.id)).status).toBe('completed');
  });

  it('refuses at deploy a send without a job type whose message no deployed process waits for, naming the element', async () => {
    const xml = definitions(
      'Sender',
      [start('S'), throwEvent('Send', 'Msg_lost'), end('E'), ...chain('S', 'Send', 'E')],
      [message('Msg_lost', 'lost')],
    );
    const refused = await t.engine.deploy(xml).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ModelError);
    expect((refused as ModelError).problems).toEqual([
      expect.objectContaining({
        code: 'MESSAGE_NO_RECEIVER',
        elementId: 'Send',
        message: expect.stringContaining("'lost'"),
      }),
    ]);
  });

  it('accepts the sender once the receiver is deployed', async () => {
    await t.engine.deploy(
      definitions(
        'Receiver',
        [start('RS'), receiveTask('Wait', 'Msg_ready'), end('RE'), ...chain('RS', 'Wait', 'RE')],
        [message('Msg_ready', 'order-ready')],
      ),
    );
    const [deployed] = await t.engine.deploy(
      definitions(
        'Sender',
        [start('S'), sendTask('Send', 'Msg_ready'), end('E'), ...chain('S', 'Send', 'E')],
        [message('Msg_ready', 'order-ready')],
      ),
    );
    expect(deployed.key).toBe('Sender');
  });
});
