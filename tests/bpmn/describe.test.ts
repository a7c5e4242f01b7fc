import { describe, expect, it } from 'vitest';
import { bpmnTypeOf, describeElement } from '../../engine/bpmn/index.js';

describe('bpmn/describe: how messages name elements', () => {
  it('names the type, quotes the id and adds the name', () => {
    expect(describeElement({ id: 'Task_review', type: 'userTask', name: 'Review complaint' })).toBe(
      "user task 'Task_review' (Review complaint)",
    );
    expect(describeElement({ id: 'Gateway_approve', type: 'bpmn:ExclusiveGateway' })).toBe(
      "exclusive gateway 'Gateway_approve'",
    );
  });

  it('collapses line breaks in modeler names', () => {
    expect(describeElement({ id: 'Task_1', type: 'task', name: 'Check\n  complaint' })).toBe(
      "task 'Task_1' (Check complaint)",
    );
  });

  it('prefixes events with their kind', () => {
    expect(
      describeElement({ id: 'Boundary_1', type: 'boundaryEvent', event: { kind: 'error', errorCode: null } }),
    ).toBe("error boundary event 'Boundary_1'");
  });

  it('calls sequence flows flows and spells sub-processes and event-based gateways', () => {
    expect(describeElement({ id: 'Flow_urgent', type: 'sequenceFlow' })).toBe("flow 'Flow_urgent'");
    expect(describeElement({ id: 'Sub_1', type: 'subProcess' })).toBe("sub-process 'Sub_1'");
    expect(describeElement({ id: 'G', type: 'eventBasedGateway' })).toBe("event-based gateway 'G'");
  });

  it('qualifies node types as BPMN types', () => {
    expect(bpmnTypeOf('userTask')).toBe('bpmn:UserTask');
    expect(bpmnTypeOf('zeebe:TaskDefinition')).toBe('zeebe:TaskDefinition');
  });
});
