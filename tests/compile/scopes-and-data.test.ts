import { describe, expect, it } from 'vitest';
import {
  boundary,
  chain,
  definitions,
  end,
  scriptTask,
  serviceTask,
  start,
  subProcess,
  terminateEnd,
  timerCatch,
  userTask,
  flow,
  gateway,
} from '../helpers/bpmn-builder.js';
import { complete, compileXml, effectsOf, jobDone, run } from '../helpers/compile.js';
import { processMachine, simulate } from '../../engine/compile/index.js';

describe('compile/sub-processes', () => {
  it('enters a sub-process, runs its flow and continues after it', async () => {
    const compiled = await compileXml(
      definitions('P', [
        start('S'),
        subProcess('Sub', [start('SS'), userTask('Inner'), end('SE'), ...chain('SS', 'Inner', 'SE')]),
        userTask('After'),
        end('E'),
        ...chain('S', 'Sub', 'After', 'E'),
      ]),
    );
    expect(run(compiled).activeElements).toEqual(['Inner', 'Sub']);
    const sim = run(compiled, [complete('Inner')]);
    expect(sim.visited).toEqual(['S', 'Sub', 'SS', 'Inner', 'SE', 'After']);
    expect(sim.left).toContain('Sub');
  });

  it('ends only the sub-process at a terminate end event inside it', async () => {
    const compiled = await compileXml(
      definitions('P', [
        start('S'),
        subProcess('Sub', [
          start('SS'),
          gateway('parallel', 'Fork'),
          userTask('X'),
          userTask('Y'),
          terminateEnd('Stop'),
          end('YE'),
          flow('SS', 'Fork'),
          flow('Fork', 'X'),
          flow('Fork', 'Y'),
          flow('X', 'Stop'),
          flow('Y', 'YE'),
        ]),
        userTask('After'),
        end('E'),
        ...chain('S', 'Sub', 'After', 'E'),
      ]),
    );
    const sim = run(compiled, [complete('X')]);
    expect(sim.activeElements).toEqual(['After']);
    expect(effectsOf(sim, 'task.cancel')).toContainEqual({
      type: 'task.cancel',
      elementId: 'Y',
      activationId: expect.any(String),
    });
  });

  it('cancels everything inside a sub-process when its interrupting timer fires', async () => {
    const compiled = await compileXml(
      definitions('P', [
        start('S'),
        subProcess('Sub', [
          start('SS'),
          userTask('Inner'),
          timerCatch('InnerWait', 'duration', 'PT5M'),
          end('SE'),
          ...chain('SS', 'Inner', 'InnerWait', 'SE'),
        ]),
        boundary('Deadline', 'Sub', { timer: ['duration', 'P1D'] }),
        end('E'),
        end('Late'),
        ...chain('S', 'Sub', 'E'),
        flow('Deadline', 'Late'),
      ]),
    );
    const sim = run(compiled, [fire('Deadline')]);
    expect(sim.status).toBe('done');
    expect(effectsOf(sim, 'task.cancel')).toEqual([
      { type: 'task.cancel', elementId: 'Inner', activationId: expect.any(String) },
    ]);
    expect(sim.visited.slice(-2)).toEqual(['Deadline', 'Late']);
  });
});

const fire = (elementId: string) => ({ type: 'timer.fired' as const, elementId });

describe('compile/scripts-and-mappings', () => {
  it('stores a script result in its result variable', async () => {
    const compiled = await compileXml(
      definitions('P', [
        start('S'),
        scriptTask('Score', '=impact * likelihood', 'score'),
        end('E'),
        ...chain('S', 'Score', 'E'),
      ]),
    );
    const sim = run(compiled, [], { impact: 4, likelihood: 5 });
    expect(sim.variables.score).toBe(20);
    expect(sim.status).toBe('done');
  });

  it('spreads a script context result into variables through output mappings', async () => {
    const out =
      '<zeebe:ioMapping><zeebe:output source="=result.level" target="riskLevel" /><zeebe:output source="=result.owner" target="owner" /></zeebe:ioMapping>';
    const compiled = await compileXml(
      definitions('P', [
        start('S'),
        `<bpmn:scriptTask id="Classify"><bpmn:extensionElements><zeebe:script expression="={level: if score &gt;= 15 then &quot;high&quot; else &quot;low&quot;, owner: &quot;risk-owners&quot;}" resultVariable="result" />${out}</bpmn:extensionElements></bpmn:scriptTask>`,
        end('E'),
        ...chain('S', 'Classify', 'E'),
      ]),
    );
    expect(run(compiled, [], { score: 16 }).variables).toMatchObject({ riskLevel: 'high', owner: 'risk-owners' });
  });

  it('raises an incident when a script fails and continues after a retry', async () => {
    const compiled = await compileXml(
      definitions('P', [
        start('S'),
        scriptTask('Calc', '=substring(customer.name, 1, 1)', 'initial'),
        end('E'),
        ...chain('S', 'Calc', 'E'),
      ]),
    );
    const sim = run(compiled, [], {});
    expect(sim.activeElements).toEqual(['Calc']);
    expect(effectsOf(sim, 'incident.raise')).toEqual([
      expect.objectContaining({ elementId: 'Calc', code: 'EXPRESSION_FAILED' }),
    ]);
    const fixed = run(
      compiled,
      [{ type: 'incident.retry', elementId: 'Calc', variables: { customer: { name: 'Lin' } } }],
      {},
    );
    expect(fixed.variables.initial).toBe('L');
    expect(fixed.status).toBe('done');
  });

  it('maps inputs into a job and outputs back into the process', async () => {
    const io =
      '<zeebe:ioMapping><zeebe:input source="=customer.email" target="to" /><zeebe:output source="=messageId" target="notificationId" /></zeebe:ioMapping>';
    const compiled = await compileXml(
      definitions('P', [
        start('S'),
        serviceTask('Notify', 'notify.customer', io),
        end('E'),
        ...chain('S', 'Notify', 'E'),
      ]),
    );
    const sim = run(compiled, [jobDone('Notify', { messageId: 'm-1', noise: true })], { customer: { email: 'a@b.c' } });
    expect(effectsOf(sim, 'job.create')[0].inputs).toEqual({ to: 'a@b.c' });
    expect(sim.variables).toEqual({ customer: { email: 'a@b.c' }, notificationId: 'm-1' });
  });
});

describe('compile/snapshots', () => {
  it('gives the same snapshots for the same events, through JSON between every step', async () => {
    const compiled = await compileXml(
      definitions('P', [
        start('S'),
        gateway('parallel', 'Split'),
        userTask('A'),
        serviceTask('B', 'x'),
        gateway('parallel', 'Join'),
        end('E'),
        flow('S', 'Split'),
        flow('Split', 'A'),
        flow('Split', 'B'),
        flow('A', 'Join'),
        flow('B', 'Join'),
        flow('Join', 'E'),
      ]),
    );
    const events = [complete('A', { n: 1 }), jobDone('B', { m: 2 })];
    const first = simulate(compiled, { events, machine: processMachine(compiled) });
    const second = simulate(JSON.parse(JSON.stringify(compiled)), { events });
    expect(second.snapshot).toEqual(first.snapshot);
    expect(second.effects).toEqual(first.effects);
    expect(JSON.stringify(first.steps[1])).toBe(JSON.stringify(second.steps[1]));
  });

  it('keeps a simple process snapshot under 1 KB', async () => {
    const compiled = await compileXml(definitions('P', [start('S'), userTask('A'), end('E'), ...chain('S', 'A', 'E')]));
    expect(JSON.stringify(run(compiled, [], { customer: 'c-1', priority: 'urgent' }).snapshot).length).toBeLessThan(
      1024,
    );
  });
});
