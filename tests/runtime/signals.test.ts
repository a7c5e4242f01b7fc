// issue #12: a thrown signal is a broadcast to every subscribed instance of every definition, delivered once each
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { chain, definitions, end, start, userTask } from '../helpers/bpmn-builder.js';
import { engineOn, openTaskAt, type TestEngine } from '../helpers/engine.js';
import { ioMapping, signal, signalBoundary, signalCatch, signalStart, signalThrow } from '../helpers/event-builder.js';
import { closeStores, describeEachStore } from '../helpers/stores.js';

const OUTAGE = signal('Sig', 'outage');
// three definitions: one waits at an intermediate catch, one holds a task with a non-interrupting boundary, one starts by the signal
const WAITER = definitions(
  'Waiter',
  [start('S'), signalCatch('Wait', 'Sig'), userTask('After'), end('E'), ...chain('S', 'Wait', 'After', 'E')],
  [OUTAGE],
);
const CASE = definitions(
  'Case',
  [
    start('S'),
    userTask('Work'),
    signalBoundary('Raise', 'Work', 'Sig', false),
    userTask('Prioritise'),
    end('E'),
    end('E2'),
    ...chain('S', 'Work', 'E'),
    ...chain('Raise', 'Prioritise', 'E2'),
  ],
  [OUTAGE],
);
const REVIEW = definitions(
  'Review',
  [signalStart('OnOutage', 'Sig'), userTask('Assess'), end('E'), ...chain('OnOutage', 'Assess', 'E')],
  [OUTAGE],
);
const THROWER = definitions(
  'Declare',
  [
    start('S'),
    userTask('Confirm'),
    signalThrow('Declared', 'Sig', { end: true, ext: ioMapping([['=region', 'region']]) }),
    ...chain('S', 'Confirm', 'Declared'),
  ],
  [OUTAGE],
);

afterAll(closeStores);

describeEachStore('runtime/signals', (backend) => {
  let t: TestEngine;
  beforeEach(async () => {
    t = engineOn(await backend.open());
    await t.engine.deploy([WAITER, CASE, REVIEW, THROWER].map((xml, i) => ({ name: `p${i}.bpmn`, xml })));
  });

  it('reaches an intermediate catch, a non-interrupting boundary and a signal start of three definitions', async () => {
    const waiter = await t.engine.startInstance({ definitionKey: 'Waiter' });
    const kase = await t.engine.startInstance({ definitionKey: 'Case' });
    const outcome = await t.engine.broadcastSignal({ name: 'outage', variables: { region: 'north' } });
    expect(outcome.complete).toBe(true);
    expect(outcome.deliveredInstanceIds.sort()).toEqual([waiter.id, kase.id].sort());
    expect(outcome.startedInstanceIds).toHaveLength(1);
    expect(await t.engine.getInstance(waiter.id)).toMatchObject({
      activeElements: ['After'],
      variables: { region: 'north' },
    });
    expect((await t.engine.getInstance(kase.id)).activeElements).toEqual(['Prioritise', 'Work']);
    expect(await t.engine.getInstance(outcome.startedInstanceIds[0])).toMatchObject({
      definitionKey: 'Review',
      activeElements: ['Assess'],
      variables: { region: 'north' },
    });
  });

  it("delivers a signal thrown by an end event to the other instances with the thrower's mapped variables", async () => {
    const waiter = await t.engine.startInstance({ definitionKey: 'Waiter' });
    const thrower = await t.engine.startInstance({
      definitionKey: 'Declare',
      variables: { region: 'south', secret: 1 },
    });
    await t.engine.completeTask((await openTaskAt(t.engine, thrower.id, 'Confirm')).id, {});
    expect(await t.engine.getInstance(waiter.id)).toMatchObject({
      activeElements: ['After'],
      variables: { region: 'south' },
    });
    const history = await t.engine.history(thrower.id);
    expect(history.map((h) => h.event)).toContain('signal.thrown');
    const started = await t.engine.listInstances({ definitionKey: 'Review' });
    expect(started.items).toHaveLength(1);
  });

  it('reaches only those subscribed when it was thrown, and nobody twice', async () => {
    const before = await t.engine.startInstance({ definitionKey: 'Case' });
    const first = await t.engine.broadcastSignal({ name: 'outage' });
    const after = await t.engine.startInstance({ definitionKey: 'Case' });
    expect(first.deliveredInstanceIds).toEqual([before.id]);
    const second = await t.engine.broadcastSignal({ name: 'outage' });
    expect(second.deliveredInstanceIds.sort()).toEqual([before.id, after.id].sort());
    // the non-interrupting path is queued while busy: two firings, one task now and one after
    expect(
      (await t.engine.listTasks({ instanceId: before.id, status: 'open' })).items.map((x) => x.elementId).sort(),
    ).toEqual(['Prioritise', 'Work']);
    expect((await t.engine.broadcastSignal({ name: 'nobody-listens' })).deliveredInstanceIds).toEqual([]);
  });

  it('delivers the rest through the scheduler when the budget is used up', async () => {
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push((await t.engine.startInstance({ definitionKey: 'Waiter' })).id);
    const outcome = await t.engine.broadcastSignal({ name: 'outage', budget: 2 });
    expect(outcome.complete).toBe(false);
    expect(outcome.startedInstanceIds.length + outcome.deliveredInstanceIds.length).toBe(2);
    await t.engine.tick();
    for (const id of ids) expect((await t.engine.getInstance(id)).activeElements).toEqual(['After']);
    expect((await t.engine.listInstances({ definitionKey: 'Review' })).items).toHaveLength(1);
  });

  it('cancels a task with an interrupting signal boundary', async () => {
    await t.engine.deploy(
      definitions(
        'Cut',
        [
          start('S'),
          userTask('Work'),
          signalBoundary('Stop', 'Work', 'Sig'),
          userTask('Handle'),
          end('E'),
          end('E2'),
          ...chain('S', 'Work', 'E'),
          ...chain('Stop', 'Handle', 'E2'),
        ],
        [OUTAGE],
      ),
    );
    const cut = await t.engine.startInstance({ definitionKey: 'Cut' });
    await t.engine.broadcastSignal({ name: 'outage' });
    expect((await t.engine.listTasks({ instanceId: cut.id })).items.map((x) => [x.elementId, x.status])).toEqual([
      ['Work', 'cancelled'],
      ['Handle', 'open'],
    ]);
  });
});

describe('runtime/signal starts on redeploy', () => {
  it('starts only the latest version of a definition', async () => {
    const t = engineOn(await (await import('../helpers/stores.js')).storeBackends()[0].open());
    await t.engine.deploy(REVIEW);
    await t.engine.deploy(
      REVIEW.replace('<bpmn:userTask id="Assess" name="Assess">', '<bpmn:userTask id="Assess" name="Assess v2">'),
    );
    const outcome = await t.engine.broadcastSignal({ name: 'outage' });
    expect(outcome.startedInstanceIds).toHaveLength(1);
    expect((await t.engine.getInstance(outcome.startedInstanceIds[0])).definitionId).toBe('Review:2');
  });
});
