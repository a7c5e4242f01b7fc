import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../engine/api/app.js';
import { openStore } from '../../engine/store/index.js';
import { signIn } from '../helpers/app.js';
import { chain, definitions, end, sla, start, userTask } from '../helpers/bpmn-builder.js';
import { shanghai, slaEngineOn, type SlaTestEngine } from '../helpers/sla.js';
import { migrationSource } from '../../migrations/index.js';

const hours = ['08:00-12:00', '13:00-17:00'];
const hongKong = {
  name: 'Hong Kong office',
  zone: 'Asia/Hong_Kong',
  week: { mon: hours, tue: hours, wed: hours, thu: hours, fri: hours, sat: ['09:00-13:00'], sun: [] },
  holidays: ['2026-12-25', '2026-12-26'],
  extraWorkingDays: [],
};

describe('api/calendars', () => {
  let t: SlaTestEngine;
  let app: FastifyInstance;
  let headers: Record<string, string>;
  beforeEach(async () => {
    const store = await openStore({ migrations: migrationSource, url: 'sqlite::memory:' });
    await store.migrate();
    t = await slaEngineOn(store);
    app = await buildApp({ engine: t.engine, sla: t.sla, logger: false });
    headers = await signIn(app, store);
  });
  afterEach(async () => {
    await app.close();
    await t.store.close();
  });

  const call = async (method: 'GET' | 'PUT', url: string, payload?: unknown) => {
    const res = await app.inject({
      method,
      url,
      headers,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    return { status: res.statusCode, body: res.json() };
  };

  it('lists the seeded calendars with the years their holiday data covers', async () => {
    const { status, body } = await call('GET', '/api/calendars');
    expect(status).toBe(200);
    expect(body.items.map((c: { id: string }) => c.id)).toEqual(['24x7', 'default']);
    expect(body.items[1]).toMatchObject({
      zone: 'Asia/Shanghai',
      week: expect.objectContaining({ fri: ['09:00-18:00'], sat: [] }),
    });
    expect(body.items[1].holidayYears).toEqual(Array.from({ length: 23 }, (_, i) => 2004 + i));
    expect(body.items[0].holidayYears).toEqual([]);
  });

  it('reads one calendar with its holidays and make-up working days', async () => {
    const { body } = await call('GET', '/api/calendars/default');
    expect(body.holidays).toEqual(expect.arrayContaining(['2026-10-01', '2026-10-07']));
    expect(body.extraWorkingDays).toEqual(expect.arrayContaining(['2026-10-10']));
  });

  it('creates a calendar with PUT and runs SLA clocks on it', async () => {
    const put = await call('PUT', '/api/calendars/hk', hongKong);
    expect(put).toMatchObject({ status: 200, body: { id: 'hk', ...hongKong, updatedAt: t.clock.iso() } });
    await t.engine.deploy(
      definitions('hk', [
        start('S'),
        userTask('Work', { ext: sla('PT6H', { calendar: 'hk' }) }),
        end('E'),
        ...chain('S', 'Work', 'E'),
      ]),
    );
    t.clock.set(shanghai('2026-12-24 15:00'));
    const instance = await t.engine.startInstance({ definitionKey: 'hk' });
    // Thu 15–17 (2 h), Dec 25 and 26 holidays, Sunday off, Mon 08–12 (4 h)
    expect((await call('GET', `/api/sla?instanceId=${instance.id}`)).body.items[0]).toMatchObject({
      calendarId: 'hk',
      dueAt: shanghai('2026-12-28 12:00'),
    });
  });

  it('replaces a calendar and refuses an invalid one with every problem', async () => {
    await call('PUT', '/api/calendars/hk', hongKong);
    expect((await call('PUT', '/api/calendars/hk', { ...hongKong, name: 'HK' })).body.name).toBe('HK');
    const bad = await call('PUT', '/api/calendars/hk', {
      ...hongKong,
      zone: 'Asia/Atlantis',
      week: { ...hongKong.week, mon: ['09:00-12:00', '11:00-13:00'], tue: ['17:00-08:00'] },
      holidays: ['2026-02-30'],
    });
    expect(bad).toMatchObject({ status: 400, body: { code: 'CALENDAR_INVALID', calendarId: 'hk' } });
    expect(bad.body.fields.map((f: { name: string }) => f.name)).toEqual(['zone', 'week.mon', 'week.tue', 'holidays']);
    expect((await call('GET', '/api/calendars/hk')).body.name).toBe('HK');
  });

  it('answers unknown calendars with 404 and malformed bodies with 400', async () => {
    expect(await call('GET', '/api/calendars/mars')).toMatchObject({
      status: 404,
      body: { code: 'CALENDAR_NOT_FOUND', calendarId: 'mars' },
    });
    expect(await call('PUT', '/api/calendars/hk', { ...hongKong, week: { mon: hours } })).toMatchObject({
      status: 400,
      body: { code: 'VALIDATION_FAILED' },
    });
    expect(await call('PUT', '/api/calendars/hk', { ...hongKong, holidays: ['25.12.2026'] })).toMatchObject({
      status: 400,
      body: { code: 'VALIDATION_FAILED' },
    });
    expect(await call('PUT', '/api/calendars/hk', { ...hongKong, color: 'red' })).toMatchObject({
      status: 400,
      body: { code: 'VALIDATION_FAILED' },
    });
  });
});
