import { describe, expect, it } from 'vitest';
import {
  definitions,
  end,
  flow,
  gateway,
  serviceTask,
  start,
  terminateEnd,
  userTask,
} from '../helpers/bpmn-builder.js';
import { complete, compileXml, effectsOf, jobDone, run } from '../helpers/compile.js';

const fork = definitions('P', [
  start('S'),
  gateway('parallel', 'Split'),
  userTask('A'),
  userTask('B'),
  gateway('parallel', 'Join'),
  end('E'),
  flow('S', 'Split'),
  flow('Split', 'A'),
  flow('Split', 'B'),
  flow('A', 'Join'),
  flow('B', 'Join'),
  flow('Join', 'E'),
]);

describe('compile/parallel-gateway', () => {
  it('activates every branch and joins when all have arrived', async () => {
    const compiled = await compileXml(fork);
    const both = run(compiled);
    expect(both.activeElements).toEqual(['A', 'B']);
    const one = run(compiled, [complete('B')]);
    expect(one.activeElements).toEqual(['A']);
    expect(one.visited).not.toContain('Join');
    const all = run(compiled, [complete('B'), complete('A')]);
    expect(all.visited.slice(-2)).toEqual(['Join', 'E']);
    expect(all.status).toBe('done');
  });

  it('nests a parallel block inside a branch', async () => {
    const compiled = await compileXml(
      definitions('P', [
        start('S'),
        gateway('parallel', 'Outer'),
        userTask('A'),
        gateway('parallel', 'Inner'),
        userTask('B1'),
        userTask('B2'),
        gateway('parallel', 'InnerJoin'),
        gateway('parallel', 'OuterJoin'),
        end('E'),
        flow('S', 'Outer'),
        flow('Outer', 'A'),
        flow('Outer', 'Inner'),
        flow('Inner', 'B1'),
        flow('Inner', 'B2'),
        flow('B1', 'InnerJoin'),
        flow('B2', 'InnerJoin'),
        flow('InnerJoin', 'OuterJoin'),
        flow('A', 'OuterJoin'),
        flow('OuterJoin', 'E'),
      ]),
    );
    expect(run(compiled).activeElements).toEqual(['A', 'B1', 'B2']);
    const sim = run(compiled, [complete('B1'), complete('A'), complete('B2')]);
    expect(sim.visited.slice(-3)).toEqual(['InnerJoin', 'OuterJoin', 'E']);
    expect(sim.status).toBe('done');
  });

  it('runs a parallel block again inside a loop', async () => {
    const compiled = await compileXml(
      definitions('P', [
        start('S'),
        gateway('exclusive', 'Merge'),
        gateway('parallel', 'Split'),
        userTask('A'),
        serviceTask('B', 'crm.update'),
        gateway('parallel', 'Join'),
        gateway('exclusive', 'Again', 'Flow_stop'),
        end('E'),
        flow('S', 'Merge'),
        flow('Merge', 'Split'),
        flow('Split', 'A'),
        flow('Split', 'B'),
        flow('A', 'Join'),
        flow('B', 'Join'),
        flow('Join', 'Again'),
        flow('Again', 'Merge', 'again = true', 'Flow_again'),
        flow('Again', 'E', undefined, 'Flow_stop'),
      ]),
    );
    const sim = run(compiled, [
      complete('A', { again: true }),
      jobDone('B'),
      jobDone('B'),
      complete('A', { again: false }),
    ]);
    expect(sim.visited).toEqual([
      'S',
      'Merge',
      'Split',
      'A',
      'B',
      'Join',
      'Again',
      'Merge',
      'Split',
      'A',
      'B',
      'Join',
      'Again',
      'E',
    ]);
    expect(effectsOf(sim, 'job.create')).toHaveLength(2);
  });

  it('forks into branches that end on their own, completing when the last ends', async () => {
    const compiled = await compileXml(
      definitions('P', [
        start('S'),
        gateway('parallel', 'Split'),
        userTask('A'),
        userTask('B'),
        end('EA'),
        end('EB'),
        flow('S', 'Split'),
        flow('Split', 'A'),
        flow('Split', 'B'),
        flow('A', 'EA'),
        flow('B', 'EB'),
      ]),
    );
    expect(run(compiled, [complete('A')]).status).toBe('active');
    expect(run(compiled, [complete('A'), complete('B')]).status).toBe('done');
  });

  it('ends every branch at a terminate end event', async () => {
    const compiled = await compileXml(
      definitions('P', [
        start('S'),
        gateway('parallel', 'Split'),
        userTask('A'),
        userTask('B'),
        terminateEnd('Kill'),
        end('EB'),
        flow('S', 'Split'),
        flow('Split', 'A'),
        flow('Split', 'B'),
        flow('A', 'Kill'),
        flow('B', 'EB'),
      ]),
    );
    const sim = run(compiled, [complete('A')]);
    expect(sim.status).toBe('done');
    expect(effectsOf(sim, 'task.cancel')).toContainEqual({
      type: 'task.cancel',
      elementId: 'B',
      activationId: expect.any(String),
    });
    expect(effectsOf(sim, 'instance.terminate')).toEqual([{ type: 'instance.terminate', elementId: 'Kill' }]);
  });

  it('runs the task after an exclusive merge once per branch, and the join fires once for the tokens it has', async () => {
    const compiled = await compileXml(
      definitions('P', [
        start('S'),
        gateway('parallel', 'Split'),
        userTask('A'),
        userTask('B'),
        gateway('exclusive', 'X'),
        userTask('C'),
        gateway('parallel', 'Join'),
        end('E'),
        flow('S', 'Split'),
        flow('Split', 'A'),
        flow('Split', 'B'),
        flow('A', 'X'),
        flow('B', 'X'),
        flow('X', 'C'),
        flow('C', 'Join'),
        flow('Split', 'Join', undefined, 'F3'),
        flow('Join', 'E'),
      ]),
    );
    const sim = run(compiled, [complete('A'), complete('C'), complete('B'), complete('C')]);
    expect(effectsOf(sim, 'task.create').map((e) => e.task.elementId)).toEqual(['A', 'B', 'C', 'C']);
    expect(sim.visited.filter((id) => id === 'Join')).toHaveLength(1);
    expect(sim.visited.filter((id) => id === 'E')).toHaveLength(1);
    // the second token through C waits at the join for a partner that never comes, as the spec says
    expect(sim.status).toBe('active');
  });

  it('waits forever at a parallel join that only one of its flows can reach (the model deadlocks)', async () => {
    const compiled = await compileXml(
      definitions('P', [
        start('S'),
        gateway('exclusive', 'X', 'F2'),
        userTask('A'),
        userTask('B'),
        gateway('parallel', 'Join'),
        end('E'),
        flow('S', 'X'),
        flow('X', 'A', 'a = 1', 'F1'),
        flow('X', 'B', undefined, 'F2'),
        flow('A', 'Join'),
        flow('B', 'Join'),
        flow('Join', 'E'),
      ]),
    );
    const sim = run(compiled, [complete('A')], { a: 1 });
    expect(sim.visited).not.toContain('Join');
    expect(sim.status).toBe('active');
  });
});

describe('compile/inclusive-gateway', () => {
  const model = (withDefault: boolean) =>
    definitions('P', [
      start('S'),
      gateway('inclusive', 'Split', withDefault ? 'Flow_none' : undefined),
      userTask('Billing'),
      userTask('Logistics'),
      userTask('General'),
      gateway('inclusive', 'Join'),
      end('E'),
      flow('S', 'Split'),
      flow('Split', 'Billing', 'billing = true', 'Flow_billing'),
      flow('Split', 'Logistics', 'logistics = true', 'Flow_logistics'),
      withDefault ? flow('Split', 'General', undefined, 'Flow_none') : flow('Split', 'General', 'false', 'Flow_none'),
      flow('Billing', 'Join'),
      flow('Logistics', 'Join'),
      flow('General', 'Join'),
      flow('Join', 'E'),
    ]);

  it('activates only the branches whose condition holds and waits for exactly those', async () => {
    const compiled = await compileXml(model(true));
    expect(run(compiled, [], { billing: true, logistics: true }).activeElements).toEqual(['Billing', 'Logistics']);
    const sim = run(compiled, [complete('Logistics')], { billing: true, logistics: true });
    expect(sim.status).toBe('active');
    expect(run(compiled, [complete('Logistics'), complete('Billing')], { billing: true, logistics: true }).status).toBe(
      'done',
    );
  });

  it('takes the default branch alone when no condition holds', async () => {
    const compiled = await compileXml(model(true));
    expect(run(compiled, [], { billing: false, logistics: false }).activeElements).toEqual(['General']);
  });

  it('raises an incident when no condition holds and there is no default', async () => {
    const compiled = await compileXml(model(false));
    const sim = run(compiled, [], { billing: false, logistics: false });
    expect(sim.activeElements).toEqual(['Split']);
    expect(effectsOf(sim, 'incident.raise')).toEqual([
      expect.objectContaining({ elementId: 'Split', code: 'NO_MATCHING_FLOW' }),
    ]);
  });
});
