import { afterAll, expect, it } from 'vitest';
import { chain, definitions, end, flow, gateway, start, timerCatch, userTask } from '../helpers/bpmn-builder.js';
import { closeStores, describeEachStore } from '../helpers/stores.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { Engine, type EngineNotification } from '../../engine/runtime/index.js';
import type { Store } from '../../engine/store/index.js';

afterAll(closeStores);

const WAIT = definitions('wait', [
  start('S'),
  timerCatch('Wait', 'duration', 'PT1H'),
  userTask('After'),
  end('E'),
  ...chain('S', 'Wait', 'After', 'E'),
]);

// two timers of one instance fall due together: on PostgreSQL they may land in batches that run side by side
const TWO_TIMERS = definitions('two', [
  start('S'),
  gateway('parallel', 'Split'),
  timerCatch('WaitA', 'duration', 'PT1H'),
  timerCatch('WaitB', 'duration', 'PT1H'),
  gateway('parallel', 'Join'),
  userTask('After'),
  end('E'),
  flow('S', 'Split'),
  flow('Split', 'WaitA'),
  flow('Split', 'WaitB'),
  flow('WaitA', 'Join'),
  flow('WaitB', 'Join'),
  ...chain('Join', 'After', 'E'),
]);

// Due timers fire in batches, one transaction per batch; each timer's step is undone alone when it fails.
describeEachStore('runtime/timer batches', (backend) => {
  async function engineWith(
    store: Store,
    options: { batch: number; failOnce?: Set<string>; failAlways?: Set<string> },
  ) {
    const clock = new FakeClock();
    const errors: unknown[] = [];
    const engine = new Engine({
      store,
      clock,
      nodeId: 'node-a',
      timerBatch: options.batch,
      logger: { info: () => undefined, warn: () => undefined, error: (o) => errors.push(o) },
    });
    engine.extend({
      settled: async ({ scope }) => {
        if (scope.event?.type !== 'timer.fired') return;
        if (options.failAlways?.has(scope.instanceId)) throw new Error('this step always fails');
        if (options.failOnce?.delete(scope.instanceId)) throw new Error('this step fails once');
      },
    });
    const notes: EngineNotification[] = [];
    engine.events.on('notification', (note: EngineNotification) => notes.push(note));
    await engine.deploy(WAIT);
    return { engine, clock, notes, errors };
  }

  async function startMany(engine: Engine, n: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) ids.push((await engine.startInstance({ definitionKey: 'wait' })).id);
    return ids;
  }

  it('fires every due timer once across several batches, and publishes each step once', async () => {
    const { engine, clock, notes } = await engineWith(await backend.open(), { batch: 7 });
    const ids = await startMany(engine, 30);
    clock.advance('PT1H');
    expect((await engine.tick()).timers).toBe(30);
    expect((await engine.tick()).timers).toBe(0);
    for (const id of ids) {
      expect((await engine.history(id)).filter((h) => h.event === 'timer.fired')).toHaveLength(1);
      expect((await engine.getInstance(id)).activeElements).toEqual(['After']);
    }
    const created = notes.filter((n) => n.type === 'task.created');
    expect(created).toHaveLength(30);
    expect(new Set(created.map((n) => n.instanceId))).toEqual(new Set(ids));
  });

  it('undoes a failing step alone, commits the rest of its batch, and retries the failed one alone', async () => {
    const store = await backend.open();
    const failOnce = new Set<string>();
    const { engine, clock, notes } = await engineWith(store, { batch: 50, failOnce });
    const ids = await startMany(engine, 10);
    failOnce.add(ids[3]);
    failOnce.add(ids[7]);
    clock.advance('PT1H');
    expect((await engine.tick()).timers).toBe(10);
    expect(failOnce.size).toBe(0);
    for (const id of ids) {
      expect((await engine.history(id)).filter((h) => h.event === 'timer.fired')).toHaveLength(1);
      expect((await engine.getInstance(id)).activeElements).toEqual(['After']);
    }
    // the undone attempts announced nothing: one task.created per instance
    expect(notes.filter((n) => n.type === 'task.created' && n.elementId === 'After')).toHaveLength(10);
    expect(await store.timers.nextDue()).toBeNull();
  });

  it('leaves a step that keeps failing pending until its lease expires, and fires the others', async () => {
    const store = await backend.open();
    const failAlways = new Set<string>();
    const { engine, clock, errors } = await engineWith(store, { batch: 50, failAlways });
    const ids = await startMany(engine, 5);
    failAlways.add(ids[2]);
    clock.advance('PT1H');
    await engine.tick();
    expect(errors).toHaveLength(1);
    for (const [i, id] of ids.entries()) {
      expect((await engine.getInstance(id)).activeElements).toEqual(i === 2 ? ['Wait'] : ['After']);
    }
    expect(await store.timers.claimDue(clock.iso(), 'node-b', clock.iso(), 10)).toEqual([]);
    clock.advance(60_001);
    const due = await store.timers.claimDue(clock.iso(), 'node-b', clock.iso(), 10);
    expect(due.map((t) => t.instanceId)).toEqual([ids[2]]);
  });

  it('fires each timer once when two nodes fire batches at the same time', async () => {
    const store = await backend.open();
    const a = await engineWith(store, { batch: 8 });
    const clock = a.clock;
    const b = new Engine({ store, clock, nodeId: 'node-b', timerBatch: 8 });
    const ids = await startMany(a.engine, 40);
    clock.advance('PT1H');
    const [ra, rb] = await Promise.all([a.engine.tick(), b.tick()]);
    expect(ra.timers + rb.timers).toBe(40);
    for (const id of ids) expect((await a.engine.history(id)).filter((h) => h.event === 'timer.fired')).toHaveLength(1);
  });

  it.runIf(backend.name === 'postgres')(
    'fires side by side batches of one node once each, also when two timers of one instance land in different batches',
    async () => {
      const store = await backend.open();
      const clock = new FakeClock();
      const errors: unknown[] = [];
      const engine = new Engine({
        store,
        clock,
        nodeId: 'node-a',
        timerBatch: 1,
        timerWorkers: 4,
        logger: { info: () => undefined, warn: () => undefined, error: (o) => errors.push(o) },
      });
      await engine.deploy(TWO_TIMERS);
      const ids: string[] = [];
      for (let i = 0; i < 6; i++) ids.push((await engine.startInstance({ definitionKey: 'two' })).id);
      clock.advance('PT1H');
      expect((await engine.tick()).timers).toBe(12);
      for (const id of ids) {
        const history = await engine.history(id);
        expect(history.filter((h) => h.event === 'timer.fired' && h.elementId === 'WaitA')).toHaveLength(1);
        expect(history.filter((h) => h.event === 'timer.fired' && h.elementId === 'WaitB')).toHaveLength(1);
        expect((await engine.getInstance(id)).activeElements).toEqual(['After']);
      }
      expect(errors).toEqual([]);
      expect(await store.timers.nextDue()).toBeNull();
    },
  );
});
