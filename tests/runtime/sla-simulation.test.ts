import { afterAll, expect, it } from 'vitest';
import { boundary, chain, definitions, end, escalation, sla, start, userTask } from '../helpers/bpmn-builder.js';
import { closeStores, describeEachStore } from '../helpers/stores.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { shanghai, slaEngineOn, type SlaTestEngine } from '../helpers/sla.js';
import {
  addBusinessMs,
  addBusinessTime,
  businessDurationMs,
  businessTimeBetween,
  type EngineNotification,
} from '../../engine/runtime/index.js';
import { seedCalendars } from '../../engine/runtime/calendar/calendar-seeds.js';

afterAll(closeStores);

const [calendar] = seedCalendars('Asia/Shanghai');
const STEP = 15 * 60_000;
const BEGIN = shanghai('2026-09-28 00:00');
const END = shanghai('2026-10-12 00:00');
// the server is down from 10:00 to 13:00 on the first working day after the National Day week
const DOWN_FROM = shanghai('2026-10-08 10:00');
const DOWN_UNTIL = shanghai('2026-10-08 13:00');
const TARGETS = ['PT2H', 'PT4H', 'P1D', 'P2D'];
const WARN_AT = [0.5, 0.75];

const model = definitions(
  'intake',
  [
    start('S'),
    userTask('Handle', { groups: 'cs-agents', ext: sla('=slaTarget', { warnAt: WARN_AT.join(',') }) }),
    end('E'),
    boundary('Overdue', 'Handle', { escalation: 'Esc_breach' }, false),
    userTask('OverdueReview', { groups: 'cs-supervisors' }),
    end('E_reviewed'),
    ...chain('S', 'Handle', 'E'),
    ...chain('Overdue', 'OverdueReview', 'E_reviewed'),
  ],
  [escalation('Esc_breach', 'sla-breach')],
);

interface Plan {
  key: string;
  start: string;
  target: string;
  completeAt: string | null;
  instanceId?: string;
}

describeEachStore(
  'runtime/sla: a two-week simulation across weekends, the National Day holidays and a restart',
  (backend) => {
    // two weeks of fake time step by step on a shared machine: hundreds of steps, each its own transaction
    it('fires every warning and breach once, at its business instant, and decides every outcome', async () => {
      const clock = new FakeClock(BEGIN);
      const store = await backend.open();
      let t: SlaTestEngine = await slaEngineOn(store, clock, 'node-a');
      const notes: EngineNotification[][] = [t.notes];
      await t.engine.deploy(model);
      const plans = plan();
      for (let now = Date.parse(BEGIN) + STEP; now <= Date.parse(END); now += STEP) {
        clock.set(new Date(now).toISOString());
        if (clock.iso() === DOWN_FROM) {
          t = await slaEngineOn(store, clock, 'node-b');
          notes.push(t.notes);
          clock.set(DOWN_UNTIL);
          now = Date.parse(DOWN_UNTIL);
        }
        for (const p of plans.filter((x) => x.start === clock.iso())) {
          p.instanceId = (
            await t.engine.startInstance({
              definitionKey: 'intake',
              businessKey: p.key,
              variables: { slaTarget: p.target },
            })
          ).id;
        }
        await t.engine.tick();
        for (const p of plans.filter((x) => x.completeAt === clock.iso())) {
          const task = (await t.engine.listTasks({ instanceId: p.instanceId, status: 'open' })).items.find(
            (x) => x.elementId === 'Handle',
          )!;
          await t.engine.completeTask(task.id, {});
        }
      }
      const published = notes.flat();
      for (const p of plans) await expectOutcome(t, p, published);
      const checks = published.filter((n) => n.type === 'sla.warning' || n.type === 'sla.breached');
      expect(checks.length).toBeGreaterThan(80);
      expect(checks.filter((n) => n.at === DOWN_UNTIL).length, 'fired right after the restart').toBeGreaterThan(10);
    }, 90_000);
  },
);

// helpers

/** 40 instances, one every 7 h 45 min, none starting while the server is down; every third completes 20 h later. */
function plan(): Plan[] {
  return Array.from({ length: 40 }, (_, i) => {
    let start = Date.parse(BEGIN) + (i + 1) * 465 * 60_000;
    if (start >= Date.parse(DOWN_FROM) && start <= Date.parse(DOWN_UNTIL)) start = Date.parse(DOWN_UNTIL) + STEP;
    const complete = start + 20 * 3_600_000;
    const completes =
      i % 3 === 0 &&
      complete <= Date.parse(END) &&
      !(complete >= Date.parse(DOWN_FROM) && complete <= Date.parse(DOWN_UNTIL));
    return {
      key: `SIM-${i}`,
      start: iso(start),
      target: TARGETS[i % TARGETS.length],
      completeAt: completes ? iso(complete) : null,
    };
  });
}

/** What the calendar says must have happened to one instance, checked against its row, notifications and tasks. */
async function expectOutcome(t: SlaTestEngine, p: Plan, published: EngineNotification[]): Promise<void> {
  const targetMs = businessDurationMs(calendar, p.target);
  const warnings = WARN_AT.map((f) => addBusinessMs(calendar, p.start, Math.round(f * targetMs)));
  const due = addBusinessTime(calendar, p.start, p.target);
  const horizon = p.completeAt ?? END;
  const fired = [...warnings.map((at) => ['sla.warning', at]), ['sla.breached', due]].filter(([, at]) => at <= horizon);
  const mine = published.filter(
    (n) => n.instanceId === p.instanceId && (n.type === 'sla.warning' || n.type === 'sla.breached'),
  );
  expect(
    mine.map((n) => [n.type, n.data?.warnedAt ?? n.data?.breachedAt]),
    p.key,
  ).toEqual(fired);
  expect(
    mine.map((n) => n.at),
    p.key,
  ).toEqual(fired.map(([, at]) => (at >= DOWN_FROM && at <= DOWN_UNTIL ? DOWN_UNTIL : at)));
  const [row] = (await t.sla.queries.list({ instanceId: p.instanceId })).items;
  const breached = due <= horizon;
  const firedWarnings = warnings.filter((at) => at <= horizon);
  expect(row, p.key).toMatchObject({
    dueAt: due,
    warningsDue: warnings,
    breachedAt: breached ? due : null,
    warnedAt: firedWarnings.at(-1) ?? null,
    status: breached ? 'breached' : p.completeAt ? 'met' : 'running',
    completedAt: p.completeAt,
    businessMs: p.completeAt ? businessTimeBetween(calendar, p.start, p.completeAt) : null,
  });
  const reviews = (await t.engine.listTasks({ instanceId: p.instanceId, status: 'open' })).items.filter(
    (x) => x.elementId === 'OverdueReview',
  );
  expect(reviews.length, p.key).toBe(breached ? 1 : 0);
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
