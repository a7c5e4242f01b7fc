/**
 * Inside a token region (here made one by an implicit split on the start event) every element keeps
 * its behaviour: tasks, jobs, timers, messages, boundary events, sub-processes, errors, incidents.
 */
import { describe, expect, it } from 'vitest';
import {
  boundary,
  chain,
  definitions,
  end,
  error,
  errorEnd,
  escalation,
  escalationThrow,
  flow,
  gateway,
  message,
  messageCatch,
  serviceTask,
  start,
  subProcess,
  task,
  userTask,
} from '../helpers/bpmn-builder.js';
import { complete, compileXml, effectsOf, fire, jobDone, receive, run } from '../helpers/compile.js';
import type { EngineEvent } from '../../engine/compile/index.js';

/** S forks to `main` (its first element) and to a side task that ends at once: the scope is a token region. */
function forked(main: string, body: string[], roots: string[] = []): string {
  return definitions(
    'P',
    [start('S'), task('Side'), end('SideEnd'), flow('S', main), flow('S', 'Side'), flow('Side', 'SideEnd'), ...body],
    roots,
  );
}

describe('compile/token-regions: elements keep their behaviour', () => {
  it('is a token region (the implicit split is compiled as stations)', async () => {
    const compiled = await compileXml(forked('A', [userTask('A'), end('E'), ...chain('A', 'E')]));
    expect(JSON.stringify(compiled.config)).toContain('A__station');
  });

  it('runs user tasks and service tasks, merging their variables', async () => {
    const compiled = await compileXml(
      forked('A', [userTask('A'), serviceTask('B', 'crm.update'), end('E'), ...chain('A', 'B', 'E')]),
    );
    const sim = run(compiled, [complete('A', { answer: 42 }), jobDone('B', { synced: true })]);
    expect(effectsOf(sim, 'job.create')).toEqual([expect.objectContaining({ elementId: 'B', jobType: 'crm.update' })]);
    expect(sim.variables).toMatchObject({ answer: 42, synced: true });
    expect(sim.status).toBe('done');
  });

  it('an interrupting timer boundary moves the token to its path and cancels the task', async () => {
    const compiled = await compileXml(
      forked('A', [
        userTask('A'),
        boundary('Late', 'A', { timer: ['duration', 'PT4H'] }),
        userTask('Chase'),
        end('E'),
        end('E2'),
        ...chain('A', 'E'),
        ...chain('Late', 'Chase', 'E2'),
      ]),
    );
    const started = run(compiled);
    expect(effectsOf(started, 'timer.schedule')).toEqual([expect.objectContaining({ elementId: 'Late' })]);
    const sim = run(compiled, [fire('Late')]);
    expect(sim.activeElements).toEqual(['Chase']);
    expect(effectsOf(sim, 'task.cancel')).toContainEqual({
      type: 'task.cancel',
      elementId: 'A',
      activationId: expect.any(String),
    });
    expect(run(compiled, [fire('Late'), complete('Chase')]).status).toBe('done');
  });

  it('a non-interrupting message boundary adds a token while the task goes on', async () => {
    const compiled = await compileXml(
      forked(
        'A',
        [
          userTask('A'),
          boundary('Nudge', 'A', { message: 'Msg_nudge' }, false),
          task('Note'),
          end('E'),
          end('E2'),
          ...chain('A', 'E'),
          ...chain('Nudge', 'Note', 'E2'),
        ],
        [message('Msg_nudge', 'nudge')],
      ),
    );
    const sim = run(compiled, [receive('Nudge')]);
    expect(sim.visited).toContain('Note');
    expect(sim.activeElements).toEqual(['A']);
    expect(run(compiled, [receive('Nudge'), complete('A')]).status).toBe('done');
  });

  it('waits at a message catch event', async () => {
    const compiled = await compileXml(
      forked('W', [messageCatch('W', 'Msg_reply'), end('E'), ...chain('W', 'E')], [message('Msg_reply', 'reply')]),
    );
    expect(run(compiled).activeElements).toEqual(['W']);
    expect(run(compiled, [receive('W', { reply: 'yes' })]).variables).toMatchObject({ reply: 'yes' });
  });

  it('a sub-process error end is caught by the boundary on the sub-process', async () => {
    const compiled = await compileXml(
      forked(
        'Sub',
        [
          subProcess('Sub', [start('SS'), userTask('Work'), errorEnd('Fail', 'Err_x'), ...chain('SS', 'Work', 'Fail')]),
          boundary('Caught', 'Sub', { error: 'Err_x' }),
          userTask('Repair'),
          end('E'),
          end('E2'),
          ...chain('Sub', 'E'),
          ...chain('Caught', 'Repair', 'E2'),
        ],
        [error('Err_x', 'X')],
      ),
    );
    const sim = run(compiled, [complete('Work')]);
    expect(sim.activeElements).toEqual(['Repair']);
    expect(run(compiled, [complete('Work'), complete('Repair')]).status).toBe('done');
  });

  it('an escalation thrown inside a sub-process reaches a non-interrupting boundary', async () => {
    const compiled = await compileXml(
      forked(
        'Sub',
        [
          subProcess('Sub', [
            start('SS'),
            escalationThrow('Up', 'Esc_up'),
            userTask('Work'),
            end('SE'),
            ...chain('SS', 'Up', 'Work', 'SE'),
          ]),
          boundary('Heard', 'Sub', { escalation: 'Esc_up' }, false),
          userTask('Tell'),
          end('E'),
          end('E2'),
          ...chain('Sub', 'E'),
          ...chain('Heard', 'Tell', 'E2'),
        ],
        [escalation('Esc_up', 'up')],
      ),
    );
    expect(run(compiled).activeElements).toEqual(['Sub', 'Tell', 'Work']);
  });

  it('a condition that cannot decide is a CONDITION_FAILED incident; a retry with the variable goes on', async () => {
    const compiled = await compileXml(
      forked('X', [
        gateway('exclusive', 'X', 'F_no'),
        userTask('Yes'),
        end('E1'),
        end('E2'),
        flow('X', 'Yes', 'amount > 10', 'F_yes'),
        flow('X', 'E2', undefined, 'F_no'),
        flow('Yes', 'E1'),
      ]),
    );
    const stuck = run(compiled);
    expect(effectsOf(stuck, 'incident.raise')).toEqual([
      expect.objectContaining({ elementId: 'X', code: 'CONDITION_FAILED' }),
    ]);
    expect(stuck.activeElements).toEqual(['X']);
    const retry: EngineEvent = { type: 'incident.retry', elementId: 'X', variables: { amount: 50 } };
    expect(run(compiled, [retry]).activeElements).toEqual(['Yes']);
  });

  it('survives the JSON round trip of the snapshot with tokens waiting at a join', async () => {
    const compiled = await compileXml(
      forked('A', [
        userTask('A'),
        userTask('B'),
        gateway('parallel', 'J'),
        end('E'),
        flow('A', 'J'),
        flow('A', 'B'),
        flow('B', 'J'),
        flow('J', 'E'),
      ]),
    );
    const sim = run(compiled, [complete('A')]);
    // the join a token waits at is active too
    expect(sim.activeElements).toEqual(['B', 'J']);
    expect(JSON.stringify(sim.snapshot)).toContain('"marking"');
    expect(run(compiled, [complete('A'), complete('B')]).status).toBe('done');
  });
});
