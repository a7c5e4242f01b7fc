import { describe, expect, it } from 'vitest';
import { problemsOf } from './fixtures.js';

/** A stand-in for the FEEL parser: an expression ending in an operator is cut short. */
function checkExpression(expression: string): string | null {
  return /(=|\+|\.|\(|else)$/.test(expression) ? `unexpected end at ${expression.length}` : null;
}

describe('bpmn/validate: FEEL expressions', () => {
  it('hands every FEEL expression to checkExpression and reports the rejected ones', async () => {
    expect(await problemsOf('invalid-feel.bpmn', { checkExpression })).toEqual([
      expect.objectContaining({ code: 'FEEL_SYNTAX', elementId: 'Flow_urgent', elementType: 'bpmn:SequenceFlow' }),
      expect.objectContaining({ code: 'FEEL_SYNTAX', elementId: 'Task_urgent' }),
      expect.objectContaining({ code: 'FEEL_SYNTAX', elementId: 'Task_urgent' }),
      expect.objectContaining({ code: 'FEEL_SYNTAX', elementId: 'Task_compute' }),
      expect.objectContaining({ code: 'FEEL_SYNTAX', elementId: 'Catch_later' }),
      expect.objectContaining({ code: 'FEEL_SYNTAX', elementId: 'Process_feel', elementType: 'bpmn:Process' }),
    ]);
  });

  it('quotes the expression, the place and the checker’s reason', async () => {
    const messages = (await problemsOf('invalid-feel.bpmn', { checkExpression })).map((p) => p.message);
    expect(messages).toEqual([
      'condition of flow \'Flow_urgent\' is not valid FEEL: "priority =" (unexpected end at 10)',
      "input mapping 'ticketId' of user task 'Task_urgent' is not valid FEEL: \"ticket.\" (unexpected end at 7)",
      'assignee of user task \'Task_urgent\' is not valid FEEL: "owner +" (unexpected end at 7)',
      'script of script task \'Task_compute\' is not valid FEEL: "1 +" (unexpected end at 3)',
      'timer of timer intermediate catch event \'Catch_later\' is not valid FEEL: "duration(" (unexpected end at 9)',
      'SLA target of process \'Process_feel\' is not valid FEEL: "if vip then "PT1H" else" (unexpected end at 23)',
    ]);
  });

  it('checks whole Camunda 7 ${…} expressions through their translation and leaves literals alone (issue #13)', async () => {
    const seen: string[] = [];
    await problemsOf('camunda7-complaint.bpmn', {
      checkExpression: (expression) => {
        seen.push(expression);
        return null;
      },
    });
    expect(seen).toEqual([
      '${amount < 100}',
      'severity = "high"',
      'if amount > 1000 then "high" else "normal"',
      '${complaint.id}',
      '"Dear \\"customer\\""',
      'null',
      '${reviewDecision}',
      'complaintId',
    ]);
  });

  it('does not check anything without checkExpression', async () => {
    expect(await problemsOf('invalid-feel.bpmn')).toEqual([]);
  });

  it('reports a checker that throws as a FEEL problem instead of failing', async () => {
    const problems = await problemsOf('camunda8-callback.bpmn', {
      checkExpression: () => {
        throw new Error('parser crashed');
      },
    });
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((p) => p.code === 'FEEL_SYNTAX' && p.message.endsWith('(parser crashed)'))).toBe(true);
  });
});
