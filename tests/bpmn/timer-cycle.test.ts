// issue #10: an intermediate timer with a cycle is refused, never silently fired once
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
});
