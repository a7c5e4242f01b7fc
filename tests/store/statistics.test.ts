/** Issue #13: the counts behind Camunda's process-definition statistics, on both databases (the per-element count reads the active_elements JSON). */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Store } from '../../engine/store/index.js';
import { closeStores, describeEachStore } from '../helpers/stores.js';
import { aDefinition, aJob, anIncident, anInstance } from '../helpers/store-rows.js';

describeEachStore('store/statistics', (backend) => {
  let store: Store;
  beforeAll(async () => {
    store = await backend.open();
  });
  afterAll(closeStores);

  it('counts running instances, failed jobs and open incidents per version and per element', async () => {
    const def = aDefinition();
    await store.definitions.insert(def);
    const a = anInstance(def, { activeElements: ['Task_review', 'Task_notify'], status: 'incident' });
    const b = anInstance(def, { activeElements: ['Task_review'] });
    const ended = anInstance(def, { activeElements: [], status: 'completed' });
    for (const row of [a, b, ended]) await store.instances.insert(row);
    await store.jobs.insert(aJob(a, { status: 'failed', retries: 0 }));
    await store.jobs.insert(aJob(b, { status: 'pending' }));
    await store.incidents.insert(anIncident(a));
    await store.incidents.insert(anIncident(b, { status: 'resolved' }));

    expect(await store.statistics.runningByDefinition([def.id])).toEqual([{ definitionId: def.id, count: 2 }]);
    expect(await store.statistics.failedJobsByDefinition([def.id])).toEqual([{ definitionId: def.id, count: 1 }]);
    expect(await store.statistics.incidentsByDefinition([def.id])).toEqual([
      { definitionId: def.id, code: 'JOB_FAILED', count: 1 },
    ]);
    const activities = await store.statistics.activities(def.id);
    expect(activities.instances.sort((x, y) => x.elementId.localeCompare(y.elementId))).toEqual([
      { elementId: 'Task_notify', count: 1 },
      { elementId: 'Task_review', count: 2 },
    ]);
    expect(activities.failedJobs).toEqual([{ elementId: 'Task_notify', count: 1 }]);
    expect(activities.incidents).toEqual([{ elementId: 'Task_notify', code: 'JOB_FAILED', count: 1 }]);
    expect((await store.statistics.runningIds([def.id], 10)).sort()).toEqual([a.id, b.id].sort());
  });
});
