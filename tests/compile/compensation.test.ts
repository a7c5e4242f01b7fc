// issue #12: compensation — completed activities are undone by their handlers, newest first, each once
import { describe, expect, it } from 'vitest';
import {
  chain,
  definitions,
  end,
  flow,
  gateway,
  message,
  start,
  subProcess,
  task,
  userTask,
} from '../helpers/bpmn-builder.js';
import { complete, compileXml, problemsOf, receive, run } from '../helpers/compile.js';
import { processMachine } from '../../engine/compile/index.js';
import { eventSubProcess } from '../helpers/esp-builder.js';
import { compensated, compensationThrow, handler } from '../helpers/compensation-builder.js';

/** An event sub-process started by compensation (start event `<id>Start`), holding `children`. */
const compensationEventSubProcess = (id: string, children: string[]) =>
  `<bpmn:subProcess id="${id}" triggeredByEvent="true"><bpmn:startEvent id="${id}Start"><bpmn:compensateEventDefinition /></bpmn:startEvent>${children.join('')}</bpmn:subProcess>`;

const undone = (visited: string[]) => visited.filter((id) => id.startsWith('Undo_'));

describe('compile/compensation', () => {
  it('runs the handlers of the completed activities in reverse order of completion, then goes on', async () => {
    const compiled = await compileXml(
      definitions('P', [
        start('S'),
        task('A'),
        task('B'),
        task('C'),
        compensationThrow('Throw'),
        end('E'),
        ...compensated('A'),
        ...compensated('B'),
        ...chain('S', 'A', 'B', 'C', 'Throw', 'E'),
      ]),
    );
    const sim = run(compiled);
    expect(sim.visited).toEqual(['S', 'A', 'B', 'C', 'Throw', 'Undo_B', 'Undo_A', 'E']);
    expect(sim.status).toBe('done');
  });

  it('waits at the throw event while a handler waits for a person', async () => {
    const compiled = await compileXml(
      definitions('P', [
        start('S'),
        task('A'),
        task('B'),
        compensationThrow('Throw'),
        end('E'),
        ...compensated('A', 'user'),
        ...compensated('B', 'user'),
        ...chain('S', 'A', 'B', 'Throw', 'E'),
      ]),
    );
    expect(run(compiled).activeElements.sort()).toEqual(['Throw', 'Undo_B']);
    expect(run(compiled, [complete('Undo_B')]).activeElements.sort()).toEqual(['Throw', 'Undo_A']);
    const sim = run(compiled, [complete('Undo_B'), complete('Undo_A')]);
    expect(sim.status).toBe('done');
    expect(sim.visited.at(-1)).toBe('E');
  });

  it('compensates an activity at most once, even when compensation is thrown again', async () => {
    const compiled = await compileXml(
      definitions('P', [
        start('S'),
        task('A'),
        compensationThrow('First'),
        compensationThrow('Second'),
        end('E'),
        ...compensated('A'),
        ...chain('S', 'A', 'First', 'Second', 'E'),
      ]),
    );
    expect(run(compiled).visited).toEqual(['S', 'A', 'First', 'Undo_A', 'Second', 'E']);
  });

  it('compensates only completed activities, not one still running', async () => {
    const compiled = await compileXml(
      definitions('P', [
        start('S'),
        gateway('parallel', 'Split'),
        task('A'),
        userTask('B'),
        compensationThrow('Throw'),
        gateway('parallel', 'Join'),
        end('E'),
        ...compensated('A'),
        ...compensated('B'),
        ...chain('S', 'Split'),
        flow('Split', 'A'),
        flow('Split', 'B'),
        ...chain('A', 'Throw', 'Join'),
        flow('B', 'Join'),
        ...chain('Join', 'E'),
      ]),
    );
    const sim = run(compiled, [complete('B')]);
    expect(undone(sim.visited)).toEqual(['Undo_A']);
    expect(sim.status).toBe('done');
  });

  it('compensates one activity named by activityRef and leaves the others compensable', async () => {
    const compiled = await compileXml(
      definitions('P', [
        start('S'),
        task('A'),
        task('B'),
        compensationThrow('OnlyA', { activityRef: 'A' }),
        compensationThrow('Rest'),
        end('E'),
        ...compensated('A'),
        ...compensated('B'),
        ...chain('S', 'A', 'B', 'OnlyA', 'Rest', 'E'),
      ]),
    );
    expect(run(compiled).visited).toEqual(['S', 'A', 'B', 'OnlyA', 'Undo_A', 'Rest', 'Undo_B', 'E']);
  });

  it('runs a handler once per completion of an activity that ran twice', async () => {
    const compiled = await compileXml(
      definitions('P', [
        start('S'),
        gateway('exclusive', 'Merge'),
        userTask('A'),
        gateway('exclusive', 'Again', 'Flow_Again_Throw'),
        compensationThrow('Throw'),
        end('E'),
        ...compensated('A'),
        ...chain('S', 'Merge', 'A', 'Again'),
        flow('Again', 'Merge', 'again = true'),
        ...chain('Again', 'Throw', 'E'),
      ]),
    );
    const sim = run(compiled, [complete('A', { again: true }), complete('A', { again: false })]);
    expect(undone(sim.visited)).toEqual(['Undo_A', 'Undo_A']);
  });

  it('compensates into a completed sub-process, its inner activities newest first', async () => {
    const compiled = await compileXml(
      definitions('P', [
        start('S'),
        subProcess('Sub', [
          start('SS'),
          task('A'),
          task('B'),
          end('SE'),
          ...compensated('A'),
          ...compensated('B'),
          ...chain('SS', 'A', 'B', 'SE'),
        ]),
        task('C'),
        compensationThrow('Throw', { end: true }),
        ...compensated('C'),
        ...chain('S', 'Sub', 'C', 'Throw'),
      ]),
    );
    const sim = run(compiled);
    expect(undone(sim.visited)).toEqual(['Undo_C', 'Undo_B', 'Undo_A']);
    expect(sim.status).toBe('done');
  });

  it('runs the own handler of a sub-process instead of compensating into it', async () => {
    const compiled = await compileXml(
      definitions('P', [
        start('S'),
        subProcess('Sub', [start('SS'), task('A'), end('SE'), ...compensated('A'), ...chain('SS', 'A', 'SE')]),
        compensationThrow('Throw'),
        end('E'),
        ...compensated('Sub'),
        ...chain('S', 'Sub', 'Throw', 'E'),
      ]),
    );
    expect(undone(run(compiled).visited)).toEqual(['Undo_Sub']);
  });

  it('does not compensate into a sub-process that has not completed', async () => {
    const compiled = await compileXml(
      definitions('P', [
        start('S'),
        gateway('parallel', 'Split'),
        subProcess('Sub', [
          start('SS'),
          task('A'),
          userTask('Review'),
          end('SE'),
          ...compensated('A'),
          ...chain('SS', 'A', 'Review', 'SE'),
        ]),
        compensationThrow('Throw'),
        gateway('parallel', 'Join'),
        end('E'),
        ...chain('S', 'Split'),
        flow('Split', 'Sub'),
        flow('Split', 'Throw'),
        flow('Sub', 'Join'),
        flow('Throw', 'Join'),
        ...chain('Join', 'E'),
      ]),
    );
    const sim = run(compiled, [complete('Review')]);
    expect(undone(sim.visited)).toEqual([]);
    expect(sim.status).toBe('done');
  });

  it('compensates only its own scope when thrown inside a sub-process', async () => {
    const compiled = await compileXml(
      definitions('P', [
        start('S'),
        task('Outer'),
        subProcess('Sub', [
          start('SS'),
          task('A'),
          compensationThrow('Inner'),
          end('SE'),
          ...compensated('A'),
          ...chain('SS', 'A', 'Inner', 'SE'),
        ]),
        end('E'),
        ...compensated('Outer'),
        ...chain('S', 'Outer', 'Sub', 'E'),
      ]),
    );
    expect(undone(run(compiled).visited)).toEqual(['Undo_A']);
  });

  it('runs the handler once per completed instance of a multi-instance activity', async () => {
    const mi = `<bpmn:userTask id="A" name="A"><bpmn:multiInstanceLoopCharacteristics><bpmn:loopCardinality>3</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics></bpmn:userTask>`;
    const compiled = await compileXml(
      definitions('P', [
        start('S'),
        mi,
        compensationThrow('Throw'),
        end('E'),
        ...compensated('A'),
        ...chain('S', 'A', 'Throw', 'E'),
      ]),
    );
    const sim = run(compiled, [complete('A'), complete('A'), complete('A')]);
    expect(undone(sim.visited)).toEqual(['Undo_A', 'Undo_A', 'Undo_A']);
    expect(sim.status).toBe('done');
  });

  it('compensates in a scope run as a token region', async () => {
    // A has two outgoing flows (an implicit split), which makes the process a token region
    const compiled = await compileXml(
      definitions('P', [
        start('S'),
        task('A'),
        task('B'),
        task('C'),
        compensationThrow('Throw'),
        end('E1'),
        end('E2'),
        ...compensated('A'),
        ...compensated('B'),
        ...chain('S', 'A', 'B', 'Throw', 'E1'),
        ...chain('A', 'C', 'E2'),
      ]),
    );
    const sim = run(compiled);
    expect(undone(sim.visited)).toEqual(['Undo_B', 'Undo_A']);
    expect(sim.status).toBe('done');
  });

  it('compensates the scope from an interrupting event sub-process (the scope its activities completed in)', async () => {
    const compiled = await compileXml(
      definitions(
        'P',
        [
          start('S'),
          task('A'),
          userTask('Wait'),
          end('E'),
          ...compensated('A'),
          ...chain('S', 'A', 'Wait', 'E'),
          eventSubProcess('Withdrawn', 'WithdrawnStart', { message: 'Msg' }, [
            compensationThrow('UndoAll'),
            end('WE'),
            ...chain('WithdrawnStart', 'UndoAll', 'WE'),
          ]),
        ],
        [message('Msg', 'withdrawn')],
      ),
    );
    const sim = run(compiled, [receive('WithdrawnStart')]);
    expect(undone(sim.visited)).toEqual(['Undo_A']);
    expect(sim.status).toBe('done');
  });

  it('compensates each completed instance of a sequential multi-instance sub-process', async () => {
    const sub = `<bpmn:subProcess id="Sub"><bpmn:multiInstanceLoopCharacteristics isSequential="true"><bpmn:loopCardinality>2</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics>${[start('SS'), task('A'), userTask('W'), end('SE'), ...compensated('A'), ...chain('SS', 'A', 'W', 'SE')].join('')}</bpmn:subProcess>`;
    const compiled = await compileXml(
      definitions('P', [start('S'), sub, compensationThrow('Throw'), end('E'), ...chain('S', 'Sub', 'Throw', 'E')]),
    );
    const sim = run(compiled, [complete('W'), complete('W')]);
    expect(undone(sim.visited)).toEqual(['Undo_A', 'Undo_A']);
    expect(sim.status).toBe('done');
  });

  it('steps a snapshot taken with the earlier one-region layout, a handler waiting for a person', async () => {
    const compiled = await compileXml(
      definitions('P', [
        start('S'),
        task('A'),
        task('B'),
        ...compensated('A', 'user'),
        ...compensated('B'),
        compensationThrow('T'),
        end('E'),
        ...chain('S', 'A', 'B', 'T', 'E'),
      ]),
    );
    const machine = processMachine(compiled);
    const now = '2026-01-05T09:00:00.000Z';
    const today = machine.start({ variables: {} }, now).snapshot as unknown as {
      value: { P__run: Record<string, unknown> };
      context: { compensation: { running: unknown[] } };
    };
    expect(today.value.P__run.P__run__comp).toMatchObject({ P__compensation__Undo_A: 'Undo_A' });
    // as the earlier layout stored it: the region's value is the handler's state, one item runs
    const earlier = {
      ...today,
      value: { P__run: { ...today.value.P__run, P__run__comp: 'Undo_A' } },
      context: {
        ...today.context,
        compensation: { ...today.context.compensation, running: today.context.compensation.running[0] },
      },
    };
    const next = machine.step(earlier, { type: 'task.completed', elementId: 'Undo_A', variables: {} }, now);
    expect(next.status).toBe('completed');
  });

  describe('compensation event sub-processes', () => {
    const booking = (espBody: string[], extra: string[] = []) =>
      definitions('P', [
        start('S'),
        subProcess('Sub', [
          start('SS'),
          task('Book'),
          task('Confirm'),
          end('SE'),
          ...compensated('Book'),
          ...chain('SS', 'Book', 'Confirm', 'SE'),
          compensationEventSubProcess('OnUndo', espBody),
        ]),
        ...extra,
        compensationThrow('Throw'),
        end('E'),
        ...chain('S', 'Sub', ...(extra.length > 0 ? ['After'] : []), 'Throw', 'E'),
      ]);

    it("run when their completed sub-process is compensated, instead of its activities' handlers", async () => {
      const sim = run(
        await compileXml(booking([task('Refund'), end('OnUndoEnd'), ...chain('OnUndoStart', 'Refund', 'OnUndoEnd')])),
      );
      expect(sim.visited).toEqual([
        'S',
        'Sub',
        'SS',
        'Book',
        'Confirm',
        'SE',
        'Throw',
        'OnUndo',
        'OnUndoStart',
        'Refund',
        'OnUndoEnd',
        'E',
      ]);
      expect(undone(sim.visited)).toEqual([]);
      expect(sim.status).toBe('done');
    });

    it("compensate the sub-process's completed activities with a throw of their own, which waits for them", async () => {
      const sim = run(
        await compileXml(
          booking([
            task('Notify'),
            compensationThrow('UndoInside'),
            end('OnUndoEnd'),
            ...chain('OnUndoStart', 'Notify', 'UndoInside', 'OnUndoEnd'),
          ]),
        ),
      );
      const tail = sim.visited.slice(sim.visited.indexOf('Throw'));
      // the inner throw's handler runs while the event sub-process waits at it; the outer throw waits for both
      expect(tail).toEqual(['Throw', 'OnUndo', 'OnUndoStart', 'Notify', 'UndoInside', 'Undo_Book', 'OnUndoEnd', 'E']);
      expect(sim.status).toBe('done');
    });

    it('an inner throw waits while its handler waits for a person, and the outer throw waits for it', async () => {
      const model = definitions('P', [
        start('S'),
        subProcess('Sub', [
          start('SS'),
          task('Book'),
          task('Pay'),
          end('SE'),
          ...compensated('Book', 'user'),
          ...compensated('Pay'),
          ...chain('SS', 'Book', 'Pay', 'SE'),
          compensationEventSubProcess('OnUndo', [
            compensationThrow('UndoInside'),
            task('Notify'),
            end('OnUndoEnd'),
            ...chain('OnUndoStart', 'UndoInside', 'Notify', 'OnUndoEnd'),
          ]),
        ]),
        task('Other'),
        ...compensated('Other'),
        compensationThrow('Throw'),
        end('E'),
        ...chain('S', 'Sub', 'Other', 'Throw', 'E'),
      ]);
      const compiled = await compileXml(model);
      const waiting = run(compiled);
      // newest first: Other's handler, then Sub's event sub-process, whose throw undoes Pay, then Book (a person)
      expect(waiting.visited.slice(waiting.visited.indexOf('Throw'))).toEqual([
        'Throw',
        'Undo_Other',
        'OnUndo',
        'OnUndoStart',
        'UndoInside',
        'Undo_Pay',
        'Undo_Book',
      ]);
      expect(waiting.activeElements.sort()).toEqual(['OnUndo', 'Throw', 'UndoInside', 'Undo_Book']);
      const sim = run(compiled, [complete('Undo_Book')]);
      expect(sim.visited.slice(sim.visited.indexOf('Undo_Book'))).toEqual(['Undo_Book', 'Notify', 'OnUndoEnd', 'E']);
      expect(sim.status).toBe('done');
    });

    it('never run while their sub-process has not completed, nor twice', async () => {
      const twice = definitions('P', [
        start('S'),
        subProcess('Sub', [
          start('SS'),
          task('Book'),
          end('SE'),
          ...chain('SS', 'Book', 'SE'),
          compensationEventSubProcess('OnUndo', [
            task('Refund'),
            end('OnUndoEnd'),
            ...chain('OnUndoStart', 'Refund', 'OnUndoEnd'),
          ]),
        ]),
        compensationThrow('First'),
        compensationThrow('Again'),
        end('E'),
        ...chain('S', 'Sub', 'First', 'Again', 'E'),
      ]);
      const sim = run(await compileXml(twice));
      expect(sim.visited.filter((id) => id === 'Refund')).toHaveLength(1);
      expect(sim.status).toBe('done');
      // the sub-process still running when compensation is thrown beside it: nothing to compensate
      const running = definitions('P', [
        start('S'),
        gateway('parallel', 'Fork'),
        subProcess('Sub', [
          start('SS'),
          userTask('Wait'),
          end('SE'),
          ...chain('SS', 'Wait', 'SE'),
          compensationEventSubProcess('OnUndo', [
            task('Refund'),
            end('OnUndoEnd'),
            ...chain('OnUndoStart', 'Refund', 'OnUndoEnd'),
          ]),
        ]),
        compensationThrow('Throw'),
        gateway('parallel', 'Join'),
        end('E'),
        ...chain('S', 'Fork', 'Sub', 'Join', 'E'),
        ...chain('Fork', 'Throw', 'Join'),
      ]);
      const early = run(await compileXml(running), [complete('Wait')]);
      expect(early.visited).not.toContain('Refund');
      expect(early.status).toBe('done');
    });
  });

  describe('refuses at deploy', () => {
    it('a throw inside one instance of a multi-instance sub-process, as not run yet', async () => {
      const sub = `<bpmn:subProcess id="Sub"><bpmn:multiInstanceLoopCharacteristics isSequential="true"><bpmn:loopCardinality>2</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics>${[start('SS'), task('A'), compensationThrow('Inner'), end('SE'), ...compensated('A'), ...chain('SS', 'A', 'Inner', 'SE')].join('')}</bpmn:subProcess>`;
      const problems = await problemsOf(definitions('P', [start('S'), sub, end('E'), ...chain('S', 'Sub', 'E')]));
      expect(problems).toContainEqual(
        expect.objectContaining({
          code: 'UNSUPPORTED_ELEMENT',
          elementId: 'Inner',
          message: expect.stringContaining('does not run compensation thrown inside'),
        }),
      );
    });

    it('a compensation event sub-process of the process, as not run yet', async () => {
      const problems = await problemsOf(
        definitions('P', [
          start('S'),
          task('A'),
          end('E'),
          ...chain('S', 'A', 'E'),
          compensationEventSubProcess('OnUndo', [
            task('Refund'),
            end('OnUndoEnd'),
            ...chain('OnUndoStart', 'Refund', 'OnUndoEnd'),
          ]),
        ]),
      );
      expect(problems).toContainEqual(
        expect.objectContaining({
          code: 'UNSUPPORTED_ELEMENT',
          elementId: 'OnUndoStart',
          message: expect.stringMatching(/does not run compensation .*yet/),
        }),
      );
    });

    it('a compensation boundary event without a handler', async () => {
      const problems = await problemsOf(
        definitions('P', [
          start('S'),
          task('A'),
          end('E'),
          '<bpmn:boundaryEvent id="B" attachedToRef="A"><bpmn:compensateEventDefinition /></bpmn:boundaryEvent>',
          ...chain('S', 'A', 'E'),
        ]),
      );
      expect(problems).toContainEqual(expect.objectContaining({ code: 'EVENT_DEFINITION_INVALID', elementId: 'B' }));
    });

    it('a throw that does not wait for completion, as not supported yet', async () => {
      const problems = await problemsOf(
        definitions('P', [
          start('S'),
          task('A'),
          compensationThrow('Throw', { waitForCompletion: false }),
          end('E'),
          ...compensated('A'),
          ...chain('S', 'A', 'Throw', 'E'),
        ]),
      );
      expect(problems).toContainEqual(
        expect.objectContaining({
          code: 'UNSUPPORTED_ELEMENT',
          elementId: 'Throw',
          message: expect.stringContaining('not run'),
        }),
      );
    });

    it('a handler with sequence flows, as invalid', async () => {
      const problems = await problemsOf(
        definitions('P', [start('S'), task('A'), handler('Undo'), end('E'), ...chain('S', 'A', 'Undo', 'E')]),
      );
      expect(problems).toContainEqual(expect.objectContaining({ code: 'FLOW_INVALID', elementId: 'Undo' }));
    });

    it('an activityRef to an activity of another scope, as invalid', async () => {
      const problems = await problemsOf(
        definitions('P', [
          start('S'),
          subProcess('Sub', [start('SS'), task('A'), end('SE'), ...compensated('A'), ...chain('SS', 'A', 'SE')]),
          compensationThrow('Throw', { activityRef: 'A' }),
          end('E'),
          ...chain('S', 'Sub', 'Throw', 'E'),
        ]),
      );
      expect(problems).toContainEqual(expect.objectContaining({ code: 'REFERENCE_INVALID', elementId: 'Throw' }));
    });
  });
});
