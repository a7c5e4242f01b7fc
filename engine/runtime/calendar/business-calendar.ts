/**
 * Business calendars: working intervals per weekday in an IANA zone, holidays and make-up working
 * days (调休), and exact business-time arithmetic on UTC instants (domain.md §4, rules 1–3).
 */
import { DateTime } from 'luxon';
import { parseIsoDuration } from '../../expr/index.js';
import { CalendarInvalidError, SlaTargetError } from '../sla/sla-errors.js';

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/** Weekdays in ISO order (Monday = 1). */
export const WEEKDAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** A business calendar as stored and edited: intervals are local 'HH:mm-HH:mm' ('24:00' closes a day). */
export interface BusinessCalendar {
  id: string;
  name: string;
  zone: string;
  week: Record<Weekday, string[]>;
  /** ISO dates without working time. */
  holidays: string[];
  /** ISO dates (usually weekend days) worked with the calendar's standard day. */
  extraWorkingDays: string[];
}

type Span = [start: number, end: number];

interface CompiledCalendar {
  zone: string;
  byWeekday: Span[][];
  standard: Span[];
  holidays: Set<string>;
  extra: Set<string>;
  dayMs: number;
  years: Set<number>;
  days: Map<string, Span[]>;
}

const MAX_DAYS = 3660;
const DAY_CACHE = 20_000;
const compiledCache = new WeakMap<BusinessCalendar, CompiledCalendar>();

/** Adds an ISO duration of business time (PTnH/PTnM working time, PnD working days) to an instant; rejects Y, M and W. */
export function addBusinessTime(calendar: BusinessCalendar, startIso: string, durationIso: string): string {
  return addBusinessMs(calendar, startIso, businessDurationMs(calendar, durationIso));
}

/** The earliest instant at or after start by which `ms` of business time have elapsed (a boundary reports the earlier close). */
export function addBusinessMs(calendar: BusinessCalendar, startIso: string, ms: number): string {
  const start = instant(startIso);
  let remaining = Math.round(ms);
  if (remaining <= 0) return new Date(start).toISOString();
  const c = compiled(calendar);
  let day = DateTime.fromMillis(start, { zone: c.zone }).startOf('day');
  for (let i = 0; i < MAX_DAYS; i++, day = day.plus({ days: 1 })) {
    for (const [a, b] of spansOn(c, day)) {
      const from = Math.max(a, start);
      if (b <= from) continue;
      if (remaining <= b - from) return new Date(from + remaining).toISOString();
      remaining -= b - from;
    }
  }
  throw new CalendarInvalidError(calendar.id, [
    { field: 'week', message: `has no working time within ${MAX_DAYS} days of ${startIso}` },
  ]);
}

/** Business time between two instants in ms; negative when `to` is before `from`. */
export function businessTimeBetween(calendar: BusinessCalendar, fromIso: string, toIso: string): number {
  const from = instant(fromIso);
  const to = instant(toIso);
  if (to < from) return -businessTimeBetween(calendar, toIso, fromIso);
  const c = compiled(calendar);
  let total = 0;
  for (
    let day = DateTime.fromMillis(from, { zone: c.zone }).startOf('day');
    day.toMillis() < to;
    day = day.plus({ days: 1 })
  ) {
    for (const [a, b] of spansOn(c, day)) total += Math.max(0, Math.min(b, to) - Math.max(a, from));
  }
  return total;
}

/** The business length of an ISO duration: days count the calendar's working-day length; Y, M and W are rejected. */
export function businessDurationMs(calendar: BusinessCalendar, durationIso: string): number {
  const parsed = parseIsoDuration(durationIso);
  if ('error' in parsed) throw new SlaTargetError(durationIso, parsed.error);
  const d = parsed.duration;
  const unit = d.years ? 'years' : d.months ? 'months' : d.weeks ? 'weeks' : null;
  if (unit)
    throw new SlaTargetError(
      durationIso,
      `it counts ${unit}, whose business length is undefined; use working days (D), hours (H) or minutes (M)`,
    );
  return Math.round(d.days * workingDayMs(calendar) + d.hours * 3_600_000 + d.minutes * 60_000 + d.seconds * 1000);
}

/** The length of the calendar's standard working day (its first weekday with working time) in ms. */
export function workingDayMs(calendar: BusinessCalendar): number {
  return compiled(calendar).dayMs;
}

/** Whether the calendar keeps holidays but has none (nor make-up days) for the year of this instant in its zone. */
export function holidayDataMissing(calendar: BusinessCalendar, iso: string): boolean {
  const c = compiled(calendar);
  return c.holidays.size > 0 && !c.years.has(DateTime.fromMillis(instant(iso), { zone: c.zone }).year);
}

/** Whether the instant falls inside working time. */
export function isWorkingTime(calendar: BusinessCalendar, iso: string): boolean {
  const at = instant(iso);
  const c = compiled(calendar);
  return spansOn(c, DateTime.fromMillis(at, { zone: c.zone }).startOf('day')).some(([a, b]) => a <= at && at < b);
}

/** Minutes since midnight of an 'HH:mm' time ('24:00' = 1440), or null when malformed. */
export function parseClock(text: string): number | null {
  const match = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(text);
  if (!match) return null;
  const minutes = Number(match[1]) * 60 + Number(match[2]);
  return minutes <= 1440 ? minutes : null;
}

// helpers

function instant(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`'${iso}' is not an ISO 8601 instant`);
  return ms;
}

function compiled(calendar: BusinessCalendar): CompiledCalendar {
  let c = compiledCache.get(calendar);
  if (!c) {
    c = compile(calendar);
    compiledCache.set(calendar, c);
  }
  return c;
}

function compile(calendar: BusinessCalendar): CompiledCalendar {
  const byWeekday = WEEKDAYS.map((day) => (calendar.week[day] ?? []).map(toSpan).sort((x, y) => x[0] - y[0]));
  const standard = byWeekday.find((spans) => spans.length > 0) ?? [];
  const dates = [...calendar.holidays, ...calendar.extraWorkingDays];
  return {
    zone: calendar.zone,
    byWeekday,
    standard,
    holidays: new Set(calendar.holidays),
    extra: new Set(calendar.extraWorkingDays),
    dayMs: standard.reduce((sum, [a, b]) => sum + (b - a) * 60_000, 0),
    years: new Set(dates.map((d) => Number(d.slice(0, 4)))),
    days: new Map(),
  };
}

function toSpan(interval: string): Span {
  const [from, to] = interval.split('-').map((part) => parseClock(part.trim()));
  if (from === null || to === null || from === undefined || to === undefined || from >= to)
    throw new RangeError(`'${interval}' is not a working interval 'HH:mm-HH:mm'`);
  return [from, to];
}

/** The working spans of one local day as UTC ms; holidays have none, make-up days the standard day. */
function spansOn(c: CompiledCalendar, day: DateTime): Span[] {
  const key = day.toISODate()!;
  const cached = c.days.get(key);
  if (cached) return cached;
  let minutes = c.byWeekday[day.weekday - 1];
  if (c.holidays.has(key)) minutes = [];
  else if (c.extra.has(key) && minutes.length === 0) minutes = c.standard;
  const spans = minutes.map(([a, b]) => [atMinute(day, a), atMinute(day, b)] as Span).filter(([a, b]) => b > a);
  if (c.days.size >= DAY_CACHE) c.days.clear();
  c.days.set(key, spans);
  return spans;
}

// A local time that a DST change skips moves forward (luxon's rule); '24:00' is the next midnight.
function atMinute(day: DateTime, minute: number): number {
  if (minute === 1440) return day.plus({ days: 1 }).startOf('day').toMillis();
  return day.set({ hour: Math.floor(minute / 60), minute: minute % 60 }).toMillis();
}
