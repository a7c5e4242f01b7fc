// issue #13: Camunda 7 execution and task listeners run at their events, in Camunda's order, inside the step
import { describe, expect, it } from 'vitest';
import { complete, compileXml, effectsOf, problemsOf, run } from '../helpers/compile.js';

/** A trail entry appended by a FEEL script listener, as Camunda Modeler writes it. */
const trail = (event: string, entry: string) => `
        <camunda:executionListener event="${event}">
          <camunda:script scriptFormat="feel">{trail: append(trail, "${entry}")}</camunda:script>
        </camunda:executionListener>`;
const taskTrail = (event: string, entry: string) => `
        <camunda:taskListener event="${event}">
          <camunda:script scriptFormat="feel">{trail: append(trail, "${entry}")}</camunda:script>
        </camunda:taskListener>`;

/** A process as Camunda Modeler 5 saves it (diagram interchange left out). */
const modeler = (body: string, processListeners = '') => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Definitions_1" targetNamespace="http://bpmn.io/schema/bpmn" exporter="Camunda Modeler" exporterVersion="5.17.0">
  <bpmn:process id="Listeners" isExecutable="true">${
    processListeners ? `\n    <bpmn:extensionElements>${processListeners}\n    </bpmn:extensionElements>` : ''
  }
${body}
  </bpmn:process>
</bpmn:definitions>`;

const ordered = modeler(
  `    <bpmn:startEvent id="S">
      <bpmn:extensionElements>${trail('start', 'S start')}${trail('end', 'S end')}
      </bpmn:extensionElements>
      <bpmn:outgoing>f1</bpmn:outgoing>
    </bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="T">
      <bpmn:extensionElements>${trail('take', 'f1 take')}
      </bpmn:extensionElements>
    </bpmn:sequenceFlow>
    <bpmn:userTask id="T" name="Review">
      <bpmn:extensionElements>${trail('start', 'T start')}${trail('end', 'T end')}${taskTrail('create', 'T create')}
        <camunda:taskListener expression="\${task.setVariable('reviewed', decision == 'ok')}" event="complete" />${taskTrail('complete', 'T complete')}
      </bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming>
      <bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="f2" sourceRef="T" targetRef="G" />
    <bpmn:exclusiveGateway id="G" default="f4">
      <bpmn:extensionElements>${trail('start', 'G start')}${trail('end', 'G end')}
      </bpmn:extensionElements>
      <bpmn:incoming>f2</bpmn:incoming>
      <bpmn:outgoing>f3</bpmn:outgoing>
      <bpmn:outgoing>f4</bpmn:outgoing>
    </bpmn:exclusiveGateway>
    <bpmn:sequenceFlow id="f3" sourceRef="G" targetRef="E">
      <bpmn:extensionElements>${trail('take', 'f3 take')}
      </bpmn:extensionElements>
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\${reviewed}</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="f4" sourceRef="G" targetRef="E" />
    <bpmn:endEvent id="E">
      <bpmn:extensionElements>${trail('start', 'E start')}${trail('end', 'E end')}
      </bpmn:extensionElements>
      <bpmn:incoming>f3</bpmn:incoming>
      <bpmn:incoming>f4</bpmn:incoming>
    </bpmn:endEvent>`,
  `
      <camunda:executionListener event="start">
        <camunda:script scriptFormat="feel">{trail: ["process start"]}</camunda:script>
      </camunda:executionListener>`,
);

describe('compile/listeners', () => {
  it('runs execution listeners at start, end and take, in the order Camunda 7 runs them', async () => {
    const compiled = await compileXml(ordered);
    const waiting = run(compiled);
    expect(waiting.variables.trail).toEqual(['process start', 'S start', 'S end', 'f1 take', 'T start', 'T create']);
    const done = run(compiled, [complete('T', { decision: 'ok' })]);
    expect(done.status).toBe('done');
    expect(done.variables.trail).toEqual([
      'process start',
      'S start',
      'S end',
      'f1 take',
      'T start',
      'T create',
      'T complete',
      'T end',
      'G start',
      'G end',
      'f3 take',
      'E start',
      'E end',
    ]);
  });

  it('runs a complete task listener after the submitted variables are set, and the flow decides on its write', async () => {
    const compiled = await compileXml(ordered);
    expect(run(compiled, [complete('T', { decision: 'ok' })]).variables.reviewed).toBe(true);
    const rejected = run(compiled, [complete('T', { decision: 'no' })]);
    expect(rejected.variables.reviewed).toBe(false);
    expect(rejected.variables.trail).not.toContain('f3 take');
  });

  it('lets a start listener feed what the element arms: the task is created with the listener’s variable', async () => {
    const compiled = await compileXml(
      modeler(`    <bpmn:startEvent id="S"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="T" />
    <bpmn:userTask id="T" camunda:assignee="\${reviewer}">
      <bpmn:extensionElements>
        <camunda:executionListener expression="\${execution.setVariable('reviewer', 'ann')}" event="start" />
      </bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="f2" sourceRef="T" targetRef="E" />
    <bpmn:endEvent id="E"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>`),
    );
    const sim = run(compiled);
    expect(sim.variables.reviewer).toBe('ann');
    expect(effectsOf(sim, 'task.create')[0].task.assignee).toBe('ann');
  });

  it('runs the end listeners of an activity an interrupting boundary event ends, then the boundary path', async () => {
    const compiled = await compileXml(
      modeler(`    <bpmn:startEvent id="S"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="T" />
    <bpmn:userTask id="T">
      <bpmn:extensionElements>
        <camunda:executionListener expression="\${execution.setVariable('ended', 'T')}" event="end" />
      </bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:boundaryEvent id="Late" attachedToRef="T">
      <bpmn:extensionElements>
        <camunda:executionListener expression="\${execution.setVariable('ended', ended + ' then Late')}" event="start" />
      </bpmn:extensionElements>
      <bpmn:outgoing>f3</bpmn:outgoing>
      <bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:boundaryEvent>
    <bpmn:sequenceFlow id="f2" sourceRef="T" targetRef="E" />
    <bpmn:sequenceFlow id="f3" sourceRef="Late" targetRef="E2" />
    <bpmn:endEvent id="E"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:endEvent id="E2"><bpmn:incoming>f3</bpmn:incoming></bpmn:endEvent>`),
    );
    const sim = run(compiled, [{ type: 'timer.fired', elementId: 'Late' }]);
    expect(sim.status).toBe('done');
    expect(sim.variables.ended).toBe('T then Late');
  });
});

/** One user task with the given extension elements between a start and an end, as the Modeler writes it. */
const withTask = (extensions: string, task = 'userTask', flowExtensions = '') =>
  modeler(`    <bpmn:startEvent id="S"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="T">${flowExtensions ? `<bpmn:extensionElements>${flowExtensions}</bpmn:extensionElements>` : ''}</bpmn:sequenceFlow>
    <bpmn:${task} id="T">
      <bpmn:extensionElements>${extensions}</bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:${task}>
    <bpmn:sequenceFlow id="f2" sourceRef="T" targetRef="E" />
    <bpmn:endEvent id="E"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>`);

describe('compile/listeners in Flowable models', () => {
  it('runs flowable:executionListener and flowable:taskListener as their Camunda 7 equivalents', async () => {
    const compiled = await compileXml(`<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:flowable="http://flowable.org/bpmn" id="Defs" targetNamespace="http://www.flowable.org/processdef">
  <process id="P" isExecutable="true">
    <startEvent id="S" />
    <sequenceFlow id="f1" sourceRef="S" targetRef="T" />
    <userTask id="T">
      <extensionElements>
        <flowable:executionListener event="start" expression="\${execution.setVariable('stage', 'started')}" />
        <flowable:taskListener event="complete" expression="\${task.setVariable('stage', stage + ' and done')}" />
      </extensionElements>
    </userTask>
    <sequenceFlow id="f2" sourceRef="T" targetRef="E" />
    <endEvent id="E" />
  </process>
</definitions>`);
    expect(run(compiled).variables.stage).toBe('started');
    expect(run(compiled, [complete('T')]).variables.stage).toBe('started and done');
  });
});

describe('compile/listeners at the ends of an instance', () => {
  const ends = modeler(
    `    <bpmn:startEvent id="S"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="Calc" />
    <bpmn:scriptTask id="Calc" scriptFormat="feel" camunda:resultVariable="total">
      <bpmn:extensionElements>${trail('end', 'Calc end')}
        <camunda:executionListener expression="\${execution.setVariable('doubled', total * 2)}" event="end" />
      </bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
      <bpmn:script>21</bpmn:script>
    </bpmn:scriptTask>
    <bpmn:sequenceFlow id="f2" sourceRef="Calc" targetRef="T" />
    <bpmn:userTask id="T">
      <bpmn:extensionElements>${trail('end', 'T end')}</bpmn:extensionElements>
      <bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="f3" sourceRef="T" targetRef="E" />
    <bpmn:endEvent id="E"><bpmn:incoming>f3</bpmn:incoming></bpmn:endEvent>`,
    `${trail('end', 'process end')}`,
  );

  it('runs a script task’s end listeners after its result is set', async () => {
    const sim = run(await compileXml(ends), [], { trail: [] });
    expect(sim.variables).toMatchObject({ total: 21, doubled: 42, trail: ['Calc end'] });
  });

  it('runs the process’s end listeners when it completes', async () => {
    const sim = run(await compileXml(ends), [complete('T')], { trail: [] });
    expect(sim.status).toBe('done');
    expect(sim.variables.trail).toEqual(['Calc end', 'T end', 'process end']);
  });

  it('runs the end listeners of the waiting element, then the process’s, when the instance is cancelled', async () => {
    const sim = run(await compileXml(ends), [{ type: 'instance.cancel' }], { trail: [] });
    expect(sim.variables.trail).toEqual(['Calc end', 'T end', 'process end']);
  });
});

describe('compile/listeners refused at deploy', () => {
  const refusals: Array<[string, string, RegExp]> = [
    [
      'camunda:class',
      '<camunda:executionListener class="org.acme.Audit" event="start" />',
      /camunda:class="org\.acme\.Audit".*not supported yet/,
    ],
    [
      'delegateExpression',
      '<camunda:taskListener delegateExpression="${notifier}" event="create" />',
      /delegateExpression.*not supported yet/,
    ],
    [
      'a Java expression',
      '<camunda:executionListener expression="${auditService.log(execution)}" event="end" />',
      /expression="\$\{auditService\.log\(execution\)\}"; not supported yet/,
    ],
    [
      'a JavaScript script',
      '<camunda:executionListener event="start"><camunda:script scriptFormat="javascript">execution.setVariable("x", 1)</camunda:script></camunda:executionListener>',
      /script in 'javascript'; not supported yet/,
    ],
    [
      'a Groovy script',
      '<camunda:taskListener event="create"><camunda:script scriptFormat="groovy">task.setVariable("x", 1)</camunda:script></camunda:taskListener>',
      /script in 'groovy'; not supported yet/,
    ],
    [
      'an external script resource',
      '<camunda:executionListener event="start"><camunda:script scriptFormat="feel" resource="deployment://audit.feel" /></camunda:executionListener>',
      /external script resource.*not supported yet/,
    ],
    [
      'field injection',
      '<camunda:executionListener expression="${execution.setVariable(\'x\', 1)}" event="start"><camunda:field name="level"><camunda:string>high</camunda:string></camunda:field></camunda:executionListener>',
      /field injections.*not supported yet/,
    ],
    [
      'an assignment task listener',
      '<camunda:taskListener expression="${task.setVariable(\'x\', 1)}" event="assignment" />',
      /event 'assignment'; not supported yet/,
    ],
    [
      'a delete task listener',
      '<camunda:taskListener expression="${task.setVariable(\'x\', 1)}" event="delete" />',
      /event 'delete'; not supported yet/,
    ],
    [
      'a listener without an event',
      '<camunda:executionListener expression="${execution.setVariable(\'x\', 1)}" />',
      /without an event/,
    ],
  ];
  for (const [what, extension, why] of refusals)
    it(`refuses ${what}, naming the element`, async () => {
      const problems = await problemsOf(withTask(extension));
      expect(problems).toEqual([
        expect.objectContaining({ code: 'UNSUPPORTED_ELEMENT', elementId: 'T', message: expect.stringMatching(why) }),
      ]);
    });

  it('refuses a setVariable whose JUEL value cannot be translated, naming the element and the expression', async () => {
    const problems = await problemsOf(
      withTask(
        `<camunda:executionListener expression="\${execution.setVariable('x', empty items ? 0 : 1)}" event="start" />`,
      ),
    );
    expect(problems).toEqual([
      expect.objectContaining({ elementId: 'T', message: expect.stringMatching(/start listener.*empty items/) }),
    ]);
  });

  it('refuses a task listener on anything but a user task, and task.setVariable in an execution listener', async () => {
    const onService = await problemsOf(
      withTask(`<camunda:taskListener expression="\${task.setVariable('x', 1)}" event="create" />`, 'task'),
    );
    expect(onService).toEqual([
      expect.objectContaining({ elementId: 'T', message: expect.stringMatching(/only user tasks/) }),
    ]);
    const taskInExecution = await problemsOf(
      withTask(`<camunda:executionListener expression="\${task.setVariable('x', 1)}" event="start" />`),
    );
    expect(taskInExecution).toEqual([
      expect.objectContaining({ elementId: 'T', message: expect.stringMatching(/not supported yet/) }),
    ]);
  });

  it('refuses end listeners where an enclosing scope could end the element without running them', async () => {
    const problems = await problemsOf(
      modeler(`    <bpmn:startEvent id="S"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="Sub" />
    <bpmn:subProcess id="Sub">
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
      <bpmn:startEvent id="SS"><bpmn:outgoing>s1</bpmn:outgoing></bpmn:startEvent>
      <bpmn:sequenceFlow id="s1" sourceRef="SS" targetRef="T" />
      <bpmn:userTask id="T">
        <bpmn:extensionElements><camunda:executionListener expression="\${execution.setVariable('x', 1)}" event="end" /></bpmn:extensionElements>
        <bpmn:incoming>s1</bpmn:incoming><bpmn:outgoing>s2</bpmn:outgoing>
      </bpmn:userTask>
      <bpmn:sequenceFlow id="s2" sourceRef="T" targetRef="SE" />
      <bpmn:endEvent id="SE"><bpmn:incoming>s2</bpmn:incoming></bpmn:endEvent>
    </bpmn:subProcess>
    <bpmn:boundaryEvent id="Late" attachedToRef="Sub"><bpmn:outgoing>f3</bpmn:outgoing>
      <bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
    <bpmn:sequenceFlow id="f2" sourceRef="Sub" targetRef="E" />
    <bpmn:sequenceFlow id="f3" sourceRef="Late" targetRef="E" />
    <bpmn:endEvent id="E"><bpmn:incoming>f2</bpmn:incoming><bpmn:incoming>f3</bpmn:incoming></bpmn:endEvent>`),
    );
    expect(problems).toEqual([
      expect.objectContaining({ elementId: 'T', message: expect.stringMatching(/end listeners.*interrupted/) }),
    ]);
  });

  it('refuses a take listener on a flow out of a parallel split', async () => {
    const problems = await problemsOf(
      modeler(`    <bpmn:startEvent id="S"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="Fork" />
    <bpmn:parallelGateway id="Fork"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>a</bpmn:outgoing><bpmn:outgoing>b</bpmn:outgoing></bpmn:parallelGateway>
    <bpmn:sequenceFlow id="a" sourceRef="Fork" targetRef="Join">
      <bpmn:extensionElements><camunda:executionListener expression="\${execution.setVariable('x', 1)}" event="take" /></bpmn:extensionElements>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="b" sourceRef="Fork" targetRef="Join" />
    <bpmn:parallelGateway id="Join"><bpmn:incoming>a</bpmn:incoming><bpmn:incoming>b</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:parallelGateway>
    <bpmn:sequenceFlow id="f2" sourceRef="Join" targetRef="E" />
    <bpmn:endEvent id="E"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>`),
    );
    expect(problems).toEqual([
      expect.objectContaining({ elementId: 'a', message: expect.stringMatching(/take listener.*not supported yet/) }),
    ]);
  });
});
