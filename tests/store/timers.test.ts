import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { InstanceRow, Store, TimerRow } from '../../engine/store/index.js';
import { closeStores, describeEachStore } from '../helpers/stores.js';
import { aTimer, at, seedInstance } from '../helpers/store-rows.js';

describeEachStore('store/timers', (backend) => {
  let store: Store;
  let instance: InstanceRow;
  beforeAll(async () => {
    store = await backend.open();
  });
  afterAll(closeStores);
  // claimDue looks at every timer, so each test starts from an empty table.
  beforeEach(async () => {
    if (instance) await store.timers.deleteByInstance(instance.id);
    instance = await seedInstance(store);
  });

  async function insertTimers(count: number, over: (i: number) => Partial<TimerRow> = () => ({})): Promise<TimerRow[]> {
    const timers = Array.from({ length: count }, (_, i) =>
      aTimer(instance, { id: `timer_${instance.id}_${String(i).padStart(2, '0')}`, due: at(i), ...over(i) }),
    );
    for (const timer of timers) await store.timers.insert(timer);
    return timers;
  }

  it('returns a timer with its cycle as inserted', async () => {
    const [timer] = await insertTimers(1, () => ({ repeat: { remaining: 3, interval: 'PT1H' } }));
    expect(await store.timers.get(timer.id)).toEqual(timer);
  });

  it('keeps the activation a timer was armed for, read and claimed', async () => {
    // a boundary timer names the run of its activity it belongs to; the timer fires for that run only
    const [timer] = await insertTimers(1, () => ({ activationId: 'act-7' }));
    expect((await store.timers.get(timer.id))?.activationId).toBe('act-7');
    expect((await store.timers.claimDue(at(0), 'node-a', at(5), 10)).map((t) => t.activationId)).toEqual(['act-7']);
    // leaving that run removes its timer, and only its timer
    await insertTimers(1, () => ({ id: `other_${instance.id}`, activationId: 'act-8' }));
    await store.timers.deleteByElement(instance.id, timer.elementId, 'act-7');
    expect(await store.timers.get(timer.id)).toBeNull();
    expect((await store.timers.get(`other_${instance.id}`))?.activationId).toBe('act-8');
  });

  it('claims only due timers whose lock is free or expired, earliest first', async () => {
    await insertTimers(5, (i) =>
      i === 1 ? { lockedBy: 'node-b', lockedUntil: at(10) } : i === 2 ? { lockedBy: 'node-c', lockedUntil: at(1) } : {},
    );
    const claimed = await store.timers.claimDue(at(3), 'node-a', at(8), 10);
    expect(claimed.map((t) => t.due)).toEqual([at(0), at(2), at(3)]);
    expect(claimed.every((t) => t.lockedBy === 'node-a' && t.lockedUntil === at(8))).toBe(true);
  });

  it('does not claim a timer again until its lock expires', async () => {
    await insertTimers(1);
    expect(await store.timers.claimDue(at(0), 'node-a', at(5), 10)).toHaveLength(1);
    expect(await store.timers.claimDue(at(4), 'node-b', at(9), 10)).toHaveLength(0);
    expect((await store.timers.claimDue(at(6), 'node-b', at(11), 10)).map((t) => t.lockedBy)).toEqual(['node-b']);
  });

  it('claims at most the limit', async () => {
    await insertTimers(5);
    expect((await store.timers.claimDue(at(10), 'node-a', at(20), 2)).map((t) => t.due)).toEqual([at(0), at(1)]);
  });

  it('never hands the same timer to two concurrent claimers', async () => {
    await insertTimers(20);
    const claims = await Promise.all(
      ['a', 'b', 'c', 'd'].map((owner) => store.transaction((tx) => tx.timers.claimDue(at(30), owner, at(40), 6))),
    );
    const ids = claims.flat().map((t) => t.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(20);
  });

  it('reports the earliest due time, or null without timers', async () => {
    expect(await store.timers.nextDue()).toBeNull();
    await insertTimers(3, (i) => ({ due: at(10 - i) }));
    expect(await store.timers.nextDue()).toBe(at(8));
  });

  it('updates, deletes by id, by element and by instance', async () => {
    const [first, second, third] = await insertTimers(3, (i) => ({ elementId: i === 0 ? 'Timer_a' : 'Timer_b' }));
    await store.timers.update(first.id, {
      due: at(50),
      repeat: { remaining: null, interval: 'P1D' },
      lockedBy: null,
      lockedUntil: null,
    });
    expect(await store.timers.get(first.id)).toMatchObject({
      due: at(50),
      repeat: { remaining: null, interval: 'P1D' },
    });
    await store.timers.delete(third.id);
    expect(await store.timers.get(third.id)).toBeNull();
    await store.timers.deleteByElement(instance.id, 'Timer_b');
    expect(await store.timers.get(second.id)).toBeNull();
    expect(await store.timers.get(first.id)).not.toBeNull();
    await store.timers.deleteByInstance(instance.id);
    expect(await store.timers.get(first.id)).toBeNull();
  });

  it.runIf(backend.name === 'postgres')('skips timers another open transaction has claimed', async () => {
    await insertTimers(6);
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let firstClaim!: (timers: TimerRow[]) => void;
    const claimedFirst = new Promise<TimerRow[]>((resolve) => {
      firstClaim = resolve;
    });
    const first = store.transaction(async (tx) => {
      firstClaim(await tx.timers.claimDue(at(10), 'node-a', at(20), 3));
      await held;
    });
    const a = await claimedFirst;
    const b = await store.transaction((tx) => tx.timers.claimDue(at(10), 'node-b', at(20), 10));
    release();
    await first;
    expect(a.map((t) => t.due)).toEqual([at(0), at(1), at(2)]);
    expect(b.map((t) => t.due)).toEqual([at(3), at(4), at(5)]);
  });
});
