/**
 * Issue 11, "Multi-instance and loops": multi-instance sub-processes. Each instance is a fresh run of the
 * sub-process scope (its own tokens), whose inside sees the instance's loop variables; boundary events
 * belong to the whole body.
 */
import { describe, expect, it } from 'vitest';
import { simulate, type EngineEvent, type Simulation } from '../../engine/compile/index.js';
import {
  boundary,
  chain,
  definitions,
  end,
  error,
  errorEnd,
  start,
  subProcess,
  userTask,
} from '../helpers/bpmn-builder.js';
import { compileXml, effectsOf, problemsOf, run } from '../helpers/compile.js';

const xsi = 'xsi:type="bpmn:tFormalExpression" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';
const C8 = (
  collection: string,
  element: string,
  opts: { sequential?: boolean; completion?: string; output?: [string, string] } = {},
) =>
  `<bpmn:multiInstanceLoopCharacteristics${opts.sequential === false ? '' : ' isSequential="true"'}><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="${collection}" inputElement="${element}"${opts.output ? ` outputCollection="${opts.output[0]}" outputElement="${opts.output[1]}"` : ''} /></bpmn:extensionElements>${opts.completion ? `<bpmn:completionCondition ${xsi}>${opts.completion}</bpmn:completionCondition>` : ''}</bpmn:multiInstanceLoopCharacteristics>`;

/** A sub-process `Cases` looping over `cases`, whose inside is S1 → Handle (assigned to the case's owner) → E1. */
function perCase(loop: string, inner: string[] = [], outer: string[] = [], roots: string[] = []): string {
  const handle = userTask('Handle', { assignee: '=case.owner' });
  return definitions(
    'P',
    [
      start('S'),
      subProcess('Cases', [loop, start('S1'), handle, end('E1'), ...chain('S1', 'Handle', 'E1'), ...inner]),
      userTask('After'),
      end('E'),
      ...chain('S', 'Cases', 'After', 'E'),
      ...outer,
    ],
    roots,
  );
}

const tasksOf = (sim: Simulation, id = 'Handle') =>
  effectsOf(sim, 'task.create')
    .map((e) => e.task)
    .filter((t) => t.elementId === id);
const done = (elementId: string, activationId?: string, variables: Record<string, unknown> = {}): EngineEvent => ({
  type: 'task.completed',
  elementId,
  activationId,
  variables,
});
const cases = [{ owner: 'lin' }, { owner: 'wang' }, { owner: 'zhao' }];

describe('compile/multi-instance sub-processes: sequential', () => {
  it('runs the sub-process once per item, the next only after the previous ended, each seeing its own item', async () => {
    const compiled = await compileXml(
      perCase(C8('=cases', 'case', { output: ['handled', '=case.owner + &quot;:&quot; + verdict'] })),
    );
    const first = run(compiled, [], { cases });
    expect(tasksOf(first).map((t) => t.assignee)).toEqual(['lin']);
    expect(first.activeElements).toEqual(['Cases', 'Handle']);
    const second = run(compiled, [done('Handle', undefined, { verdict: 'ok' })], { cases });
    expect(tasksOf(second).map((t) => t.assignee)).toEqual(['lin', 'wang']);
    const all = run(
      compiled,
      [
        done('Handle', undefined, { verdict: 'ok' }),
        done('Handle', undefined, { verdict: 'no' }),
        done('Handle', undefined, { verdict: 'ok' }),
      ],
      { cases },
    );
    expect(all.activeElements).toEqual(['After']);
    expect(all.variables.handled).toEqual(['lin:ok', 'wang:no', 'zhao:ok']);
    expect(all.visited.filter((id) => id === 'S1')).toHaveLength(3);
    expect(all.variables).not.toHaveProperty('case');
  });

  it('a completion condition ends the body after the instance that satisfied it; the rest never start', async () => {
    const compiled = await compileXml(perCase(C8('=cases', 'case', { completion: '=verdict = "escalate"' })));
    const sim = run(
      compiled,
      [done('Handle', undefined, { verdict: 'ok' }), done('Handle', undefined, { verdict: 'escalate' })],
      {
        cases,
      },
    );
    expect(tasksOf(sim).map((t) => t.assignee)).toEqual(['lin', 'wang']);
    expect(sim.activeElements).toEqual(['After']);
  });

  it('runs a standard loop on a sub-process while its condition holds', async () => {
    const compiled = await compileXml(
      definitions('P', [
        start('S'),
        subProcess('Cases', [
          `<bpmn:standardLoopCharacteristics><bpmn:loopCondition ${xsi}>=not(solved)</bpmn:loopCondition></bpmn:standardLoopCharacteristics>`,
          start('S1'),
          userTask('Handle'),
          end('E1'),
          ...chain('S1', 'Handle', 'E1'),
        ]),
        end('E'),
        ...chain('S', 'Cases', 'E'),
      ]),
    );
    const twice = run(compiled, [
      done('Handle', undefined, { solved: false }),
      done('Handle', undefined, { solved: true }),
    ]);
    expect(tasksOf(twice)).toHaveLength(2);
    expect(twice.status).toBe('done');
  });
});

describe('compile/multi-instance sub-processes: nesting', () => {
  it('a parallel multi-instance task inside reads its collection from the enclosing instance item', async () => {
    const inner = userTask('Handle', { assignee: '=reviewer' }).replace(
      '</bpmn:userTask>',
      `${C8('=case.reviewers', 'reviewer', { sequential: false })}</bpmn:userTask>`,
    );
    const xml = definitions('P', [
      start('S'),
      subProcess('Cases', [C8('=cases', 'case'), start('S1'), inner, end('E1'), ...chain('S1', 'Handle', 'E1')]),
      end('E'),
      ...chain('S', 'Cases', 'E'),
    ]);
    const compiled = await compileXml(xml);
    const vars = { cases: [{ reviewers: ['lin', 'wang'] }, { reviewers: ['zhao'] }] };
    const first = tasksOf(run(compiled, [], vars));
    expect(first.map((t) => t.assignee)).toEqual(['lin', 'wang']);
    const events = [done('Handle', first[1].activationId), done('Handle', first[0].activationId)];
    const second = run(compiled, events, vars);
    expect(tasksOf(second).map((t) => t.assignee)).toEqual(['lin', 'wang', 'zhao']);
    const last = tasksOf(second)[2];
    expect(run(compiled, [...events, done('Handle', last.activationId)], vars).status).toBe('done');
  });

  it('a multi-instance sub-process inside another sees both items, the inner one nearest', async () => {
    const xml = definitions('P', [
      start('S'),
      subProcess('Outer', [
        C8('=groups', 'group'),
        start('S1'),
        subProcess('Inner', [
          C8('=group.members', 'member'),
          start('S2'),
          userTask('Call', { assignee: '=member' }),
          end('E2'),
          ...chain('S2', 'Call', 'E2'),
        ]),
        end('E1'),
        ...chain('S1', 'Inner', 'E1'),
      ]),
      end('E'),
      ...chain('S', 'Outer', 'E'),
    ]);
    const compiled = await compileXml(xml);
    const vars = { groups: [{ members: ['a', 'b'] }, { members: ['c'] }] };
    const sim = run(compiled, [done('Call'), done('Call'), done('Call')], vars);
    expect(tasksOf(sim, 'Call').map((t) => t.assignee)).toEqual(['a', 'b', 'c']);
    expect(sim.status).toBe('done');
  });
});

describe('compile/multi-instance sub-processes: boundary events', () => {
  it('an interrupting timer on the body cancels the running instance and every one still to come', async () => {
    const compiled = await compileXml(
      perCase(
        C8('=cases', 'case'),
        [],
        [boundary('Late', 'Cases', { timer: ['duration', 'PT4H'] }), end('E2'), ...chain('Late', 'E2')],
      ),
    );
    const started = run(compiled, [], { cases });
    expect(effectsOf(started, 'timer.schedule')).toEqual([expect.objectContaining({ elementId: 'Late' })]);
    // the timer is the body's: it outlives the first instance
    const next = run(compiled, [done('Handle')], { cases });
    expect(effectsOf(next, 'timer.cancel')).toEqual([]);
    const sim = simulate(compiled, {
      variables: { cases },
      events: [done('Handle'), { type: 'timer.fired', elementId: 'Late' }],
    });
    expect(sim.status).toBe('done');
    expect(sim.visited).toContain('E2');
    expect(sim.visited).not.toContain('After');
    expect(tasksOf(sim)).toHaveLength(2);
    // the second instance's task is cancelled (a completed task's own exit says cancel too; the runtime ignores it)
    expect(effectsOf(sim, 'task.cancel').at(-1)).toEqual(
      expect.objectContaining({ elementId: 'Handle', activationId: tasksOf(sim)[1].activationId }),
    );
  });

  it('an error thrown inside one instance is caught on the body and ends them all', async () => {
    const xml = definitions(
      'P',
      [
        start('S'),
        subProcess('Cases', [
          C8('=cases', 'case'),
          start('S1'),
          `<bpmn:exclusiveGateway id="G" default="f_ok" />`,
          errorEnd('Fail', 'Err'),
          end('E1'),
          ...chain('S1', 'G'),
          `<bpmn:sequenceFlow id="f_bad" sourceRef="G" targetRef="Fail"><bpmn:conditionExpression ${xsi}>=case.bad</bpmn:conditionExpression></bpmn:sequenceFlow>`,
          '<bpmn:sequenceFlow id="f_ok" sourceRef="G" targetRef="E1" />',
        ]),
        boundary('Caught', 'Cases', { error: 'Err' }),
        userTask('After'),
        userTask('Repair'),
        end('E'),
        end('E2'),
        ...chain('S', 'Cases', 'After', 'E'),
        ...chain('Caught', 'Repair', 'E2'),
      ],
      [error('Err', 'BAD')],
    );
    const compiled = await compileXml(xml);
    const sim = run(compiled, [], { cases: [{ bad: false }, { bad: true }, { bad: false }] });
    expect(sim.activeElements).toEqual(['Repair']);
    expect(sim.visited.filter((id) => id === 'S1')).toHaveLength(2);
  });
});

describe('compile/multi-instance sub-processes: refused', () => {
  it('a parallel multi-instance sub-process with a user task inside, naming it', async () => {
    expect(await problemsOf(perCase(C8('=cases', 'case', { sequential: false })))).toEqual([
      expect.objectContaining({
        code: 'UNSUPPORTED_ELEMENT',
        elementId: 'Cases',
        message: expect.stringContaining(
          "svcflow does not run parallel multi-instance sub-processes with an element inside that waits, catches an event or loops (user task 'Handle'",
        ),
      }),
    ]);
  });

  it('two multi-instance sub-processes side by side, naming both', async () => {
    const second = subProcess('More', [C8('=cases', 'case'), start('S3'), end('E3'), ...chain('S3', 'E3')]);
    const xml = perCase(C8('=cases', 'case')).replace(
      '<bpmn:userTask id="After"',
      `${second}<bpmn:userTask id="After"`,
    );
    const fixed = xml.replace(/<bpmn:sequenceFlow id="Flow_Cases_After"[^>]*>(<\/bpmn:sequenceFlow>)?/, '');
    const problems = await problemsOf(
      fixed.replace('</bpmn:process>', `${chain('Cases', 'More', 'After').join('')}</bpmn:process>`),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          code: 'UNSUPPORTED_ELEMENT',
          elementId: 'Cases',
          message: expect.stringContaining("'Cases' and 'More'"),
        }),
      ]),
    );
  });
});
