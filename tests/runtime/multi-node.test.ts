import { afterAll, expect, it } from 'vitest';
import { chain, definitions, end, start, timerCatch, userTask } from '../helpers/bpmn-builder.js';
import { closeStores, describeEachStore } from '../helpers/stores.js';
import { engineOn } from '../helpers/engine.js';
import { FakeClock } from '../helpers/fake-clock.js';

afterAll(closeStores);

describeEachStore('runtime/multi-node', (backend) => {
  it('fires each timer once when two nodes tick at the same time', async () => {
    const store = await backend.open();
    const clock = new FakeClock();
    const a = engineOn(store, clock, 'node-a');
    const b = engineOn(store, clock, 'node-b');
    await a.engine.deploy(
      definitions('wait', [
        start('S'),
        timerCatch('Wait', 'duration', 'PT1H'),
        userTask('After'),
        end('E'),
        ...chain('S', 'Wait', 'After', 'E'),
      ]),
    );
    const ids: string[] = [];
    for (let i = 0; i < 60; i++) ids.push((await a.engine.startInstance({ definitionKey: 'wait' })).id);
    clock.advance('PT1H');
    const [ra, rb] = await Promise.all([a.engine.tick(), b.engine.tick()]);
    expect(ra.timers + rb.timers).toBe(60);
    for (const id of ids) {
      const history = await a.engine.history(id);
      expect(history.filter((h) => h.event === 'timer.fired')).toHaveLength(1);
      expect((await a.engine.listTasks({ instanceId: id, status: 'open' })).total).toBe(1);
    }
  });
});
