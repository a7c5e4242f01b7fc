import { afterAll, beforeEach, expect, it } from 'vitest';
import {
  boundary,
  chain,
  definitions,
  end,
  escalation,
  flow,
  gateway,
  serviceTask,
  sla,
  start,
  subProcess,
  userTask,
} from '../helpers/bpmn-builder.js';
import { closeStores, describeEachStore } from '../helpers/stores.js';
import { openTaskAt } from '../helpers/engine.js';
import { noteLines, shanghai, slaEngineOn, type SlaTestEngine } from '../helpers/sla.js';

afterAll(closeStores);

const oneTask = (slaAttrs: Record<string, string> = {}, target = 'PT4H') =>
  definitions('review', [
    start('S'),
    userTask('Review', { groups: 'cs-agents', ext: sla(target, { warnAt: '0.5,0.75', ...slaAttrs }) }),
    end('E'),
    ...chain('S', 'Review', 'E'),
  ]);

describeEachStore('runtime/sla: clocks on user tasks', (backend) => {
  let t: SlaTestEngine;
  beforeEach(async () => {
    t = await slaEngineOn(await backend.open());
  });

  it('starts a clock on a user task whose due date becomes the task due date', async () => {
    await t.engine.deploy(oneTask());
    const instance = await t.engine.startInstance({ definitionKey: 'review', variables: { priority: 'urgent' } });
    const [row] = (await t.sla.queries.list({ instanceId: instance.id })).items;
    expect(row).toMatchObject({
      kind: 'task',
      elementId: 'Review',
      elementName: 'Review',
      status: 'running',
      target: 'PT4H',
      calendarId: 'default',
      priority: 'urgent',
      startedAt: shanghai('2026-11-23 08:00'),
      dueAt: shanghai('2026-11-23 13:00'),
      assignee: null,
      candidateGroups: ['cs-agents'],
      warningsDue: [shanghai('2026-11-23 11:00'), shanghai('2026-11-23 12:00')],
      businessRemainingMs: 4 * 3_600_000,
      remaining: '4h 0m',
    });
    expect((await openTaskAt(t.engine, instance.id, 'Review')).due).toBe(shanghai('2026-11-23 13:00'));
    expect(noteLines(t.notes)).toEqual(['sla.started@Mon 23 08:00']);
  });

  it('fires each warning and the breach once, at its business instant, and throws the escalations at the task', async () => {
    await t.engine.deploy(oneTask());
    const instance = await t.engine.startInstance({ definitionKey: 'review' });
    for (let i = 0; i < 40; i++) {
      t.clock.advance('PT15M');
      await t.engine.tick();
    }
    expect(noteLines(t.notes)).toEqual([
      'sla.started@Mon 23 08:00',
      'sla.warning@Mon 23 11:00',
      'sla.warning@Mon 23 12:00',
      'sla.breached@Mon 23 13:00',
    ]);
    const history = await t.engine.history(instance.id);
    expect(history.filter((h) => h.event === 'escalation.thrown').map((h) => h.details?.escalationCode)).toEqual([
      'sla-warning',
      'sla-warning',
      'sla-breach',
    ]);
    const [row] = (await t.sla.queries.list({ instanceId: instance.id })).items;
    expect(row).toMatchObject({
      status: 'breached',
      warnedAt: shanghai('2026-11-23 12:00'),
      breachedAt: shanghai('2026-11-23 13:00'),
      nextCheckAt: null,
      remaining: '-5h 0m',
    });
    expect((await t.engine.getInstance(instance.id)).status).toBe('active');
  });

  it('holds the warnings and the breach of a suspended instance and fires them once it is resumed', async () => {
    await t.engine.deploy(oneTask());
    const instance = await t.engine.startInstance({ definitionKey: 'review' });
    await t.engine.suspendInstance(instance.id, 'sup');
    t.clock.set(shanghai('2026-11-23 14:00'));
    await t.engine.tick();
    expect(noteLines(t.notes)).toEqual(['sla.started@Mon 23 08:00']);
    expect((await t.sla.queries.list({ instanceId: instance.id })).items[0]).toMatchObject({ status: 'running' });

    await t.engine.resumeInstance(instance.id, 'sup');
    await t.engine.tick();
    expect(noteLines(t.notes)).toContain('sla.breached@Mon 23 14:00');
    const history = await t.engine.history(instance.id);
    expect(history.filter((h) => h.event === 'escalation.thrown').map((h) => h.details?.escalationCode)).toContain(
      'sla-breach',
    );
  });

  it('decides met or breached by the business due when the work completes, and a breached row stays breached', async () => {
    await t.engine.deploy(oneTask());
    const early = await t.engine.startInstance({ definitionKey: 'review' });
    const late = await t.engine.startInstance({ definitionKey: 'review' });
    t.clock.set(shanghai('2026-11-23 12:59'));
    await t.engine.completeTask((await openTaskAt(t.engine, early.id, 'Review')).id, {});
    t.clock.set(shanghai('2026-11-23 13:30'));
    await t.engine.tick();
    await t.engine.completeTask((await openTaskAt(t.engine, late.id, 'Review')).id, {});
    const rows = await t.sla.queries.list({ definitionKey: 'review', open: false });
    const byInstance = new Map(rows.items.map((r) => [r.instanceId, r]));
    expect(byInstance.get(early.id)).toMatchObject({
      status: 'met',
      businessMs: 3 * 3_600_000 + 59 * 60_000,
      completedAt: shanghai('2026-11-23 12:59'),
    });
    expect(byInstance.get(late.id)).toMatchObject({
      status: 'breached',
      breachedAt: shanghai('2026-11-23 13:00'),
      businessMs: 4.5 * 3_600_000,
    });
    expect(noteLines(t.notes).filter((l) => !l.startsWith('sla.started') && !l.startsWith('sla.warning'))).toEqual([
      'sla.met@Mon 23 12:59',
      'sla.breached@Mon 23 13:30',
      'sla.closed@Mon 23 13:30',
    ]);
  });

  it('records a breach that fell due before the scheduler saw it when the work completes late', async () => {
    await t.engine.deploy(oneTask());
    const instance = await t.engine.startInstance({ definitionKey: 'review' });
    t.clock.set(shanghai('2026-11-23 17:00'));
    await t.engine.completeTask((await openTaskAt(t.engine, instance.id, 'Review')).id, {});
    const [row] = (await t.sla.queries.list({ instanceId: instance.id })).items;
    expect(row).toMatchObject({
      status: 'breached',
      breachedAt: shanghai('2026-11-23 13:00'),
      completedAt: shanghai('2026-11-23 17:00'),
    });
  });

  it('cancels the clock when the instance is cancelled', async () => {
    await t.engine.deploy(oneTask());
    const instance = await t.engine.startInstance({ definitionKey: 'review' });
    t.clock.advance('PT1H');
    await t.engine.cancelInstance(instance.id);
    const [row] = (await t.sla.queries.list({ instanceId: instance.id })).items;
    expect(row).toMatchObject({
      status: 'cancelled',
      completedAt: shanghai('2026-11-23 09:00'),
      businessMs: 0,
      nextCheckAt: null,
    });
    expect(noteLines(t.notes)).toEqual(['sla.started@Mon 23 08:00', 'sla.cancelled@Mon 23 09:00']);
  });

  it('uses the named calendar, flags a due date beyond the holiday data, and refuses an unknown calendar', async () => {
    t.clock.set(shanghai('2026-12-31 17:00'));
    await t.engine.deploy(oneTask({}, 'P1D'));
    const instance = await t.engine.startInstance({ definitionKey: 'review' });
    expect((await t.sla.queries.list({ instanceId: instance.id })).items[0]).toMatchObject({
      dueAt: shanghai('2027-01-01 17:00'),
      holidayDataMissing: true,
    });
    await t.engine.deploy(oneTask({ calendar: '24x7' }, 'P1D'));
    const allDay = await t.engine.startInstance({ definitionKey: 'review' });
    expect((await t.sla.queries.list({ instanceId: allDay.id })).items[0]).toMatchObject({
      calendarId: '24x7',
      dueAt: shanghai('2027-01-01 17:00'),
      holidayDataMissing: false,
    });
    await expect(t.engine.deploy(oneTask({ calendar: 'mars' }))).rejects.toMatchObject({
      problems: [
        expect.objectContaining({
          code: 'SLA_INVALID',
          elementId: 'Review',
          message: expect.stringContaining("'mars'"),
        }),
      ],
    });
  });

  it('rejects at deploy an SLA target in months, weeks or years', async () => {
    await expect(t.engine.deploy(oneTask({}, 'P1M'))).rejects.toMatchObject({
      problems: [expect.objectContaining({ code: 'SLA_INVALID', elementId: 'Review', elementType: 'bpmn:UserTask' })],
    });
    expect((await t.engine.listDefinitions({})).total).toBe(0);
  });

  it('lets the work go on without a clock when a FEEL target cannot be measured at run time, and says why', async () => {
    await t.engine.deploy(oneTask({}, '=if priority = "urgent" then "PT2H" else "P1W"'));
    const instance = await t.engine.startInstance({ definitionKey: 'review', variables: { priority: 'low' } });
    expect(instance.activeElements).toEqual(['Review']);
    expect((await t.sla.queries.list({ instanceId: instance.id })).total).toBe(0);
    expect((await t.engine.history(instance.id)).find((h) => h.event === 'sla.failed')).toMatchObject({
      elementId: 'Review',
      details: expect.objectContaining({ code: 'SLA_TARGET_INVALID' }),
    });
  });

  it('fires a check once when two nodes tick the same store', async () => {
    await t.engine.deploy(oneTask());
    await t.engine.startInstance({ definitionKey: 'review' });
    const other = await slaEngineOn(t.store, t.clock, 'node-b');
    t.clock.set(shanghai('2026-11-23 11:00'));
    await Promise.all([t.engine.tick(), other.engine.tick()]);
    expect([...noteLines(t.notes), ...noteLines(other.notes)].filter((l) => l.startsWith('sla.warning'))).toEqual([
      'sla.warning@Mon 23 11:00',
    ]);
  });
});

describeEachStore('runtime/sla: re-targeting when a variable the target reads changes (rule 6)', (backend) => {
  let t: SlaTestEngine;
  beforeEach(async () => {
    t = await slaEngineOn(await backend.open());
  });

  const byPriority = () =>
    definitions('triaged', [
      start('S'),
      gateway('parallel', 'Split'),
      userTask('Classify'),
      userTask('Respond', { ext: sla('=if priority = "urgent" then "PT2H" else "PT8H"', { warnAt: '0.5' }) }),
      gateway('parallel', 'Join'),
      end('E'),
      flow('S', 'Split'),
      flow('Split', 'Classify'),
      flow('Split', 'Respond'),
      flow('Classify', 'Join'),
      flow('Respond', 'Join'),
      flow('Join', 'E'),
    ]);

  it('moves due, warnings and the task due date when the target changes, and records it', async () => {
    await t.engine.deploy(byPriority());
    const instance = await t.engine.startInstance({ definitionKey: 'triaged', variables: { priority: 'general' } });
    const respond = await openTaskAt(t.engine, instance.id, 'Respond');
    expect(respond.due).toBe(shanghai('2026-11-23 17:00'));
    t.clock.set(shanghai('2026-11-23 09:30'));
    await t.engine.completeTask((await openTaskAt(t.engine, instance.id, 'Classify')).id, { priority: 'urgent' });
    const [row] = (await t.sla.queries.list({ instanceId: instance.id })).items;
    expect(row).toMatchObject({
      target: 'PT2H',
      targetExpression: '=if priority = "urgent" then "PT2H" else "PT8H"',
      dueAt: shanghai('2026-11-23 11:00'),
      warningsDue: [shanghai('2026-11-23 10:00')],
      priority: 'urgent',
    });
    expect((await t.engine.getTask(respond.id)).due).toBe(shanghai('2026-11-23 11:00'));
    expect((await t.engine.history(instance.id)).find((h) => h.event === 'sla.retargeted')?.details).toMatchObject({
      from: 'PT8H',
      to: 'PT2H',
    });
  });

  it('fires the breach at the next check when the new due has already passed', async () => {
    await t.engine.deploy(byPriority());
    const instance = await t.engine.startInstance({ definitionKey: 'triaged', variables: { priority: 'general' } });
    t.clock.set(shanghai('2026-11-23 12:00'));
    await t.engine.completeTask((await openTaskAt(t.engine, instance.id, 'Classify')).id, { priority: 'urgent' });
    await t.engine.tick();
    expect(noteLines(t.notes)).toEqual([
      'sla.started@Mon 23 08:00',
      'sla.retargeted@Mon 23 12:00',
      'sla.warning@Mon 23 12:00',
      'sla.breached@Mon 23 12:00',
    ]);
    expect((await t.sla.queries.list({ instanceId: instance.id })).items[0]).toMatchObject({
      status: 'breached',
      breachedAt: shanghai('2026-11-23 11:00'),
    });
  });
});

describeEachStore('runtime/sla: escalation boundaries', (backend) => {
  let t: SlaTestEngine;
  beforeEach(async () => {
    t = await slaEngineOn(await backend.open());
  });

  it('a non-interrupting sla-warning boundary leaves the task open and starts the notify path', async () => {
    await t.engine.deploy(
      definitions(
        'warned',
        [
          start('S'),
          userTask('Review', { groups: 'cs-agents', ext: sla('PT4H', { warnAt: '0.75' }) }),
          end('E'),
          boundary('AtRisk', 'Review', { escalation: 'Esc_warning' }, false),
          serviceTask('Notify', 'notify.staff'),
          end('E_notified'),
          ...chain('S', 'Review', 'E'),
          ...chain('AtRisk', 'Notify', 'E_notified'),
        ],
        [escalation('Esc_warning', 'sla-warning')],
      ),
    );
    const notified: string[] = [];
    t.engine.registerHandler('notify.staff', ({ job }) => {
      notified.push(job.elementId);
    });
    const instance = await t.engine.startInstance({ definitionKey: 'warned' });
    t.clock.set(shanghai('2026-11-23 12:00'));
    await t.engine.tick();
    expect(notified).toEqual(['Notify']);
    expect((await openTaskAt(t.engine, instance.id, 'Review')).status).toBe('open');
    expect((await t.sla.queries.list({ status: 'at-risk' })).items.map((r) => r.instanceId)).toEqual([instance.id]);
  });

  it('an interrupting sla-breach boundary cancels the task, starts the reassignment, and the row stays breached', async () => {
    await t.engine.deploy(
      definitions(
        'reassigned',
        [
          start('S'),
          userTask('Review', { groups: 'cs-agents', ext: sla('PT2H') }),
          end('E'),
          boundary('Overdue', 'Review', { escalation: 'Esc_breach' }, true),
          userTask('ReviewBySupervisor', { groups: 'cs-supervisors' }),
          end('E2'),
          ...chain('S', 'Review', 'E'),
          ...chain('Overdue', 'ReviewBySupervisor', 'E2'),
        ],
        [escalation('Esc_breach', 'sla-breach')],
      ),
    );
    const instance = await t.engine.startInstance({ definitionKey: 'reassigned' });
    const original = await openTaskAt(t.engine, instance.id, 'Review');
    t.clock.set(shanghai('2026-11-23 11:00'));
    await t.engine.tick();
    expect((await t.engine.getTask(original.id)).status).toBe('cancelled');
    expect((await openTaskAt(t.engine, instance.id, 'ReviewBySupervisor')).candidateGroups).toEqual(['cs-supervisors']);
    const [row] = (await t.sla.queries.list({ instanceId: instance.id })).items;
    expect(row).toMatchObject({
      status: 'breached',
      breachedAt: shanghai('2026-11-23 11:00'),
      completedAt: shanghai('2026-11-23 11:00'),
    });
  });

  it('ignores an escalation nobody catches', async () => {
    await t.engine.deploy(oneTask({}, 'PT1H'));
    const instance = await t.engine.startInstance({ definitionKey: 'review' });
    t.clock.set(shanghai('2026-11-23 10:00'));
    await t.engine.tick();
    expect((await t.engine.getInstance(instance.id)).status).toBe('active');
    expect((await t.engine.listIncidents({ instanceId: instance.id })).total).toBe(0);
  });
});

describeEachStore('runtime/sla: pauses, sub-processes and the process clock', (backend) => {
  let t: SlaTestEngine;
  beforeEach(async () => {
    t = await slaEngineOn(await backend.open());
  });

  const waiting = () =>
    definitions('waiting', [
      `<bpmn:extensionElements>${sla('P2D', { pauseWhile: 'AwaitInfo' })}</bpmn:extensionElements>`,
      start('S'),
      subProcess(
        'Handle',
        [
          start('HS'),
          userTask('Work'),
          gateway('parallel', 'Split'),
          userTask('AwaitInfo'),
          userTask('AwaitParts'),
          gateway('parallel', 'Join'),
          end('HE'),
          ...chain('HS', 'Work', 'Split'),
          flow('Split', 'AwaitInfo'),
          flow('Split', 'AwaitParts'),
          flow('AwaitInfo', 'Join'),
          flow('AwaitParts', 'Join'),
          flow('Join', 'HE'),
        ],
        sla('PT4H', { warnAt: '0.5', pauseWhile: 'AwaitInfo,AwaitParts' }),
      ),
      end('E'),
      ...chain('S', 'Handle', 'E'),
    ]);

  it('stops the clock while any pausing element is active and moves due and warnings later by the paused business time', async () => {
    await t.engine.deploy(waiting());
    const instance = await t.engine.startInstance({ definitionKey: 'waiting' });
    const sub = async () =>
      (await t.sla.queries.list({ instanceId: instance.id })).items.find((r) => r.elementId === 'Handle')!;
    expect(await sub()).toMatchObject({
      kind: 'subprocess',
      dueAt: shanghai('2026-11-23 13:00'),
      warningsDue: [shanghai('2026-11-23 11:00')],
    });
    t.clock.set(shanghai('2026-11-23 10:00'));
    await t.engine.completeTask((await openTaskAt(t.engine, instance.id, 'Work')).id, {});
    expect(await sub()).toMatchObject({
      status: 'paused',
      pausedSince: shanghai('2026-11-23 10:00'),
      pauseCount: 1,
      pauseDepth: 2,
      nextCheckAt: null,
      remaining: '3h 0m',
    });
    t.clock.set(shanghai('2026-11-23 17:00'));
    await t.engine.tick();
    await t.engine.completeTask((await openTaskAt(t.engine, instance.id, 'AwaitInfo')).id, {});
    expect(await sub()).toMatchObject({ status: 'paused', pauseDepth: 1 });
    t.clock.set(shanghai('2026-11-24 10:00'));
    await t.engine.completeTask((await openTaskAt(t.engine, instance.id, 'AwaitParts')).id, {});
    expect(noteLines(t.notes)).toEqual([
      'sla.started@Mon 23 08:00',
      'sla.started@Mon 23 08:00',
      'sla.paused@Mon 23 10:00',
      'sla.paused@Mon 23 10:00',
      'sla.resumed@Mon 23 17:00',
      'sla.resumed@Tue 24 10:00',
      'sla.met@Tue 24 10:00',
      'sla.met@Tue 24 10:00',
    ]);
    const rows = (await t.sla.queries.list({ instanceId: instance.id })).items;
    expect(rows.find((r) => r.elementId === 'Handle')).toMatchObject({
      status: 'met',
      pausedMs: 9 * 3_600_000,
      pauseCount: 1,
      businessMs: 3_600_000,
    });
    expect(rows.find((r) => r.elementId === 'waiting')).toMatchObject({
      kind: 'process',
      status: 'met',
      pausedMs: 7 * 3_600_000,
      pauseCount: 1,
      businessMs: 3 * 3_600_000,
    });
  });

  it('moves the due date on resume: 1 h worked, 9 h paused, so 3 h left from 10:00 the next working day', async () => {
    await t.engine.deploy(waiting());
    const instance = await t.engine.startInstance({ definitionKey: 'waiting' });
    t.clock.set(shanghai('2026-11-23 10:00'));
    await t.engine.completeTask((await openTaskAt(t.engine, instance.id, 'Work')).id, {});
    await t.engine.completeTask((await openTaskAt(t.engine, instance.id, 'AwaitParts')).id, {});
    t.clock.set(shanghai('2026-11-24 10:00'));
    await t.engine.completeTask((await openTaskAt(t.engine, instance.id, 'AwaitInfo')).id, {});
    const rows = (await t.sla.queries.list({ instanceId: instance.id, open: false })).items;
    expect(rows.map((r) => [r.elementId, r.status, r.dueAt])).toEqual([
      ['Handle', 'met', shanghai('2026-11-24 13:00')],
      ['waiting', 'met', shanghai('2026-11-25 18:00')],
    ]);
    expect((await t.sla.queries.list({ instanceId: instance.id, open: true })).total).toBe(0);
  });

  it('records and publishes the warning and breach of a process SLA without throwing an escalation', async () => {
    await t.engine.deploy(
      definitions('whole', [
        `<bpmn:extensionElements>${sla('PT1H', { warnAt: '0.5' })}</bpmn:extensionElements>`,
        start('S'),
        userTask('Work'),
        end('E'),
        ...chain('S', 'Work', 'E'),
      ]),
    );
    const instance = await t.engine.startInstance({ definitionKey: 'whole' });
    t.clock.set(shanghai('2026-11-23 10:00'));
    expect((await t.engine.tick()).checks).toBe(2);
    expect(noteLines(t.notes)).toEqual([
      'sla.started@Mon 23 08:00',
      'sla.warning@Mon 23 10:00',
      'sla.breached@Mon 23 10:00',
    ]);
    const history = await t.engine.history(instance.id);
    expect(history.filter((h) => h.event.startsWith('sla.')).map((h) => h.event)).toEqual([
      'sla.started',
      'sla.warning',
      'sla.breached',
    ]);
    expect(history.some((h) => h.event === 'escalation.thrown')).toBe(false);
    expect((await t.sla.queries.list({ instanceId: instance.id })).items[0]).toMatchObject({
      kind: 'process',
      elementName: null,
      status: 'breached',
      breachedAt: shanghai('2026-11-23 10:00'),
    });
  });

  it('cancels the process clock when the instance is cancelled and keeps the process SLA out of BPMN', async () => {
    await t.engine.deploy(waiting());
    const instance = await t.engine.startInstance({ definitionKey: 'waiting' });
    await t.engine.cancelInstance(instance.id);
    const rows = (await t.sla.queries.list({ instanceId: instance.id })).items;
    expect(rows.map((r) => [r.kind, r.status])).toEqual([
      ['subprocess', 'cancelled'],
      ['process', 'cancelled'],
    ]);
  });
});
