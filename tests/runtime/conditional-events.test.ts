// issue #12: conditional events fire when their condition turns true, once per change, with variable filters
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { chain, definitions, end, flow, gateway, start, userTask } from '../helpers/bpmn-builder.js';
import { engineOn, openTaskAt, type TestEngine } from '../helpers/engine.js';
import { definitionOf, eventSubProcess, type EspTrigger } from '../helpers/esp-builder.js';
import { closeStores, storeBackends } from '../helpers/stores.js';

afterAll(closeStores);

type Condition = Extract<EspTrigger, { condition: string }>;
const catchEvent = (id: string, c: Condition) =>
  `<bpmn:intermediateCatchEvent id="${id}">${definitionOf(c)}</bpmn:intermediateCatchEvent>`;
const conditionalBoundary = (id: string, attachedTo: string, c: Condition, interrupting = true) =>
  `<bpmn:boundaryEvent id="${id}" attachedToRef="${attachedTo}" cancelActivity="${interrupting}">${definitionOf(c)}</bpmn:boundaryEvent>`;

/** A waiting branch beside a branch of three edits, each of which changes variables. */
const waiting = (id: string, waiter: string[], extra: string[] = []) =>
  definitions(id, [
    start('S'),
    gateway('parallel', 'Split'),
    userTask('Edit1'),
    userTask('Edit2'),
    userTask('Edit3'),
    end('EditsDone'),
    ...chain('S', 'Split', 'Edit1', 'Edit2', 'Edit3', 'EditsDone'),
    ...waiter,
    ...extra,
  ]);

describe('runtime/conditional events', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = engineOn(await storeBackends()[0].open());
  });
  const active = async (id: string) => (await t.engine.getInstance(id)).activeElements.slice().sort();
  const edit = async (id: string, task: string, variables: Record<string, unknown>) =>
    t.engine.completeTask((await openTaskAt(t.engine, id, task)).id, variables);
  const openAt = async (id: string, element: string) =>
    (await t.engine.listTasks({ instanceId: id, status: 'open' })).items.filter((x) => x.elementId === element).length;

  it('an intermediate catch waits until a step makes its condition true, and passes at once when it already holds', async () => {
    await t.engine.deploy(
      waiting('Catch', [
        catchEvent('Wait', { condition: '=amount > 100' }),
        userTask('Approve'),
        end('E'),
        flow('Split', 'Wait'),
        ...chain('Wait', 'Approve', 'E'),
      ]),
    );
    const low = await t.engine.startInstance({ definitionKey: 'Catch', variables: { amount: 10 } });
    expect(await active(low.id)).toEqual(['Edit1', 'Wait']);
    await edit(low.id, 'Edit1', { amount: 50 });
    expect(await active(low.id)).toEqual(['Edit2', 'Wait']);
    await edit(low.id, 'Edit2', { amount: 500 });
    expect(await active(low.id)).toEqual(['Approve', 'Edit3']);
    const high = await t.engine.startInstance({ definitionKey: 'Catch', variables: { amount: 200 } });
    expect(await active(high.id)).toEqual(['Approve', 'Edit1']);
  });

  it('with camunda:variableName, only a change of that variable lets it fire', async () => {
    await t.engine.deploy(
      waiting('Filtered', [
        catchEvent('Wait', { condition: '${amount > 100 && approved}', variableName: 'approved' }),
        userTask('Pay'),
        end('E'),
        flow('Split', 'Wait'),
        ...chain('Wait', 'Pay', 'E'),
      ]),
    );
    const id = (await t.engine.startInstance({ definitionKey: 'Filtered', variables: { amount: 10, approved: true } }))
      .id;
    // amount makes the condition true, but the filter watches only `approved`
    await edit(id, 'Edit1', { amount: 500 });
    expect(await active(id)).toEqual(['Edit2', 'Wait']);
    await edit(id, 'Edit2', { approved: false });
    expect(await active(id)).toEqual(['Edit3', 'Wait']);
    await edit(id, 'Edit3', { approved: true });
    expect(await active(id)).toEqual(['Pay']);
  });

  it('variableEvents="update" fires on a change of the variable, not on its creation', async () => {
    await t.engine.deploy(
      waiting('Updated', [
        catchEvent('Wait', { condition: '=note != null', variableName: 'note', variableEvents: 'update' }),
        userTask('Read'),
        end('E'),
        flow('Split', 'Wait'),
        ...chain('Wait', 'Read', 'E'),
      ]),
    );
    const id = (await t.engine.startInstance({ definitionKey: 'Updated', variables: {} })).id;
    await edit(id, 'Edit1', { note: 'first' });
    expect(await active(id)).toEqual(['Edit2', 'Wait']);
    await edit(id, 'Edit2', { note: 'second' });
    expect(await active(id)).toEqual(['Edit3', 'Read']);
  });

  it('a non-interrupting boundary fires on each false → true change, not again while it stays true', async () => {
    await t.engine.deploy(
      waiting('Boundary', [
        userTask('Work'),
        conditionalBoundary('Urgent', 'Work', { condition: '=priority = "high"' }, false),
        userTask('Alert'),
        end('E'),
        end('AlertEnd'),
        flow('Split', 'Work'),
        ...chain('Work', 'E'),
        ...chain('Urgent', 'Alert', 'AlertEnd'),
      ]),
    );
    const id = (await t.engine.startInstance({ definitionKey: 'Boundary', variables: { priority: 'low' } })).id;
    await edit(id, 'Edit1', { priority: 'high' });
    expect(await openAt(id, 'Alert')).toBe(1);
    await edit(id, 'Edit2', { priority: 'high', other: 1 });
    expect(await openAt(id, 'Alert')).toBe(1);
    await edit(id, 'Edit3', { priority: 'low' });
    expect(await openAt(id, 'Alert')).toBe(1);
    expect(await active(id)).toEqual(['Alert', 'Work']);
  });

  it('an interrupting boundary cancels the task when its condition turns true', async () => {
    await t.engine.deploy(
      waiting('Cut', [
        userTask('Work'),
        conditionalBoundary('Withdrawn', 'Work', { condition: '=withdrawn = true' }),
        userTask('Close'),
        end('E'),
        end('CloseEnd'),
        flow('Split', 'Work'),
        ...chain('Work', 'E'),
        ...chain('Withdrawn', 'Close', 'CloseEnd'),
      ]),
    );
    const id = (await t.engine.startInstance({ definitionKey: 'Cut', variables: { withdrawn: false } })).id;
    await edit(id, 'Edit1', { withdrawn: true });
    expect(await active(id)).toEqual(['Close', 'Edit2']);
    const work = (await t.engine.listTasks({ instanceId: id })).items.find((x) => x.elementId === 'Work');
    expect(work?.status).toBe('cancelled');
  });

  it('starts an event sub-process on a condition and an event-based gateway takes its conditional target', async () => {
    await t.engine.deploy(
      waiting(
        'Esp',
        [
          gateway('eventBased', 'Choose'),
          catchEvent('Big', { condition: '=amount > 1000' }),
          `<bpmn:intermediateCatchEvent id="Later">${definitionOf({ timer: ['duration', 'P1D'] })}</bpmn:intermediateCatchEvent>`,
          userTask('Review'),
          end('E'),
          end('E2'),
          flow('Split', 'Choose'),
          flow('Choose', 'Big'),
          flow('Choose', 'Later'),
          ...chain('Big', 'Review', 'E'),
          ...chain('Later', 'E2'),
        ],
        [
          eventSubProcess(
            'Fraud',
            'FraudStart',
            { condition: '=flagged = true' },
            [userTask('Investigate'), end('FE'), ...chain('FraudStart', 'Investigate', 'FE')],
            false,
          ),
        ],
      ),
    );
    const id = (await t.engine.startInstance({ definitionKey: 'Esp', variables: { amount: 1, flagged: false } })).id;
    expect(await active(id)).toEqual(['Choose', 'Edit1']);
    await edit(id, 'Edit1', { amount: 5000 });
    expect(await active(id)).toEqual(['Edit2', 'Review']);
    await edit(id, 'Edit2', { flagged: true });
    expect(await active(id)).toEqual(['Edit3', 'Investigate', 'Review']);
  });
});
