/**
 * Issue 10: two tokens at one wait state run as two activations at once, through the HTTP API: two
 * open tasks, two jobs, two timers; completing one moves only its token. A join that waits forever
 * is an active element of the instance.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  chain,
  definitions,
  end,
  flow,
  gateway,
  serviceTask,
  start,
  task,
  timerCatch,
  userTask,
} from '../helpers/bpmn-builder.js';
import { testApp, type TestApp } from '../helpers/app.js';

/** Two branches merge (exclusive) into `wait`: `first` reaches it at start, `second` when its user task is done (or at once). */
function merged(key: string, wait: string, second: 'now' | 'later' = 'now'): string {
  return definitions(key, [
    start('S'),
    gateway('parallel', 'Split'),
    task('A'),
    second === 'now' ? task('B') : userTask('B'),
    gateway('exclusive', 'M'),
    wait,
    end('End'),
    flow('S', 'Split'),
    flow('Split', 'A'),
    flow('Split', 'B'),
    flow('A', 'M'),
    flow('B', 'M'),
    ...chain('M', 'W', 'End'),
  ]);
}

describe('api/activations', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp();
  });
  afterEach(async () => {
    await t.close();
  });

  const openAt = async (instanceId: string, elementId: string) =>
    (
      (await t.call('GET', `/api/tasks?instanceId=${instanceId}&status=open`)).json().items as Array<{
        id: string;
        elementId: string;
      }>
    ).filter((x) => x.elementId === elementId);

  it('offers two tasks at once after a multi-merge; completing one leaves the other open', async () => {
    await t.deploy(merged('twice', userTask('W')));
    const started = (await t.call('POST', '/api/instances', { definitionKey: 'twice' })).json();
    expect(started.activeElements).toEqual(['W']);
    const [one, two] = await openAt(started.id, 'W');
    expect(two).toBeDefined();
    expect(one.id).not.toBe(two.id);
    const afterOne = await t.call('POST', `/api/tasks/${one.id}/complete`, { variables: { note: 'first' } });
    expect(afterOne.statusCode).toBe(200);
    const instance = (await t.call('GET', `/api/instances/${started.id}`)).json();
    expect(instance).toMatchObject({ status: 'active', activeElements: ['W'] });
    expect((await openAt(started.id, 'W')).map((x) => x.id)).toEqual([two.id]);
    await t.call('POST', `/api/tasks/${two.id}/complete`, { variables: {} });
    expect((await t.call('GET', `/api/instances/${started.id}`)).json()).toMatchObject({
      status: 'completed',
      activeElements: [],
    });
    const history = (await t.call('GET', `/api/instances/${started.id}/history`)).json().items as Array<{
      elementId: string;
      event: string;
    }>;
    expect(history.filter((h) => h.elementId === 'End' && h.event === 'element.entered')).toHaveLength(2);
  });

  it('runs two jobs of one service task at once; each completion moves its own token', async () => {
    await t.deploy(merged('jobs', serviceTask('W', 'crm.update')));
    const started = (await t.call('POST', '/api/instances', { definitionKey: 'jobs' })).json();
    const fetched = (
      await t.call('POST', '/api/jobs/fetch-and-lock', { workerId: 'w', types: ['crm.update'], maxJobs: 5 })
    ).json().items as Array<{ id: string }>;
    expect(fetched).toHaveLength(2);
    await t.call('POST', `/api/jobs/${fetched[1].id}/complete`, { workerId: 'w', variables: { synced: 1 } });
    expect((await t.call('GET', `/api/instances/${started.id}`)).json()).toMatchObject({
      status: 'active',
      activeElements: ['W'],
    });
    const again = await t.call('POST', `/api/jobs/${fetched[1].id}/complete`, { workerId: 'w', variables: {} });
    expect(again.statusCode).toBeGreaterThanOrEqual(400);
    await t.call('POST', `/api/jobs/${fetched[0].id}/complete`, { workerId: 'w', variables: {} });
    expect((await t.call('GET', `/api/instances/${started.id}`)).json()).toMatchObject({ status: 'completed' });
  });

  it('schedules one timer per token; each fires for its own token', async () => {
    await t.deploy(merged('timers', timerCatch('W', 'duration', 'PT1H'), 'later'));
    const started = (await t.call('POST', '/api/instances', { definitionKey: 'timers' })).json();
    t.clock.advance(30 * 60_000);
    const [b] = await openAt(started.id, 'B');
    await t.call('POST', `/api/tasks/${b.id}/complete`, { variables: {} });
    t.clock.advance(30 * 60_000);
    await t.engine.tick();
    const halfway = (await t.call('GET', `/api/instances/${started.id}`)).json();
    expect(halfway).toMatchObject({ status: 'active', activeElements: ['W'] });
    t.clock.advance(30 * 60_000);
    await t.engine.tick();
    expect((await t.call('GET', `/api/instances/${started.id}`)).json()).toMatchObject({ status: 'completed' });
  });

  it('shows a parallel join that one branch never reaches among the active elements', async () => {
    await t.deploy(
      definitions('stuck', [
        start('S'),
        gateway('exclusive', 'X', 'Flow_X_B'),
        userTask('A'),
        task('B'),
        gateway('parallel', 'J'),
        end('End'),
        flow('S', 'X'),
        flow('X', 'A', 'go'),
        flow('X', 'B'),
        flow('A', 'J'),
        flow('B', 'J'),
        flow('J', 'End'),
      ]),
    );
    const started = (
      await t.call('POST', '/api/instances', { definitionKey: 'stuck', variables: { go: false } })
    ).json();
    expect(started).toMatchObject({ status: 'active', activeElements: ['J'] });
    expect((await t.call('GET', `/api/instances/${started.id}`)).json().activeElements).toEqual(['J']);
  });
});

describe('api/activations: multi-instance', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp();
  });
  afterEach(async () => {
    await t.close();
  });

  const review = (loop: string) =>
    definitions('review', [
      start('S'),
      `<bpmn:userTask id="Review"><bpmn:extensionElements><zeebe:assignmentDefinition assignee="=reviewer" /></bpmn:extensionElements>${loop}</bpmn:userTask>`,
      end('E'),
      ...chain('S', 'Review', 'E'),
    ]);
  const parallel =
    '<bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=reviewers" inputElement="reviewer" outputCollection="votes" outputElement="=vote" /></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>';
  const sequential =
    '<bpmn:multiInstanceLoopCharacteristics isSequential="true"><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=reviewers" inputElement="reviewer" /></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>';

  it('sends a parallel review to three supervisors and collects their votes in input order', async () => {
    await t.deploy(review(parallel));
    const started = (
      await t.call('POST', '/api/instances', {
        definitionKey: 'review',
        variables: { reviewers: ['lin', 'wang', 'zhao'] },
      })
    ).json();
    const tasks = (await t.call('GET', `/api/tasks?instanceId=${started.id}&status=open`)).json().items as Array<{
      id: string;
      assignee: string;
    }>;
    expect(tasks.map((x) => x.assignee).sort()).toEqual(['lin', 'wang', 'zhao']);
    const byName = Object.fromEntries(tasks.map((x) => [x.assignee, x.id]));
    await t.call('POST', `/api/tasks/${byName.zhao}/complete`, { variables: { vote: 'no' } });
    await t.call('POST', `/api/tasks/${byName.lin}/complete`, { variables: { vote: 'yes' } });
    expect((await t.call('GET', `/api/instances/${started.id}`)).json()).toMatchObject({
      status: 'active',
      activeElements: ['Review'],
    });
    await t.call('POST', `/api/tasks/${byName.wang}/complete`, { variables: { vote: 'maybe' } });
    expect((await t.call('GET', `/api/instances/${started.id}`)).json()).toMatchObject({
      status: 'completed',
      variables: { votes: ['yes', 'maybe', 'no'] },
    });
  });

  it('offers a sequential review one supervisor after the other', async () => {
    await t.deploy(review(sequential));
    const started = (
      await t.call('POST', '/api/instances', { definitionKey: 'review', variables: { reviewers: ['lin', 'wang'] } })
    ).json();
    const open = async () =>
      (await t.call('GET', `/api/tasks?instanceId=${started.id}&status=open`)).json().items as Array<{
        id: string;
        assignee: string;
      }>;
    const [first] = await open();
    expect((await open()).map((x) => x.assignee)).toEqual(['lin']);
    await t.call('POST', `/api/tasks/${first.id}/complete`, { variables: {} });
    const [second] = await open();
    expect(second.assignee).toBe('wang');
    await t.call('POST', `/api/tasks/${second.id}/complete`, { variables: {} });
    expect((await t.call('GET', `/api/instances/${started.id}`)).json().status).toBe('completed');
  });

  it('runs a standard loop again until its condition no longer holds', async () => {
    await t.deploy(
      review(
        '<bpmn:standardLoopCharacteristics><bpmn:loopCondition xsi:type="bpmn:tFormalExpression" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">=not(approved)</bpmn:loopCondition></bpmn:standardLoopCharacteristics>',
      ),
    );
    const started = (
      await t.call('POST', '/api/instances', { definitionKey: 'review', variables: { reviewer: 'lin' } })
    ).json();
    const open = async () =>
      (await t.call('GET', `/api/tasks?instanceId=${started.id}&status=open`)).json().items as Array<{ id: string }>;
    await t.call('POST', `/api/tasks/${(await open())[0].id}/complete`, { variables: { approved: false } });
    expect((await t.call('GET', `/api/instances/${started.id}`)).json()).toMatchObject({
      status: 'active',
      activeElements: ['Review'],
    });
    await t.call('POST', `/api/tasks/${(await open())[0].id}/complete`, { variables: { approved: true } });
    expect((await t.call('GET', `/api/instances/${started.id}`)).json().status).toBe('completed');
  });

  it('cancelling the instance cancels every open instance task', async () => {
    await t.deploy(review(parallel));
    const started = (
      await t.call('POST', '/api/instances', { definitionKey: 'review', variables: { reviewers: ['lin', 'wang'] } })
    ).json();
    await t.call('POST', `/api/instances/${started.id}/cancel`);
    expect((await t.call('GET', `/api/tasks?instanceId=${started.id}&status=open`)).json().items).toEqual([]);
  });
});
