/**
 * Migration 150_practice_cases on SQLite and PostgreSQL: a database holding drills run before it marks their
 * case facts as practice and drops the roll-up's built mark (so it is rebuilt without them); one without
 * drills keeps its roll-up. The KPI queries then leave the practice case out on both.
 */
import { afterAll, expect, it } from 'vitest';
import type { Knex } from 'knex';
import * as practiceCases from '../../migrations/150_practice_cases.js';
import * as practiceIndex from '../../migrations/151_practice_index.js';
import { putFact } from '../../engine/store/case-facts.js';
import { backlogFigures, caseAggregates, slaAggregates } from '../../engine/store/kpi-queries.js';
import { slaReport } from '../../engine/store/sla-report.js';
import type { CaseFact } from '../../engine/store/index.js';
import { describeEachStore, openKnex } from '../helpers/stores.js';

const PERIOD = { from: '2026-11-24T00:00:00.000Z', to: '2026-11-25T00:00:00.000Z' };

describeEachStore('store/practice cases', (backend) => {
  const opened: Array<{ close(): Promise<void> }> = [];
  afterAll(async () => {
    for (const o of opened) await o.close();
  });

  const fresh = async (): Promise<Knex> => {
    const handle = await openKnex(backend);
    opened.push(handle);
    return handle.knex;
  };
  /** A database as it was before migration 150 (and the index change of 151 after it). */
  const beforePractice = async (knex: Knex) => {
    await practiceIndex.down(knex);
    await practiceCases.down(knex);
  };

  it('marks the cases of drills run before it as practice and has the roll-up rebuilt', async () => {
    const knex = await fresh();
    await beforePractice(knex);
    await putLegacyFact(knex, 'real-1');
    await putLegacyFact(knex, 'drill-1');
    await knex('drills').insert({
      id: 'd1',
      plan_id: 'p1',
      scheduled_at: '2026-11-24T02:00:00.000Z',
      status: 'started',
      instance_id: 'drill-1',
    });
    await knex('kpi_rollup_state').insert({ name: 'built', value: '2026-11-24T00:00:00.000Z' });
    await practiceCases.up(knex);
    const rows = await knex('case_facts').select('instance_id', 'practice').orderBy('instance_id');
    expect(rows.map((r) => [r.instance_id, Number(r.practice)])).toEqual([
      ['drill-1', 1],
      ['real-1', 0],
    ]);
    expect(await knex('kpi_rollup_state').where({ name: 'built' }).first()).toBeUndefined();
  });

  it('keeps the roll-up of a database without drills', async () => {
    const knex = await fresh();
    await beforePractice(knex);
    await putLegacyFact(knex, 'real-1');
    await knex('kpi_rollup_state').insert({ name: 'built', value: '2026-11-24T00:00:00.000Z' });
    await practiceCases.up(knex);
    expect(await knex('kpi_rollup_state').where({ name: 'built' }).first()).toBeDefined();
  });

  it('leaves practice cases out of the KPI aggregates and the backlog', async () => {
    const knex = await fresh();
    await putFact(knex, fact('real-1', false, '2026-11-24T03:00:00.000Z'));
    await putFact(knex, fact('drill-1', true, '2026-11-24T03:00:00.000Z'));
    await putFact(knex, fact('real-open', false, null));
    await putFact(knex, fact('drill-open', true, null));
    const { total } = await caseAggregates(knex, PERIOD);
    expect(total.ended).toBe(1);
    expect(total.resolutionMs).toMatchObject({ n: 1, mean: 3_600_000 });
    expect((await backlogFigures(knex, {}, PERIOD.to)).open).toBe(1);
    // the SLA queries with the practice filter run on this database (their figures: tests/api/drill-kpis.test.ts)
    expect(await slaAggregates(knex, PERIOD)).toEqual([]);
    expect(await slaReport(knex, { ...PERIOD, groupBy: 'definition' })).toEqual([]);
  });
});

/** A fact row as a database before the migration holds it (no practice column). */
async function putLegacyFact(knex: Knex, instanceId: string): Promise<void> {
  await knex('case_facts').insert({
    instance_id: instanceId,
    definition_key: 'risk-response',
    status: 'active',
    started_at: '2026-11-24T02:00:00.000Z',
    survey_sent: 0,
    reopened: 0,
    transferred: 0,
  });
}

function fact(instanceId: string, practice: boolean, endedAt: string | null): CaseFact {
  const startedAt = '2026-11-24T02:00:00.000Z';
  return {
    instanceId,
    definitionKey: 'risk-response',
    businessKey: null,
    status: endedAt ? 'completed' : 'active',
    startedAt,
    endedAt,
    endElement: null,
    success: endedAt ? true : null,
    channel: null,
    category: 'technical',
    priority: null,
    group: null,
    assignee: null,
    touchPoint: null,
    firstResponseAt: null,
    firstResponseMs: null,
    firstResponseBusinessMs: null,
    resolutionMs: endedAt ? Date.parse(endedAt) - Date.parse(startedAt) : null,
    resolutionBusinessMs: null,
    satisfaction: null,
    nps: null,
    surveySent: false,
    firstContactResolution: null,
    reopened: false,
    transferred: false,
    visitCount: null,
    onTime: null,
    cost: null,
    practice,
  };
}
