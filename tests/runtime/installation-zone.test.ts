// issue #16: the zone of an installation comes from its configuration, not from the engine
import { afterAll, beforeEach, expect, it } from 'vitest';
import { attachSla, Engine, NEUTRAL_CONFIG, type EngineConfig } from '../../engine/runtime/index.js';
import type { Store } from '../../engine/store/index.js';
import { boundary, chain, definitions, end, serviceTask, start, userTask } from '../helpers/bpmn-builder.js';
import { timerStart } from '../helpers/event-builder.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { closeStores, describeEachStore } from '../helpers/stores.js';

const BERLIN: EngineConfig = { ...NEUTRAL_CONFIG, zone: 'Europe/Berlin' };

const periodic = definitions('Periodic', [
  timerStart('Every', 'cycle', '0 0 9 * * ?'),
  userTask('Review'),
  end('E'),
  ...chain('Every', 'Review', 'E'),
]);

const reminded = definitions('Reminded', [
  start('S'),
  userTask('Work'),
  boundary('Remind', 'Work', { timer: ['cycle', '0 0 9 * * ?'] }, false),
  serviceTask('Nudge', 'nudge'),
  end('E'),
  end('E2'),
  ...chain('S', 'Work', 'E'),
  ...chain('Remind', 'Nudge', 'E2'),
]);

afterAll(closeStores);

describeEachStore('runtime/installation zone', (backend) => {
  let store: Store;
  let clock: FakeClock;
  beforeEach(async () => {
    store = await backend.open();
    // 09:00 UTC = 10:00 in Berlin = 17:00 in Shanghai
    clock = new FakeClock('2026-01-05T09:00:00.000Z');
  });

  it("fires a cron timer start at 09:00 in the configured zone, the next morning's", async () => {
    const engine = new Engine({ store, clock, config: BERLIN });
    await engine.deploy(periodic);
    clock.set('2026-01-06T07:59:59.000Z');
    await engine.tick();
    expect((await engine.listInstances({ definitionKey: 'Periodic' })).items).toHaveLength(0);
    clock.set('2026-01-06T08:00:00.000Z');
    await engine.tick();
    expect((await engine.listInstances({ definitionKey: 'Periodic' })).items).toHaveLength(1);
  });

  it('reads a cron cycle of a boundary timer in the configured zone', async () => {
    const engine = new Engine({ store, clock, config: BERLIN });
    await engine.deploy(reminded);
    const nudged: string[] = [];
    engine.registerHandler('nudge', ({ job }) => {
      nudged.push(job.instanceId);
    });
    const started = await engine.startInstance({ definitionKey: 'Reminded' });
    clock.set('2026-01-06T07:59:59.000Z');
    await engine.tick();
    expect(nudged).toEqual([]);
    clock.set('2026-01-06T08:00:00.000Z');
    await engine.tick();
    await engine.tick();
    expect(nudged).toEqual([started.id]);
  });

  it('reads cron cycles in UTC on an engine built without a configuration', async () => {
    const engine = new Engine({ store, clock });
    await engine.deploy(periodic);
    clock.set('2026-01-06T08:59:59.000Z');
    await engine.tick();
    expect((await engine.listInstances({ definitionKey: 'Periodic' })).items).toHaveLength(0);
    clock.set('2026-01-06T09:00:00.000Z');
    await engine.tick();
    expect((await engine.listInstances({ definitionKey: 'Periodic' })).items).toHaveLength(1);
  });

  it('seeds the default and 24x7 calendars in the configured zone, and keeps calendars already stored', async () => {
    const sla = await attachSla(new Engine({ store, clock, config: BERLIN }));
    expect((await sla.calendars.list()).map((c) => [c.id, c.zone])).toEqual([
      ['24x7', 'Europe/Berlin'],
      ['default', 'Europe/Berlin'],
    ]);
    // a later start with another zone (or a database seeded before) leaves the stored calendars alone
    const again = await attachSla(new Engine({ store, clock, config: { ...NEUTRAL_CONFIG, zone: 'Asia/Tokyo' } }));
    expect((await again.calendars.get('default')).zone).toBe('Europe/Berlin');
  });
});
