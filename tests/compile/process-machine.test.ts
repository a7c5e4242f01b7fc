import { describe, expect, it } from 'vitest';
import { processMachine } from '../../engine/compile/index.js';
import { chain, definitions, end, serviceTask, start, userTask } from '../helpers/bpmn-builder.js';
import { compileXml, effectsOf, run, withBrokenGuard } from '../helpers/compile.js';

const NOW = '2026-01-05T09:00:00.000Z';
const jobProcess = () =>
  compileXml(definitions('P', [start('S'), serviceTask('J', 'crm.update'), end('E'), ...chain('S', 'J', 'E')]));

describe('compile/process-machine: the one door to a machine', () => {
  it('starts and steps with JSON snapshots and says where the instance stands', async () => {
    // given
    const machine = processMachine(
      await compileXml(definitions('P', [start('S'), userTask('A'), end('E'), ...chain('S', 'A', 'E')])),
    );
    // when
    const started = machine.start({ variables: { n: 1 } }, NOW);
    const done = machine.step(
      JSON.parse(JSON.stringify(started.snapshot)),
      { type: 'task.completed', elementId: 'A', variables: { ok: true } },
      NOW,
    );
    // then
    expect(started).toMatchObject({ status: 'active', activeElements: ['A'], variables: { n: 1 } });
    expect(started.effects.map((e) => e.type)).toContain('task.create');
    expect(done).toMatchObject({ status: 'completed', activeElements: [], variables: { n: 1, ok: true } });
  });

  it('says terminated when the instance is cancelled', async () => {
    const machine = processMachine(
      await compileXml(definitions('P', [start('S'), userTask('A'), end('E'), ...chain('S', 'A', 'E')])),
    );
    const started = machine.start({}, NOW);
    expect(machine.step(started.snapshot, { type: 'instance.cancel' }, NOW).status).toBe('terminated');
  });

  it('refuses a value that is not a persisted snapshot', async () => {
    const machine = processMachine(await jobProcess());
    expect(() => machine.step({ nothing: true }, { type: 'instance.cancel' }, NOW)).toThrow(
      /not a persisted process snapshot/,
    );
  });
});

describe('compile/process-machine: job failures and incidents are machine events', () => {
  it('retries a failed job after the backoff while retries remain', async () => {
    const sim = run(await jobProcess(), [
      { type: 'job.failed', elementId: 'J', message: 'timeout', retries: 2, retryBackoffMs: 5000 },
    ]);
    expect(effectsOf(sim, 'job.retry')).toEqual([
      { type: 'job.retry', elementId: 'J', retries: 2, due: '2026-01-05T09:00:05.000Z', errorMessage: 'timeout' },
    ]);
    expect(sim.machineStatus).toBe('active');
  });

  it('raises an incident when no retries remain, and a retry gives the job its retries back', async () => {
    // given
    const compiled = await jobProcess();
    const failed = { type: 'job.failed' as const, elementId: 'J', message: 'down', retries: 0, retryBackoffMs: 0 };
    // when
    const broken = run(compiled, [failed]);
    const retried = run(compiled, [
      failed,
      { type: 'incident.retry', elementId: 'J', retries: 3, variables: { fixed: true } },
    ]);
    // then
    expect(broken.machineStatus).toBe('incident');
    expect(broken.activeElements).toEqual(['J']);
    expect(effectsOf(broken, 'job.fail')).toEqual([{ type: 'job.fail', elementId: 'J', errorMessage: 'down' }]);
    expect(effectsOf(broken, 'incident.raise')).toEqual([
      expect.objectContaining({ elementId: 'J', code: 'JOB_FAILED', message: expect.stringContaining('down') }),
    ]);
    expect(retried.machineStatus).toBe('active');
    expect(retried.steps[2].effects).toEqual([
      { type: 'job.retry', elementId: 'J', retries: 3, due: NOW },
      { type: 'incident.resolve', elementId: 'J' },
    ]);
    expect(retried.variables).toEqual({ fixed: true });
  });
});

describe('compile/process-machine: a machine that fails raises an incident', () => {
  it('charges an exception inside xstate to the element, with the error text, and keeps the previous state', async () => {
    // given: a machine whose completion transition refers to a guard no machine implements
    const compiled = await compileXml(definitions('P', [start('S'), userTask('A'), end('E'), ...chain('S', 'A', 'E')]));
    const machine = processMachine(withBrokenGuard(compiled, 'A'));
    const started = machine.start({}, NOW);
    // when
    const failed = machine.step(started.snapshot, { type: 'task.completed', elementId: 'A' }, NOW);
    // then
    expect(failed.status).toBe('incident');
    expect(failed.activeElements).toEqual(['A']);
    expect(failed.effects).toEqual([
      expect.objectContaining({
        type: 'incident.raise',
        elementId: 'A',
        code: 'STEP_FAILED',
        message: expect.stringContaining('svc.missing'),
      }),
    ]);
    const resolved = machine.step(failed.snapshot, { type: 'incident.retry', elementId: 'A' }, NOW);
    expect(resolved.status).toBe('active');
    expect(resolved.effects).toContainEqual({ type: 'incident.resolve', elementId: 'A' });
  });

  it('never reports a snapshot in status error as active', async () => {
    const compiled = await compileXml(definitions('P', [start('S'), userTask('A'), end('E'), ...chain('S', 'A', 'E')]));
    const machine = processMachine(compiled);
    const started = JSON.parse(JSON.stringify(machine.start({}, NOW).snapshot));
    const errored = { ...started, status: 'error', error: 'lost' };
    const outcome = machine.step(errored, { type: 'task.completed', elementId: 'A' }, NOW);
    expect(outcome.status).toBe('incident');
    expect(outcome.effects).toEqual([
      expect.objectContaining({ type: 'incident.raise', elementId: 'A', code: 'STEP_FAILED' }),
    ]);
  });
});
