// issue #11/#12: event sub-processes in the process and in sub-processes, interrupting and non-interrupting
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import {
  chain,
  definitions,
  end,
  error,
  errorEnd,
  escalation,
  escalationThrow,
  start,
  subProcess,
  userTask,
} from '../helpers/bpmn-builder.js';
import { engineOn, openTaskAt, type TestEngine } from '../helpers/engine.js';
import { eventSubProcess } from '../helpers/esp-builder.js';
import { closeStores, storeBackends } from '../helpers/stores.js';

afterAll(closeStores);

const tasks = async (t: TestEngine, instanceId: string) =>
  (await t.engine.listTasks({ instanceId })).items.map((x) => [x.elementId, x.status]);

const TIMERS = definitions('Timers', [
  start('S'),
  userTask('Work'),
  end('E'),
  ...chain('S', 'Work', 'E'),
  eventSubProcess(
    'Remind',
    'RemindStart',
    { timer: ['duration', 'PT1H'] },
    [userTask('Nudge'), end('NudgeEnd'), ...chain('RemindStart', 'Nudge', 'NudgeEnd')],
    false,
  ),
  eventSubProcess('Expire', 'ExpireStart', { timer: ['duration', 'PT3H'] }, [
    userTask('Escalated'),
    end('EscalatedEnd'),
    ...chain('ExpireStart', 'Escalated', 'EscalatedEnd'),
  ]),
]);

describe('runtime/event sub-processes', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = engineOn(await storeBackends()[0].open());
  });

  it('runs a non-interrupting timer one beside the waiting task, then an interrupting one cancels everything', async () => {
    await t.engine.deploy(TIMERS);
    const instance = await t.engine.startInstance({ definitionKey: 'Timers' });
    expect((await t.engine.getInstance(instance.id)).activeElements).toEqual(['Work']);
    t.clock.advance('PT1H');
    await t.engine.tick();
    expect((await t.engine.getInstance(instance.id)).activeElements.sort()).toEqual(['Nudge', 'Work']);
    t.clock.advance('PT2H');
    await t.engine.tick();
    expect(await tasks(t, instance.id)).toEqual([
      ['Work', 'cancelled'],
      ['Nudge', 'cancelled'],
      ['Escalated', 'open'],
    ]);
    await t.engine.completeTask((await openTaskAt(t.engine, instance.id, 'Escalated')).id, {});
    expect((await t.engine.getInstance(instance.id)).status).toBe('completed');
  });

  it('records no synthetic element in the history and names the start event by its own type', async () => {
    await t.engine.deploy(TIMERS);
    const instance = await t.engine.startInstance({ definitionKey: 'Timers' });
    t.clock.advance('PT1H');
    await t.engine.tick();
    const history = await t.engine.history(instance.id);
    const elements = history.map((h) => h.elementId).filter((id): id is string => Boolean(id));
    expect(elements.filter((id) => id.includes('__'))).toEqual([]);
    expect(history).toContainEqual(expect.objectContaining({ elementId: 'RemindStart', elementType: 'startEvent' }));
  });

  it('runs a non-interrupting cycle twice at once, each run its own task', async () => {
    await t.engine.deploy(
      definitions('Cycle', [
        start('S'),
        userTask('Work'),
        end('E'),
        ...chain('S', 'Work', 'E'),
        eventSubProcess(
          'Remind',
          'RemindStart',
          { timer: ['cycle', 'R2/PT1H'] },
          [userTask('Nudge'), end('NudgeEnd'), ...chain('RemindStart', 'Nudge', 'NudgeEnd')],
          false,
        ),
      ]),
    );
    const instance = await t.engine.startInstance({ definitionKey: 'Cycle' });
    for (let i = 0; i < 3; i++) {
      t.clock.advance('PT1H');
      await t.engine.tick();
    }
    expect(await tasks(t, instance.id)).toEqual([
      ['Work', 'open'],
      ['Nudge', 'open'],
      ['Nudge', 'open'],
    ]);
    // the work ends, but the case waits for both runs
    await t.engine.completeTask((await openTaskAt(t.engine, instance.id, 'Work')).id, {});
    expect((await t.engine.getInstance(instance.id)).status).toBe('active');
    for (const task of (await t.engine.listTasks({ instanceId: instance.id, status: 'open' })).items)
      await t.engine.completeTask(task.id, {});
    expect((await t.engine.getInstance(instance.id)).status).toBe('completed');
  });

  it('an interrupting one inside a sub-process cancels only that sub-process, which then continues', async () => {
    await t.engine.deploy(
      definitions('Nested', [
        start('S'),
        subProcess('Handle', [
          start('HS'),
          userTask('Inner'),
          end('HE'),
          ...chain('HS', 'Inner', 'HE'),
          eventSubProcess('Late', 'LateStart', { timer: ['duration', 'PT1H'] }, [
            userTask('Apologise'),
            end('LE'),
            ...chain('LateStart', 'Apologise', 'LE'),
          ]),
        ]),
        userTask('After'),
        end('E'),
        ...chain('S', 'Handle', 'After', 'E'),
      ]),
    );
    const instance = await t.engine.startInstance({ definitionKey: 'Nested' });
    expect((await t.engine.getInstance(instance.id)).activeElements.sort()).toEqual(['Handle', 'Inner']);
    t.clock.advance('PT1H');
    await t.engine.tick();
    expect((await t.engine.getInstance(instance.id)).activeElements.sort()).toEqual(['Apologise', 'Handle']);
    await t.engine.completeTask((await openTaskAt(t.engine, instance.id, 'Apologise')).id, {});
    expect((await t.engine.getInstance(instance.id)).activeElements).toEqual(['After']);
    expect(await tasks(t, instance.id)).toEqual([
      ['Inner', 'cancelled'],
      ['Apologise', 'completed'],
      ['After', 'open'],
    ]);
  });

  it('an escalation thrown in the work starts a non-interrupting one and an interrupting one by code', async () => {
    await t.engine.deploy(
      definitions(
        'Esc',
        [
          start('S'),
          userTask('Work'),
          escalationThrow('Raise', 'Minor'),
          userTask('More'),
          escalationThrow('Stop', 'Major'),
          end('E'),
          ...chain('S', 'Work', 'Raise', 'More', 'Stop', 'E'),
          eventSubProcess(
            'Inform',
            'InformStart',
            { escalation: 'Minor' },
            [userTask('Informed'), end('IE'), ...chain('InformStart', 'Informed', 'IE')],
            false,
          ),
          eventSubProcess('TakeOver', 'TakeOverStart', { escalation: 'Major' }, [
            userTask('Manager'),
            end('ME'),
            ...chain('TakeOverStart', 'Manager', 'ME'),
          ]),
        ],
        [escalation('Minor', 'minor'), escalation('Major', 'major')],
      ),
    );
    const instance = await t.engine.startInstance({ definitionKey: 'Esc' });
    await t.engine.completeTask((await openTaskAt(t.engine, instance.id, 'Work')).id, {});
    expect((await t.engine.getInstance(instance.id)).activeElements.sort()).toEqual(['Informed', 'More']);
    await t.engine.completeTask((await openTaskAt(t.engine, instance.id, 'More')).id, {});
    expect((await t.engine.getInstance(instance.id)).activeElements).toEqual(['Manager']);
    expect(await tasks(t, instance.id)).toEqual(expect.arrayContaining([['Informed', 'cancelled']]));
  });

  it('a process started at its message start event keeps its event sub-processes', async () => {
    await t.engine.deploy(
      definitions(
        'ByMessage',
        [
          `<bpmn:startEvent id="FromWeb"><bpmn:messageEventDefinition messageRef="Web" /></bpmn:startEvent>`,
          userTask('Triage'),
          end('E'),
          ...chain('FromWeb', 'Triage', 'E'),
          eventSubProcess('Late', 'LateStart', { timer: ['duration', 'PT1H'] }, [
            userTask('Chase'),
            end('CE'),
            ...chain('LateStart', 'Chase', 'CE'),
          ]),
        ],
        ['<bpmn:message id="Web" name="web.form" />'],
      ),
    );
    const outcome = await t.engine.correlateMessage({ name: 'web.form' });
    expect(outcome.started).toBe(true);
    const id = outcome.instanceIds[0];
    expect((await t.engine.getInstance(id)).activeElements).toEqual(['Triage']);
    t.clock.advance('PT1H');
    await t.engine.tick();
    expect((await t.engine.getInstance(id)).activeElements).toEqual(['Chase']);
  });
  describe('nested in an event sub-process', () => {
    const REMIND_OVERDUE = definitions('Nested', [
      start('S'),
      userTask('Work'),
      end('E'),
      ...chain('S', 'Work', 'E'),
      eventSubProcess(
        'Remind',
        'RemindStart',
        { timer: ['duration', 'PT1H'] },
        [
          userTask('Nudge'),
          end('NudgeEnd'),
          ...chain('RemindStart', 'Nudge', 'NudgeEnd'),
          eventSubProcess('Overdue', 'OverdueStart', { timer: ['duration', 'PT2H'] }, [
            userTask('Chase'),
            end('ChaseEnd'),
            ...chain('OverdueStart', 'Chase', 'ChaseEnd'),
          ]),
        ],
        false,
      ),
    ]);

    it('arms the nested one only while a run of its event sub-process is under way; it interrupts that run only', async () => {
      await t.engine.deploy(REMIND_OVERDUE);
      const instance = await t.engine.startInstance({ definitionKey: 'Nested' });
      t.clock.advance('PT1H');
      await t.engine.tick();
      expect((await t.engine.getInstance(instance.id)).activeElements.sort()).toEqual(['Nudge', 'Work']);
      // two hours after the run began, not after the case began
      t.clock.advance('PT1H59M');
      await t.engine.tick();
      expect(await tasks(t, instance.id)).toEqual([
        ['Work', 'open'],
        ['Nudge', 'open'],
      ]);
      t.clock.advance('PT1M');
      await t.engine.tick();
      expect(await tasks(t, instance.id)).toEqual([
        ['Work', 'open'],
        ['Nudge', 'cancelled'],
        ['Chase', 'open'],
      ]);
      await t.engine.completeTask((await openTaskAt(t.engine, instance.id, 'Chase')).id, {});
      expect((await t.engine.getInstance(instance.id)).activeElements).toEqual(['Work']);
      await t.engine.completeTask((await openTaskAt(t.engine, instance.id, 'Work')).id, {});
      expect((await t.engine.getInstance(instance.id)).status).toBe('completed');
      const elements = (await t.engine.history(instance.id)).map((h) => h.elementId ?? '');
      expect(elements.filter((id) => id.includes('__'))).toEqual([]);
      expect(elements).toContain('OverdueStart');
    });

    it('never fires the nested one once the run ended', async () => {
      await t.engine.deploy(REMIND_OVERDUE);
      const instance = await t.engine.startInstance({ definitionKey: 'Nested' });
      t.clock.advance('PT1H');
      await t.engine.tick();
      await t.engine.completeTask((await openTaskAt(t.engine, instance.id, 'Nudge')).id, {});
      t.clock.advance('PT5H');
      await t.engine.tick();
      expect(await tasks(t, instance.id)).toEqual([
        ['Work', 'open'],
        ['Nudge', 'completed'],
      ]);
    });

    it("an error thrown in a run is caught by the run's own error event sub-process, not by the case", async () => {
      await t.engine.deploy(
        definitions(
          'Recover',
          [
            start('S'),
            userTask('Work'),
            end('E'),
            ...chain('S', 'Work', 'E'),
            eventSubProcess(
              'Remind',
              'RemindStart',
              { timer: ['duration', 'PT1H'] },
              [
                userTask('Nudge'),
                errorEnd('Unreachable', 'Err'),
                ...chain('RemindStart', 'Nudge', 'Unreachable'),
                eventSubProcess('Fallback', 'FallbackStart', { error: 'Err' }, [
                  userTask('CallInstead'),
                  end('CalledEnd'),
                  ...chain('FallbackStart', 'CallInstead', 'CalledEnd'),
                ]),
              ],
              false,
            ),
            eventSubProcess('CaseFailed', 'CaseFailedStart', { error: 'Err' }, [
              userTask('Rescue'),
              end('RescueEnd'),
              ...chain('CaseFailedStart', 'Rescue', 'RescueEnd'),
            ]),
          ],
          [error('Err', 'NO_ANSWER')],
        ),
      );
      const instance = await t.engine.startInstance({ definitionKey: 'Recover' });
      t.clock.advance('PT1H');
      await t.engine.tick();
      await t.engine.completeTask((await openTaskAt(t.engine, instance.id, 'Nudge')).id, {});
      expect(await tasks(t, instance.id)).toEqual([
        ['Work', 'open'],
        ['Nudge', 'completed'],
        ['CallInstead', 'open'],
      ]);
    });

    it('a non-interrupting one inside an interrupting one runs beside its work; the case ends when both did', async () => {
      await t.engine.deploy(
        definitions('Expiry', [
          start('S'),
          userTask('Work'),
          end('E'),
          ...chain('S', 'Work', 'E'),
          eventSubProcess('Expire', 'ExpireStart', { timer: ['duration', 'PT1H'] }, [
            userTask('Escalated'),
            end('EscalatedEnd'),
            ...chain('ExpireStart', 'Escalated', 'EscalatedEnd'),
            eventSubProcess(
              'Ping',
              'PingStart',
              { timer: ['duration', 'PT30M'] },
              [userTask('PingManager'), end('PingEnd'), ...chain('PingStart', 'PingManager', 'PingEnd')],
              false,
            ),
          ]),
        ]),
      );
      const instance = await t.engine.startInstance({ definitionKey: 'Expiry' });
      t.clock.advance('PT1H');
      await t.engine.tick();
      t.clock.advance('PT30M');
      await t.engine.tick();
      expect(await tasks(t, instance.id)).toEqual([
        ['Work', 'cancelled'],
        ['Escalated', 'open'],
        ['PingManager', 'open'],
      ]);
      await t.engine.completeTask((await openTaskAt(t.engine, instance.id, 'Escalated')).id, {});
      expect((await t.engine.getInstance(instance.id)).status).toBe('active');
      await t.engine.completeTask((await openTaskAt(t.engine, instance.id, 'PingManager')).id, {});
      expect((await t.engine.getInstance(instance.id)).status).toBe('completed');
    });
  });
});
