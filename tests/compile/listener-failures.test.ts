// issue #13: a Camunda 7 listener whose expression fails at run time fails its step, as in Camunda 7: an
// incident naming the element and the expression, the step not applied, and a retry that runs it again
import { describe, expect, it } from 'vitest';
import { ListenerFailure } from '../../engine/compile/index.js';
import { complete, compileXml, effectsOf, fire, jobDone, run } from '../helpers/compile.js';

const modeler = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Definitions_1" targetNamespace="http://bpmn.io/schema/bpmn" exporter="Camunda Modeler" exporterVersion="5.17.0">
  <bpmn:process id="Failing" isExecutable="true">
${body}
  </bpmn:process>
</bpmn:definitions>`;

const SET = "${execution.setVariable('x', missingVar + 1)}";

/** A service task whose completion leads into a user task with a failing start listener. */
const afterJob = modeler(`    <bpmn:startEvent id="S"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="Work" />
    <bpmn:serviceTask id="Work" camunda:type="external" camunda:topic="work">
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:serviceTask>
    <bpmn:sequenceFlow id="f2" sourceRef="Work" targetRef="Review" />
    <bpmn:userTask id="Review">
      <bpmn:extensionElements>
        <camunda:executionListener expression="\${execution.setVariable('count', count + 1)}" event="start" />
        <camunda:executionListener expression="${SET}" event="start" />
      </bpmn:extensionElements>
      <bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="f3" sourceRef="Review" targetRef="E" />
    <bpmn:endEvent id="E"><bpmn:incoming>f3</bpmn:incoming></bpmn:endEvent>`);

/** A user task with a failing complete task listener. */
const onComplete = modeler(`    <bpmn:startEvent id="S"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="Review" />
    <bpmn:userTask id="Review">
      <bpmn:extensionElements>
        <camunda:taskListener expression="\${task.setVariable('x', missingVar + 1)}" event="complete" />
      </bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="f2" sourceRef="Review" targetRef="E" />
    <bpmn:endEvent id="E"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>`);

describe('compile/listener failures', () => {
  it('makes a failing start listener an incident naming the element and the expression, the step not applied', async () => {
    const sim = run(await compileXml(afterJob), [jobDone('Work', { done: true })], { count: 0 });
    const [incident] = effectsOf(sim, 'incident.raise');
    expect(incident).toMatchObject({ elementId: 'Review', code: 'EXPRESSION_FAILED' });
    expect(incident.message).toContain("execution listener on 'start' of 'Review' failed");
    expect(incident.message).toContain(SET);
    expect(incident.message).toContain("Variable 'missingVar' not found");
    // where it was: the job's element, none of the step's writes, no task created
    expect(sim.activeElements).toEqual(['Work']);
    expect(sim.machineStatus).toBe('incident');
    expect(sim.variables).toEqual({ count: 0 });
    expect(effectsOf(sim, 'task.create')).toEqual([]);
  });

  it('runs the failed step again on retry, with the variables the retry gives, each listener once', async () => {
    const compiled = await compileXml(afterJob);
    const sim = run(
      compiled,
      [jobDone('Work', { done: true }), { type: 'incident.retry', elementId: 'Review', variables: { missingVar: 41 } }],
      { count: 0 },
    );
    expect(sim.activeElements).toEqual(['Review']);
    expect(sim.machineStatus).toBe('active');
    expect(sim.variables).toEqual({ count: 1, done: true, missingVar: 41, x: 42 });
    expect(effectsOf(sim, 'task.create').map((e) => e.task.elementId)).toEqual(['Review']);
    expect(sim.steps.at(-1)?.effects.filter((e) => e.type.startsWith('incident.'))).toEqual([
      { type: 'incident.resolve', elementId: 'Review' },
    ]);
  });

  it('raises the incident anew when the retried step fails again, still not applied', async () => {
    const sim = run(
      await compileXml(afterJob),
      [jobDone('Work', { done: true }), { type: 'incident.retry', elementId: 'Review', variables: { other: 1 } }],
      { count: 0 },
    );
    expect(sim.steps.at(-1)?.effects.map((e) => e.type)).toEqual(['incident.resolve', 'incident.raise']);
    expect(sim.activeElements).toEqual(['Work']);
    expect(sim.machineStatus).toBe('incident');
    expect(sim.variables).toEqual({ count: 0, other: 1 });
    // fixed at the next retry
    const fixed = run(
      await compileXml(afterJob),
      [
        jobDone('Work', { done: true }),
        { type: 'incident.retry', elementId: 'Review', variables: { other: 1 } },
        { type: 'incident.retry', elementId: 'Review', variables: { missingVar: 1 } },
      ],
      { count: 0 },
    );
    expect(fixed.activeElements).toEqual(['Review']);
    expect(fixed.variables.x).toBe(2);
  });

  it('refuses a task completion whose complete listener fails (Camunda 7 rolls the complete back)', async () => {
    const compiled = await compileXml(onComplete);
    expect(() => run(compiled, [complete('Review', { a: 1 })])).toThrow(ListenerFailure);
    expect(() => run(compiled, [complete('Review', { a: 1 })])).toThrow(
      /task listener on 'complete' of 'Review' failed: Variable 'missingVar' not found.*task\.setVariable\('x', missingVar \+ 1\)/,
    );
    const done = run(compiled, [complete('Review', { missingVar: 1 })]);
    expect(done.status).toBe('done');
    expect(done.variables.x).toBe(2);
  });

  it('refuses a start whose first listener fails', async () => {
    const compiled = await compileXml(
      modeler(`    <bpmn:startEvent id="S">
      <bpmn:extensionElements><camunda:executionListener expression="${SET}" event="end" /></bpmn:extensionElements>
      <bpmn:outgoing>f1</bpmn:outgoing>
    </bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="E" />
    <bpmn:endEvent id="E"><bpmn:incoming>f1</bpmn:incoming></bpmn:endEvent>`),
    );
    expect(() => run(compiled)).toThrow(/execution listener on 'end' of 'S' failed/);
    expect(run(compiled, [], { missingVar: 1 }).variables.x).toBe(2);
  });

  it('fails a FEEL script take listener that gives null with warnings, as a script task fails; a retry takes the flow', async () => {
    const compiled = await compileXml(
      modeler(`    <bpmn:startEvent id="S"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="Wait" />
    <bpmn:intermediateCatchEvent id="Wait">
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
      <bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="f2" sourceRef="Wait" targetRef="E">
      <bpmn:extensionElements>
        <camunda:executionListener event="take"><camunda:script scriptFormat="feel">amount + 1</camunda:script></camunda:executionListener>
      </bpmn:extensionElements>
    </bpmn:sequenceFlow>
    <bpmn:endEvent id="E"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>`),
    );
    const failed = run(compiled, [fire('Wait')]);
    expect(effectsOf(failed, 'incident.raise')).toEqual([
      expect.objectContaining({ elementId: 'f2', code: 'EXPRESSION_FAILED' }),
    ]);
    expect(effectsOf(failed, 'incident.raise')[0].message).toContain('(expression: amount + 1)');
    expect(failed.activeElements).toEqual(['Wait']);
    const retried = run(compiled, [
      fire('Wait'),
      { type: 'incident.retry', elementId: 'f2', variables: { amount: 1 } },
    ]);
    expect(retried.status).toBe('done');
  });

  describe('a retried incident does not run the listeners of its element’s entry again', () => {
    const counted = `<bpmn:extensionElements>
        <camunda:executionListener expression="\${execution.setVariable('starts', starts + 1)}" event="start" />
        <camunda:taskListener expression="\${task.setVariable('creates', creates + 1)}" event="create" />
      </bpmn:extensionElements>`;

    it('a user task whose assignment failed', async () => {
      const compiled = await compileXml(
        modeler(`    <bpmn:startEvent id="S"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="Review" />
    <bpmn:userTask id="Review" camunda:assignee="\${reviewer}">
      ${counted}
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="f2" sourceRef="Review" targetRef="E" />
    <bpmn:endEvent id="E"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>`),
      );
      const failed = run(compiled, [], { starts: 0, creates: 0 });
      expect(effectsOf(failed, 'incident.raise')).toEqual([
        expect.objectContaining({ elementId: 'Review', code: 'EXPRESSION_FAILED' }),
      ]);
      const retried = run(compiled, [{ type: 'incident.retry', elementId: 'Review', variables: { reviewer: 'ann' } }], {
        starts: 0,
        creates: 0,
      });
      expect(effectsOf(retried, 'task.create').map((e) => e.task.assignee)).toEqual(['ann']);
      expect(retried.variables).toMatchObject({ starts: 1, creates: 1 });
      expect(retried.machineStatus).toBe('active');
    });

    it('a script task whose script failed', async () => {
      const compiled = await compileXml(
        modeler(`    <bpmn:startEvent id="S"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="Calc" />
    <bpmn:scriptTask id="Calc" scriptFormat="feel" camunda:resultVariable="total">
      <bpmn:extensionElements>
        <camunda:executionListener expression="\${execution.setVariable('starts', starts + 1)}" event="start" />
      </bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
      <bpmn:script>price * 2</bpmn:script>
    </bpmn:scriptTask>
    <bpmn:sequenceFlow id="f2" sourceRef="Calc" targetRef="Wait" />
    <bpmn:userTask id="Wait"><bpmn:incoming>f2</bpmn:incoming></bpmn:userTask>`),
      );
      const retried = run(compiled, [{ type: 'incident.retry', elementId: 'Calc', variables: { price: 2 } }], {
        starts: 0,
      });
      expect(retried.activeElements).toEqual(['Wait']);
      expect(retried.variables).toMatchObject({ starts: 1, total: 4 });
    });
  });
});
