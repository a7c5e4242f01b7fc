/**
 * Multiple and parallel multiple catch events through the runtime, with the fake clock: the timer and the message
 * of one event are armed together; the first to occur goes on and disarms the other; a parallel multiple event
 * goes on once both occurred. The history names the event itself, once.
 */
import { afterAll, beforeEach, expect, it } from 'vitest';
import { definitions, end, flow, message, start, userTask } from '../helpers/bpmn-builder.js';
import { closeStores, describeEachStore } from '../helpers/stores.js';
import { engineOn, type TestEngine } from '../helpers/engine.js';

const XSI = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';
const TIMER = `<bpmn:timerEventDefinition><bpmn:timeDuration xsi:type="bpmn:tFormalExpression" ${XSI}>PT2H</bpmn:timeDuration></bpmn:timerEventDefinition>`;

function model(parallel: boolean): string {
  return definitions(
    'wait',
    [
      start('S'),
      `<bpmn:intermediateCatchEvent id="W"${parallel ? ' parallelMultiple="true"' : ''}>${TIMER}<bpmn:messageEventDefinition messageRef="Msg" /></bpmn:intermediateCatchEvent>`,
      userTask('After'),
      end('E'),
      flow('S', 'W'),
      flow('W', 'After'),
      flow('After', 'E'),
    ],
    [message('Msg', 'customer.reply', '=caseId')],
  );
}

afterAll(closeStores);

describeEachStore('runtime/multiple events', (backend) => {
  let t: TestEngine;
  beforeEach(async () => {
    t = engineOn(await backend.open());
  });

  async function entered(instanceId: string, elementId: string): Promise<number> {
    const history = await t.engine.history(instanceId);
    return history.filter((h) => h.event === 'element.entered' && h.elementId === elementId).length;
  }

  it('goes on at the timer when it is due first; the message then finds nobody waiting', async () => {
    await t.engine.deploy(model(false));
    const started = await t.engine.startInstance({ definitionKey: 'wait', variables: { caseId: 'A' } });
    expect((await t.engine.getInstance(started.id)).activeElements).toEqual(['W']);
    t.clock.advance('PT1H59M');
    expect((await t.engine.tick()).timers).toBe(0);
    t.clock.advance('PT1M');
    expect((await t.engine.tick()).timers).toBe(1);
    expect((await t.engine.getInstance(started.id)).activeElements).toEqual(['After']);
    await expect(t.engine.correlateMessage({ name: 'customer.reply', correlationKey: 'A' })).rejects.toThrow();
    expect(await entered(started.id, 'W')).toBe(1);
    expect(await entered(started.id, 'After')).toBe(1);
  });

  it('goes on at the message when it comes first; the timer is gone', async () => {
    await t.engine.deploy(model(false));
    const started = await t.engine.startInstance({ definitionKey: 'wait', variables: { caseId: 'A' } });
    await t.engine.correlateMessage({ name: 'customer.reply', correlationKey: 'A', variables: { answer: 'ok' } });
    expect(await t.engine.getInstance(started.id)).toMatchObject({
      activeElements: ['After'],
      variables: { answer: 'ok' },
    });
    t.clock.advance('PT3H');
    expect((await t.engine.tick()).timers).toBe(0);
    expect(await entered(started.id, 'After')).toBe(1);
  });

  it('a parallel multiple event waits for the message and the timer', async () => {
    await t.engine.deploy(model(true));
    const started = await t.engine.startInstance({ definitionKey: 'wait', variables: { caseId: 'A' } });
    await t.engine.correlateMessage({ name: 'customer.reply', correlationKey: 'A' });
    expect((await t.engine.getInstance(started.id)).activeElements).toEqual(['W']);
    t.clock.advance('PT2H');
    expect((await t.engine.tick()).timers).toBe(1);
    expect((await t.engine.getInstance(started.id)).activeElements).toEqual(['After']);
    expect(await entered(started.id, 'After')).toBe(1);
    expect(await entered(started.id, 'W')).toBe(1);
  });

  it('records the message and the timer it received under the BPMN id of the event', async () => {
    await t.engine.deploy(model(true));
    const started = await t.engine.startInstance({ definitionKey: 'wait', variables: { caseId: 'A' } });
    await t.engine.correlateMessage({ name: 'customer.reply', correlationKey: 'A' });
    t.clock.advance('PT2H');
    await t.engine.tick();
    const history = await t.engine.history(started.id);
    const triggers = history.filter((h) => h.event === 'message.received' || h.event === 'timer.fired');
    expect(triggers.map((h) => [h.event, h.elementId])).toEqual([
      ['message.received', 'W'],
      ['timer.fired', 'W'],
    ]);
    expect(history.every((h) => !h.elementId?.includes('__'))).toBe(true);
  });

  it('a parallel multiple boundary event interrupts its task once the message and the timer both occurred', async () => {
    await t.engine.deploy(
      definitions(
        'guarded',
        [
          start('S'),
          userTask('Work'),
          `<bpmn:boundaryEvent id="B" attachedToRef="Work" parallelMultiple="true">${TIMER}<bpmn:messageEventDefinition messageRef="Msg" /></bpmn:boundaryEvent>`,
          userTask('Escalated'),
          end('E'),
          end('EB'),
          flow('S', 'Work'),
          flow('Work', 'E'),
          flow('B', 'Escalated'),
          flow('Escalated', 'EB'),
        ],
        [message('Msg', 'customer.reply', '=caseId')],
      ),
    );
    const started = await t.engine.startInstance({ definitionKey: 'guarded', variables: { caseId: 'A' } });
    t.clock.advance('PT2H');
    expect((await t.engine.tick()).timers).toBe(1);
    expect((await t.engine.getInstance(started.id)).activeElements).toEqual(['Work']);
    await t.engine.correlateMessage({ name: 'customer.reply', correlationKey: 'A' });
    expect((await t.engine.getInstance(started.id)).activeElements).toEqual(['Escalated']);
    const history = await t.engine.history(started.id);
    expect(history.filter((h) => h.event === 'element.entered' && h.elementId === 'B')).toHaveLength(1);
    expect(history.every((h) => !h.elementId?.includes('__'))).toBe(true);
  });
});
