/**
 * Calendars that stay true: from 60 days before a year starts, a calendar used by a deployed SLA with no
 * holiday data for that year is listed by GET /api/calendars/coverage (the dashboard and designer banner)
 * and logged at deploy; a round-the-clock calendar without holidays never is; adding the year clears it.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../engine/api/app.js';
import { openStore } from '../../engine/store/index.js';
import { migrationSource } from '../../migrations/index.js';
import { signIn } from '../helpers/app.js';
import { chain, definitions, end, sla, start, userTask } from '../helpers/bpmn-builder.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { shanghai, slaEngineOn, type SlaTestEngine } from '../helpers/sla.js';

describe('api/calendars/coverage', () => {
  let t: SlaTestEngine;
  let app: FastifyInstance;
  let headers: Record<string, string>;
  let clock: FakeClock;
  const warnings: string[] = [];
  beforeEach(async () => {
    const store = await openStore({ migrations: migrationSource, url: 'sqlite::memory:' });
    await store.migrate();
    clock = new FakeClock(shanghai('2026-06-01 09:00'));
    t = await slaEngineOn(store, clock);
    app = await buildApp({ engine: t.engine, sla: t.sla, logger: false });
    headers = await signIn(app, store);
    warnings.length = 0;
  });
  afterEach(async () => {
    await app.close();
    await t.store.close();
  });

  const coverage = async () =>
    (await app.inject({ method: 'GET', url: '/api/calendars/coverage', headers })).json().items;
  const deploy = (key: string, calendar: string) =>
    t.engine.deploy(
      definitions(key, [
        start('S'),
        userTask('Work', { ext: sla('P1D', { calendar }) }),
        end('E'),
        ...chain('S', 'Work', 'E'),
      ]),
    );

  it('flags the default calendar for next year from 60 days before it starts, naming the processes that use it', async () => {
    await deploy('desk', 'default');
    await deploy('hotline', '24x7');
    // the shipped data covers 2004–2026: in June only 2026 is needed
    expect(await coverage()).toEqual([]);
    clock.set(shanghai('2026-11-01 23:59'));
    expect(await coverage()).toEqual([]);
    clock.set(shanghai('2026-11-02 00:00'));
    expect(await coverage()).toEqual([
      {
        calendarId: 'default',
        name: expect.any(String),
        zone: 'Asia/Shanghai',
        missingYears: [2027],
        usedBy: ['desk'],
      },
    ]);
    clock.set(shanghai('2027-01-05 09:00'));
    expect((await coverage())[0].missingYears).toEqual([2027]);
  });

  it('clears the flag once the year is added', async () => {
    await deploy('desk', 'default');
    clock.set(shanghai('2026-12-02 09:00'));
    expect(await coverage()).toHaveLength(1);
    const calendar = (await app.inject({ method: 'GET', url: '/api/calendars/default', headers })).json();
    const { id: _id, updatedAt: _u, ...body } = calendar;
    const put = await app.inject({
      method: 'PUT',
      url: '/api/calendars/default',
      headers,
      payload: { ...body, holidays: [...body.holidays, '2027-01-01'] },
    });
    expect(put.statusCode).toBe(200);
    expect(await coverage()).toEqual([]);
  });

  it('logs a warning when a process is deployed on a calendar without next year', async () => {
    const store = await openStore({ migrations: migrationSource, url: 'sqlite::memory:' });
    await store.migrate();
    const logged = await slaEngineOn(store, new FakeClock(shanghai('2026-12-02 09:00')));
    const { attachSla } = await import('../../engine/runtime/index.js');
    const sla2 = await attachSla(logged.engine, {
      logger: {
        warn: (_o: unknown, m?: string) => {
          warnings.push(m ?? '');
        },
        info: () => undefined,
        error: () => undefined,
      } as never,
    });
    expect(sla2).toBeDefined();
    await logged.engine.deploy(
      definitions('desk', [start('S'), userTask('Work', { ext: sla('P1D') }), end('E'), ...chain('S', 'Work', 'E')]),
    );
    expect(warnings.some((w) => /calendar 'default' used by process 'desk' has no holiday data for 2027/.test(w))).toBe(
      true,
    );
    await store.close();
  });
});
