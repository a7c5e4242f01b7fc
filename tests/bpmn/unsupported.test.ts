import { describe, expect, it } from 'vitest';
import { loadBpmn } from '../../engine/bpmn/index.js';
import { problemsOf } from './fixtures.js';

describe('bpmn/read: elements this engine cannot run', () => {
  it('reports each unsupported element by id and leaves it out of the model', async () => {
    const problems = await problemsOf('invalid-unsupported.bpmn');
    const ids = ['Call_credit', 'Task_rules', 'EventSub_cancel', 'Catch_condition', 'Task_loop', 'Task_javaDelegate'];
    expect(problems.filter((p) => p.code === 'UNSUPPORTED_ELEMENT')).toEqual(
      ids.map((elementId) => expect.objectContaining({ code: 'UNSUPPORTED_ELEMENT', elementId })),
    );
    // issue #12: complex gateways run (Gateway_complex is read); signals run; these refer to no signal
    expect(problems.filter((p) => p.code === 'SIGNAL_NAME_MISSING').map((p) => p.elementId)).toEqual([
      'Catch_signal',
      'End_signal',
    ]);
    // ad-hoc sub-processes run (issue #11); this one offers no activity (and the empty transaction has no start)
    expect(problems.filter((p) => p.code === 'NO_START_EVENT').map((p) => p.elementId)).toEqual([
      'AdHoc_research',
      'Transaction_pay',
    ]);
    // links, compensation and transactions run too (issue #12); this link has no catch to go to
    expect(problems.filter((p) => p.code === 'EVENT_DEFINITION_INVALID').map((p) => p.elementId)).toEqual([
      'Throw_link',
    ]);
  });

  it('says what is not supported', async () => {
    const messages = Object.fromEntries(
      (await problemsOf('invalid-unsupported.bpmn')).map((p) => [p.elementId, p.message]),
    );
    expect(messages.Catch_condition).toBe(
      "intermediate catch event 'Catch_condition' filters on variable events without camunda:variableName; svcflow does not run variable events of every variable yet, name the variables",
    );
    // issue 11: call activities run; one calling a CMMN case does not
    expect(messages.Call_credit).toContain('svcflow runs no CMMN');
    expect(messages.EventSub_cancel).toContain('svcflow does not run repeated event sub-processes yet');
    // issue #11: multi-instance runs on every task kind
    expect(messages.Task_perReviewer).toBeUndefined();
    expect(messages.Task_loop).toContain('it would never end');
    expect(messages.Task_javaDelegate).toContain('camunda:class');
  });
});

describe('bpmn/read: a Camunda 8 user task with an external form (issue #13)', () => {
  it('is refused at deploy naming the task and the link, not run without its form', async () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="Definitions_f" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="Process_form" isExecutable="true">
    <bpmn:startEvent id="Start_1"><bpmn:outgoing>Flow_1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="Task_external"><bpmn:extensionElements><zeebe:userTask /><zeebe:formDefinition externalReference="https://forms.example.com/claim" /></bpmn:extensionElements><bpmn:incoming>Flow_1</bpmn:incoming><bpmn:outgoing>Flow_2</bpmn:outgoing></bpmn:userTask>
    <bpmn:endEvent id="End_1"><bpmn:incoming>Flow_2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="Flow_1" sourceRef="Start_1" targetRef="Task_external" />
    <bpmn:sequenceFlow id="Flow_2" sourceRef="Task_external" targetRef="End_1" />
  </bpmn:process>
</bpmn:definitions>`;
    const { problems } = await loadBpmn(xml);
    expect(problems).toContainEqual(
      expect.objectContaining({
        code: 'UNSUPPORTED_ELEMENT',
        elementId: 'Task_external',
        message: expect.stringContaining(
          "links the external form 'https://forms.example.com/claim' (zeebe:formDefinition externalReference); svcflow does not show external forms yet",
        ),
      }),
    );
  });
});
