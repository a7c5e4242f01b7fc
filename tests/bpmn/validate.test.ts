import { describe, expect, it } from 'vitest';
import { readBpmn, validateModel, type BpmnDocument } from '../../engine/bpmn/index.js';
import { fixture, problemsOf } from './fixtures.js';

function problem(code: string, elementId: string | null) {
  return expect.objectContaining({ code, elementId });
}

describe('bpmn/validate: structural problems', () => {
  it('accepts the reference diagrams without a single problem', async () => {
    for (const name of ['camunda7-complaint.bpmn', 'camunda8-callback.bpmn', 'bpmnio-collaboration.bpmn']) {
      expect(await problemsOf(name)).toEqual([]);
    }
  });

  it('runs one none start event per process and sub-process; a message start and a process without start events are valid', async () => {
    const problems = await problemsOf('invalid-start-events.bpmn');
    expect(problems).toEqual(
      expect.arrayContaining([
        problem('MULTIPLE_START_EVENTS', 'Process_starts'),
        problem('NO_START_EVENT', 'SubProcess_followUp'),
      ]),
    );
    // issue #10: a message start event and a process instantiated at an element without incoming flows are valid BPMN
    expect(problems.map((p) => p.elementId)).not.toContain('StartEvent_email');
    expect(problems.map((p) => p.elementId)).not.toContain('Process_empty');
  });

  it('names the scope and the start events in the message', async () => {
    const problems = await problemsOf('invalid-start-events.bpmn');
    expect(problems.find((p) => p.code === 'MULTIPLE_START_EVENTS')?.message).toBe(
      "process 'Process_starts' has 2 none start events ('StartEvent_web', 'StartEvent_phone'); svcflow does not run processes with more than one none start event yet, keep exactly one",
    );
  });

  it('reports flows with a missing end, flows across scopes and unreachable elements', async () => {
    const problems = await problemsOf('invalid-flows.bpmn');
    expect(problems).toEqual([
      problem('FLOW_CROSSES_SCOPE', 'Flow_intoSub'),
      problem('FLOW_SOURCE_MISSING', 'Flow_fromNowhere'),
      problem('FLOW_TARGET_MISSING', 'Flow_toNowhere'),
      problem('NO_INCOMING_FLOW', 'Task_orphan'),
    ]);
    expect(problems[1].message).toBe(
      "flow 'Flow_fromNowhere' starts at 'Task_deleted', which is not an element of process 'Process_flows'; connect it to an existing element",
    );
  });

  it('does not report activities without outgoing flows: they end implicitly', async () => {
    const problems = await problemsOf('invalid-flows.bpmn');
    expect(problems).not.toEqual(expect.arrayContaining([expect.objectContaining({ code: 'NO_OUTGOING_FLOW' })]));
    expect(problems.map((p) => p.elementId)).not.toContain('Task_fix');
  });

  it('reports gateways that cannot choose, lead nowhere or race the wrong things', async () => {
    const problems = await problemsOf('invalid-gateways.bpmn');
    expect(problems).toEqual([
      problem('GATEWAY_NO_DEFAULT', 'Gateway_approve'),
      problem('GATEWAY_NO_OUTGOING', 'Gateway_deadEnd'),
      problem('GATEWAY_NO_DEFAULT', 'Gateway_notify'),
      problem('EVENT_GATEWAY_TARGET', 'Gateway_race'),
      // one flow in, one out: it neither splits nor merges (BPMN 2.0 §10.6)
      problem('GATEWAY_INVALID', 'Gateway_notify'),
    ]);
    expect(problems[0].message).toBe(
      "exclusive gateway 'Gateway_approve' (Approved?) has 2 outgoing flows without a condition and no default flow; add conditions or mark one as default",
    );
  });

  it('reports empty or malformed timers, nameless messages, invalid boundary events and unknown errors', async () => {
    expect(await problemsOf('invalid-events.bpmn')).toEqual([
      problem('REFERENCE_MISSING', 'Boundary_unknownError'),
      problem('TIMER_INVALID', 'Catch_wait'),
      problem('TIMER_INVALID', 'Catch_noon'),
      problem('MESSAGE_NAME_MISSING', 'Task_awaitReply'),
      problem('BOUNDARY_INVALID', 'Boundary_softError'),
      problem('BOUNDARY_INVALID', 'Boundary_onGateway'),
      // the spec's flow rules (BPMN 2.0 §10.5.4, §10.6) hold on these fixtures too
      problem('FLOW_INVALID', 'Boundary_softError'),
      problem('FLOW_INVALID', 'Boundary_onGateway'),
      problem('FLOW_INVALID', 'Boundary_unknownError'),
      problem('GATEWAY_INVALID', 'Gateway_1'),
    ]);
  });

  it('reports service and send tasks without a job type and script tasks without a FEEL script', async () => {
    expect(await problemsOf('invalid-tasks.bpmn')).toEqual(
      expect.arrayContaining([
        problem('JOB_TYPE_MISSING', 'Task_noType'),
        problem('JOB_TYPE_MISSING', 'Task_sendNoType'),
        problem('SCRIPT_INVALID', 'Task_noScript'),
        problem('UNSUPPORTED_ELEMENT', 'Task_groovy'),
      ]),
    );
  });

  it('opens every message with the element it is about', async () => {
    const problems = await problemsOf('invalid-tasks.bpmn');
    expect(problems.find((p) => p.code === 'JOB_TYPE_MISSING')?.message).toMatch(
      /^service task 'Task_noType' \(Call CRM\) has no job type; /,
    );
    expect(problems.find((p) => p.code === 'UNSUPPORTED_ELEMENT')?.message).toBe(
      "script task 'Task_groovy' has script format 'groovy'; svcflow does not run 'groovy' scripts yet; use FEEL",
    );
  });

  it('validates a hand-built document and reports a boundary event attached to nothing', async () => {
    const { document } = await readBpmn(fixture('camunda8-callback.bpmn'));
    const process = document!.processes[0];
    const broken: BpmnDocument = {
      id: null,
      processes: [
        {
          ...process,
          nodes: {
            ...process.nodes,
            Boundary_slaWarning: { ...process.nodes.Boundary_slaWarning, attachedTo: 'Task_gone' },
          },
        },
      ],
    };
    expect(validateModel(broken)).toEqual([problem('BOUNDARY_INVALID', 'Boundary_slaWarning')]);
  });
});
