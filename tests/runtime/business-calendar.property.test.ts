import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  addBusinessMs,
  addBusinessTime,
  businessTimeBetween,
  type BusinessCalendar,
} from '../../engine/runtime/index.js';
import { seedCalendars } from '../../engine/runtime/calendar/calendar-seeds.js';

const [china, allDay] = seedCalendars('Asia/Shanghai');
const weekdays = (hours: string[]) => ({
  mon: hours,
  tue: hours,
  wed: hours,
  thu: hours,
  fri: hours,
  sat: [],
  sun: [],
});
const calendars: BusinessCalendar[] = [
  china,
  { ...allDay, id: 'berlin-24', zone: 'Europe/Berlin' },
  {
    id: 'berlin',
    name: 'Berlin office',
    zone: 'Europe/Berlin',
    week: weekdays(['09:00-12:00', '13:30-18:00']),
    holidays: ['2026-04-03', '2026-04-06'],
    extraWorkingDays: [],
  },
  {
    id: 'night',
    name: 'Night desk',
    zone: 'America/New_York',
    week: { ...weekdays(['00:00-06:00', '22:00-24:00']), sat: ['00:00-06:00'] },
    holidays: [],
    extraWorkingDays: ['2026-03-08'],
  },
];

// Instants over 2025–2026 (DST changes, Chinese holidays and make-up days included), to the millisecond.
const instant = fc
  .integer({ min: Date.parse('2025-01-01T00:00:00Z'), max: Date.parse('2026-12-01T00:00:00Z') })
  .map((ms) => new Date(ms).toISOString());
const businessMs = fc.integer({ min: 0, max: 5 * 24 * 3_600_000 });
const calendar = fc.constantFrom(...calendars);
const ms = (iso: string) => Date.parse(iso);
const later = (iso: string, by: number) => new Date(ms(iso) + by).toISOString();

describe('runtime/business-calendar: properties', () => {
  it('measures back exactly what was added: between(s, add(s, d)) = d', () => {
    fc.assert(
      fc.property(calendar, instant, businessMs, (cal, start, d) => {
        expect(businessTimeBetween(cal, start, addBusinessMs(cal, start, d))).toBe(d);
      }),
    );
  });

  it('reports the earliest instant: one millisecond earlier, less than d has elapsed', () => {
    fc.assert(
      fc.property(
        calendar,
        instant,
        businessMs.filter((d) => d > 0),
        (cal, start, d) => {
          const due = addBusinessMs(cal, start, d);
          expect(ms(due)).toBeGreaterThan(ms(start));
          expect(businessTimeBetween(cal, start, later(due, -1))).toBe(d - 1);
        },
      ),
    );
  });

  it('is monotonic in the duration and in the start', () => {
    fc.assert(
      fc.property(calendar, instant, businessMs, businessMs, (cal, start, a, b) => {
        const [short, long] = a <= b ? [a, b] : [b, a];
        expect(ms(addBusinessMs(cal, start, short))).toBeLessThanOrEqual(ms(addBusinessMs(cal, start, long)));
        expect(ms(addBusinessMs(cal, start, a))).toBeLessThanOrEqual(ms(addBusinessMs(cal, later(start, b), a)));
      }),
    );
  });

  it('adds in steps what it adds at once: add(add(s, a), b) = add(s, a + b)', () => {
    fc.assert(
      fc.property(calendar, instant, businessMs, businessMs, (cal, start, a, b) => {
        expect(addBusinessMs(cal, addBusinessMs(cal, start, a), b)).toBe(addBusinessMs(cal, start, a + b));
      }),
    );
  });

  it('splits business time at any point between: between(a, c) = between(a, b) + between(b, c)', () => {
    fc.assert(
      fc.property(calendar, instant, businessMs, businessMs, (cal, a, x, y) => {
        const b = later(a, x);
        const c = later(b, y);
        expect(businessTimeBetween(cal, a, c)).toBe(businessTimeBetween(cal, a, b) + businessTimeBetween(cal, b, c));
      }),
    );
  });

  it('agrees with ISO hours and minutes given as text', () => {
    fc.assert(
      fc.property(
        calendar,
        instant,
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 59 }),
        (cal, start, h, m) => {
          expect(addBusinessTime(cal, start, `PT${h}H${m}M`)).toBe(addBusinessMs(cal, start, (h * 60 + m) * 60_000));
        },
      ),
    );
  });

  it('lands PnD at the same clock time n working days later when the start is inside office hours', () => {
    const inside = instant.filter((iso) => {
      const t = DateTime.fromISO(iso, { zone: 'Asia/Shanghai' });
      const minute = t.hour * 60 + t.minute + t.second / 60 + t.millisecond / 60_000;
      return minute > 9 * 60 && minute <= 18 * 60 && businessTimeBetween(china, later(iso, -1), iso) === 1;
    });
    fc.assert(
      fc.property(inside, fc.integer({ min: 1, max: 10 }), (start, n) => {
        const due = DateTime.fromISO(addBusinessTime(china, start, `P${n}D`), { zone: 'Asia/Shanghai' });
        expect(due.toFormat('HH:mm:ss.SSS')).toBe(
          DateTime.fromISO(start, { zone: 'Asia/Shanghai' }).toFormat('HH:mm:ss.SSS'),
        );
        expect(workingDaysBetween(start, due.toISO()!)).toBe(n);
      }),
    );
  });
});

// helpers

/** Working days of the default calendar after the start's day, up to and including the due's day. */
function workingDaysBetween(startIso: string, dueIso: string): number {
  let count = 0;
  let day = DateTime.fromISO(startIso, { zone: 'Asia/Shanghai' }).startOf('day').plus({ days: 1 });
  const last = DateTime.fromISO(dueIso, { zone: 'Asia/Shanghai' }).startOf('day');
  for (; day <= last; day = day.plus({ days: 1 })) {
    if (businessTimeBetween(china, day.toUTC().toISO()!, day.plus({ days: 1 }).toUTC().toISO()!) > 0) count++;
  }
  return count;
}
