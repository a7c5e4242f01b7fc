/** Diagrams as Camunda Modeler (7 and 8) and bpmn.io save them validate, compile and run. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileXml, complete, effectsOf, fire, jobDone, receive, run } from '../helpers/compile.js';

const fixture = (name: string) =>
  readFileSync(join(import.meta.dirname, '..', 'bpmn', 'fixtures', `${name}.bpmn`), 'utf8');

describe('conformance/modeler-diagrams', () => {
  it('runs a Camunda 7 diagram: FEEL script, JUEL condition, external task topic', async () => {
    const compiled = await compileXml(fixture('camunda7-complaint'));
    const sim = run(compiled, [jobDone('Task_refund')], { amount: 50 });
    expect(sim.visited.slice(0, 4)).toEqual([
      'StartEvent_received',
      'Task_classify',
      'Gateway_severity',
      'Task_refund',
    ]);
    expect(effectsOf(sim, 'job.create')[0]).toMatchObject({ jobType: 'issue-refund' });
    expect(sim.variables.severity).toBe('normal');
  });

  it('runs a Camunda 8 diagram: output mapping, zeebe script, event-based gateway', async () => {
    const compiled = await compileXml(fixture('camunda8-callback'));
    const waiting = run(compiled, [jobDone('Task_lookup', { result: { tier: 'gold' } })]);
    expect(waiting.variables.urgency).toBe(1);
    expect(waiting.activeElements).toEqual(['Task_callback']);
    const timedOut = run(compiled, [
      jobDone('Task_lookup', { result: { tier: 'gold' } }),
      complete('Task_callback'),
      fire('Catch_timeout'),
    ]);
    expect(timedOut.visited.slice(-2)).toEqual(['Catch_timeout', 'End_unconfirmed']);
    expect(timedOut.status).toBe('done');
    const confirmed = run(compiled, [
      jobDone('Task_lookup', { result: { tier: 'gold' } }),
      complete('Task_callback'),
      receive('Catch_confirmation'),
    ]);
    expect(confirmed.visited).toContain('Catch_confirmation');
  });

  it('runs the executable process of a bpmn.io collaboration with lanes', async () => {
    const compiled = await compileXml(fixture('bpmnio-collaboration'));
    expect(run(compiled).status).toBe('done');
    expect(run(compiled).visited).toEqual([
      'StartEvent_1',
      'Activity_triage',
      'Gateway_split',
      'Activity_answer',
      'Activity_log',
      'Gateway_join',
      'Event_done',
    ]);
  });
});
