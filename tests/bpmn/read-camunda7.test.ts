import { beforeAll, describe, expect, it } from 'vitest';
import type { ProcessModel } from '../../engine/bpmn/index.js';
import { node, readProcess } from './fixtures.js';

describe('bpmn/read: a Camunda 7 flavoured diagram', () => {
  let process: ProcessModel;
  beforeAll(async () => {
    process = await readProcess('camunda7-complaint.bpmn');
  });

  it('reads the executable process with its name, documentation and SLA', () => {
    expect(process).toMatchObject({
      id: 'Process_complaint',
      name: 'Complaint handling',
      documentation: 'Handles a customer complaint from receipt to closure.',
    });
    expect(process.sla).toMatchObject({ target: 'P5D', warnAt: [0.8] });
  });

  it('maps BPMN types to node types and sub-process children to the sub-process scope', () => {
    expect(node(process, 'Task_review').type).toBe('userTask');
    expect(node(process, 'Gateway_severity').type).toBe('exclusiveGateway');
    expect(node(process, 'Task_gather')).toMatchObject({ type: 'userTask', scopeId: 'SubProcess_investigate' });
    expect(node(process, 'SubProcess_investigate').scopeId).toBe('Process_complaint');
    expect(process.scopes).toEqual(['SubProcess_investigate']);
  });

  it('links flows to their nodes and keeps the gateway default', () => {
    expect(node(process, 'Gateway_severity')).toMatchObject({
      incoming: ['Flow_toSeverity'],
      outgoing: ['Flow_small', 'Flow_high', 'Flow_normal'],
      defaultFlow: 'Flow_normal',
    });
    expect(node(process, 'Gateway_join').incoming).toEqual(['Flow_refundDone', 'Flow_reviewDone', 'Flow_investigated']);
  });

  it('keeps JUEL conditions as written and strips the = of FEEL conditions', () => {
    expect(process.flows.Flow_small).toMatchObject({
      name: 'small amount',
      sourceId: 'Gateway_severity',
      targetId: 'Task_refund',
      condition: '${amount < 100}',
    });
    expect(process.flows.Flow_high.condition).toBe('severity = "high"');
    expect(process.flows.Flow_normal.condition).toBeNull();
  });

  it('reads the user task assignment, dates, priority and form from camunda attributes', () => {
    expect(node(process, 'Task_review').assignment).toEqual({
      assignee: '${initiator}',
      candidateUsers: ['alice', 'bob'],
      candidateGroups: ['complaints', 'supervisors'],
      priority: '50',
      dueDate: '${reviewDue}',
      followUpDate: 'P1D',
    });
    expect(node(process, 'Task_review').formKey).toBe('review');
  });

  it('turns camunda input/output parameters into mappings, literals into FEEL strings', () => {
    expect(node(process, 'Task_review').inputs).toEqual([
      { source: '${complaint.id}', target: 'complaintId' },
      { source: '"Dear \\"customer\\""', target: 'greeting' },
      { source: 'null', target: 'note' },
    ]);
    expect(node(process, 'Task_review').outputs).toEqual([{ source: '${reviewDecision}', target: 'decision' }]);
  });

  it('reads documentation and camunda properties', () => {
    expect(node(process, 'Task_review')).toMatchObject({
      documentation: 'Read the complaint and decide.',
      properties: { category: 'billing' },
    });
  });

  it('takes external task topics as job types, with the default of 3 retries', () => {
    expect(node(process, 'Task_refund')).toMatchObject({ jobType: 'issue-refund', jobRetries: 3 });
    expect(node(process, 'Task_inform')).toMatchObject({ type: 'sendTask', jobType: 'send-email' });
    expect(node(process, 'End_done')).toMatchObject({
      jobType: 'publish-closure',
      event: { kind: 'message', messageName: '', correlationKey: null },
    });
  });

  it('reads a FEEL script task whatever the case of its script format', () => {
    expect(node(process, 'Task_classify').script).toEqual({
      expression: 'if amount > 1000 then "high" else "normal"',
      resultVariable: 'severity',
    });
  });

  it('reads boundary events and lists them on their activity', () => {
    expect(node(process, 'Boundary_reviewTimeout')).toMatchObject({
      attachedTo: 'Task_review',
      cancelActivity: false,
      event: { kind: 'timer', timer: { type: 'duration', value: 'PT2H' } },
    });
    expect(node(process, 'Boundary_fraud')).toMatchObject({
      attachedTo: 'SubProcess_investigate',
      cancelActivity: true,
      event: { kind: 'error', errorCode: 'FRAUD' },
    });
    expect(node(process, 'Task_review').boundaryEvents).toEqual(['Boundary_reviewTimeout']);
  });

  it('reads the message of a receive task with its correlation key property', () => {
    expect(node(process, 'Task_waitCustomer').event).toEqual({
      kind: 'message',
      messageName: 'customer-reply',
      correlationKey: '=complaintId',
    });
  });

  it('reads terminate end events', () => {
    expect(node(process, 'End_fraud').event).toEqual({ kind: 'terminate' });
  });
});
