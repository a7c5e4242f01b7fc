import { beforeAll, describe, expect, it } from 'vitest';
import type { ProcessModel } from '../../engine/bpmn/index.js';
import { node, readProcess } from './fixtures.js';

describe('bpmn/read: a Camunda 8 (zeebe) flavoured diagram', () => {
  let process: ProcessModel;
  beforeAll(async () => {
    process = await readProcess('camunda8-callback.bpmn');
  });

  it('reads the job type and retries of a zeebe task definition', () => {
    expect(node(process, 'Task_lookup')).toMatchObject({ type: 'serviceTask', jobType: 'crm-lookup', jobRetries: 5 });
  });

  it('reads zeebe io mappings without the leading =, static values as FEEL strings', () => {
    expect(node(process, 'Task_lookup').inputs).toEqual([
      { source: 'callbackRequest.customerId', target: 'customerId' },
      { source: '"standard"', target: 'lookupMode' },
    ]);
    expect(node(process, 'Task_lookup').outputs).toEqual([{ source: 'result.tier', target: 'tier' }]);
    expect(node(process, 'StartEvent_request').outputs).toEqual([{ source: 'request', target: 'callbackRequest' }]);
  });

  it('reads a zeebe script without its leading =', () => {
    expect(node(process, 'Task_score').script).toEqual({
      expression: 'if tier = "gold" then 1 else 2',
      resultVariable: 'urgency',
    });
  });

  it('reads the zeebe assignment, keeping FEEL values whole and splitting literal lists', () => {
    expect(node(process, 'Task_callback').assignment).toEqual({
      assignee: '=callbackRequest.owner',
      candidateUsers: ['=["ann","ben"]'],
      candidateGroups: ['agents', 'seniors'],
      priority: '=urgency * 25',
      dueDate: '=now() + duration("PT4H")',
      followUpDate: '2025-03-01T09:00:00Z',
    });
  });

  it('takes the form id of a zeebe form definition as the form key', () => {
    expect(node(process, 'Task_callback').formKey).toBe('callback-form');
  });

  it('reads zeebe properties and documentation', () => {
    expect(node(process, 'Task_callback')).toMatchObject({
      properties: { channel: 'phone' },
      documentation: 'Call within the SLA; note the outcome.',
    });
  });

  it('reads a FEEL SLA target on a user task', () => {
    expect(node(process, 'Task_callback').sla).toEqual({
      target: '=if tier = "gold" then "PT1H" else "PT8H"',
      warnAt: [0.8],
      calendar: null,
      pauseWhile: [],
      warningCode: 'sla-warning',
      breachCode: 'sla-breach',
    });
  });

  it('reads a non-interrupting escalation boundary event with its code', () => {
    expect(node(process, 'Boundary_slaWarning')).toMatchObject({
      attachedTo: 'Task_callback',
      cancelActivity: false,
      event: { kind: 'escalation', escalationCode: 'sla-warning' },
    });
  });

  it('reads the message and zeebe correlation key of a catch event', () => {
    expect(node(process, 'Catch_confirmation').event).toEqual({
      kind: 'message',
      messageName: 'callback-confirmed',
      correlationKey: '=customerId',
    });
  });

  it('reads a timer catch event behind an event-based gateway', () => {
    expect(node(process, 'Gateway_wait')).toMatchObject({
      type: 'eventBasedGateway',
      outgoing: ['Flow_toConfirmation', 'Flow_toTimeout'],
    });
    expect(node(process, 'Catch_timeout').event).toEqual({
      kind: 'timer',
      timer: { type: 'duration', value: 'PT48H' },
    });
  });

  it('gives a message throw event the job type of its task definition', () => {
    expect(node(process, 'Throw_thanks')).toMatchObject({
      type: 'intermediateThrowEvent',
      jobType: 'send-thanks',
      jobRetries: 1,
      event: { kind: 'message' },
    });
  });

  it('reads escalation end events', () => {
    expect(node(process, 'End_unconfirmed').event).toEqual({
      kind: 'escalation',
      escalationCode: 'callback-unconfirmed',
    });
  });

  it('leaves fields of other node types empty', () => {
    expect(node(process, 'Gateway_wait')).toMatchObject({
      event: null,
      assignment: null,
      formKey: null,
      jobType: null,
      script: null,
      sla: null,
      attachedTo: null,
      boundaryEvents: [],
    });
  });
});
