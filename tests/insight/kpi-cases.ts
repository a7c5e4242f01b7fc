/**
 * A generated data set for the KPI tests: a small case process run a few hundred times on the fake
 * clock with outcomes known from the case number, and the same outcomes kept for hand computation.
 */
import { attachInsight, type InsightService } from '../../engine/runtime/index.js';
import { openStore, type Store } from '../../engine/store/index.js';
import { migrationSource } from '../../migrations/index.js';
import { chain, definitions, end, flow, gateway, sla, start, userTask } from '../helpers/bpmn-builder.js';
import { openTaskAt } from '../helpers/engine.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { shanghai, slaEngineOn, type SlaTestEngine } from '../helpers/sla.js';

export const CASE_PROCESS = 'kpi-case';

// A process-level SLA on the 24x7 calendar makes business time equal wall time, so the hand computation stays simple.
export const CASE_XML = definitions(CASE_PROCESS, [
  `<bpmn:extensionElements>${sla('P30D', { calendar: '24x7' })}</bpmn:extensionElements>`,
  start('S'),
  userTask('Respond', { groups: 'cs-agents', ext: sla('PT2H', { calendar: '24x7' }) }),
  userTask('Resolve', { groups: 'cs-resolvers' }),
  gateway('exclusive', 'Ok', 'Flow_Ok_EndFail'),
  end('EndOk'),
  end('EndFail'),
  ...chain('S', 'Respond', 'Resolve', 'Ok'),
  flow('Ok', 'EndOk', 'ok = true'),
  flow('Ok', 'EndFail', undefined, 'Flow_Ok_EndFail'),
]);

/** What case i does, all derived from i. */
export interface CaseOutcome {
  i: number;
  channel: string;
  category: string;
  priority: string;
  /** Minutes from start to the first response; odd, so never exactly the 120-minute SLA target. */
  respondAfter: number;
  /** Minutes from the first response to resolution. */
  resolveAfter: number;
  cancelled: boolean;
  /** Left open at the end (never responded). */
  open: boolean;
  ok: boolean;
  fcr: boolean;
  surveySent: boolean;
  satisfaction: number | null;
  nps: number | null;
  reopened: boolean;
  transferred: boolean;
  visitCount: number;
  lateMinutes: number;
  cost: number;
}

export const CASES = 240;
export const OPEN_CASES = 10;

export function outcomeOf(i: number): CaseOutcome {
  const surveySent = i % 3 !== 0;
  return {
    i,
    channel: ['phone', 'online', 'email'][i % 3],
    category: ['product', 'billing'][i % 2],
    priority: ['urgent', 'general', 'non-urgent'][i % 3],
    respondAfter: 11 + 2 * ((i * 37) % 100),
    resolveAfter: 30 + ((i * 53) % 400),
    cancelled: i % 17 === 5,
    open: i >= CASES - OPEN_CASES,
    ok: i % 9 !== 0,
    fcr: i % 6 === 0,
    surveySent,
    satisfaction: surveySent && i % 4 !== 0 ? 1 + (i % 5) : null,
    nps: i % 2 === 0 ? i % 11 : null,
    reopened: i % 7 === 0,
    transferred: i % 5 === 0,
    visitCount: i % 3,
    lateMinutes: (i * 13) % 60,
    cost: 10 + (i % 4) * 5,
  };
}

export interface KpiWorld extends SlaTestEngine {
  insight: InsightService;
  outcomes: CaseOutcome[];
  /** Instance id per case number. */
  ids: string[];
  /** When each case ended (null: open). */
  endedAt: Array<string | null>;
  from: string;
  to: string;
}

/** Runs every case one after another from Monday 2026-11-23 00:00 Shanghai; the open ones breach their first-response SLA. */
export async function runCases(store?: Store): Promise<KpiWorld> {
  const db = store ?? (await openStore({ migrations: migrationSource, url: 'sqlite::memory:' }));
  if (!store) await db.migrate();
  const clock = new FakeClock(shanghai('2026-11-23 00:00'));
  const world = await slaEngineOn(db, clock);
  const insight = attachInsight(world.engine, world.sla);
  await world.engine.deploy(CASE_XML);
  const from = clock.iso();
  const outcomes: CaseOutcome[] = [];
  const ids: string[] = [];
  const endedAt: Array<string | null> = [];
  for (let i = 0; i < CASES; i++) {
    const o = outcomeOf(i);
    outcomes.push(o);
    ids.push(await runCase(world, o));
    endedAt.push(o.open ? null : clock.iso());
  }
  clock.advance('PT3H');
  await world.engine.tick();
  return { ...world, insight, outcomes, ids, endedAt, from, to: new Date(clock.now().getTime() + 1).toISOString() };
}

// helpers

async function runCase({ engine, clock }: SlaTestEngine, o: CaseOutcome): Promise<string> {
  const appointment = clock.iso();
  const instance = await engine.startInstance({
    definitionKey: CASE_PROCESS,
    variables: { channel: o.channel, category: o.category, priority: o.priority },
  });
  if (o.open) return instance.id;
  clock.advance(o.respondAfter * 60_000);
  await engine.tick();
  const respond = await openTaskAt(engine, instance.id, 'Respond');
  await engine.completeTask(respond.id, { resolvedAtFirstContact: o.fcr, cost: 10 }, `agent${o.i % 4}`);
  clock.advance(o.resolveAfter * 60_000);
  await engine.tick();
  if (o.cancelled) {
    await engine.cancelInstance(instance.id);
    return instance.id;
  }
  const resolve = await openTaskAt(engine, instance.id, 'Resolve');
  await engine.completeTask(
    resolve.id,
    {
      ok: o.ok,
      reopenCount: o.reopened ? 1 : 0,
      transferCount: o.transferred ? 1 : 0,
      visitCount: o.visitCount,
      cost: o.cost - 10,
      appointmentStart: appointment,
      arrivedAt: new Date(Date.parse(appointment) + o.lateMinutes * 60_000).toISOString(),
      ...(o.surveySent ? { surveyId: `survey-${o.i}` } : {}),
      ...(o.satisfaction !== null ? { satisfactionScore: o.satisfaction } : {}),
      ...(o.nps !== null ? { npsScore: o.nps } : {}),
    },
    `resolver${o.i % 3}`,
  );
  return instance.id;
}
