/**
 * Engine.extend, the one seam through which a service adds to the step: effect handlers for the kinds it
 * owns (run after every other effect of the step for SLA kinds), work once the instance row is settled
 * (in attach order, inside the transaction), per-step state, due work for the scheduler and deploy checks.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { problem } from '../../engine/bpmn/index.js';
import { DeploymentInvalidError, Engine, type StepRun } from '../../engine/runtime/index.js';
import { openStore, type Store } from '../../engine/store/index.js';
import { migrationSource } from '../../migrations/index.js';
import * as b from '../helpers/bpmn-builder.js';
import { callActivity8 } from '../helpers/call-builder.js';
import { FakeClock } from '../helpers/fake-clock.js';

const withSla = b.definitions('Process_ext', [
  b.start('Start_1'),
  b.userTask('Task_work', { ext: b.sla('PT4H') }),
  b.end('End_1'),
  ...b.chain('Start_1', 'Task_work', 'End_1'),
]);

// a parent whose call activity calls a child that ends at once: completing Task_first causes steps in the child
const caller = b.definitions('Process_caller', [
  b.start('Start_1'),
  b.userTask('Task_first'),
  callActivity8('Call_quick', 'Process_quick'),
  b.userTask('Task_next'),
  b.end('End_1'),
  ...b.chain('Start_1', 'Task_first', 'Call_quick', 'Task_next', 'End_1'),
]);
const quick = b.definitions('Process_quick', [b.start('Start_q'), b.end('End_q'), ...b.chain('Start_q', 'End_q')]);

describe('runtime: services extend the step through Engine.extend', () => {
  let store: Store;
  let engine: Engine;
  beforeEach(async () => {
    store = await openStore({ migrations: migrationSource, url: 'sqlite::memory:' });
    await store.migrate();
    engine = new Engine({ store, clock: new FakeClock() });
  });
  afterEach(async () => {
    await store.close();
  });

  it("gives an extension's handler the effect kind it owns, after the step's other effects wrote their rows", async () => {
    // given: a handler for sla.start that looks for the task the SLA runs on
    const seen: Array<{ elementId: string; target: string; taskRow: boolean; definition: string }> = [];
    engine.extend({
      effects: {
        'sla.start': async (run, effect) => {
          const task = await run.tx.tasks.openByElement(run.scope.instanceId, effect.elementId);
          seen.push({
            elementId: effect.elementId,
            target: effect.target,
            taskRow: task !== undefined && task !== null,
            definition: run.definition.compiled.processId,
          });
        },
      },
    });
    await engine.deploy(withSla);
    // when
    await engine.startInstance({ definitionKey: 'Process_ext' });
    // then: the task row existed when the SLA effect ran, and the handler knew the definition
    expect(seen).toEqual([{ elementId: 'Task_work', target: 'PT4H', taskRow: true, definition: 'Process_ext' }]);
  });

  it('runs settled handlers in the order attached, each step with state of its own', async () => {
    const order: string[] = [];
    const owner = {};
    const counts: number[] = [];
    engine.extend({
      settled: async (run: StepRun) => {
        const state = run.state(owner, () => ({ steps: 0 }));
        state.steps += 1;
        counts.push(state.steps);
        order.push(`first:${run.scope.event?.type ?? 'start'}`);
      },
    });
    engine.extend({ settled: async (run) => void order.push(`second:${run.scope.event?.type ?? 'start'}`) });
    await engine.deploy(withSla);
    const instance = await engine.startInstance({ definitionKey: 'Process_ext' });
    const task = (await engine.listTasks({ instanceId: instance.id })).items[0];
    await engine.completeTask(task.id, {});
    expect(order).toEqual(['first:start', 'second:start', 'first:task.completed', 'second:task.completed']);
    expect(counts).toEqual([1, 1]);
  });

  it('undoes the whole step when a settled handler throws', async () => {
    engine.extend({
      settled: async () => {
        throw new Error('refused inside the step');
      },
    });
    await engine.deploy(withSla);
    await expect(engine.startInstance({ definitionKey: 'Process_ext' })).rejects.toThrow('refused inside the step');
    expect((await engine.listInstances({})).items).toEqual([]);
    expect((await engine.listTasks({})).items).toEqual([]);
  });

  it("runs an extension's due work on scheduler ticks and its deploy check on each deployment", async () => {
    const due = [2, 1];
    let asked = 0;
    engine.extend({
      due: async () => {
        asked += 1;
        return due.shift() ?? 0;
      },
      deployCheck: async (compiled) =>
        compiled.processId === 'Process_ext' ? [problem('SLA_INVALID', 'Task_work', 'bpmn:UserTask', 'not here')] : [],
    });
    const fired = await engine.tick();
    // the tick runs due work until nothing more is due
    expect(asked).toBe(3);
    expect(fired.checks).toBe(3);
    await expect(engine.deploy(withSla)).rejects.toBeInstanceOf(DeploymentInvalidError);
    expect((await engine.listDefinitions({})).items).toEqual([]);
  });
  it("checks a command's preconditions first and runs its settled handlers after the extensions', in its own step only", async () => {
    const order: string[] = [];
    engine.extend({ settled: async (run) => void order.push(`extension:${run.scope.event?.type ?? 'start'}`) });
    await engine.deploy(withSla);
    const instance = await engine.startInstance({ definitionKey: 'Process_ext' });
    const task = (await engine.listTasks({ instanceId: instance.id })).items[0];
    const event = { type: 'variables.set' as const, elementId: task.elementId, variables: { note: 'x' } };
    // a precondition that refuses: nothing of the step happens, and no settled handler runs
    const refused = engine.send(instance.id, event, null, {
      preconditions: [
        async () => {
          order.push('precondition:refuses');
          throw new Error('not any more');
        },
      ],
      settled: [async () => void order.push('command:refused')],
    });
    await expect(refused).rejects.toThrow('not any more');
    expect((await engine.getInstance(instance.id)).variables).not.toHaveProperty('note');
    // preconditions in order, on the row as read; the command's work after the extensions'
    const view = await engine.send(instance.id, event, null, {
      preconditions: [
        async (_tx, row) => void order.push(`precondition:${row.version}`),
        async () => void order.push('precondition:second'),
      ],
      settled: [async (_run, row) => void order.push(`command:${row.variables.note}`)],
    });
    expect(view.variables).toMatchObject({ note: 'x' });
    expect(order).toEqual([
      'extension:start',
      'precondition:refuses',
      'precondition:1',
      'precondition:second',
      'extension:variables.set',
      'command:x',
    ]);
  });
  it("runs a command's concluded handlers last, on the instance as the steps it caused in other instances left it", async () => {
    await engine.deploy([
      { name: 'quick.bpmn', xml: quick },
      { name: 'caller.bpmn', xml: caller },
    ]);
    const instance = await engine.startInstance({ definitionKey: 'Process_caller' });
    const [task] = (await engine.listTasks({ instanceId: instance.id })).items;
    const complete = { type: 'task.completed' as const, elementId: task.elementId, variables: {}, by: null };
    const seen: string[] = [];
    // a concluded handler that throws undoes the step and the child it started
    const refused = engine.send(instance.id, complete, null, {
      concluded: [
        async () => {
          throw new Error('taken meanwhile');
        },
      ],
    });
    await expect(refused).rejects.toThrow('taken meanwhile');
    expect((await engine.getInstance(instance.id)).activeElements).toEqual(['Task_first']);
    expect((await engine.listInstances({ parentInstanceId: instance.id })).items).toEqual([]);
    // settled sees the row its own step left (at the call); concluded sees it after the child ended
    await engine.send(instance.id, complete, null, {
      settled: [async (_run, row) => void seen.push(`settled:${row.activeElements.join()}`)],
      concluded: [
        async (run, row) => void seen.push(`concluded:${row.activeElements.join()}:${run.scope.event?.type}`),
        async ({ tx }) => void seen.push(`second:${(await tx.instances.get(instance.id))?.activeElements.join()}`),
      ],
    });
    expect(seen).toEqual(['settled:Call_quick', 'concluded:Task_next:task.completed', 'second:Task_next']);
    const [child] = (await engine.listInstances({ parentInstanceId: instance.id })).items;
    expect(child.status).toBe('completed');
  });
});
