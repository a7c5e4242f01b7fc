// issue #10: an error or escalation caught by an interrupting boundary interrupts at the moment of the throw
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
  scriptTask,
  start,
  subProcess,
  userTask,
} from '../helpers/bpmn-builder.js';
import { compileXml, run } from '../helpers/compile.js';

describe('compile/throws caught by an interrupting boundary', () => {
  it('an escalation thrown inside a sub-process runs nothing after the throw point', async () => {
    // given
    const compiled = await compileXml(
      definitions(
        'P',
        [
          start('S'),
          subProcess('Case', [
            start('CS'),
            escalationThrow('Raise', 'Esc_late'),
            scriptTask('After', '"ran"', 'after'),
            userTask('Work'),
            end('CE'),
            ...chain('CS', 'Raise', 'After', 'Work', 'CE'),
          ]),
          boundary('Caught', 'Case', { escalation: 'Esc_late' }),
          userTask('Handle'),
          end('E'),
          end('E2'),
          ...chain('S', 'Case', 'E'),
          ...chain('Caught', 'Handle', 'E2'),
        ],
        [escalation('Esc_late', 'late')],
      ),
    );
    // when
    const sim = run(compiled);
    // then
    expect(sim.visited).not.toContain('After');
    expect(sim.visited).not.toContain('Work');
    expect(sim.variables).toEqual({});
    expect(sim.activeElements).toEqual(['Handle']);
  });

  it('an error end event in one parallel branch stops the sibling branch before it moves on', async () => {
    const compiled = await compileXml(
      definitions(
        'P',
        [
          start('S'),
          subProcess('Case', [
            start('CS'),
            gateway('parallel', 'Split'),
            errorEnd('Fail', 'Error_x'),
            scriptTask('One', '1', 'one'),
            scriptTask('Two', '2', 'two'),
            userTask('Work'),
            end('CE'),
            flow('CS', 'Split'),
            flow('Split', 'Fail'),
            flow('Split', 'One'),
            ...chain('One', 'Two', 'Work', 'CE'),
          ]),
          boundary('Caught', 'Case', { error: 'Error_x' }),
          userTask('Handle'),
          end('E'),
          end('E2'),
          ...chain('S', 'Case', 'E'),
          ...chain('Caught', 'Handle', 'E2'),
        ],
        [error('Error_x', 'X')],
      ),
    );
    const sim = run(compiled);
    expect(sim.variables).toEqual({});
    expect(sim.visited).not.toContain('Work');
    expect(sim.activeElements).toEqual(['Handle']);
  });
});
