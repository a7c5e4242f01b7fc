import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { InstanceRow, JobRow, Store } from '../../engine/store/index.js';
import { closeStores, describeEachStore } from '../helpers/stores.js';
import { aJob, at, seedInstance, uid } from '../helpers/store-rows.js';

describeEachStore('store/jobs', (backend) => {
  let store: Store;
  let instance: InstanceRow;
  let type: string;
  beforeAll(async () => {
    store = await backend.open();
  });
  afterAll(closeStores);
  // Each test gets its own job type, so fetchAndLock sees only that test's jobs.
  beforeEach(async () => {
    instance = await seedInstance(store);
    type = uid('mail');
  });

  async function insertJobs(overs: Array<Partial<JobRow>>): Promise<JobRow[]> {
    const jobs = overs.map((over) => aJob(instance, { type, ...over }));
    for (const job of jobs) await store.jobs.insert(job);
    return jobs;
  }

  it('returns a job as inserted', async () => {
    const [job] = await insertJobs([{ inputs: { to: 'ann@example.com' }, errorMessage: 'timeout' }]);
    expect(await store.jobs.get(job.id)).toEqual(job);
  });

  it('locks due pending jobs of the asked types, by due then creation', async () => {
    await insertJobs([
      { id: uid('later'), due: at(2) },
      { id: uid('first'), due: at(1), createdAt: at(-2) },
      { id: uid('second'), due: at(1), createdAt: at(-1) },
      { due: at(9) },
      { type: 'sms', due: at(0) },
    ]);
    const locked = await store.jobs.fetchAndLock([type], 'worker-1', at(5), at(10), 10);
    expect(locked.map((j) => j.id.split('_')[0])).toEqual(['first', 'second', 'later']);
    expect(locked.every((j) => j.status === 'locked' && j.workerId === 'worker-1' && j.lockedUntil === at(10))).toBe(
      true,
    );
  });

  it('leaves failed, completed and cancelled jobs alone', async () => {
    await insertJobs([{ status: 'failed' }, { status: 'completed' }, { status: 'cancelled' }]);
    expect(await store.jobs.fetchAndLock([type], 'worker-1', at(5), at(10), 10)).toEqual([]);
  });

  it('takes over a locked job only once its lock has expired', async () => {
    const [job] = await insertJobs([{}]);
    expect(await store.jobs.fetchAndLock([type], 'worker-1', at(0), at(5), 1)).toHaveLength(1);
    expect(await store.jobs.fetchAndLock([type], 'worker-2', at(4), at(9), 1)).toEqual([]);
    const retaken = await store.jobs.fetchAndLock([type], 'worker-2', at(6), at(11), 1);
    expect(retaken).toEqual([expect.objectContaining({ id: job.id, workerId: 'worker-2', lockedUntil: at(11) })]);
  });

  it('never hands the same job to two concurrent workers', async () => {
    await insertJobs(Array.from({ length: 12 }, (_, i) => ({ due: at(i) })));
    const fetches = await Promise.all(
      ['w1', 'w2', 'w3'].map((worker) =>
        store.transaction((tx) => tx.jobs.fetchAndLock([type], worker, at(20), at(30), 5)),
      ),
    );
    const ids = fetches.flat().map((j) => j.id);
    expect(new Set(ids).size).toBe(12);
    expect(ids).toHaveLength(12);
  });

  it('finds the active job of an element and cancels by element and by instance', async () => {
    const [notify, , other] = await insertJobs([
      { elementId: 'Task_notify' },
      { elementId: 'Task_notify', status: 'completed' },
      { elementId: 'Task_archive' },
    ]);
    expect((await store.jobs.activeByElement(instance.id, 'Task_notify'))?.id).toBe(notify.id);
    await store.jobs.cancelByElement(instance.id, 'Task_notify');
    expect(await store.jobs.activeByElement(instance.id, 'Task_notify')).toBeNull();
    expect((await store.jobs.list({ instanceId: instance.id, status: 'completed' })).total).toBe(1);
    await store.jobs.cancelByInstance(instance.id);
    expect(await store.jobs.get(other.id)).toMatchObject({ status: 'cancelled' });
  });

  it('updates the patched fields for a retry', async () => {
    const [job] = await insertJobs([{ status: 'locked', workerId: 'w1', lockedUntil: at(5) }]);
    await store.jobs.update(job.id, {
      status: 'pending',
      retries: 2,
      due: at(7),
      lockedUntil: null,
      errorMessage: 'HTTP 503',
    });
    expect(await store.jobs.get(job.id)).toEqual({
      ...job,
      status: 'pending',
      retries: 2,
      due: at(7),
      lockedUntil: null,
      errorMessage: 'HTTP 503',
    });
  });

  it('reports when the next job becomes available', async () => {
    expect(await store.jobs.nextDue([type])).toBeNull();
    await insertJobs([
      { due: at(20) },
      { status: 'locked', due: at(1), lockedUntil: at(15) },
      { status: 'failed', due: at(0) },
    ]);
    expect(await store.jobs.nextDue([type])).toBe(at(15));
    expect(await store.jobs.nextDue([uid('other')])).toBeNull();
  });

  describe('list', () => {
    it('filters by instance, status and type, next due first', async () => {
      await insertJobs([{ due: at(3) }, { due: at(1) }, { status: 'failed', due: at(2) }]);
      const pending = await store.jobs.list({ instanceId: instance.id, status: 'pending' });
      expect(pending.items.map((j) => j.due)).toEqual([at(1), at(3)]);
      expect(await store.jobs.list({ type, limit: 1 })).toMatchObject({ total: 3, items: [{ due: at(1) }] });
    });
  });
});
