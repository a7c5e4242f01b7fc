// issue #12: link events — a throw continues at the catch of the same name in its scope
import { describe, expect, it } from 'vitest';
import { chain, definitions, end, flow, gateway, start, subProcess, userTask } from '../helpers/bpmn-builder.js';
import { complete, compileXml, problemsOf, run } from '../helpers/compile.js';
import { linkCatch, linkThrow } from '../helpers/event-builder.js';

describe('compile/link events', () => {
  it('goes from a link throw to the catch of the same name', async () => {
    const compiled = await compileXml(
      definitions('P', [
        start('S'),
        userTask('A'),
        linkThrow('ToPageTwo', 'page2'),
        linkCatch('PageTwo', 'page2'),
        userTask('B'),
        end('E'),
        ...chain('S', 'A', 'ToPageTwo'),
        ...chain('PageTwo', 'B', 'E'),
      ]),
    );
    const sim = run(compiled, [complete('A')]);
    expect(sim.activeElements).toEqual(['B']);
    expect(sim.visited).toEqual(['S', 'A', 'ToPageTwo', 'PageTwo', 'B']);
    expect(run(compiled, [complete('A'), complete('B')]).status).toBe('done');
  });

  it('loops back through a link inside a sub-process', async () => {
    const compiled = await compileXml(
      definitions('P', [
        start('S'),
        subProcess('Sub', [
          start('SS'),
          linkCatch('Again', 'retry'),
          userTask('Try'),
          gateway('exclusive', 'G', 'Flow_G_SE'),
          linkThrow('Retry', 'retry'),
          end('SE'),
          flow('SS', 'Try'),
          flow('Again', 'Try'),
          flow('Try', 'G'),
          flow('G', 'Retry', 'ok = false'),
          flow('G', 'SE'),
        ]),
        end('E'),
        ...chain('S', 'Sub', 'E'),
      ]),
    );
    const sim = run(compiled, [complete('Try', { ok: false }), complete('Try', { ok: true })]);
    expect(sim.status).toBe('done');
    expect(sim.visited.filter((id) => id === 'Try')).toHaveLength(2);
  });

  it('calls a throw without exactly one catch of its name in its scope invalid', async () => {
    const problems = await problemsOf(
      definitions('P', [start('S'), linkThrow('Nowhere', 'missing'), ...chain('S', 'Nowhere')]),
    );
    expect(problems).toContainEqual(
      expect.objectContaining({
        code: 'EVENT_DEFINITION_INVALID',
        elementId: 'Nowhere',
        message: expect.stringContaining('the model is invalid because'),
      }),
    );
  });
});
