import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Engine } from '../../engine/runtime/index.js';
import type { Store } from '../../engine/store/index.js';
import * as b from '../helpers/bpmn-builder.js';
import { engineOn } from '../helpers/engine.js';
import { closeStores, describeEachStore } from '../helpers/stores.js';

const PAIRS = 200;
const AT_ONCE = 10;

const twoTasks = b.definitions('Process_race', [
  b.start('Start_1'),
  b.userTask('Task_first'),
  b.userTask('Task_second'),
  b.end('End_1'),
  ...b.chain('Start_1', 'Task_first', 'Task_second', 'End_1'),
]);

describeEachStore('runtime: concurrent task changes', (backend) => {
  let store: Store;
  let engine: Engine;
  beforeAll(async () => {
    store = await backend.open();
    engine = engineOn(store).engine;
    await engine.deploy(twoTasks);
  });
  afterAll(async () => {
    await closeStores();
  });

  async function openTasks(count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i += AT_ONCE) {
      const started = await Promise.all(
        Array.from({ length: Math.min(AT_ONCE, count - i) }, () =>
          engine.startInstance({ definitionKey: 'Process_race' }),
        ),
      );
      for (const instance of started)
        ids.push((await engine.listTasks({ instanceId: instance.id, status: 'open' })).items[0].id);
    }
    return ids;
  }

  // Runs `race` on every id, AT_ONCE ids at a time, and returns each pair's settled outcomes.
  async function raceAll(
    ids: string[],
    race: (id: string) => Array<Promise<unknown>>,
  ): Promise<PromiseSettledResult<unknown>[][]> {
    const outcomes: PromiseSettledResult<unknown>[][] = [];
    for (let i = 0; i < ids.length; i += AT_ONCE) {
      outcomes.push(...(await Promise.all(ids.slice(i, i + AT_ONCE).map((id) => Promise.allSettled(race(id))))));
    }
    return outcomes;
  }

  const codeOf = (r: PromiseSettledResult<unknown>) =>
    r.status === 'rejected' ? (r.reason as { code?: string }).code : 'won';

  it(`gives each of ${PAIRS} tasks claimed by two users at once to exactly one of them; the other is refused`, async () => {
    const ids = await openTasks(PAIRS);
    const outcomes = await raceAll(ids, (id) => [engine.claimTask(id, 'ann'), engine.claimTask(id, 'bob')]);
    for (const [i, pair] of outcomes.entries()) {
      expect(pair.map(codeOf).sort(), `task ${ids[i]}`).toEqual(['TASK_ALREADY_CLAIMED', 'won']);
      const winner = pair[0].status === 'fulfilled' ? 'ann' : 'bob';
      expect((await engine.getTask(ids[i])).assignee).toBe(winner);
    }
  }, 120_000);

  it('completes a task completed twice at once exactly once; the other completion is refused', async () => {
    const ids = await openTasks(40);
    const outcomes = await raceAll(ids, (id) => [
      engine.completeTask(id, { by: 'ann' }, 'ann'),
      engine.completeTask(id, { by: 'bob' }, 'bob'),
    ]);
    for (const [i, pair] of outcomes.entries()) {
      const codes = pair.map(codeOf);
      expect(
        codes.filter((c) => c === 'won'),
        `task ${ids[i]}`,
      ).toHaveLength(1);
      expect(['TASK_NOT_OPEN', 'VERSION_CONFLICT']).toContain(codes.find((c) => c !== 'won'));
      const task = await engine.getTask(ids[i]);
      expect(task.status).toBe('completed');
      const instance = await engine.getInstance(task.instanceId);
      expect(instance.variables.by).toBe(task.completedBy);
      expect(instance.activeElements).toEqual(['Task_second']);
    }
  }, 120_000);

  it('lets a claim racing an unclaim leave the task either free or with the claimant, never lost', async () => {
    const ids = await openTasks(40);
    for (const id of ids) await engine.claimTask(id, 'ann');
    const outcomes = await raceAll(ids, (id) => [engine.unclaimTask(id, 'ann'), engine.claimTask(id, 'bob')]);
    for (const [i, [unclaim, claim]] of outcomes.entries()) {
      expect(unclaim.status).toBe('fulfilled');
      expect((await engine.getTask(ids[i])).assignee).toBe(claim.status === 'fulfilled' ? 'bob' : null);
    }
  }, 120_000);
});
