import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  addBusinessTime,
  businessDurationMs,
  businessTimeBetween,
  holidayDataMissing,
  SlaTargetError,
  validateCalendar,
  type BusinessCalendar,
} from '../../engine/runtime/index.js';
import { seedCalendars } from '../../engine/runtime/calendar/calendar-seeds.js';

const [china, allDay] = seedCalendars('Asia/Shanghai');
const WEEKDAYS_ONLY = (hours: string[]) => ({
  mon: hours,
  tue: hours,
  wed: hours,
  thu: hours,
  fri: hours,
  sat: [],
  sun: [],
});
const lunchBerlin: BusinessCalendar = {
  id: 'berlin',
  name: 'Berlin office',
  zone: 'Europe/Berlin',
  week: WEEKDAYS_ONLY(['09:00-12:00', '13:30-18:00']),
  holidays: [],
  extraWorkingDays: [],
};
const berlin24: BusinessCalendar = { ...allDay, id: 'berlin-24', zone: 'Europe/Berlin' };
const nightShift: BusinessCalendar = {
  id: 'night',
  name: 'Night desk',
  zone: 'America/New_York',
  week: {
    mon: ['22:00-24:00'],
    tue: ['00:00-06:00', '22:00-24:00'],
    wed: ['00:00-06:00'],
    thu: [],
    fri: [],
    sat: [],
    sun: [],
  },
  holidays: [],
  extraWorkingDays: [],
};

/** A local time in a zone as the UTC instant the engine stores. */
const local = (zone: string) => (text: string) => DateTime.fromISO(text.replace(' ', 'T'), { zone }).toUTC().toISO()!;
const sh = local('Asia/Shanghai');
const de = local('Europe/Berlin');
const ny = local('America/New_York');
const H = 3_600_000;

describe('runtime/business-calendar: domain.md §4 examples on the default calendar', () => {
  it.each([
    ['a start before opening counts from the opening (rule 1)', '2026-11-23 08:00', 'PT2H', '2026-11-23 11:00'],
    ['P3D lands at the same clock time three working days later', '2026-11-24 15:00', 'P3D', '2026-11-27 15:00'],
    ['P1D over a weekend', '2026-11-27 17:00', 'P1D', '2026-11-30 17:00'],
    ['P1D over the Mid-autumn holidays Sep 25–27', '2026-09-24 15:00', 'P1D', '2026-09-28 15:00'],
    ['P1D into the make-up working Saturday Oct 10', '2026-10-09 17:00', 'P1D', '2026-10-10 17:00'],
    [
      'a due on a boundary is the close of the earlier interval (rule 3)',
      '2026-11-28 10:00',
      'P1D',
      '2026-11-30 18:00',
    ],
    ['the National Day week Oct 1–7 has no working time', '2026-09-30 17:00', 'PT2H', '2026-10-08 10:00'],
    ['the make-up Sunday Sep 20 is worked', '2026-09-19 12:00', 'PT2H', '2026-09-20 11:00'],
    ['the 2025 National Day holidays Oct 1–8', '2025-09-30 17:00', 'PT3H', '2025-10-09 11:00'],
    ['the make-up Saturday Oct 11, 2025', '2025-10-10 17:00', 'PT3H', '2025-10-11 11:00'],
    ['minutes are working minutes', '2026-11-23 17:50', 'PT30M', '2026-11-24 09:20'],
  ])('%s: %s + %s = %s', (_, start, duration, due) => {
    expect(addBusinessTime(china, sh(start), duration)).toBe(new Date(sh(due)).toISOString());
  });

  it('measures PnD in working days of the calendar: 9 h on default, 24 h on 24x7', () => {
    expect(businessDurationMs(china, 'P1D')).toBe(9 * H);
    expect(businessDurationMs(allDay, 'P1D')).toBe(24 * H);
    expect(businessDurationMs(china, 'P1DT2H30M')).toBe(11.5 * H);
  });

  it.each(['P1M', 'P1Y', 'P2W'])('rejects %s, whose business length is undefined', (duration) => {
    expect(() => addBusinessTime(china, sh('2026-11-23 09:00'), duration)).toThrow(SlaTargetError);
  });

  it('reports a zero duration as the start and counts business time backwards as negative', () => {
    expect(addBusinessTime(china, sh('2026-11-28 10:00'), 'PT0S')).toBe(new Date(sh('2026-11-28 10:00')).toISOString());
    expect(businessTimeBetween(china, sh('2026-11-24 10:00'), sh('2026-11-23 17:00'))).toBe(-2 * H);
  });

  it('flags a due date in a year the holiday data does not cover', () => {
    expect(holidayDataMissing(china, sh('2026-12-31 17:00'))).toBe(false);
    expect(holidayDataMissing(china, sh('2027-01-04 10:00'))).toBe(true);
    expect(holidayDataMissing(allDay, sh('2027-01-04 10:00'))).toBe(false);
  });
});

describe('runtime/business-calendar: intervals, overnight work and DST', () => {
  it('skips the lunch gap and reports a due at 12:00 as the morning close, not 13:30', () => {
    expect(addBusinessTime(lunchBerlin, de('2026-11-23 11:00'), 'PT2H')).toBe(
      new Date(de('2026-11-23 14:30')).toISOString(),
    );
    expect(addBusinessTime(lunchBerlin, de('2026-11-23 09:00'), 'PT3H')).toBe(
      new Date(de('2026-11-23 12:00')).toISOString(),
    );
    expect(businessDurationMs(lunchBerlin, 'P1D')).toBe(7.5 * H);
  });

  it('runs through midnight on a night shift and across a weekday gap', () => {
    expect(addBusinessTime(nightShift, ny('2026-11-23 23:00'), 'PT2H')).toBe(
      new Date(ny('2026-11-24 01:00')).toISOString(),
    );
    expect(addBusinessTime(nightShift, ny('2026-11-25 05:00'), 'PT2H')).toBe(
      new Date(ny('2026-11-30 23:00')).toISOString(),
    );
  });

  it('keeps office hours exact across the Berlin spring-forward and fall-back weekends', () => {
    expect(addBusinessTime(lunchBerlin, de('2026-03-27 17:00'), 'P1D')).toBe(
      new Date(de('2026-03-30 17:00')).toISOString(),
    );
    expect(businessTimeBetween(lunchBerlin, de('2026-10-23 17:00'), de('2026-10-26 10:00'))).toBe(2 * H);
  });

  it('counts the real length of a 23-hour and a 25-hour day on a round-the-clock Berlin calendar', () => {
    expect(businessTimeBetween(berlin24, de('2026-03-29 00:00'), de('2026-03-30 00:00'))).toBe(23 * H);
    expect(businessTimeBetween(berlin24, de('2026-10-25 00:00'), de('2026-10-26 00:00'))).toBe(25 * H);
    expect(addBusinessTime(berlin24, de('2026-03-28 12:00'), 'PT24H')).toBe(
      new Date(de('2026-03-29 13:00')).toISOString(),
    );
  });
});

describe('runtime/calendar-validation', () => {
  it('accepts the seeded calendars', () => {
    expect(validateCalendar(china)).toEqual([]);
    expect(validateCalendar(allDay)).toEqual([]);
  });

  it('reports an unknown zone, malformed and overlapping intervals, bad dates and a date both holiday and working day', () => {
    const problems = validateCalendar({
      id: 'bad',
      name: 'Bad',
      zone: 'Mars/Olympus',
      week: {
        ...WEEKDAYS_ONLY(['09:00-18:00']),
        mon: ['09:00-12:00', '11:00-14:00'],
        tue: ['9-5'],
        wed: ['18:00-09:00'],
      },
      holidays: ['2026-02-30', '2026-10-01'],
      extraWorkingDays: ['2026-10-01'],
    });
    expect(problems.map((p) => p.field)).toEqual([
      'zone',
      'week.mon',
      'week.tue',
      'week.wed',
      'holidays',
      'extraWorkingDays',
    ]);
    expect(problems[1].message).toContain("'09:00-12:00' and '11:00-14:00' overlap");
  });

  it('requires some working time in the week', () => {
    expect(
      validateCalendar({ ...china, week: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] } }),
    ).toEqual([expect.objectContaining({ field: 'week' })]);
  });
});
