// issue #12: compensation and transactions through the engine — the book of completions is persisted with each step
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { chain, definitions, end, start, subProcess, userTask } from '../helpers/bpmn-builder.js';
import {
  cancelBoundary,
  cancelEnd,
  compensated,
  compensationThrow,
  transaction,
} from '../helpers/compensation-builder.js';
import { engineOn, openTaskAt, type TestEngine } from '../helpers/engine.js';
import { closeStores, storeBackends } from '../helpers/stores.js';

afterAll(closeStores);

describe('runtime/compensation', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = engineOn(await storeBackends()[0].open());
  });
  const active = async (id: string) => (await t.engine.getInstance(id)).activeElements.slice().sort();
  const done = async (id: string, element: string, variables: Record<string, unknown> = {}) =>
    t.engine.completeTask((await openTaskAt(t.engine, id, element)).id, variables);

  it('undoes the booked steps of a withdrawn case newest first, each handler a task of its own', async () => {
    await t.engine.deploy(
      definitions('Booking', [
        start('S'),
        userTask('Reserve'),
        userTask('Charge'),
        userTask('Decide'),
        compensationThrow('Withdraw', { end: true }),
        ...compensated('Reserve', 'user'),
        ...compensated('Charge', 'user'),
        ...chain('S', 'Reserve', 'Charge', 'Decide', 'Withdraw'),
      ]),
    );
    const { id } = await t.engine.startInstance({ definitionKey: 'Booking' });
    await done(id, 'Reserve', { room: 12 });
    await done(id, 'Charge', { amount: 90 });
    await done(id, 'Decide');
    expect(await active(id)).toEqual(['Undo_Charge', 'Withdraw']);
    await done(id, 'Undo_Charge');
    expect(await active(id)).toEqual(['Undo_Reserve', 'Withdraw']);
    await done(id, 'Undo_Reserve');
    const instance = await t.engine.getInstance(id);
    expect(instance.status).toBe('completed');
    expect(instance.variables).toMatchObject({ room: 12, amount: 90 });
  });

  it('cancels a transaction: its completed step is undone by a person, then the cancel path runs', async () => {
    await t.engine.deploy(
      definitions('Payment', [
        start('S'),
        transaction('Tx', [
          start('TS'),
          userTask('Book'),
          userTask('Confirm'),
          cancelEnd('Abort'),
          ...compensated('Book', 'user'),
          ...chain('TS', 'Book', 'Confirm', 'Abort'),
        ]),
        cancelBoundary('Cancelled', 'Tx'),
        userTask('Apologise'),
        end('E'),
        end('EC'),
        ...chain('S', 'Tx', 'E'),
        ...chain('Cancelled', 'Apologise', 'EC'),
      ]),
    );
    const { id } = await t.engine.startInstance({ definitionKey: 'Payment' });
    await done(id, 'Book');
    await done(id, 'Confirm');
    expect(await active(id)).toEqual(['Cancelled', 'Undo_Book']);
    await done(id, 'Undo_Book');
    expect(await active(id)).toEqual(['Apologise']);
    await done(id, 'Apologise');
    expect((await t.engine.getInstance(id)).status).toBe('completed');
  });
  it("a withdrawn booking runs the sub-process's compensation event sub-process: a person apologises, then its throw waits while the booking is undone", async () => {
    await t.engine.deploy(
      definitions('Trip', [
        start('S'),
        subProcess('Arrange', [
          start('AS'),
          userTask('Book'),
          end('AE'),
          ...compensated('Book', 'user'),
          ...chain('AS', 'Book', 'AE'),
          `<bpmn:subProcess id="OnWithdraw" triggeredByEvent="true"><bpmn:startEvent id="OnWithdrawStart"><bpmn:compensateEventDefinition /></bpmn:startEvent>${[
            userTask('Apologise'),
            compensationThrow('UndoAll'),
            end('OnWithdrawEnd'),
            ...chain('OnWithdrawStart', 'Apologise', 'UndoAll', 'OnWithdrawEnd'),
          ].join('')}</bpmn:subProcess>`,
        ]),
        userTask('Decide'),
        compensationThrow('Withdraw', { end: true }),
        ...chain('S', 'Arrange', 'Decide', 'Withdraw'),
      ]),
    );
    const { id } = await t.engine.startInstance({ definitionKey: 'Trip' });
    await done(id, 'Book', { seat: '12A' });
    await done(id, 'Decide');
    expect(await active(id)).toEqual(['Apologise', 'OnWithdraw', 'Withdraw']);
    await done(id, 'Apologise');
    // the event sub-process waits at its own throw while the booking is undone
    expect(await active(id)).toEqual(['OnWithdraw', 'UndoAll', 'Undo_Book', 'Withdraw']);
    await done(id, 'Undo_Book');
    expect((await t.engine.getInstance(id)).status).toBe('completed');
    const history = (await t.engine.history(id)).map((h) => h.elementId ?? '');
    expect(history.filter((e) => e.includes('__'))).toEqual([]);
    expect(history).toContain('OnWithdrawStart');
  });
});
