/**
 * Issue 11, "Multi-instance and loops": parallel and sequential multi-instance tasks in the Camunda 7
 * and Camunda 8 forms; each instance is an activation with its own loop variables.
 */
import { describe, expect, it } from 'vitest';
import { boundary, chain, definitions, end, error, start, userTask } from '../helpers/bpmn-builder.js';
import { compileXml, effectsOf, problemsOf, run } from '../helpers/compile.js';
import { simulate, type EngineEvent, type Simulation } from '../../engine/compile/index.js';

const C8 = (
  collection: string,
  element: string,
  opts: { sequential?: boolean; completion?: string; output?: [string, string] } = {},
) =>
  `<bpmn:multiInstanceLoopCharacteristics${opts.sequential ? ' isSequential="true"' : ''}><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="${collection}" inputElement="${element}"${opts.output ? ` outputCollection="${opts.output[0]}" outputElement="${opts.output[1]}"` : ''} /></bpmn:extensionElements>${opts.completion ? `<bpmn:completionCondition xsi:type="bpmn:tFormalExpression" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">${opts.completion}</bpmn:completionCondition>` : ''}</bpmn:multiInstanceLoopCharacteristics>`;

const C7 = (opts: {
  collection?: string;
  element?: string;
  cardinality?: string;
  sequential?: boolean;
  completion?: string;
}) =>
  `<bpmn:multiInstanceLoopCharacteristics${opts.sequential ? ' isSequential="true"' : ''}${opts.collection ? ` camunda:collection="${opts.collection}"` : ''}${opts.element ? ` camunda:elementVariable="${opts.element}"` : ''}>${opts.cardinality ? `<bpmn:loopCardinality xsi:type="bpmn:tFormalExpression" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">${opts.cardinality}</bpmn:loopCardinality>` : ''}${opts.completion ? `<bpmn:completionCondition xsi:type="bpmn:tFormalExpression" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">${opts.completion}</bpmn:completionCondition>` : ''}</bpmn:multiInstanceLoopCharacteristics>`;

/** A user task `Review` with the given assignee and loop characteristics. */
function reviewTask(loop: string, assignee = '=reviewer', ext = ''): string {
  const assign = assignee.startsWith('$') ? ` camunda:assignee="${assignee}"` : '';
  const zeebe = assignee.startsWith('=') ? `<zeebe:assignmentDefinition assignee="${assignee}" />` : '';
  return `<bpmn:userTask id="Review"${assign}>${zeebe || ext ? `<bpmn:extensionElements>${zeebe}${ext}</bpmn:extensionElements>` : ''}${loop}</bpmn:userTask>`;
}

function reviewed(loop: string, assignee?: string, extra: string[] = [], ext = ''): string {
  return definitions('P', [
    start('S'),
    reviewTask(loop, assignee, ext),
    end('E'),
    ...chain('S', 'Review', 'E'),
    ...extra,
  ]);
}

const tasksOf = (sim: Simulation) => effectsOf(sim, 'task.create').map((e) => e.task);
const done = (activationId: string | undefined, variables: Record<string, unknown> = {}): EngineEvent => ({
  type: 'task.completed',
  elementId: 'Review',
  activationId,
  variables,
});

describe('compile/multi-instance: parallel', () => {
  it('creates one task per item at once, each assigned from its own element variable (Camunda 8)', async () => {
    const compiled = await compileXml(reviewed(C8('=reviewers', 'reviewer')));
    const sim = run(compiled, [], { reviewers: ['lin', 'wang', 'zhao'] });
    const tasks = tasksOf(sim);
    expect(tasks.map((t) => t.assignee)).toEqual(['lin', 'wang', 'zhao']);
    expect(new Set(tasks.map((t) => t.activationId)).size).toBe(3);
    expect(sim.activeElements).toEqual(['Review']);
  });

  it('completes when every instance completed, in any order', async () => {
    const compiled = await compileXml(reviewed(C8('=reviewers', 'reviewer')));
    const ids = tasksOf(run(compiled, [], { reviewers: ['lin', 'wang', 'zhao'] })).map((t) => t.activationId);
    const two = run(compiled, [done(ids[2]), done(ids[0])], { reviewers: ['lin', 'wang', 'zhao'] });
    expect(two.status).toBe('active');
    const all = run(compiled, [done(ids[2]), done(ids[0]), done(ids[1])], { reviewers: ['lin', 'wang', 'zhao'] });
    expect(all.status).toBe('done');
    expect(all.visited.filter((id) => id === 'E')).toHaveLength(1);
  });

  it('collects the output elements in input order (Camunda 8 outputCollection)', async () => {
    const compiled = await compileXml(
      reviewed(C8('=reviewers', 'reviewer', { output: ['votes', '={who: reviewer, ok: approved}'] })),
    );
    const vars = { reviewers: ['lin', 'wang'] };
    const ids = tasksOf(run(compiled, [], vars)).map((t) => t.activationId);
    const sim = run(compiled, [done(ids[1], { approved: false }), done(ids[0], { approved: true })], vars);
    expect(sim.variables.votes).toEqual([
      { who: 'lin', ok: true },
      { who: 'wang', ok: false },
    ]);
  });

  it('a completion condition ends the activity early and cancels the instances still open (Camunda 7 names)', async () => {
    const compiled = await compileXml(
      reviewed(
        C7({ collection: '${reviewers}', element: 'reviewer', completion: '${nrOfCompletedInstances >= 2}' }),
        '${reviewer}',
      ),
    );
    const vars = { reviewers: ['lin', 'wang', 'zhao'] };
    const ids = tasksOf(run(compiled, [], vars)).map((t) => t.activationId);
    const one = run(compiled, [done(ids[0])], vars);
    expect(one.status).toBe('active');
    const sim = run(compiled, [done(ids[0]), done(ids[2])], vars);
    expect(sim.status).toBe('done');
    expect(effectsOf(sim, 'task.cancel').filter((e) => e.activationId === ids[1])).toHaveLength(1);
  });

  it('runs loopCardinality instances with loopCounter 1..n', async () => {
    const compiled = await compileXml(reviewed(C7({ cardinality: '3' }), '=&quot;agent-&quot; + string(loopCounter)'));
    expect(tasksOf(run(compiled)).map((t) => t.assignee)).toEqual(['agent-1', 'agent-2', 'agent-3']);
  });

  it('an empty collection completes at once', async () => {
    const compiled = await compileXml(reviewed(C8('=reviewers', 'reviewer')));
    const sim = run(compiled, [], { reviewers: [] });
    expect(sim.status).toBe('done');
    expect(tasksOf(sim)).toEqual([]);
  });

  it('a collection that is not a list is an incident at the activity; a retry with one goes on', async () => {
    const compiled = await compileXml(reviewed(C8('=reviewers', 'reviewer')));
    const sim = run(compiled, [], { reviewers: 'lin' });
    expect(sim.machineStatus).toBe('incident');
    expect(effectsOf(sim, 'incident.raise')).toEqual([
      expect.objectContaining({ elementId: 'Review', code: 'EXPRESSION_FAILED' }),
    ]);
    const retried = run(
      compiled,
      [{ type: 'incident.retry', elementId: 'Review', variables: { reviewers: ['lin'] } }],
      { reviewers: 'lin' },
    );
    expect(retried.machineStatus).toBe('active');
    expect(tasksOf(retried).map((t) => t.assignee)).toEqual(['lin']);
  });

  it('creates 500 tasks in one step', async () => {
    const compiled = await compileXml(reviewed(C8('=reviewers', 'reviewer')));
    const reviewers = Array.from({ length: 500 }, (_, i) => `agent-${i}`);
    const sim = run(compiled, [], { reviewers });
    expect(tasksOf(sim)).toHaveLength(500);
  });
});

describe('compile/multi-instance: sequential', () => {
  it('creates the next task only when the previous one completed, in order', async () => {
    const compiled = await compileXml(reviewed(C8('=reviewers', 'reviewer', { sequential: true })));
    const vars = { reviewers: ['lin', 'wang'] };
    const first = run(compiled, [], vars);
    expect(tasksOf(first).map((t) => t.assignee)).toEqual(['lin']);
    const [a] = tasksOf(first);
    const second = run(compiled, [done(a.activationId)], vars);
    expect(tasksOf(second).map((t) => t.assignee)).toEqual(['lin', 'wang']);
    const b = tasksOf(second)[1];
    expect(run(compiled, [done(a.activationId), done(b.activationId)], vars).status).toBe('done');
  });

  it('each instance sees its own local input values', async () => {
    const compiled = await compileXml(reviewed(C8('=reviewers', 'reviewer', { sequential: true })));
    const withInputs = await compileXml(
      reviewed(
        C8('=reviewers', 'reviewer', { sequential: true }),
        '=reviewer',
        [],
        '<zeebe:ioMapping><zeebe:input source="=upper case(reviewer)" target="shout" /></zeebe:ioMapping>',
      ),
    );
    expect(compiled).toBeDefined();
    const vars = { reviewers: ['lin', 'wang'] };
    const first = tasksOf(run(withInputs, [], vars))[0];
    const sim = run(withInputs, [done(first.activationId)], vars);
    expect(tasksOf(sim).map((t) => t.inputs)).toEqual([{ shout: 'LIN' }, { shout: 'WANG' }]);
  });
});

describe('compile/multi-instance: boundary events', () => {
  it('an interrupting timer on the activity cancels every instance', async () => {
    const compiled = await compileXml(
      reviewed(C8('=reviewers', 'reviewer'), '=reviewer', [
        boundary('Late', 'Review', { timer: ['duration', 'PT1H'] }),
        end('E2'),
        ...chain('Late', 'E2'),
      ]),
    );
    const vars = { reviewers: ['lin', 'wang'] };
    const started = run(compiled, [], vars);
    expect(effectsOf(started, 'timer.schedule')).toHaveLength(1);
    const sim = simulate(compiled, { variables: vars, events: [{ type: 'timer.fired', elementId: 'Late' }] });
    expect(sim.status).toBe('done');
    expect(
      effectsOf(sim, 'task.cancel')
        .map((e) => e.activationId)
        .sort(),
    ).toEqual(
      tasksOf(started)
        .map((t) => t.activationId)
        .sort(),
    );
  });

  it('an error thrown by one instance interrupts all of them', async () => {
    const compiled = await compileXml(
      definitions(
        'P',
        [
          start('S'),
          `<bpmn:serviceTask id="Review"><bpmn:extensionElements><zeebe:taskDefinition type="check" /></bpmn:extensionElements>${C8('=items', 'item')}</bpmn:serviceTask>`,
          boundary('Failed', 'Review', { error: 'Err' }),
          end('E'),
          end('E2'),
          ...chain('S', 'Review', 'E'),
          ...chain('Failed', 'E2'),
        ],
        [error('Err', 'BAD')],
      ),
    );
    const vars = { items: [1, 2, 3] };
    const jobs = effectsOf(run(compiled, [], vars), 'job.create');
    expect(jobs).toHaveLength(3);
    const sim = run(
      compiled,
      [{ type: 'error.thrown', elementId: 'Review', activationId: jobs[1].activationId, errorCode: 'BAD' }],
      vars,
    );
    expect(sim.status).toBe('done');
    expect(sim.visited).toContain('E2');
    expect(effectsOf(sim, 'job.cancel')).toHaveLength(3);
  });
});

describe('compile/multi-instance: what does not run yet is refused', () => {
  it('refuses a parallel multi-instance sub-process with a wait state inside, naming the element', async () => {
    const sub = definitions('P', [
      start('S'),
      `<bpmn:subProcess id="Sub">${C7({ cardinality: '2' })}<bpmn:startEvent id="SS" /><bpmn:userTask id="ST" /><bpmn:endEvent id="SE" /><bpmn:sequenceFlow id="f1" sourceRef="SS" targetRef="ST" /><bpmn:sequenceFlow id="f2" sourceRef="ST" targetRef="SE" /></bpmn:subProcess>`,
      end('E'),
      ...chain('S', 'Sub', 'E'),
    ]);
    expect(await problemsOf(sub)).toEqual([
      expect.objectContaining({
        code: 'UNSUPPORTED_ELEMENT',
        elementId: 'Sub',
        message: expect.stringContaining(
          "svcflow does not run parallel multi-instance sub-processes with an element inside that waits, catches an event or loops (user task 'ST'",
        ),
      }),
    ]);
  });

  it('refuses a loop that could never end', async () => {
    const endless = definitions('P', [
      start('S'),
      '<bpmn:userTask id="T"><bpmn:standardLoopCharacteristics /></bpmn:userTask>',
      end('E'),
      ...chain('S', 'T', 'E'),
    ]);
    expect(await problemsOf(endless)).toEqual([
      expect.objectContaining({ elementId: 'T', message: expect.stringContaining('never end') }),
    ]);
  });

  it('keeps working for tasks without multi-instance', async () => {
    const compiled = await compileXml(definitions('P', [start('S'), userTask('A'), end('E'), ...chain('S', 'A', 'E')]));
    expect(run(compiled).activeElements).toEqual(['A']);
  });
});

const standard = (opts: { condition?: string; testBefore?: boolean; maximum?: number }) =>
  `<bpmn:standardLoopCharacteristics${opts.testBefore ? ' testBefore="true"' : ''}${opts.maximum !== undefined ? ` loopMaximum="${opts.maximum}"` : ''}>${opts.condition ? `<bpmn:loopCondition xsi:type="bpmn:tFormalExpression" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">${opts.condition}</bpmn:loopCondition>` : ''}</bpmn:standardLoopCharacteristics>`;

describe('compile/standard-loops', () => {
  const looped = (loop: string) =>
    definitions('P', [
      start('S'),
      `<bpmn:userTask id="Review">${loop}</bpmn:userTask>`,
      end('E'),
      ...chain('S', 'Review', 'E'),
    ]);

  it('runs again while the loop condition holds, testing after each run (do-while)', async () => {
    const compiled = await compileXml(looped(standard({ condition: '=not(approved)' })));
    const first = run(compiled, [], { approved: true });
    expect(tasksOf(first)).toHaveLength(1);
    const [a] = tasksOf(first);
    const again = run(compiled, [done(a.activationId, { approved: false })]);
    expect(tasksOf(again)).toHaveLength(2);
    expect(again.status).toBe('active');
    const b = tasksOf(again)[1];
    const end = run(compiled, [done(a.activationId, { approved: false }), done(b.activationId, { approved: true })]);
    expect(end.status).toBe('done');
  });

  it('tests before the first run with testBefore: a false condition skips the activity', async () => {
    const compiled = await compileXml(looped(standard({ condition: '=todo > 0', testBefore: true })));
    const skipped = run(compiled, [], { todo: 0 });
    expect(skipped.status).toBe('done');
    expect(tasksOf(skipped)).toEqual([]);
    expect(tasksOf(run(compiled, [], { todo: 2 }))).toHaveLength(1);
  });

  it('stops at loopMaximum even while the condition holds, with loopCounter counting the runs', async () => {
    const compiled = await compileXml(
      definitions('P', [
        start('S'),
        `<bpmn:userTask id="Review"><bpmn:extensionElements><zeebe:assignmentDefinition assignee="=&quot;agent-&quot; + string(loopCounter)" /></bpmn:extensionElements>${standard({ condition: '=true', maximum: 2 })}</bpmn:userTask>`,
        end('E'),
        ...chain('S', 'Review', 'E'),
      ]),
    );
    const [a] = tasksOf(run(compiled));
    const second = tasksOf(run(compiled, [done(a.activationId)]))[1];
    expect([a.assignee, second.assignee]).toEqual(['agent-1', 'agent-2']);
    expect(run(compiled, [done(a.activationId), done(second.activationId)]).status).toBe('done');
  });
});
