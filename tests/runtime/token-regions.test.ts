import { afterAll, beforeEach, expect, it } from 'vitest';
import { chain, definitions, end, flow, gateway, start, terminateEnd, userTask } from '../helpers/bpmn-builder.js';
import { closeStores, describeEachStore } from '../helpers/stores.js';
import { engineOn, openTaskAt, type TestEngine } from '../helpers/engine.js';

afterAll(closeStores);

const multiMerge = definitions('merge', [
  start('S'),
  gateway('parallel', 'Split'),
  userTask('A'),
  userTask('B'),
  gateway('exclusive', 'M'),
  userTask('T'),
  end('E'),
  flow('S', 'Split'),
  flow('Split', 'A'),
  flow('Split', 'B'),
  flow('A', 'M'),
  flow('B', 'M'),
  ...chain('M', 'T', 'E'),
]);

describeEachStore('runtime/token-regions', (backend) => {
  let t: TestEngine;
  beforeEach(async () => {
    t = engineOn(await backend.open());
  });

  it('runs the task after a multi-merge once per branch, each run its own task, and then completes', async () => {
    await t.engine.deploy(multiMerge);
    const started = await t.engine.startInstance({ definitionKey: 'merge' });
    expect(started.activeElements).toEqual(['A', 'B']);
    await t.engine.completeTask((await openTaskAt(t.engine, started.id, 'A')).id, {}, 'lin');
    await t.engine.completeTask((await openTaskAt(t.engine, started.id, 'B')).id, {}, 'lin');
    const first = await openTaskAt(t.engine, started.id, 'T');
    await t.engine.completeTask(first.id, { round: 1 }, 'lin');
    const second = await openTaskAt(t.engine, started.id, 'T');
    expect(second.id).not.toBe(first.id);
    const done = await t.engine.completeTask(second.id, { round: 2 }, 'lin');
    expect(done).toMatchObject({ status: 'completed', activeElements: [] });
  });

  it('ends the instance when a parallel branch goes straight to a terminate end event, cancelling the other task', async () => {
    await t.engine.deploy(
      definitions('kill', [
        start('S'),
        gateway('parallel', 'Split'),
        userTask('A'),
        terminateEnd('Kill'),
        end('E'),
        flow('S', 'Split'),
        flow('Split', 'A'),
        flow('Split', 'Kill'),
        flow('A', 'E'),
      ]),
    );
    const started = await t.engine.startInstance({ definitionKey: 'kill' });
    expect(started.status).not.toBe('active');
    expect(started.activeElements).toEqual([]);
    expect((await t.engine.listTasks({ instanceId: started.id, status: 'open' })).items).toEqual([]);
  });
});
