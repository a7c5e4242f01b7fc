import { describe, expect, it } from 'vitest';
import { problemsOf } from './fixtures.js';

describe('bpmn/read: elements this engine cannot run', () => {
  it('reports each unsupported element by id and leaves it out of the model', async () => {
    const problems = await problemsOf('invalid-unsupported.bpmn');
    const ids = [ 'Call_credit', 'Task_rules', 'Gateway_complex', 'Transaction_pay', 'AdHoc_research', 'EventSub_cancel', 'Catch_signal',
      'Catch_condition', 'Throw_link', 'Throw_compensate', 'Task_perReviewer', 'Task_loop', 'Task_javaDelegate', 'End_signal' ];
    expect(problems).toEqual(ids.map((elementId) => expect.objectContaining({ code: 'UNSUPPORTED_ELEMENT', elementId })));
  });

  it('says what is not supported', async () => {
    const messages = Object.fromEntries((await problemsOf('invalid-unsupported.bpmn')).map((p) => [ p.elementId, p.message ]));
    expect(messages.Catch_signal).toBe("intermediate catch event 'Catch_signal' uses a signal event definition; svcflow does not run signal events here yet");
    expect(messages.Call_credit).toContain('svcflow does not run call activities yet');
    expect(messages.EventSub_cancel).toContain('svcflow does not run event sub-processes yet');
    expect(messages.Task_perReviewer).toContain('multi-instance');
    expect(messages.Task_loop).toContain('svcflow does not run standard loops yet');
    expect(messages.Task_javaDelegate).toContain('camunda:class');
  });
});
