// issue #10: an intermediate timer with a cycle is refused, never silently fired once; issue #13: an invalid cycle,
// and a timer with more than one of date, duration and cycle, are refused at deploy naming the element
import { describe, expect, it } from 'vitest';
import { boundary, chain, definitions, end, start, timerCatch, userTask } from '../helpers/bpmn-builder.js';
import { problemsOf } from '../helpers/compile.js';

describe('bpmn/timer cycles', () => {
  it('refuses a cycle on an intermediate catch event, naming it', async () => {
    const problems = await problemsOf(
      definitions('P', [start('S'), timerCatch('Every', 'cycle', 'R3/PT1H'), end('E'), ...chain('S', 'Every', 'E')]),
    );
    expect(problems).toEqual([
      expect.objectContaining({
        code: 'UNSUPPORTED_ELEMENT',
        elementId: 'Every',
        message: expect.stringContaining('svcflow does not run timer cycles on intermediate catch events yet'),
      }),
    ]);
  });

  it('keeps a cycle on a non-interrupting boundary timer, which repeats', async () => {
    const problems = await problemsOf(
      definitions('P', [
        start('S'),
        userTask('A'),
        boundary('Remind', 'A', { timer: ['cycle', 'R3/PT1H'] }, false),
        end('E'),
        end('E2'),
        ...chain('S', 'A', 'E'),
        ...chain('Remind', 'E2'),
      ]),
    );
    expect(problems).toEqual([]);
  });

  it('refuses a cycle that is neither a repeating interval nor a cron expression, naming the element and value', async () => {
    for (const cycle of ['every hour', 'R3/PT1H/PT2H', '0 0 25 * * ?']) {
      const problems = await problemsOf(remindEvery(['cycle', cycle]));
      expect(problems, cycle).toEqual([
        expect.objectContaining({
          code: 'TIMER_INVALID',
          elementId: 'Remind',
          message: expect.stringContaining(`has the timer cycle "${cycle}"`),
        }),
      ]);
    }
  });

  it('keeps the cycles Camunda 7 and 8 models write: repeating intervals with and without a start, and cron', async () => {
    for (const cycle of ['R/PT1H', 'R3/2026-01-05T09:00:00Z/P1D', '0 0 9 * * ?', '0 0 9 ? * MON-FRI']) {
      const problems = await problemsOf(remindEvery(['cycle', cycle]));
      expect(problems, cycle).toEqual([]);
    }
  });

  it('refuses a timer with both a duration and a cycle instead of running one of them', async () => {
    const xml = remindEvery(['duration', 'PT1H']).replace(
      '</bpmn:timeDuration>',
      '</bpmn:timeDuration><bpmn:timeCycle>R/PT1H</bpmn:timeCycle>',
    );
    expect(xml).toContain('<bpmn:timeCycle');
    const problems = await problemsOf(xml);
    expect(problems).toEqual([
      expect.objectContaining({
        code: 'TIMER_INVALID',
        elementId: 'Remind',
        message: expect.stringContaining('a timeDuration and a timeCycle'),
      }),
    ]);
  });
});

/** A user task with a non-interrupting boundary timer `Remind` of the given kind and value. */
function remindEvery(timer: ['cycle' | 'duration', string]): string {
  return definitions('P', [
    start('S'),
    userTask('A'),
    boundary('Remind', 'A', { timer }, false),
    end('E'),
    end('E2'),
    ...chain('S', 'A', 'E'),
    ...chain('Remind', 'E2'),
  ]);
}
