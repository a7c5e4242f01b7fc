// issue #13: vendor attributes mean what they mean in the source engine, or are refused — never dropped silently
import { describe, expect, it } from 'vitest';
import { readBpmn } from '../../engine/bpmn/index.js';

const NS = {
  camunda: 'xmlns:camunda="http://camunda.org/schema/1.0/bpmn"',
  flowable: 'xmlns:flowable="http://flowable.org/bpmn"',
  activiti: 'xmlns:activiti="http://activiti.org/bpmn"',
  zeebe: 'xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"',
};

/** One user or service task between a start and an end, as the modelers write it. */
const model = (task: string, ns: string) => `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" ${ns} id="Defs" targetNamespace="http://www.flowable.org/processdef">
  <process id="P" isExecutable="true">
    <startEvent id="S" />
    <sequenceFlow id="f1" sourceRef="S" targetRef="T" />
    ${task}
    <sequenceFlow id="f2" sourceRef="T" targetRef="E" />
    <endEvent id="E" />
  </process>
</definitions>`;

const read = async (xml: string) => {
  const { document, problems } = await readBpmn(xml);
  return { task: document?.processes[0].nodes.T, problems };
};

describe('bpmn/vendor extensions', () => {
  it('reads Flowable user task attributes as their Camunda 7 equivalents', async () => {
    const { task, problems } = await read(
      model(
        '<userTask id="T" name="Review" flowable:assignee="${initiator}" flowable:candidateUsers="ann, bob" flowable:candidateGroups="complaints" flowable:formKey="review" flowable:dueDate="P2D" flowable:priority="70" />',
        NS.flowable,
      ),
    );
    expect(problems).toEqual([]);
    expect(task).toMatchObject({
      formKey: 'review',
      assignment: {
        assignee: '${initiator}',
        candidateUsers: ['ann', 'bob'],
        candidateGroups: ['complaints'],
        dueDate: 'P2D',
        priority: '70',
      },
    });
  });

  it('runs Flowable external worker tasks as jobs, and refuses http, shell and Java service tasks', async () => {
    const worker = await read(
      model('<serviceTask id="T" flowable:type="external-worker" flowable:topic="ship-parcel" />', NS.flowable),
    );
    expect(worker.problems).toEqual([]);
    expect(worker.task?.jobType).toBe('ship-parcel');
    for (const [task, why] of [
      ['<serviceTask id="T" flowable:type="http" />', /'http' task/],
      ['<serviceTask id="T" flowable:type="shell" />', /'shell' task/],
      ['<serviceTask id="T" flowable:class="org.acme.Ship" />', /Java delegates/],
    ] as const) {
      const { problems } = await read(model(task, NS.flowable));
      expect(problems).toEqual([expect.objectContaining({ elementId: 'T', message: expect.stringMatching(why) })]);
    }
  });

  it("reads Activiti's namespace under its own prefix and under the camunda prefix", async () => {
    for (const [ns, prefix] of [
      [NS.activiti, 'activiti'],
      ['xmlns:camunda="http://activiti.org/bpmn"', 'camunda'],
    ]) {
      const { task, problems } = await read(
        model(`<userTask id="T" ${prefix}:assignee="ann" ${prefix}:candidateGroups="field-engineers" />`, ns),
      );
      expect(problems).toEqual([]);
      expect(task?.assignment).toMatchObject({ assignee: 'ann', candidateGroups: ['field-engineers'] });
    }
  });

  it('reads a Camunda prefix by its namespace URI, not by its name', async () => {
    const { task } = await read(
      model('<userTask id="T" cam:assignee="ann" />', 'xmlns:cam="http://camunda.org/schema/1.0/bpmn"'),
    );
    expect(task?.assignment?.assignee).toBe('ann');
  });

  it('refuses a vendor attribute svcflow does not know, naming the element and the attribute as written', async () => {
    const named = async (task: string, ns: string) =>
      (await read(model(task, ns))).problems.map((p) => [
        p.code,
        p.elementId,
        p.message.match(/attribute (\S+),/)?.[1],
      ]);
    expect(await named('<userTask id="T" flowable:skipExpression="${skip}" />', NS.flowable)).toEqual([
      ['UNSUPPORTED_ELEMENT', 'T', 'flowable:skipExpression'],
    ]);
    expect(await named('<userTask id="T" camunda:frobnicate="1" />', NS.camunda)).toEqual([
      ['UNSUPPORTED_ELEMENT', 'T', 'camunda:frobnicate'],
    ]);
    expect(
      await named(
        '<serviceTask id="T" zeebe:retryBackoff="PT1M"><extensionElements><zeebe:taskDefinition type="x" /></extensionElements></serviceTask>',
        NS.zeebe,
      ),
    ).toEqual([['UNSUPPORTED_ELEMENT', 'T', 'zeebe:retryBackoff']]);
    // a prefix named camunda but bound to another namespace is not Camunda's
    expect(await named('<userTask id="T" camunda:note="1" />', 'xmlns:camunda="http://example.com/notes"')).toEqual([]);
  });

  it('refuses listeners, connectors, retry cycles and generated forms instead of never running them', async () => {
    const cases: Array<[string, string, RegExp]> = [
      [
        '<userTask id="T"><extensionElements><camunda:taskListener class="org.acme.Notify" event="create" /></extensionElements></userTask>',
        NS.camunda,
        /camunda:taskListener with camunda:class.*not supported yet/,
      ],
      [
        '<userTask id="T"><extensionElements><camunda:executionListener event="start"><camunda:script scriptFormat="groovy">x</camunda:script></camunda:executionListener></extensionElements></userTask>',
        NS.camunda,
        /script in 'groovy'; not supported yet/,
      ],
      [
        '<userTask id="T"><extensionElements><flowable:taskListener event="create" delegateExpression="${notifier}" /></extensionElements></userTask>',
        NS.flowable,
        /delegateExpression="\$\{notifier\}"; Java listeners are not supported yet/,
      ],
      [
        '<serviceTask id="T"><extensionElements><zeebe:taskDefinition type="x" /><zeebe:executionListeners><zeebe:executionListener eventType="start" type="audit" /></zeebe:executionListeners></extensionElements></serviceTask>',
        NS.zeebe,
        /execution listeners/,
      ],
      [
        '<serviceTask id="T"><extensionElements><camunda:connector><camunda:connectorId>http-connector</camunda:connectorId></camunda:connector></extensionElements></serviceTask>',
        NS.camunda,
        /connector/,
      ],
      [
        '<serviceTask id="T" camunda:type="external" camunda:topic="x"><extensionElements><camunda:failedJobRetryTimeCycle>R5/PT5M</camunda:failedJobRetryTimeCycle></extensionElements></serviceTask>',
        NS.camunda,
        /retry cycles/,
      ],
      [
        '<userTask id="T"><extensionElements><camunda:formData><camunda:formField id="ok" type="boolean" /></camunda:formData></extensionElements></userTask>',
        NS.camunda,
        /generated form/,
      ],
    ];
    for (const [task, ns, why] of cases) {
      const { problems } = await read(model(task, ns));
      expect(problems).toEqual([
        expect.objectContaining({ code: 'UNSUPPORTED_ELEMENT', elementId: 'T', message: expect.stringMatching(why) }),
      ]);
    }
  });

  it('accepts xml:lang and other xml: attributes', async () => {
    const { task, problems } = await read(
      model(
        '<userTask id="T" name="审核" xml:lang="zh-CN"><documentation xml:lang="en" xml:space="preserve">Review</documentation></userTask>',
        '',
      ),
    );
    expect(problems).toEqual([]);
    expect(task).toMatchObject({ name: '审核', documentation: 'Review' });
  });
});
