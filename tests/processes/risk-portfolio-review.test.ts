/**
 * processes/risk-portfolio-review.bpmn (issue 12): a timer start opens the monthly review of the risk register for
 * the risk managers, at 09:00 Shanghai time on the first of each month, once per month, across a restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployProcesses } from '../../engine/api/server.js';
import { Engine } from '../../engine/runtime/index.js';
import { complete, run } from '../helpers/compile.js';
import { referenceApp, shanghai, type ReferenceApp } from '../helpers/reference-app.js';
import { incidentsOf, loadProcess, PROCESSES_DIR, processXml, tasksOf } from '../helpers/reference-processes.js';

const KEY = 'risk-portfolio-review';
const summary = { reviewSummary: 'Two high risks overdue; billing standby verified.', managementAttention: false };

describe('risk-portfolio-review', () => {
  it('gives the review to the risk managers, with its form and an SLA of 5 working days', async () => {
    const sim = run(await loadProcess(KEY), [complete('reviewRegister', summary)], { reviewId: 'RRV-2026-0001' });

    expect(incidentsOf(sim)).toEqual([]);
    expect(tasksOf(sim)).toEqual([
      {
        elementId: 'reviewRegister',
        candidateGroups: ['risk-managers'],
        assignee: null,
        formKey: 'risk-portfolio-review',
        priority: 20,
      },
    ]);
    expect(sim.effects).toContainEqual(
      expect.objectContaining({ type: 'sla.start', elementId: 'reviewRegister', target: 'P5D' }),
    );
    expect(sim.visited.at(-1)).toBe('reviewed');
  });
});

describe('risk-portfolio-review on the engine (fake clock)', () => {
  let t: ReferenceApp;
  const reviews = async (engine: Engine = t.engine) =>
    (await engine.listInstances({ definitionKey: KEY, limit: 100 })).items.sort((a, b) =>
      a.startedAt.localeCompare(b.startedAt),
    );
  beforeAll(async () => {
    // Mon 2026-11-23 09:00 Shanghai
    t = await referenceApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('opens one review at 09:00 Shanghai on the first of the month, for the risk managers', async () => {
    await t.at(shanghai('2026-12-01 08:59'));
    expect(await reviews()).toEqual([]);

    await t.at(shanghai('2026-12-01 09:00'));
    await t.at(shanghai('2026-12-01 09:05'));
    const [review, ...more] = await reviews();
    expect(more).toEqual([]);
    expect(review).toMatchObject({ status: 'active', startedAt: shanghai('2026-12-01 09:00') });
    expect((await t.instance(review.id)).variables).toMatchObject({ reviewId: 'RRV-2026-0001' });
    expect(await t.board(review.id, ['riskmanager1', 'riskowner1', 'agent1'])).toEqual({
      riskmanager1: ['reviewRegister'],
      riskowner1: [],
      agent1: [],
    });
    const [task] = await (await t.user('riskmanager1')).tasks(review.id);
    expect(task).toMatchObject({ candidateGroups: ['risk-managers'], formKey: 'risk-portfolio-review' });

    await t.at(shanghai('2026-12-03 15:00'));
    await t.work('riskmanager1', review.id, 'reviewRegister', summary);
    expect((await t.instance(review.id)).status).toBe('completed');
    await t.at(shanghai('2026-12-31 23:59'));
    expect(await reviews()).toHaveLength(1);
    expect((await t.slas(review.id)).map((s) => [s.elementId, s.target, s.status])).toEqual([
      ['reviewRegister', 'P5D', 'met'],
    ]);
    expect(t.problems.join('\n')).toBe('');
  });

  it('fires once per month, and a restart that deploys the same version again keeps one timer', async () => {
    await t.at(shanghai('2027-01-01 09:00'));
    expect((await reviews()).map((r) => r.startedAt)).toEqual([
      shanghai('2026-12-01 09:00'),
      shanghai('2027-01-01 09:00'),
    ]);
    const [timer] = await t.store.startTimers.list(KEY);
    expect(timer.due).toBe(shanghai('2027-02-01 09:00'));

    // a restart: a new engine on the same store deploys the shipped processes as `npm start` does
    const restarted = new Engine({ store: t.store, clock: t.clock });
    await deployProcesses(restarted, PROCESSES_DIR, { info: () => undefined, warn: () => undefined } as never);
    const again = await restarted.deployResources([{ name: `${KEY}.bpmn`, xml: processXml(KEY) }]);
    expect(again.processes).toEqual([expect.objectContaining({ key: KEY, version: 1, created: false })]);
    expect(await t.store.startTimers.list(KEY)).toEqual([timer]);

    t.clock.set(shanghai('2027-01-31 23:59'));
    await restarted.tick();
    expect(await reviews(restarted)).toHaveLength(2);
    t.clock.set(shanghai('2027-02-01 09:00'));
    await restarted.tick();
    await restarted.tick();
    expect((await reviews(restarted)).map((r) => r.startedAt)).toEqual([
      shanghai('2026-12-01 09:00'),
      shanghai('2027-01-01 09:00'),
      shanghai('2027-02-01 09:00'),
    ]);
    expect((await t.store.startTimers.list(KEY))[0].due).toBe(shanghai('2027-03-01 09:00'));
  });
});
