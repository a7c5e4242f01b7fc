import { describe, expect, it } from 'vitest';
import { problemsOf } from './fixtures.js';

describe('bpmn/read: elements this engine cannot run', () => {
  it('reports each unsupported element by id and leaves it out of the model', async () => {
    const problems = await problemsOf('invalid-unsupported.bpmn');
    const ids = [ 'Call_credit', 'Task_rules', 'Gateway_complex', 'Transaction_pay', 'AdHoc_research', 'EventSub_cancel',
      'Catch_condition', 'Throw_link', 'Throw_compensate', 'Task_perReviewer', 'Task_loop', 'Task_javaDelegate' ];
    expect(problems.filter((p) => p.code === 'UNSUPPORTED_ELEMENT')).toEqual(ids.map((elementId) => expect.objectContaining({ code: 'UNSUPPORTED_ELEMENT', elementId })));
    // issue #12: signals run; these refer to no signal
    expect(problems.filter((p) => p.code === 'SIGNAL_NAME_MISSING').map((p) => p.elementId)).toEqual([ 'Catch_signal', 'End_signal' ]);
  });

  it('says what is not supported', async () => {
    const messages = Object.fromEntries((await problemsOf('invalid-unsupported.bpmn')).map((p) => [ p.elementId, p.message ]));
    expect(messages.Catch_condition).toBe("intermediate catch event 'Catch_condition' uses a conditional event definition; svcflow does not run conditional events here yet");
    expect(messages.Call_credit).toContain('svcflow does not run call activities yet');
    expect(messages.EventSub_cancel).toContain('svcflow does not run event sub-processes yet');
    expect(messages.Task_perReviewer).toContain('multi-instance');
    expect(messages.Task_loop).toContain('svcflow does not run standard loops on task activities yet');
    expect(messages.Task_javaDelegate).toContain('camunda:class');
  });
});
