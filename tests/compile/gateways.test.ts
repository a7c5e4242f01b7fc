import { describe, expect, it } from 'vitest';
import { definitions, end, flow, gateway, start, userTask } from '../helpers/bpmn-builder.js';
import { complete, compileXml, effectsOf, problemsOf, run } from '../helpers/compile.js';

const exclusive = (withDefault: boolean) =>
  definitions('P', [
    start('S'),
    gateway('exclusive', 'Gateway_amount', withDefault ? 'Flow_low' : undefined),
    userTask('Task_manual'),
    userTask('Task_auto'),
    end('E'),
    flow('S', 'Gateway_amount'),
    flow('Gateway_amount', 'Task_manual', 'amount > 100', 'Flow_high'),
    withDefault
      ? flow('Gateway_amount', 'Task_auto', undefined, 'Flow_low')
      : flow('Gateway_amount', 'Task_auto', 'amount <= 10', 'Flow_low'),
    flow('Task_manual', 'E'),
    flow('Task_auto', 'E'),
  ]);

describe('compile/exclusive-gateway', () => {
  it('takes the flow whose condition holds', async () => {
    const sim = run(await compileXml(exclusive(true)), [], { amount: 500 });
    expect(sim.visited).toEqual(['S', 'Gateway_amount', 'Task_manual']);
  });

  it('takes the default flow when no condition matches', async () => {
    const sim = run(await compileXml(exclusive(true)), [], { amount: 50 });
    expect(sim.visited).toEqual(['S', 'Gateway_amount', 'Task_auto']);
  });

  it('raises an incident instead of crashing when no flow matches, and goes on after a retry with new variables', async () => {
    const compiled = await compileXml(exclusive(false));
    const stuck = run(compiled, [], { amount: 50 });
    expect(stuck.activeElements).toEqual(['Gateway_amount']);
    expect(effectsOf(stuck, 'incident.raise')).toEqual([
      expect.objectContaining({ elementId: 'Gateway_amount', code: 'NO_MATCHING_FLOW' }),
    ]);
    const retried = run(compiled, [{ type: 'incident.retry', elementId: 'Gateway_amount', variables: { amount: 5 } }], {
      amount: 50,
    });
    expect(retried.activeElements).toEqual(['Task_auto']);
    expect(effectsOf(retried, 'incident.resolve')).toEqual([{ type: 'incident.resolve', elementId: 'Gateway_amount' }]);
  });

  it('does not take the default flow when a condition gives null, raising CONDITION_FAILED instead', async () => {
    const sim = run(await compileXml(exclusive(true)), [], {});
    expect(sim.activeElements).toEqual(['Gateway_amount']);
    expect(effectsOf(sim, 'incident.raise')[0]).toMatchObject({
      code: 'CONDITION_FAILED',
      message: expect.stringContaining('amount > 100'),
    });
  });

  it('loops back through a merge gateway until the condition changes', async () => {
    const compiled = await compileXml(
      definitions('P', [
        start('S'),
        gateway('exclusive', 'Merge'),
        userTask('Work'),
        gateway('exclusive', 'Check', 'Flow_again'),
        end('E'),
        flow('S', 'Merge'),
        flow('Merge', 'Work'),
        flow('Work', 'Check'),
        flow('Check', 'E', 'done = true', 'Flow_done'),
        flow('Check', 'Merge', undefined, 'Flow_again'),
      ]),
    );
    const sim = run(compiled, [
      complete('Work', { done: false }),
      complete('Work', { done: false }),
      complete('Work', { done: true }),
    ]);
    expect(sim.visited).toEqual([
      'S',
      'Merge',
      'Work',
      'Check',
      'Merge',
      'Work',
      'Check',
      'Merge',
      'Work',
      'Check',
      'E',
    ]);
    expect(effectsOf(sim, 'task.create')).toHaveLength(3);
    expect(sim.status).toBe('done');
  });

  it('rejects an exclusive gateway without conditions or default', async () => {
    const problems = await problemsOf(
      definitions('P', [
        start('S'),
        gateway('exclusive', 'Gateway_approve'),
        end('E1'),
        end('E2'),
        flow('S', 'Gateway_approve'),
        flow('Gateway_approve', 'E1'),
        flow('Gateway_approve', 'E2'),
      ]),
    );
    expect(problems).toContainEqual(
      expect.objectContaining({ code: 'GATEWAY_NO_DEFAULT', elementId: 'Gateway_approve' }),
    );
  });

  it('rejects a condition that is not valid FEEL, quoting it', async () => {
    const problems = await problemsOf(
      definitions('P', [
        start('S'),
        gateway('exclusive', 'G', 'F2'),
        end('E1'),
        end('E2'),
        flow('S', 'G'),
        flow('G', 'E1', 'priority = ', 'Flow_urgent'),
        flow('G', 'E2', undefined, 'F2'),
      ]),
    );
    expect(problems).toContainEqual(
      expect.objectContaining({
        code: 'FEEL_SYNTAX',
        elementId: 'Flow_urgent',
        message: expect.stringContaining('"priority ="'),
      }),
    );
  });
});
