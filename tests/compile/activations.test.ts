/**
 * Two tokens at one wait state run as two activations at once (issue 10: "a task runs once per
 * token"): each has its own task, job, timer or subscription carrying its activation id, and
 * completing one moves only its token.
 */
import { describe, expect, it } from 'vitest';
import {
  boundary,
  chain,
  definitions,
  end,
  flow,
  gateway,
  message,
  messageCatch,
  receiveTask,
  serviceTask,
  start,
  task,
  timerCatch,
  userTask,
} from '../helpers/bpmn-builder.js';
import { compileXml, effectsOf, run } from '../helpers/compile.js';
import { simulate, type EngineEvent, type Simulation } from '../../engine/compile/index.js';

/** S splits into two plain tasks that merge (exclusive) into `waitId`, then W_end: two tokens reach the wait state in one step. */
function twoTokensInto(wait: string, waitId = 'W', roots: string[] = []): string {
  return definitions(
    'P',
    [
      start('S'),
      gateway('parallel', 'Split'),
      task('A'),
      task('B'),
      gateway('exclusive', 'M'),
      wait,
      end('End'),
      flow('S', 'Split'),
      flow('Split', 'A'),
      flow('Split', 'B'),
      flow('A', 'M'),
      flow('B', 'M'),
      ...chain('M', waitId, 'End'),
    ],
    roots,
  );
}

function activationsOf(
  sim: Simulation,
  type: 'task.create' | 'job.create' | 'timer.schedule' | 'message.subscribe',
): string[] {
  return effectsOf(sim, type).map((e) => ('task' in e ? e.task.activationId : e.activationId) ?? 'none');
}

describe('compile/activations: one activation per token at a wait state', () => {
  it('creates two user tasks at once after a multi-merge, each with its own activation', async () => {
    const compiled = await compileXml(twoTokensInto(userTask('W')));
    const sim = run(compiled);
    const ids = activationsOf(sim, 'task.create');
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(2);
    expect(sim.activeElements).toEqual(['W']);
  });

  it('completing one activation moves only its token; the other task stays open', async () => {
    const compiled = await compileXml(twoTokensInto(userTask('W')));
    const [first, second] = activationsOf(run(compiled), 'task.create');
    const one = run(compiled, [
      { type: 'task.completed', elementId: 'W', activationId: second, variables: { by: 'second' } },
    ]);
    expect(one.status).toBe('active');
    expect(one.activeElements).toEqual(['W']);
    expect(one.visited.filter((id) => id === 'End')).toHaveLength(1);
    // the completed activation's task is not cancelled, and nothing else is asked for
    expect(effectsOf(one, 'task.cancel')).toEqual([]);
    const both = run(compiled, [
      { type: 'task.completed', elementId: 'W', activationId: second },
      { type: 'task.completed', elementId: 'W', activationId: first },
    ]);
    expect(both.status).toBe('done');
    expect(both.left.filter((id) => id === 'W')).toHaveLength(2);
  });

  it('an event naming an activation that is not running does nothing', async () => {
    const compiled = await compileXml(twoTokensInto(userTask('W')));
    const sim = run(compiled, [{ type: 'task.completed', elementId: 'W', activationId: 'no-such' }]);
    expect(sim.steps.at(-1)!.effects).toEqual([]);
    expect(sim.activeElements).toEqual(['W']);
  });

  it('runs two jobs of a service task at once and completes them apart', async () => {
    const compiled = await compileXml(twoTokensInto(serviceTask('W', 'crm.update')));
    const [first, second] = activationsOf(run(compiled), 'job.create');
    expect(first).not.toBe(second);
    const one = run(compiled, [{ type: 'job.completed', elementId: 'W', activationId: first }]);
    expect(one.status).toBe('active');
    expect(one.visited.filter((id) => id === 'End')).toHaveLength(1);
    const both = run(compiled, [
      { type: 'job.completed', elementId: 'W', activationId: first },
      { type: 'job.completed', elementId: 'W', activationId: second },
    ]);
    expect(both.status).toBe('done');
  });

  it('schedules one timer per token at a timer catch event and fires them apart', async () => {
    const compiled = await compileXml(twoTokensInto(timerCatch('W', 'duration', 'PT1H')));
    const ids = activationsOf(run(compiled), 'timer.schedule');
    expect(new Set(ids).size).toBe(2);
    const one = run(compiled, [{ type: 'timer.fired', elementId: 'W', activationId: ids[0] }]);
    expect(one.activeElements).toEqual(['W']);
    expect(
      run(
        compiled,
        ids.map((id): EngineEvent => ({ type: 'timer.fired', elementId: 'W', activationId: id })),
      ).status,
    ).toBe('done');
  });

  it('subscribes once per token at a receive task and a message catch event', async () => {
    for (const wait of [receiveTask('W', 'Msg'), messageCatch('W', 'Msg')]) {
      const compiled = await compileXml(twoTokensInto(wait, 'W', [message('Msg', 'reply')]));
      const ids = activationsOf(run(compiled), 'message.subscribe');
      expect(new Set(ids).size).toBe(2);
      const one = run(compiled, [{ type: 'message.received', elementId: 'W', activationId: ids[1] }]);
      expect(one.status).toBe('active');
      expect(
        run(
          compiled,
          ids.map((id): EngineEvent => ({ type: 'message.received', elementId: 'W', activationId: id })),
        ).status,
      ).toBe('done');
    }
  });

  it('keeps each activation its own input values', async () => {
    const compiled = await compileXml(
      definitions('P', [
        start('S'),
        gateway('parallel', 'Split'),
        task('A'),
        serviceTask('B', 'slow'),
        gateway('exclusive', 'M'),
        userTask('W', {
          ext: '<zeebe:ioMapping><zeebe:input source="=round" target="myRound" /><zeebe:output source="=myRound" target="lastRound" /></zeebe:ioMapping>',
        }),
        end('End'),
        flow('S', 'Split'),
        flow('Split', 'A'),
        flow('Split', 'B'),
        flow('A', 'M'),
        flow('B', 'M'),
        ...chain('M', 'W', 'End'),
      ]),
    );
    const sim = simulate(compiled, {
      variables: { round: 1 },
      events: [{ type: 'job.completed', elementId: 'B', variables: { round: 2 } }],
    });
    const tasks = effectsOf(sim, 'task.create');
    expect(tasks.map((t) => t.task.inputs)).toEqual([{ myRound: 1 }, { myRound: 2 }]);
    const done = simulate(compiled, {
      variables: { round: 1 },
      events: [
        { type: 'job.completed', elementId: 'B', variables: { round: 2 } },
        { type: 'task.completed', elementId: 'W', activationId: tasks[0].task.activationId },
      ],
    });
    expect(done.variables).toMatchObject({ lastRound: 1 });
  });

  it('an interrupting boundary of one activation cancels only its task and moves only its token', async () => {
    const compiled = await compileXml(
      definitions('P', [
        start('S'),
        gateway('parallel', 'Split'),
        task('A'),
        task('B'),
        gateway('exclusive', 'M'),
        userTask('W'),
        boundary('Late', 'W', { timer: ['duration', 'PT4H'] }),
        userTask('Chase'),
        end('End'),
        end('End2'),
        flow('S', 'Split'),
        flow('Split', 'A'),
        flow('Split', 'B'),
        flow('A', 'M'),
        flow('B', 'M'),
        ...chain('M', 'W', 'End'),
        ...chain('Late', 'Chase', 'End2'),
      ]),
    );
    const started = run(compiled);
    const timers = effectsOf(started, 'timer.schedule');
    expect(timers.map((t) => t.elementId)).toEqual(['Late', 'Late']);
    const [, second] = activationsOf(started, 'task.create');
    expect(timers[1].activationId).toBe(second);
    const fired = run(compiled, [{ type: 'timer.fired', elementId: 'Late', activationId: second }]);
    expect(effectsOf(fired, 'task.cancel')).toEqual([{ type: 'task.cancel', elementId: 'W', activationId: second }]);
    expect(fired.activeElements).toEqual(['Chase', 'W']);
  });

  it('a non-interrupting boundary path that loops back into its task runs a second activation beside the first', async () => {
    const compiled = await compileXml(
      definitions('P', [
        start('S'),
        gateway('exclusive', 'M'),
        userTask('W'),
        boundary('Again', 'W', { timer: ['duration', 'PT1H'] }, false),
        end('End'),
        ...chain('S', 'M', 'W', 'End'),
        flow('Again', 'M'),
      ]),
    );
    const [first] = activationsOf(run(compiled), 'task.create');
    const looped = run(compiled, [{ type: 'timer.fired', elementId: 'Again', activationId: first }]);
    const ids = activationsOf(looped, 'task.create');
    expect(new Set(ids).size).toBe(2);
    expect(effectsOf(looped, 'task.cancel')).toEqual([]);
    const oneDone = run(compiled, [
      { type: 'timer.fired', elementId: 'Again', activationId: first },
      { type: 'task.completed', elementId: 'W', activationId: first },
    ]);
    expect(oneDone.status).toBe('active');
    expect(oneDone.activeElements).toEqual(['W']);
  });
});

describe('compile/activations: joins that wait are active elements', () => {
  it('a parallel join one branch never reaches is listed in activeElements', async () => {
    const compiled = await compileXml(
      definitions('P', [
        start('S'),
        gateway('exclusive', 'X', 'Flow_X_B'),
        userTask('A'),
        task('B'),
        gateway('parallel', 'J'),
        end('End'),
        flow('S', 'X'),
        flow('X', 'A', 'go'),
        flow('X', 'B'),
        flow('A', 'J'),
        flow('B', 'J'),
        flow('J', 'End'),
      ]),
    );
    const sim = run(compiled, [], { go: false });
    expect(sim.status).toBe('active');
    expect(sim.activeElements).toEqual(['J']);
  });
});
