import { describe, expect, it } from 'vitest';
import {
  chain,
  definitions,
  end,
  flow,
  manualTask,
  serviceTask,
  start,
  task,
  userTask,
} from '../helpers/bpmn-builder.js';
import { complete, compileXml, effectsOf, jobDone, run } from '../helpers/compile.js';

describe('compile/sequence', () => {
  it('runs start → user task → end, waiting at the task until it is completed', async () => {
    // given
    const compiled = await compileXml(
      definitions('P', [
        start('S'),
        userTask('A', { assignee: 'demo', groups: 'cs-agents' }),
        end('E'),
        ...chain('S', 'A', 'E'),
      ]),
    );
    // when
    const waiting = run(compiled);
    const done = run(compiled, [complete('A', { ok: true })]);
    // then
    expect(waiting.visited).toEqual(['S', 'A']);
    expect(waiting.activeElements).toEqual(['A']);
    expect(waiting.status).toBe('active');
    expect(done.visited).toEqual(['S', 'A', 'E']);
    expect(done.status).toBe('done');
    expect(done.variables).toEqual({ ok: true });
  });

  it('asks for a task with its evaluated assignment', async () => {
    const compiled = await compileXml(
      definitions('P', [
        start('S'),
        userTask('A', {
          assignee: '=owner',
          groups: 'cs-agents, billing',
          formKey: 'intake',
          priority: '=if urgent then 80 else 20',
          due: 'PT4H',
        }),
        end('E'),
        ...chain('S', 'A', 'E'),
      ]),
    );
    const sim = run(compiled, [], { owner: 'lin', urgent: true });
    const [create] = effectsOf(sim, 'task.create');
    expect(create.task).toMatchObject({
      elementId: 'A',
      assignee: 'lin',
      candidateGroups: ['cs-agents', 'billing'],
      priority: 80,
      formKey: 'intake',
      due: '2026-01-05T13:00:00.000Z',
    });
  });

  it('passes through plain and manual tasks without waiting', async () => {
    const compiled = await compileXml(
      definitions('P', [start('S'), task('T'), manualTask('M'), end('E'), ...chain('S', 'T', 'M', 'E')]),
    );
    expect(run(compiled).visited).toEqual(['S', 'T', 'M', 'E']);
    expect(run(compiled).status).toBe('done');
  });

  it('creates a job for a service task and continues when the job completes', async () => {
    const compiled = await compileXml(
      definitions('P', [start('S'), serviceTask('J', 'crm.update'), end('E'), ...chain('S', 'J', 'E')]),
    );
    const waiting = run(compiled);
    expect(effectsOf(waiting, 'job.create')).toEqual([
      {
        type: 'job.create',
        elementId: 'J',
        jobType: 'crm.update',
        retries: 3,
        inputs: {},
        activationId: expect.any(String),
      },
    ]);
    const done = run(compiled, [jobDone('J', { crmId: 7 })]);
    expect(done.status).toBe('done');
    expect(done.variables).toEqual({ crmId: 7 });
  });

  it('ignores an event for an element that is not active', async () => {
    const compiled = await compileXml(
      definitions('P', [start('S'), userTask('A'), userTask('B'), end('E'), ...chain('S', 'A', 'B', 'E')]),
    );
    const sim = run(compiled, [complete('B')]);
    expect(sim.activeElements).toEqual(['A']);
  });

  it('ends implicitly after an activity without outgoing flow', async () => {
    const compiled = await compileXml(definitions('P', [start('S'), userTask('A'), flow('S', 'A')]));
    expect(run(compiled, [complete('A')]).status).toBe('done');
  });

  it('cancels the open task when the instance is cancelled', async () => {
    const compiled = await compileXml(definitions('P', [start('S'), userTask('A'), end('E'), ...chain('S', 'A', 'E')]));
    const sim = run(compiled, [{ type: 'instance.cancel' }]);
    expect(sim.status).toBe('done');
    expect(effectsOf(sim, 'task.cancel')).toEqual([
      { type: 'task.cancel', elementId: 'A', activationId: expect.any(String) },
    ]);
    expect(sim.visited).not.toContain('E');
  });
});
