// issue #12: timer start events (date, duration, cycle, cron) start instances once per firing, on the latest version
import { afterAll, beforeEach, expect, it } from 'vitest';
import { Engine } from '../../engine/runtime/index.js';
import { chain, definitions, end, userTask } from '../helpers/bpmn-builder.js';
import { engineOn, type TestEngine } from '../helpers/engine.js';
import { timerStart } from '../helpers/event-builder.js';
import { problemsOf } from '../helpers/compile.js';
import { closeStores, describeEachStore } from '../helpers/stores.js';

const review = (kind: 'duration' | 'date' | 'cycle', value: string, name = 'Review') =>
  definitions('RiskReview', [
    timerStart('Periodic', kind, value),
    userTask('Review', { ext: '' }).replace('name="Review"', `name="${name}"`),
    end('E'),
    ...chain('Periodic', 'Review', 'E'),
  ]);

afterAll(closeStores);

describeEachStore('runtime/timer start events', (backend) => {
  let t: TestEngine;
  const started = async () => (await t.engine.listInstances({ definitionKey: 'RiskReview' })).items;
  beforeEach(async () => {
    t = engineOn(await backend.open());
  });

  it('starts one instance per cycle firing and none before it is due', async () => {
    await t.engine.deploy(review('cycle', 'R3/PT1H'));
    await t.engine.tick();
    expect(await started()).toHaveLength(0);
    t.clock.advance('PT1H');
    await t.engine.tick();
    t.clock.advance('PT1H');
    await t.engine.tick();
    await t.engine.tick();
    const instances = await started();
    expect(instances).toHaveLength(2);
    expect(instances.every((i) => i.activeElements[0] === 'Review')).toBe(true);
    t.clock.advance('PT5H');
    await t.engine.tick();
    t.clock.advance('PT5H');
    await t.engine.tick();
    // R3: three firings in all, however late the ticks
    expect(await started()).toHaveLength(3);
    expect((await t.engine.history(instances[0].id))[0]).toMatchObject({
      event: 'instance.started',
      elementId: 'Periodic',
    });
  });

  it('fires a duration and a date once', async () => {
    await t.engine.deploy(review('duration', 'PT30M'));
    t.clock.advance('PT31M');
    await t.engine.tick();
    t.clock.advance('P1D');
    await t.engine.tick();
    expect(await started()).toHaveLength(1);
  });

  it('fires a Camunda 7 cron cycle at 09:00 Shanghai time every day', async () => {
    // the fake clock starts 2026-01-05T09:00Z = 17:00 in Shanghai
    await t.engine.deploy(review('cycle', '0 0 9 * * ?'));
    t.clock.set('2026-01-06T00:59:59.000Z');
    await t.engine.tick();
    expect(await started()).toHaveLength(0);
    t.clock.set('2026-01-06T01:00:00.000Z');
    await t.engine.tick();
    t.clock.set('2026-01-07T01:00:00.000Z');
    await t.engine.tick();
    expect(await started()).toHaveLength(2);
  });

  it("replaces the old version's timers on redeploy", async () => {
    await t.engine.deploy(review('cycle', 'R/PT1H'));
    await t.engine.deploy(review('cycle', 'R/PT2H', 'Review v2'));
    t.clock.advance('PT1H');
    await t.engine.tick();
    expect(await started()).toHaveLength(0);
    t.clock.advance('PT1H');
    await t.engine.tick();
    expect((await started()).map((i) => i.definitionId)).toEqual(['RiskReview:2']);
  });

  it('fires once when two nodes tick at the same time', async () => {
    await t.engine.deploy(review('cycle', 'R/PT1H'));
    const other = new Engine({ store: t.store, clock: t.clock, nodeId: 'other-node' });
    t.clock.advance('PT1H');
    await Promise.all([t.engine.tick(), other.tick()]);
    expect(await started()).toHaveLength(1);
  });
});

it('refuses a timer start whose expression needs instance variables', async () => {
  const t = engineOn(await (await import('../helpers/stores.js')).storeBackends()[0].open());
  await expect(t.engine.deploy(review('duration', '=wait'))).rejects.toMatchObject({
    problems: [expect.objectContaining({ code: 'TIMER_INVALID', elementId: 'Periodic' })],
  });
  expect(await problemsOf(review('cycle', 'R/PT1H'))).toEqual([]);
});
