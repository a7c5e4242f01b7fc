import { describe, expect, it } from 'vitest';
import {
  boundary,
  chain,
  definitions,
  end,
  error,
  errorEnd,
  escalation,
  escalationThrow,
  flow,
  gateway,
  message,
  messageCatch,
  receiveTask,
  serviceTask,
  start,
  subProcess,
  timerCatch,
  userTask,
} from '../helpers/bpmn-builder.js';
import { complete, compileXml, effectsOf, fire, receive, run } from '../helpers/compile.js';

describe('compile/timers', () => {
  it('schedules an intermediate timer at an absolute due date and goes on when it fires', async () => {
    const compiled = await compileXml(
      definitions('P', [start('S'), timerCatch('Wait', 'duration', 'PT2H'), end('E'), ...chain('S', 'Wait', 'E')]),
    );
    const waiting = run(compiled);
    expect(effectsOf(waiting, 'timer.schedule')).toEqual([
      expect.objectContaining({ elementId: 'Wait', due: '2026-01-05T11:00:00.000Z', repeat: null }),
    ]);
    expect(run(compiled, [fire('Wait')]).status).toBe('done');
  });

  it('interrupts the task when an interrupting timer boundary fires', async () => {
    const compiled = await compileXml(
      definitions('P', [
        start('S'),
        userTask('A'),
        boundary('Timeout', 'A', { timer: ['duration', 'PT1H'] }),
        userTask('Escalated'),
        end('E'),
        end('E2'),
        ...chain('S', 'A', 'E'),
        ...chain('Timeout', 'Escalated', 'E2'),
      ]),
    );
    const waiting = run(compiled);
    expect(effectsOf(waiting, 'timer.schedule')).toEqual([expect.objectContaining({ elementId: 'Timeout' })]);
    const fired = run(compiled, [fire('Timeout')]);
    expect(fired.activeElements).toEqual(['Escalated']);
    expect(effectsOf(fired, 'task.cancel')).toEqual([
      { type: 'task.cancel', elementId: 'A', activationId: expect.any(String) },
    ]);
    const completedFirst = run(compiled, [complete('A')]);
    expect(effectsOf(completedFirst, 'timer.cancel')).toEqual([
      { type: 'timer.cancel', elementId: 'Timeout', activationId: expect.any(String) },
    ]);
  });

  it('keeps the task open when a non-interrupting cycle timer fires, and runs its path each time', async () => {
    const compiled = await compileXml(
      definitions('P', [
        start('S'),
        userTask('A'),
        boundary('Remind', 'A', { timer: ['cycle', 'R3/PT1H'] }, false),
        serviceTask('Notify', 'notify.staff'),
        end('E'),
        end('E2'),
        ...chain('S', 'A', 'E'),
        ...chain('Remind', 'Notify', 'E2'),
      ]),
    );
    const sim = run(compiled, [fire('Remind'), { type: 'job.completed', elementId: 'Notify' }, fire('Remind')]);
    expect(sim.activeElements).toEqual(['A', 'Notify']);
    expect(effectsOf(sim, 'job.create')).toHaveLength(2);
    expect(effectsOf(sim, 'task.cancel')).toEqual([]);
    expect(effectsOf(sim, 'timer.schedule')[0]).toMatchObject({ repeat: { remaining: 2, interval: 'PT1H' } });
  });

  it('queues a firing that comes while the boundary path is busy and runs it when the path is free', async () => {
    const compiled = await compileXml(
      definitions('P', [
        start('S'),
        userTask('A'),
        boundary('Remind', 'A', { timer: ['cycle', 'R/PT1H'] }, false),
        userTask('Review'),
        end('E'),
        end('E2'),
        ...chain('S', 'A', 'E'),
        ...chain('Remind', 'Review', 'E2'),
      ]),
    );
    const busy = run(compiled, [fire('Remind'), fire('Remind'), complete('A')]);
    expect(effectsOf(busy, 'task.create').map((e) => e.task.elementId)).toEqual(['A', 'Review']);
    expect(busy.status).toBe('active');
    const second = run(compiled, [fire('Remind'), fire('Remind'), complete('A'), complete('Review')]);
    expect(effectsOf(second, 'task.create').map((e) => e.task.elementId)).toEqual(['A', 'Review', 'Review']);
    expect(second.status).toBe('active');
    expect(
      run(compiled, [fire('Remind'), fire('Remind'), complete('A'), complete('Review'), complete('Review')]).status,
    ).toBe('done');
  });

  it('completes only when the main flow and every boundary path have ended', async () => {
    const compiled = await compileXml(
      definitions('P', [
        start('S'),
        userTask('A'),
        boundary('Remind', 'A', { timer: ['duration', 'PT1H'] }, false),
        userTask('FollowUp'),
        end('E'),
        end('E2'),
        ...chain('S', 'A', 'E'),
        ...chain('Remind', 'FollowUp', 'E2'),
      ]),
    );
    expect(run(compiled, [fire('Remind'), complete('A')]).status).toBe('active');
    expect(run(compiled, [fire('Remind'), complete('A'), complete('FollowUp')]).status).toBe('done');
    expect(run(compiled, [complete('A')]).status).toBe('done');
  });
});

describe('compile/messages', () => {
  const roots = [message('Message_reply', 'customer.reply', '=caseId')];

  it('subscribes with the evaluated correlation key and takes the message variables', async () => {
    const compiled = await compileXml(
      definitions(
        'P',
        [start('S'), messageCatch('Reply', 'Message_reply'), end('E'), ...chain('S', 'Reply', 'E')],
        roots,
      ),
    );
    const waiting = run(compiled, [], { caseId: 'C-1' });
    expect(effectsOf(waiting, 'message.subscribe')).toEqual([
      {
        type: 'message.subscribe',
        elementId: 'Reply',
        messageName: 'customer.reply',
        correlationKey: 'C-1',
        activationId: expect.any(String),
      },
    ]);
    const done = run(compiled, [receive('Reply', { answer: 'yes' })], { caseId: 'C-1' });
    expect(done.status).toBe('done');
    expect(done.variables).toEqual({ caseId: 'C-1', answer: 'yes' });
    expect(effectsOf(done, 'message.unsubscribe')).toEqual([
      { type: 'message.unsubscribe', elementId: 'Reply', activationId: expect.any(String) },
    ]);
  });

  it('waits in a receive task for its message', async () => {
    const compiled = await compileXml(
      definitions('P', [start('S'), receiveTask('R', 'Message_reply'), end('E'), ...chain('S', 'R', 'E')], roots),
    );
    expect(run(compiled).activeElements).toEqual(['R']);
    expect(run(compiled, [receive('R')]).status).toBe('done');
  });

  it('races a message against a timer at an event-based gateway', async () => {
    const compiled = await compileXml(
      definitions(
        'P',
        [
          start('S'),
          gateway('eventBased', 'Race'),
          messageCatch('Reply', 'Message_reply'),
          timerCatch('Timeout', 'duration', 'P2D'),
          userTask('Handle'),
          userTask('Chase'),
          flow('S', 'Race'),
          flow('Race', 'Reply'),
          flow('Race', 'Timeout'),
          flow('Reply', 'Handle'),
          flow('Timeout', 'Chase'),
        ],
        roots,
      ),
    );
    const waiting = run(compiled, [], { caseId: 'C-9' });
    expect(waiting.activeElements).toEqual(['Race']);
    expect(waiting.effects.map((e) => e.type)).toEqual(expect.arrayContaining(['message.subscribe', 'timer.schedule']));
    const replied = run(compiled, [receive('Reply')], { caseId: 'C-9' });
    expect(replied.activeElements).toEqual(['Handle']);
    expect(effectsOf(replied, 'timer.cancel')).toEqual([{ type: 'timer.cancel', elementId: 'Timeout' }]);
    expect(run(compiled, [fire('Timeout')], { caseId: 'C-9' }).activeElements).toEqual(['Chase']);
  });

  it('interrupts or not with a message boundary event', async () => {
    const model = (interrupting: boolean) =>
      definitions(
        'P',
        [
          start('S'),
          userTask('A'),
          boundary('Cancelled', 'A', { message: 'Message_reply' }, interrupting),
          userTask('Note'),
          end('E'),
          end('E2'),
          ...chain('S', 'A', 'E'),
          ...chain('Cancelled', 'Note', 'E2'),
        ],
        roots,
      );
    expect(run(await compileXml(model(true)), [receive('Cancelled')]).activeElements).toEqual(['Note']);
    expect(run(await compileXml(model(false)), [receive('Cancelled')]).activeElements).toEqual(['A', 'Note']);
  });
});

describe('compile/errors-and-escalations', () => {
  const roots = [
    error('Error_noStock', 'NO_STOCK'),
    escalation('Esc_warn', 'sla-warning'),
    escalation('Esc_breach', 'sla-breach'),
  ];

  it('catches an error end event at the nearest enclosing boundary', async () => {
    const compiled = await compileXml(
      definitions(
        'P',
        [
          start('S'),
          subProcess('Outer', [
            start('OS'),
            subProcess('Inner', [
              start('IS'),
              userTask('Pick'),
              errorEnd('Fail', 'Error_noStock'),
              ...chain('IS', 'Pick', 'Fail'),
            ]),
            end('OE'),
            ...chain('OS', 'Inner', 'OE'),
            boundary('CatchInner', 'Inner', { error: 'Error_noStock' }),
            userTask('Reorder'),
            end('RE'),
            ...chain('CatchInner', 'Reorder', 'RE'),
          ]),
          boundary('CatchOuter', 'Outer', { error: null }),
          userTask('Giveup'),
          end('E'),
          end('E2'),
          ...chain('S', 'Outer', 'E'),
          ...chain('CatchOuter', 'Giveup', 'E2'),
        ],
        roots,
      ),
    );
    const sim = run(compiled, [complete('Pick')]);
    expect(sim.activeElements).toEqual(['Outer', 'Reorder']);
    expect(sim.visited).toContain('CatchInner');
    expect(sim.visited).not.toContain('CatchOuter');
  });

  it('catches a BPMN error thrown by a job worker at the task boundary', async () => {
    const compiled = await compileXml(
      definitions(
        'P',
        [
          start('S'),
          serviceTask('Ship', 'ship'),
          boundary('NoStock', 'Ship', { error: 'Error_noStock' }),
          userTask('Apologise'),
          end('E'),
          end('E2'),
          ...chain('S', 'Ship', 'E'),
          ...chain('NoStock', 'Apologise', 'E2'),
        ],
        roots,
      ),
    );
    const sim = run(compiled, [{ type: 'error.thrown', elementId: 'Ship', errorCode: 'NO_STOCK' }]);
    expect(sim.activeElements).toEqual(['Apologise']);
    expect(effectsOf(sim, 'job.cancel')).toEqual([
      { type: 'job.cancel', elementId: 'Ship', activationId: expect.any(String) },
    ]);
  });

  it('raises an incident for an error nobody catches', async () => {
    const compiled = await compileXml(
      definitions('P', [start('S'), serviceTask('Ship', 'ship'), end('E'), ...chain('S', 'Ship', 'E')], roots),
    );
    const sim = run(compiled, [{ type: 'error.thrown', elementId: 'Ship', errorCode: 'NO_STOCK' }]);
    expect(sim.activeElements).toEqual(['Ship']);
    expect(effectsOf(sim, 'incident.raise')).toEqual([
      expect.objectContaining({ elementId: 'Ship', code: 'UNHANDLED_ERROR' }),
    ]);
  });

  it('leaves the task open on a non-interrupting sla-warning escalation and starts the escalation path', async () => {
    const compiled = await compileXml(
      definitions(
        'P',
        [
          start('S'),
          userTask('Resolve'),
          boundary('Warn', 'Resolve', { escalation: 'Esc_warn' }, false),
          serviceTask('NotifyLead', 'notify.staff'),
          end('E'),
          end('E2'),
          ...chain('S', 'Resolve', 'E'),
          ...chain('Warn', 'NotifyLead', 'E2'),
        ],
        roots,
      ),
    );
    const sim = run(compiled, [{ type: 'escalation.thrown', elementId: 'Resolve', escalationCode: 'sla-warning' }]);
    expect(sim.activeElements).toEqual(['NotifyLead', 'Resolve']);
    expect(effectsOf(sim, 'task.cancel')).toEqual([]);
  });

  it('cancels the task on an interrupting sla-breach escalation', async () => {
    const compiled = await compileXml(
      definitions(
        'P',
        [
          start('S'),
          userTask('Resolve'),
          boundary('Breach', 'Resolve', { escalation: 'Esc_breach' }),
          userTask('SupervisorResolve'),
          end('E'),
          gateway('exclusive', 'Merge'),
          ...chain('S', 'Resolve', 'Merge', 'E'),
          ...chain('Breach', 'SupervisorResolve', 'Merge'),
        ],
        roots,
      ),
    );
    const other = run(compiled, [{ type: 'escalation.thrown', elementId: 'Resolve', escalationCode: 'sla-warning' }]);
    expect(other.activeElements).toEqual(['Resolve']);
    const sim = run(compiled, [{ type: 'escalation.thrown', elementId: 'Resolve', escalationCode: 'sla-breach' }]);
    expect(sim.activeElements).toEqual(['SupervisorResolve']);
    expect(effectsOf(sim, 'task.cancel')).toEqual([
      { type: 'task.cancel', elementId: 'Resolve', activationId: expect.any(String) },
    ]);
    expect(
      run(compiled, [
        { type: 'escalation.thrown', elementId: 'Resolve', escalationCode: 'sla-breach' },
        complete('SupervisorResolve'),
      ]).status,
    ).toBe('done');
  });

  it('catches an escalation thrown inside a sub-process at its boundary without interrupting it', async () => {
    const compiled = await compileXml(
      definitions(
        'P',
        [
          start('S'),
          subProcess('Case', [
            start('CS'),
            escalationThrow('Raise', 'Esc_warn'),
            userTask('Work'),
            end('CE'),
            ...chain('CS', 'Raise', 'Work', 'CE'),
          ]),
          boundary('Seen', 'Case', { escalation: 'Esc_warn' }, false),
          userTask('Review'),
          end('E'),
          end('E2'),
          ...chain('S', 'Case', 'E'),
          ...chain('Seen', 'Review', 'E2'),
        ],
        roots,
      ),
    );
    expect(run(compiled).activeElements).toEqual(['Case', 'Review', 'Work']);
  });

  it('runs a non-interrupting boundary path that joins the main flow once per token', async () => {
    const compiled = await compileXml(
      definitions(
        'P',
        [
          start('S'),
          userTask('A'),
          boundary('Remind', 'A', { timer: ['duration', 'PT1H'] }, false),
          userTask('B'),
          end('E'),
          ...chain('S', 'A', 'B', 'E'),
          flow('Remind', 'B'),
        ],
        roots,
      ),
    );
    expect(run(compiled, [fire('Remind')]).activeElements).toEqual(['A', 'B']);
    const sim = run(compiled, [fire('Remind'), complete('A'), complete('B'), complete('B')]);
    expect(effectsOf(sim, 'task.create').map((e) => e.task.elementId)).toEqual(['A', 'B', 'B']);
    expect(sim.status).toBe('done');
  });
});

describe('compile/escalation-scoping', () => {
  const roots = [escalation('Esc_breach', 'sla-breach')];
  const nested = () =>
    definitions(
      'P',
      [
        start('S'),
        subProcess('Case', [
          start('CS'),
          userTask('Work'),
          end('CE'),
          ...chain('CS', 'Work', 'CE'),
          boundary('WorkBreach', 'Work', { escalation: 'Esc_breach' }, false),
          userTask('WorkReview'),
          end('WE'),
          ...chain('WorkBreach', 'WorkReview', 'WE'),
        ]),
        boundary('CaseBreach', 'Case', { escalation: 'Esc_breach' }, false),
        userTask('CaseReview'),
        end('E'),
        end('E2'),
        ...chain('S', 'Case', 'E'),
        ...chain('CaseBreach', 'CaseReview', 'E2'),
      ],
      roots,
    );

  it('lets the innermost boundary consume an escalation thrown inside a sub-process', async () => {
    const sim = run(await compileXml(nested()), [
      { type: 'escalation.thrown', elementId: 'Work', escalationCode: 'sla-breach' },
    ]);
    expect(sim.activeElements).toEqual(['Case', 'Work', 'WorkReview']);
    expect(sim.visited).not.toContain('CaseBreach');
  });

  it('catches an SLA escalation only at the element whose clock it is', async () => {
    const compiled = await compileXml(
      definitions(
        'P',
        [
          start('S'),
          subProcess('Case', [start('CS'), userTask('Work'), end('CE'), ...chain('CS', 'Work', 'CE')]),
          boundary('CaseBreach', 'Case', { escalation: 'Esc_breach' }, false),
          userTask('CaseReview'),
          end('E'),
          end('E2'),
          ...chain('S', 'Case', 'E'),
          ...chain('CaseBreach', 'CaseReview', 'E2'),
        ],
        roots,
      ),
    );
    const fromWorkSla = run(compiled, [
      { type: 'escalation.thrown', elementId: 'Work', escalationCode: 'sla-breach', source: 'sla' },
    ]);
    expect(fromWorkSla.activeElements).toEqual(['Case', 'Work']);
    const fromCaseSla = run(compiled, [
      { type: 'escalation.thrown', elementId: 'Case', escalationCode: 'sla-breach', source: 'sla' },
    ]);
    expect(fromCaseSla.activeElements).toEqual(['Case', 'CaseReview', 'Work']);
    const thrownInside = run(compiled, [
      { type: 'escalation.thrown', elementId: 'Work', escalationCode: 'sla-breach' },
    ]);
    expect(thrownInside.activeElements).toEqual(['Case', 'CaseReview', 'Work']);
  });
});

describe('compile/user-task-completion', () => {
  it('keeps the whole submission and lets output mappings add the completing user', async () => {
    const out = '<zeebe:ioMapping><zeebe:output source="=completedBy" target="firstResponder" /></zeebe:ioMapping>';
    const compiled = await compileXml(
      definitions('P', [start('S'), userTask('Respond', { ext: out }), end('E'), ...chain('S', 'Respond', 'E')]),
    );
    const sim = run(compiled, [
      { type: 'task.completed', elementId: 'Respond', variables: { answer: 'refund' }, by: 'agent.lin' },
    ]);
    expect(sim.variables).toEqual({ answer: 'refund', firstResponder: 'agent.lin' });
  });
});
