import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Engine, registerBuiltinHandlers, type JobContext } from '../../engine/runtime/index.js';
import { openStore, type Store } from '../../engine/store/index.js';
import { migrationSource } from '../../migrations/index.js';
import * as b from '../helpers/bpmn-builder.js';
import { FakeClock } from '../helpers/fake-clock.js';

const notifyProcess = b.definitions('Process_notify', [
  b.start('Start_1'),
  b.serviceTask('Task_notify', 'notify.customer'),
  b.end('End_1'),
  ...b.chain('Start_1', 'Task_notify', 'End_1'),
]);

describe('runtime: job attempts, locks and idempotency keys', () => {
  let store: Store;
  let clock: FakeClock;
  beforeEach(async () => {
    store = await openStore({ migrations: migrationSource, url: 'sqlite::memory:' });
    await store.migrate();
    clock = new FakeClock();
  });
  afterEach(async () => {
    await store.close();
  });

  it("takes over a dead node's job once its lock (60 s by default) expires, with the same idempotency key", async () => {
    const engine = new Engine({ store, clock, nodeId: 'a' });
    await engine.deploy(notifyProcess);
    await engine.startInstance({ definitionKey: 'Process_notify' });
    const [dead] = await engine.jobs.fetchAndLock('node-a', ['notify.customer'], 1);
    clock.advance(59_000);
    expect(await engine.jobs.fetchAndLock('node-b', ['notify.customer'], 1)).toEqual([]);
    clock.advance(2_000);
    const [taken] = await engine.jobs.fetchAndLock('node-b', ['notify.customer'], 1);
    expect(taken.job.id).toBe(dead.job.id);
    expect(taken.idempotencyKey).toBe(dead.idempotencyKey);
  });

  it('gives each retry after a reported failure a new idempotency key', async () => {
    const engine = new Engine({ store, clock });
    await engine.deploy(notifyProcess);
    await engine.startInstance({ definitionKey: 'Process_notify' });
    const [first] = await engine.jobs.fetchAndLock('w', ['notify.customer'], 1);
    await engine.jobs.fail(first.job.id, 'w', { message: 'smtp down', retryBackoffMs: 0 });
    const [second] = await engine.jobs.fetchAndLock('w', ['notify.customer'], 1);
    expect(second.idempotencyKey).not.toBe(first.idempotencyKey);
  });

  it('lets a built-in handler run twice for one attempt and still send one notification', async () => {
    const engine = new Engine({ store, clock, jobLockMs: 5_000 });
    registerBuiltinHandlers(engine);
    await engine.deploy(notifyProcess);
    const instance = await engine.startInstance({ definitionKey: 'Process_notify' });
    const [ctx] = await engine.jobs.fetchAndLock('dead-node', ['notify.customer'], 1, 5_000);
    // the dead node ran the side effect but never completed the job
    await engine.jobs.handlers.get('notify.customer')!(ctx as JobContext);
    clock.advance(6_000);
    await engine.tick();
    expect((await engine.getInstance(instance.id)).status).toBe('completed');
    expect((await store.notifications.list({ instanceId: instance.id, limit: 10, offset: 0 })).total).toBe(1);
  });

  it('keeps a job locked while its in-process handler works past the lock duration', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const engine = new Engine({ store, clock, jobLockMs: 3_000 });
    let release!: () => void;
    engine.registerHandler(
      'notify.customer',
      () =>
        new Promise<void>((resolve) => {
          release = resolve;
        }),
    );
    await engine.deploy(notifyProcess);
    await engine.startInstance({ definitionKey: 'Process_notify' });
    const ticking = engine.tick();
    await waitFor(() => release !== undefined);
    clock.advance(2_500);
    await vi.advanceTimersByTimeAsync(1_000); // the renewal (every third of the lock) moves the lock to now + 3 s
    clock.advance(2_500);
    expect(await engine.jobs.fetchAndLock('other', ['notify.customer'], 1)).toEqual([]);
    release();
    await ticking;
    vi.useRealTimers();
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setImmediate(resolve));
}
