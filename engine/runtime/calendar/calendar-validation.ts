/** Checks a business calendar before it is stored: zone, working intervals and dates; every problem is returned. */
import { DateTime, IANAZone } from 'luxon';
import { WEEKDAYS, parseClock, type BusinessCalendar } from './business-calendar.js';
import type { CalendarProblem } from '../sla/sla-errors.js';

/** Every problem of a calendar (empty when it is valid): an unknown zone, malformed or overlapping intervals, bad dates. */
export function validateCalendar(calendar: BusinessCalendar): CalendarProblem[] {
  const problems: CalendarProblem[] = [];
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(calendar.id))
    problems.push({ field: 'id', message: `'${calendar.id}' must be 1–64 letters, digits, '_' or '-'` });
  if (!IANAZone.isValidZone(calendar.zone))
    problems.push({ field: 'zone', message: `'${calendar.zone}' is not an IANA time zone (e.g. Asia/Shanghai)` });
  for (const day of WEEKDAYS) problems.push(...intervalProblems(`week.${day}`, calendar.week[day] ?? []));
  if (WEEKDAYS.every((day) => (calendar.week[day] ?? []).length === 0)) {
    problems.push({ field: 'week', message: 'has no working time on any weekday; give at least one interval' });
  }
  problems.push(
    ...dateProblems('holidays', calendar.holidays),
    ...dateProblems('extraWorkingDays', calendar.extraWorkingDays),
  );
  const holidays = new Set(calendar.holidays);
  const both = calendar.extraWorkingDays.filter((d) => holidays.has(d));
  if (both.length > 0)
    problems.push({
      field: 'extraWorkingDays',
      message: `${both.join(', ')} also listed as holiday(s); a date is one or the other`,
    });
  return problems;
}

// helpers

function intervalProblems(field: string, intervals: string[]): CalendarProblem[] {
  const problems: CalendarProblem[] = [];
  const spans: Array<[number, number, string]> = [];
  for (const interval of intervals) {
    const [from, to, extra] = interval.split('-');
    const start = from === undefined ? null : parseClock(from);
    const end = to === undefined ? null : parseClock(to);
    if (extra !== undefined || start === null || end === null || start >= end || start === 1440) {
      problems.push({
        field,
        message: `'${interval}' is not an interval 'HH:mm-HH:mm' with start before end (end may be 24:00)`,
      });
    } else {
      spans.push([start, end, interval]);
    }
  }
  spans.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < spans.length; i++) {
    if (spans[i][0] < spans[i - 1][1])
      problems.push({ field, message: `'${spans[i - 1][2]}' and '${spans[i][2]}' overlap` });
  }
  return problems;
}

function dateProblems(field: string, dates: string[]): CalendarProblem[] {
  const bad = dates.filter((d) => !/^\d{4}-\d{2}-\d{2}$/.test(d) || !DateTime.fromISO(d, { zone: 'UTC' }).isValid);
  const seen = new Set<string>();
  const duplicates = dates.filter((d) => (seen.has(d) ? true : (seen.add(d), false)));
  const problems: CalendarProblem[] = [];
  if (bad.length > 0)
    problems.push({ field, message: `${bad.map((d) => `'${d}'`).join(', ')} not ISO date(s) YYYY-MM-DD` });
  if (duplicates.length > 0)
    problems.push({ field, message: `${[...new Set(duplicates)].join(', ')} listed more than once` });
  return problems;
}
