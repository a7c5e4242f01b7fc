/**
 * Traces (multisets of executed element ids) per topology: the workflow control-flow patterns 1–10,
 * every diverging × converging gateway pair, implicit splits and merges, multi-merge into a later join,
 * inclusive joins in cycles, and terminate from a parallel branch.
 */
import { describe, expect, it } from 'vitest';
import {
  chain,
  definitions,
  end,
  flow,
  gateway,
  scriptTask,
  start,
  subProcess,
  task,
  terminateEnd,
  userTask,
} from '../helpers/bpmn-builder.js';
import { complete, compileXml, effectsOf, problemsOf, run } from '../helpers/compile.js';
import type { Simulation } from '../../engine/compile/index.js';

type Kind = 'exclusive' | 'parallel' | 'inclusive';

/** The elements entered, as a sorted multiset. */
function trace(sim: Simulation): string[] {
  return [...sim.visited].sort();
}

function times(id: string, n: number): string[] {
  return Array.from({ length: n }, () => id);
}

const bump = (id: string) => scriptTask(id, 'n + 1', 'n');
const withDefault = (tag: string, id: string, defaultFlow: string) =>
  `<bpmn:${tag} id="${id}" default="${defaultFlow}" />`;

describe('compile/topology: workflow control-flow patterns', () => {
  it('WCP1 sequence', async () => {
    const sim = run(
      await compileXml(definitions('P', [start('S'), task('A'), task('B'), end('E'), ...chain('S', 'A', 'B', 'E')])),
    );
    expect(sim.visited).toEqual(['S', 'A', 'B', 'E']);
    expect(sim.status).toBe('done');
  });

  it('WCP2 parallel split and WCP3 synchronization', async () => {
    const sim = run(
      await compileXml(
        definitions('P', [
          start('S'),
          gateway('parallel', 'P1'),
          task('A'),
          task('B'),
          gateway('parallel', 'J'),
          end('E'),
          flow('S', 'P1'),
          flow('P1', 'A'),
          flow('P1', 'B'),
          flow('A', 'J'),
          flow('B', 'J'),
          flow('J', 'E'),
        ]),
      ),
    );
    expect(trace(sim)).toEqual(['A', 'B', 'E', 'J', 'P1', 'S']);
    expect(sim.status).toBe('done');
  });

  it('WCP4 exclusive choice and WCP5 simple merge', async () => {
    const compiled = await compileXml(
      definitions('P', [
        start('S'),
        gateway('exclusive', 'X', 'F_b'),
        task('A'),
        task('B'),
        gateway('exclusive', 'M'),
        end('E'),
        flow('S', 'X'),
        flow('X', 'A', 'go = "a"', 'F_a'),
        flow('X', 'B', undefined, 'F_b'),
        flow('A', 'M'),
        flow('B', 'M'),
        flow('M', 'E'),
      ]),
    );
    expect(trace(run(compiled, [], { go: 'a' }))).toEqual(['A', 'E', 'M', 'S', 'X']);
    expect(trace(run(compiled, [], { go: 'b' }))).toEqual(['B', 'E', 'M', 'S', 'X']);
  });

  it('WCP6 multi-choice and WCP7 structured synchronizing merge', async () => {
    const compiled = await compileXml(
      definitions('P', [
        start('S'),
        gateway('inclusive', 'I'),
        task('A'),
        task('B'),
        task('C'),
        gateway('inclusive', 'J'),
        end('E'),
        flow('S', 'I'),
        flow('I', 'A', 'x > 1'),
        flow('I', 'B', 'x > 2'),
        flow('I', 'C', 'x > 3'),
        flow('A', 'J'),
        flow('B', 'J'),
        flow('C', 'J'),
        flow('J', 'E'),
      ]),
    );
    expect(trace(run(compiled, [], { x: 3 }))).toEqual(['A', 'B', 'E', 'I', 'J', 'S']);
    expect(run(compiled, [], { x: 3 }).status).toBe('done');
  });

  it('WCP8 multi-merge: each branch runs what follows the merge', async () => {
    const sim = run(
      await compileXml(
        definitions('P', [
          start('S'),
          gateway('parallel', 'P1'),
          task('A'),
          task('B'),
          gateway('exclusive', 'M'),
          task('D'),
          end('E'),
          flow('S', 'P1'),
          flow('P1', 'A'),
          flow('P1', 'B'),
          flow('A', 'M'),
          flow('B', 'M'),
          ...chain('M', 'D', 'E'),
        ]),
      ),
    );
    expect(trace(sim)).toEqual(['A', 'B', ...times('D', 2), ...times('E', 2), ...times('M', 2), 'P1', 'S']);
    expect(sim.status).toBe('done');
  });

  it('WCP9 discriminator: a complex gateway fires on the first branch and takes the others without firing', async () => {
    const compiled = await compileXml(
      definitions('P', [
        start('S'),
        gateway('parallel', 'P1'),
        userTask('A'),
        userTask('B'),
        '<bpmn:complexGateway id="D"><bpmn:activationCondition>activationCount = 1</bpmn:activationCondition></bpmn:complexGateway>',
        task('F'),
        end('E'),
        flow('S', 'P1'),
        flow('P1', 'A'),
        flow('P1', 'B'),
        flow('A', 'D'),
        flow('B', 'D'),
        ...chain('D', 'F', 'E'),
      ]),
    );
    const first = run(compiled, [complete('B')]);
    expect(trace(first)).toEqual(['A', 'B', 'D', 'E', 'F', 'P1', 'S']);
    expect(first.activeElements).toEqual(['A']);
    const sim = run(compiled, [complete('B'), complete('A')]);
    expect(trace(sim)).toEqual(['A', 'B', 'D', 'E', 'F', 'P1', 'S']);
    expect(sim.status).toBe('done');
  });

  it('WCP10 arbitrary cycle entered at two points', async () => {
    const compiled = await compileXml(
      definitions('P', [
        start('S'),
        gateway('exclusive', 'X', 'F_b'),
        task('A'),
        task('B'),
        bump('C'),
        gateway('exclusive', 'Y', 'F_out'),
        end('E'),
        flow('S', 'X'),
        flow('X', 'A', 'go = "a"', 'F_a'),
        flow('X', 'B', undefined, 'F_b'),
        ...chain('A', 'B', 'C', 'Y'),
        flow('Y', 'A', 'n < 3', 'F_again'),
        flow('Y', 'E', undefined, 'F_out'),
      ]),
    );
    const fromA = run(compiled, [], { go: 'a', n: 0 });
    expect(trace(fromA)).toEqual([
      ...times('A', 3),
      ...times('B', 3),
      ...times('C', 3),
      'E',
      'S',
      'X',
      ...times('Y', 3),
    ]);
    const fromB = run(compiled, [], { go: 'b', n: 0 });
    expect(trace(fromB)).toEqual([
      ...times('A', 2),
      ...times('B', 3),
      ...times('C', 3),
      'E',
      'S',
      'X',
      ...times('Y', 3),
    ]);
    expect(fromB.status).toBe('done');
  });
});

/** Diverging gateway `split` with two branches, converging gateway `join`; both branch conditions hold. */
function pair(split: Kind, join: Kind, vars = { a: true, b: true }) {
  const cond = (c: string) => (split === 'parallel' ? undefined : c);
  return compileXml(
    definitions('P', [
      start('S'),
      gateway(split, 'D', split === 'exclusive' ? 'F_b' : undefined),
      task('A'),
      task('B'),
      gateway(join, 'J'),
      end('E'),
      flow('S', 'D'),
      flow('D', 'A', cond('a'), 'F_a'),
      flow('D', 'B', split === 'exclusive' ? undefined : cond('b'), 'F_b'),
      flow('A', 'J'),
      flow('B', 'J'),
      flow('J', 'E'),
    ]),
  ).then((compiled) => run(compiled, [], vars));
}

describe('compile/topology: every diverging × converging gateway pair', () => {
  const cases: Array<[Kind, Kind, string[], 'done' | 'active']> = [
    ['exclusive', 'exclusive', ['A', 'D', 'E', 'J', 'S'], 'done'],
    // one token can never satisfy a parallel join: the instance waits there (deadlock), as in Camunda
    ['exclusive', 'parallel', ['A', 'D', 'S'], 'active'],
    ['exclusive', 'inclusive', ['A', 'D', 'E', 'J', 'S'], 'done'],
    ['parallel', 'exclusive', ['A', 'B', 'D', 'E', 'E', 'J', 'J', 'S'], 'done'],
    ['parallel', 'parallel', ['A', 'B', 'D', 'E', 'J', 'S'], 'done'],
    ['parallel', 'inclusive', ['A', 'B', 'D', 'E', 'J', 'S'], 'done'],
    ['inclusive', 'exclusive', ['A', 'B', 'D', 'E', 'E', 'J', 'J', 'S'], 'done'],
    ['inclusive', 'parallel', ['A', 'B', 'D', 'E', 'J', 'S'], 'done'],
    ['inclusive', 'inclusive', ['A', 'B', 'D', 'E', 'J', 'S'], 'done'],
  ];
  for (const [split, join, expected, status] of cases) {
    it(`${split} split → ${join} join`, async () => {
      const sim = await pair(split, join);
      expect(trace(sim)).toEqual(expected);
      expect(sim.status).toBe(status);
    });
  }

  it('inclusive split with one branch taken → parallel join waits forever', async () => {
    const sim = await pair('inclusive', 'parallel', { a: true, b: false });
    expect(trace(sim)).toEqual(['A', 'D', 'S']);
    expect(sim.status).toBe('active');
  });

  it('inclusive split with one branch taken → inclusive join fires with that one', async () => {
    const sim = await pair('inclusive', 'inclusive', { a: false, b: true });
    expect(trace(sim)).toEqual(['B', 'D', 'E', 'J', 'S']);
    expect(sim.status).toBe('done');
  });
});

describe('compile/topology: joins fed from several split points', () => {
  it('a parallel join whose flows come from two different splits fires once all have arrived', async () => {
    const sim = run(
      await compileXml(
        definitions('P', [
          start('S'),
          gateway('parallel', 'P1'),
          gateway('parallel', 'P2'),
          task('A'),
          task('B'),
          task('C'),
          gateway('parallel', 'J'),
          end('E'),
          flow('S', 'P1'),
          flow('P1', 'A'),
          flow('P1', 'P2'),
          flow('P2', 'B'),
          flow('P2', 'C'),
          flow('A', 'J'),
          flow('B', 'J'),
          flow('C', 'J'),
          flow('J', 'E'),
        ]),
      ),
    );
    expect(trace(sim)).toEqual(['A', 'B', 'C', 'E', 'J', 'P1', 'P2', 'S']);
    expect(sim.status).toBe('done');
  });

  it('an inclusive join fed by an exclusive and a parallel split waits for every token that can still come', async () => {
    const sim = run(
      await compileXml(
        definitions('P', [
          start('S'),
          gateway('parallel', 'P1'),
          gateway('exclusive', 'X', 'F_x2'),
          userTask('A'),
          task('B'),
          task('C'),
          gateway('inclusive', 'J'),
          end('E'),
          flow('S', 'P1'),
          flow('P1', 'A'),
          flow('P1', 'X'),
          flow('X', 'B', 'false', 'F_x1'),
          flow('X', 'C', undefined, 'F_x2'),
          flow('A', 'J'),
          flow('B', 'J'),
          flow('C', 'J'),
          flow('J', 'E'),
        ]),
      ),
      [complete('A')],
    );
    expect(trace(sim)).toEqual(['A', 'C', 'E', 'J', 'P1', 'S', 'X']);
    expect(sim.status).toBe('done');
  });
});

describe('compile/topology: implicit splits and merges', () => {
  it('an activity with several unconditional outgoing flows forks, and a task with several incoming runs per token', async () => {
    const sim = run(
      await compileXml(
        definitions('P', [
          start('S'),
          task('A'),
          task('B'),
          task('C'),
          task('D'),
          end('E'),
          flow('S', 'A'),
          flow('A', 'B'),
          flow('A', 'C'),
          flow('B', 'D'),
          flow('C', 'D'),
          flow('D', 'E'),
        ]),
      ),
    );
    expect(trace(sim)).toEqual(['A', 'B', 'C', 'D', 'D', 'E', 'E', 'S']);
    expect(sim.status).toBe('done');
  });

  it('an activity with conditional flows and a default is an inclusive split', async () => {
    const compiled = await compileXml(
      definitions('P', [
        start('S'),
        withDefault('task', 'A', 'F_c'),
        task('B1'),
        task('B2'),
        task('C'),
        end('E1'),
        end('E2'),
        end('E3'),
        flow('S', 'A'),
        flow('A', 'B1', 'x > 1'),
        flow('A', 'B2', 'x > 2'),
        flow('A', 'C', undefined, 'F_c'),
        flow('B1', 'E1'),
        flow('B2', 'E2'),
        flow('C', 'E3'),
      ]),
    );
    expect(trace(run(compiled, [], { x: 5 }))).toEqual(['A', 'B1', 'B2', 'E1', 'E2', 'S']);
    expect(trace(run(compiled, [], { x: 0 }))).toEqual(['A', 'C', 'E3', 'S']);
  });

  it('a start event with two outgoing flows starts two tokens into an end event with two incoming', async () => {
    const sim = run(
      await compileXml(
        definitions('P', [
          start('S'),
          task('A'),
          task('B'),
          end('E'),
          flow('S', 'A'),
          flow('S', 'B'),
          flow('A', 'E'),
          flow('B', 'E'),
        ]),
      ),
    );
    expect(trace(sim)).toEqual(['A', 'B', 'E', 'E', 'S']);
    expect(sim.status).toBe('done');
  });

  it('a conditional implicit split with nothing to take is an incident at the activity', async () => {
    const compiled = await compileXml(
      definitions('P', [
        start('S'),
        task('A'),
        task('B'),
        task('C'),
        end('E'),
        flow('S', 'A'),
        flow('A', 'B', 'x > 1'),
        flow('A', 'C', 'x > 2'),
        flow('B', 'E'),
        flow('C', 'E'),
      ]),
    );
    const sim = run(compiled, [], { x: 0 });
    expect(effectsOf(sim, 'incident.raise')).toEqual([
      expect.objectContaining({ elementId: 'A', code: 'NO_MATCHING_FLOW' }),
    ]);
    expect(sim.activeElements).toEqual(['A']);
  });
});

describe('compile/topology: multi-merge into a task, then a join', () => {
  const model = definitions('P', [
    start('S'),
    gateway('parallel', 'P1'),
    task('A'),
    task('B'),
    task('C'),
    userTask('T'),
    gateway('parallel', 'J'),
    end('E'),
    flow('S', 'P1'),
    flow('P1', 'A'),
    flow('P1', 'B'),
    flow('P1', 'C'),
    flow('A', 'T'),
    flow('B', 'T'),
    flow('T', 'J'),
    flow('C', 'J'),
    flow('J', 'E'),
  ]);

  it('runs the task once per token; the join fires once per complete set of tokens', async () => {
    const compiled = await compileXml(model);
    const sim = run(compiled, [complete('T'), complete('T')]);
    expect(effectsOf(sim, 'task.create').map((e) => e.task.elementId)).toEqual(['T', 'T']);
    expect(trace(sim).filter((id) => id === 'J' || id === 'E')).toEqual(['E', 'J']);
    // the second token from T waits at the join for a partner from C, which already went
    expect(sim.status).toBe('active');
  });
});

describe('compile/topology: inclusive joins in cycles', () => {
  it('a loop through an inclusive split and join synchronises what each round activated', async () => {
    const compiled = await compileXml(
      definitions('P', [
        start('S'),
        gateway('exclusive', 'M'),
        gateway('inclusive', 'I'),
        task('A'),
        task('B'),
        gateway('inclusive', 'J'),
        bump('C'),
        gateway('exclusive', 'Y', 'F_out'),
        end('E'),
        flow('S', 'M'),
        flow('M', 'I'),
        flow('I', 'A', 'n < 2'),
        flow('I', 'B', 'true'),
        flow('A', 'J'),
        flow('B', 'J'),
        flow('J', 'C'),
        flow('C', 'Y'),
        flow('Y', 'M', 'n < 3', 'F_again'),
        flow('Y', 'E', undefined, 'F_out'),
      ]),
    );
    const sim = run(compiled, [], { n: 0 });
    expect(trace(sim)).toEqual([
      ...times('A', 2),
      ...times('B', 3),
      ...times('C', 3),
      'E',
      ...times('I', 3),
      ...times('J', 3),
      ...times('M', 3),
      'S',
      ...times('Y', 3),
    ]);
    expect(sim.status).toBe('done');
  });

  it('waits while a token upstream (a busy task) can still reach it, and fires when it arrives', async () => {
    const compiled = await compileXml(
      definitions('P', [
        start('S'),
        gateway('exclusive', 'M'),
        gateway('inclusive', 'I'),
        userTask('A'),
        task('B'),
        gateway('inclusive', 'J'),
        bump('C'),
        gateway('exclusive', 'Y', 'F_out'),
        end('E'),
        flow('S', 'M'),
        flow('M', 'I'),
        flow('I', 'A', 'true'),
        flow('I', 'B', 'true'),
        flow('A', 'J'),
        flow('B', 'J'),
        flow('J', 'C'),
        flow('C', 'Y'),
        flow('Y', 'M', 'n < 2', 'F_again'),
        flow('Y', 'E', undefined, 'F_out'),
      ]),
    );
    const first = run(compiled, [], { n: 0 });
    expect(first.visited).not.toContain('J');
    expect(first.activeElements).toEqual(['A']);
    const sim = run(compiled, [complete('A'), complete('A')], { n: 0 });
    expect(sim.visited.filter((id) => id === 'J')).toHaveLength(2);
    expect(sim.status).toBe('done');
  });

  it('a loop that leaves a parallel region re-enters its split; the join consumes one token per flow', async () => {
    const compiled = await compileXml(
      definitions('P', [
        start('S'),
        gateway('exclusive', 'M'),
        gateway('parallel', 'P1'),
        bump('A'),
        task('B'),
        gateway('exclusive', 'Y', 'F_on'),
        gateway('parallel', 'J'),
        end('E'),
        flow('S', 'M'),
        flow('M', 'P1'),
        flow('P1', 'A'),
        flow('P1', 'B'),
        flow('A', 'Y'),
        flow('Y', 'M', 'n < 2', 'F_back'),
        flow('Y', 'J', undefined, 'F_on'),
        flow('B', 'J'),
        flow('J', 'E'),
      ]),
    );
    const sim = run(compiled, [], { n: 0 });
    expect(trace(sim)).toEqual([
      ...times('A', 2),
      ...times('B', 2),
      'E',
      'J',
      ...times('M', 2),
      ...times('P1', 2),
      'S',
      ...times('Y', 2),
    ]);
    expect(sim.status).toBe('active');
  });
});

describe('compile/topology: terminate', () => {
  it('a parallel branch going straight to terminate ends the whole process', async () => {
    const compiled = await compileXml(
      definitions('P', [
        start('S'),
        gateway('parallel', 'P1'),
        userTask('A'),
        terminateEnd('Kill'),
        end('E'),
        flow('S', 'P1'),
        flow('P1', 'A'),
        flow('P1', 'Kill'),
        flow('A', 'E'),
      ]),
    );
    const sim = run(compiled);
    expect(sim.status).toBe('done');
    expect(effectsOf(sim, 'instance.terminate')).toEqual([{ type: 'instance.terminate', elementId: 'Kill' }]);
    expect(sim.visited).not.toContain('E');
  });

  it('terminate in an unstructured scope cancels every other token', async () => {
    const compiled = await compileXml(
      definitions('P', [
        start('S'),
        task('A'),
        userTask('B'),
        userTask('C'),
        terminateEnd('Kill'),
        end('E'),
        flow('S', 'A'),
        flow('A', 'B'),
        flow('A', 'C'),
        flow('B', 'Kill'),
        flow('C', 'E'),
      ]),
    );
    const sim = run(compiled, [complete('B')]);
    expect(sim.status).toBe('done');
    expect(effectsOf(sim, 'task.cancel')).toContainEqual({
      type: 'task.cancel',
      elementId: 'C',
      activationId: expect.any(String),
    });
  });

  it('terminate inside a sub-process ends the sub-process only; the process goes on', async () => {
    const compiled = await compileXml(
      definitions('P', [
        start('S'),
        subProcess('Sub', [
          start('SS'),
          gateway('parallel', 'SP'),
          userTask('Inner'),
          terminateEnd('SKill'),
          end('SE'),
          flow('SS', 'SP'),
          flow('SP', 'Inner'),
          flow('SP', 'SKill'),
          flow('Inner', 'SE'),
        ]),
        userTask('After'),
        end('E'),
        ...chain('S', 'Sub', 'After', 'E'),
      ]),
    );
    const sim = run(compiled);
    expect(sim.activeElements).toEqual(['After']);
    expect(run(compiled, [complete('After')]).status).toBe('done');
  });
});

describe('compile/topology: token cardinality', () => {
  it('an activity with startQuantity 2 waits for two tokens and consumes both', async () => {
    const compiled = await compileXml(
      definitions('P', [
        start('S'),
        gateway('parallel', 'P1'),
        task('A'),
        task('B'),
        '<bpmn:task id="T" startQuantity="2" />',
        end('E'),
        flow('S', 'P1'),
        flow('P1', 'A'),
        flow('P1', 'B'),
        flow('A', 'T'),
        flow('B', 'T'),
        flow('T', 'E'),
      ]),
    );
    const sim = run(compiled);
    expect(trace(sim)).toEqual(['A', 'B', 'E', 'P1', 'S', 'T']);
    expect(sim.status).toBe('done');
  });

  it('an activity with completionQuantity 3 puts three tokens on its outgoing flow', async () => {
    const compiled = await compileXml(
      definitions('P', [
        start('S'),
        '<bpmn:task id="T" completionQuantity="3" />',
        task('A'),
        end('E'),
        ...chain('S', 'T', 'A', 'E'),
      ]),
    );
    const sim = run(compiled);
    expect(trace(sim)).toEqual([...times('A', 3), ...times('E', 3), 'S', 'T']);
    expect(sim.status).toBe('done');
  });

  it('a startQuantity below 1 is refused at deploy, naming the element', async () => {
    const problems = await problemsOf(
      definitions('P', [start('S'), '<bpmn:task id="T" startQuantity="0" />', end('E'), ...chain('S', 'T', 'E')]),
    );
    expect(problems).toContainEqual(expect.objectContaining({ elementId: 'T' }));
  });
});
