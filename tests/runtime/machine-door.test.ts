import { afterAll, beforeEach, expect, it, vi } from 'vitest';
import { processMachine } from '../../engine/compile/index.js';
import { chain, definitions, end, serviceTask, start, userTask } from '../helpers/bpmn-builder.js';
import { withBrokenGuard } from '../helpers/compile.js';
import { engineOn, openTaskAt, type TestEngine } from '../helpers/engine.js';
import { closeStores, describeEachStore } from '../helpers/stores.js';

afterAll(closeStores);

describeEachStore('runtime/machine door', (backend) => {
  let t: TestEngine;
  beforeEach(async () => {
    t = engineOn(await backend.open());
  });

  it('shows an incident naming the element and the error when the machine fails, never "active with nothing active"', async () => {
    // given: an instance waiting at a task whose machine throws on completion
    await t.engine.deploy(
      definitions('door', [start('S'), userTask('Review'), end('E'), ...chain('S', 'Review', 'E')]),
    );
    const started = await t.engine.startInstance({ definitionKey: 'door' });
    const loaded = await t.engine.definitions.load(started.definitionId);
    vi.spyOn(t.engine.definitions, 'load').mockResolvedValue({
      ...loaded,
      machine: processMachine(withBrokenGuard(loaded.compiled, 'Review')),
    });
    const task = await openTaskAt(t.engine, started.id, 'Review');
    // when
    const after = await t.engine.completeTask(task.id, {}, 'lin');
    // then
    expect(after).toMatchObject({ status: 'incident', activeElements: ['Review'] });
    const [incident] = (await t.engine.listIncidents({ instanceId: started.id, status: 'open' })).items;
    expect(incident).toMatchObject({
      elementId: 'Review',
      code: 'STEP_FAILED',
      message: expect.stringContaining('svc.missing'),
    });
    await t.engine.retryIncident(incident.id);
    expect(await t.engine.getInstance(started.id)).toMatchObject({ status: 'active', activeElements: ['Review'] });
    // the retry re-enters the element: the work is offered again
    expect((await openTaskAt(t.engine, started.id, 'Review')).id).not.toBe(task.id);
  });

  it('fails a job through the machine: retries with backoff, then an incident whose retry gives the same job its retries back', async () => {
    // given
    await t.engine.deploy(
      definitions('jobs', [start('S'), serviceTask('Call', 'crm.update'), end('E'), ...chain('S', 'Call', 'E')]),
    );
    const started = await t.engine.startInstance({ definitionKey: 'jobs' });
    const fetchOne = async () => (await t.engine.jobs.fetchAndLock('w', ['crm.update'], 1))[0].job;
    // when: it fails twice with a retry left, then for good
    const first = await fetchOne();
    const retried = await t.engine.jobs.fail(first.id, 'w', { message: 'timeout', retries: 1, retryBackoffMs: 1000 });
    t.clock.advance('PT1S');
    const again = await fetchOne();
    await t.engine.jobs.fail(again.id, 'w', { message: 'down', retries: 0 });
    // then
    expect(retried).toMatchObject({ id: first.id, status: 'pending', retries: 1, errorMessage: 'timeout' });
    expect(again.id).toBe(first.id);
    expect(await t.engine.getInstance(started.id)).toMatchObject({ status: 'incident', activeElements: ['Call'] });
    const [incident] = (await t.engine.listIncidents({ instanceId: started.id, status: 'open' })).items;
    expect(incident).toMatchObject({ elementId: 'Call', code: 'JOB_FAILED', jobId: first.id });
    const history = (await t.engine.history(started.id)).map((h) => h.event);
    expect(history.filter((e) => e === 'job.failed')).toHaveLength(2);
    await t.engine.retryIncident(incident.id, { retries: 2, variables: { fixed: true } });
    expect(await t.engine.store.jobs.get(first.id)).toMatchObject({ status: 'pending', retries: 2 });
    expect(await t.engine.getInstance(started.id)).toMatchObject({ status: 'active', variables: { fixed: true } });
    const last = await fetchOne();
    await t.engine.jobs.complete(last.id, 'w', {});
    expect((await t.engine.getInstance(started.id)).status).toBe('completed');
  });
});
