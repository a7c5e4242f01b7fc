// issue 12: an open user task whose priority is an expression follows the variables it reads
import { afterAll, beforeEach, expect, it } from 'vitest';
import { chain, definitions, end, gateway, start, userTask } from '../helpers/bpmn-builder.js';
import { engineOn, openTaskAt, type TestEngine } from '../helpers/engine.js';
import { closeStores, describeEachStore } from '../helpers/stores.js';

afterAll(closeStores);

const BY_URGENCY = '=if urgent = true then 80 else 20';
/** Waiting (priority by urgency) and Fixed (a literal priority) beside a branch of two edits that change variables. */
const model = definitions('Triage', [
  start('S'),
  gateway('parallel', 'Split'),
  userTask('Edit1'),
  userTask('Edit2'),
  end('EditsDone'),
  userTask('Waiting', { priority: BY_URGENCY }),
  end('WaitingDone'),
  userTask('Fixed', { priority: '35' }),
  end('FixedDone'),
  ...chain('S', 'Split', 'Edit1', 'Edit2', 'EditsDone'),
  ...chain('Split', 'Waiting', 'WaitingDone'),
  ...chain('Split', 'Fixed', 'FixedDone'),
]);

describeEachStore('runtime/task priority follows the variables', (backend) => {
  let t: TestEngine;
  beforeEach(async () => {
    t = engineOn(await backend.open());
    await t.engine.deploy(model);
  });
  const priorities = async (id: string) =>
    Object.fromEntries(
      (await t.engine.listTasks({ instanceId: id, status: 'open' })).items.map((x) => [x.elementId, x.priority]),
    );
  const edit = async (id: string, task: string, variables: Record<string, unknown>) =>
    t.engine.completeTask((await openTaskAt(t.engine, id, task)).id, variables);

  it('re-evaluates an open task’s priority expression when the variables change, and leaves literals alone', async () => {
    const { id } = await t.engine.startInstance({ definitionKey: 'Triage', variables: { urgent: false } });
    expect(await priorities(id)).toEqual({ Edit1: 50, Waiting: 20, Fixed: 35 });

    await edit(id, 'Edit1', { urgent: true });
    expect(await priorities(id)).toEqual({ Edit2: 50, Waiting: 80, Fixed: 35 });
    await edit(id, 'Edit2', { urgent: false });
    expect(await priorities(id)).toEqual({ Waiting: 20, Fixed: 35 });

    const changes = (await t.engine.history(id)).filter((h) => h.event === 'task.priority-changed');
    expect(changes.map((h) => [h.elementId, h.details?.from, h.details?.to])).toEqual([
      ['Waiting', 20, 80],
      ['Waiting', 80, 20],
    ]);
  });

  it('leaves completed tasks as they were', async () => {
    const { id } = await t.engine.startInstance({ definitionKey: 'Triage', variables: { urgent: false } });
    const waiting = await openTaskAt(t.engine, id, 'Waiting');
    await t.engine.completeTask(waiting.id, {});
    await edit(id, 'Edit1', { urgent: true });

    expect((await t.engine.listTasks({ instanceId: id })).items.find((x) => x.id === waiting.id)?.priority).toBe(20);
  });
});
