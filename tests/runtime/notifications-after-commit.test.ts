import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Engine, type EngineNotification } from '../../engine/runtime/index.js';
import { openStore, type Store } from '../../engine/store/index.js';
import * as b from '../helpers/bpmn-builder.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { migrationSource } from '../../migrations/index.js';

const oneTask = b.definitions('Process_note', [
  b.start('Start_1'),
  b.userTask('Task_work'),
  b.end('End_1'),
  ...b.chain('Start_1', 'Task_work', 'End_1'),
]);

// A store whose next transaction runs its work and then fails to commit.
function failingCommits(store: Store): { store: Store; failNext(): void } {
  let fail = false;
  return {
    store: {
      ...store,
      transaction: async (fn) =>
        store.transaction(async (tx) => {
          const result = await fn(tx);
          if (fail) {
            fail = false;
            throw new Error('commit failed');
          }
          return result;
        }),
    },
    failNext: () => {
      fail = true;
    },
  };
}

describe('runtime: notifications are published only after the commit', () => {
  let base: Store;
  let engine: Engine;
  let failNext: () => void;
  let heard: EngineNotification[];
  let taskId: string;
  beforeEach(async () => {
    base = await openStore({ migrations: migrationSource, url: 'sqlite::memory:' });
    await base.migrate();
    const failing = failingCommits(base);
    failNext = failing.failNext;
    engine = new Engine({ store: failing.store, clock: new FakeClock() });
    await engine.deploy(oneTask);
    const instance = await engine.startInstance({ definitionKey: 'Process_note' });
    taskId = (await engine.listTasks({ instanceId: instance.id })).items[0].id;
    heard = [];
    engine.events.on('notification', (note: EngineNotification) => heard.push(note));
  });
  afterEach(async () => {
    await base.close();
  });

  for (const [name, change] of [
    ['claim', (e: Engine, id: string) => e.claimTask(id, 'ann')],
    ['unclaim', (e: Engine, id: string) => e.unclaimTask(id, 'ann')],
    ['completion', (e: Engine, id: string) => e.completeTask(id, {}, 'ann')],
  ] as const) {
    it(`announces nothing of a ${name} whose transaction is rolled back, and announces it once committed`, async () => {
      failNext();
      await expect(change(engine, taskId)).rejects.toThrow('commit failed');
      expect(heard).toEqual([]);
      await change(engine, taskId);
      expect(heard.length).toBeGreaterThan(0);
      expect(heard.every((n) => n.instanceId !== undefined)).toBe(true);
    });
  }
});
