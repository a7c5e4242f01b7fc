/**
 * Issue 11, "Multi-instance and loops": a 500-item parallel multi-instance user task creates 500 tasks in
 * one step and completes in bounded memory: the persisted snapshot grows linearly with the items, and what
 * a completed instance kept (its activation, loop variables, inputs) is dropped when it completes, so the
 * snapshot shrinks as instances complete and is back to its base size when the body has left.
 * (Speed is measured by `npm run bench`, not here.)
 */
import { describe, expect, it } from 'vitest';
import { chain, definitions, end, start, userTask } from '../helpers/bpmn-builder.js';
import { compileXml } from '../helpers/compile.js';
import { processMachine, type Effect, type ProcessMachine } from '../../engine/compile/index.js';

const NOW = '2026-01-05T09:00:00.000Z';
const loop =
  '<bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=reviewers" inputElement="reviewer" /></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>';
const model = definitions('P', [
  start('S'),
  `<bpmn:userTask id="Review"><bpmn:extensionElements><zeebe:assignmentDefinition assignee="=reviewer" /><zeebe:ioMapping><zeebe:input source="=reviewer" target="who" /></zeebe:ioMapping></bpmn:extensionElements>${loop}</bpmn:userTask>`,
  userTask('After'),
  end('E'),
  ...chain('S', 'Review', 'After', 'E'),
]);

const sizeOf = (snapshot: unknown) => JSON.stringify(snapshot).length;
const reviewers = (n: number) => Array.from({ length: n }, (_, i) => `agent-${String(i).padStart(3, '0')}`);
const tasksIn = (effects: Effect[]) => effects.flatMap((e) => (e.type === 'task.create' ? [e.task] : []));

/** Starts with `n` reviewers; the snapshot size beyond the collection variable itself. */
function started(machine: ProcessMachine, n: number) {
  const variables = { reviewers: reviewers(n) };
  const outcome = machine.start({ variables }, NOW);
  return { outcome, own: sizeOf(outcome.snapshot) - 2 * JSON.stringify(variables).length };
}

describe('compile/multi-instance at scale', () => {
  it('500 items: 500 tasks in one step, the snapshot linear in the items and shrinking as they complete', async () => {
    const machine = processMachine(await compileXml(model));
    const { outcome } = started(machine, 500);
    const tasks = tasksIn(outcome.effects);
    expect(tasks).toHaveLength(500);
    expect(new Set(tasks.map((t) => t.activationId)).size).toBe(500);
    expect(tasks[499]).toMatchObject({ assignee: 'agent-499', inputs: { who: 'agent-499' } });

    // linear: the per-item state of 500 running instances is twice that of 250 (not quadratic), within 10%
    const base = started(machine, 0).own;
    const perItem250 = (started(machine, 250).own - base) / 250;
    const perItem500 = (started(machine, 500).own - base) / 500;
    expect(perItem500 / perItem250).toBeGreaterThan(0.9);
    expect(perItem500 / perItem250).toBeLessThan(1.1);

    // completing instances drops their state: the snapshot shrinks step by step, through JSON as stored
    let snapshot: unknown = JSON.parse(JSON.stringify(outcome.snapshot));
    const sizes: number[] = [sizeOf(snapshot)];
    for (const [i, task] of tasks.entries()) {
      const next = machine.step(
        snapshot,
        { type: 'task.completed', elementId: 'Review', activationId: task.activationId, variables: {} },
        NOW,
      );
      snapshot = JSON.parse(JSON.stringify(next.snapshot));
      if ((i + 1) % 100 === 0) sizes.push(sizeOf(snapshot));
      if (i < 499) expect(next.activeElements).toEqual(['Review']);
      else expect(next.activeElements).toEqual(['After']);
    }
    for (let i = 1; i < sizes.length; i++) expect(sizes[i]).toBeLessThan(sizes[i - 1]);
    // with 100 left, what is left of the per-item state is about a fifth of it (the collection stays a variable)
    const collection = 2 * JSON.stringify({ reviewers: reviewers(500) }).length;
    const perItemLeft = (sizes[4] - collection - base) / 100;
    expect(perItemLeft / perItem500).toBeLessThan(1.1);
    // the body has left: nothing per item remains, only the collection variable itself
    expect(sizes[5]).toBeLessThan(collection / 2 + 1000);
  });
});
