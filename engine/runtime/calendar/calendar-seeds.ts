/**
 * The calendars every installation starts with (docs/domain.md §4): `default`, mainland-China office hours
 * with statutory holidays and make-up working days from chinese-days, and round-the-clock `24x7`, both in
 * the installation's zone (EngineConfig.zone). Seeded by the engine at start (CalendarBook.ensureSeeds)
 * when absent, never by a migration, so the zone is the configured one.
 */
import chineseDays from 'chinese-days';
import type { BusinessCalendar } from './business-calendar.js';

const WORKWEEK = ['09:00-18:00'];
const ALL_DAY = ['00:00-24:00'];
// chinese-days' data starts in 2004; the span reaches past its newest year so an upgrade needs no change here.
const FIRST_DAY = '2004-01-01';
const LAST_DAY = '2035-12-31';
let mainland: { holidays: string[]; extraWorkingDays: string[] } | undefined;

/** The seeded calendars in `zone`; holiday data covers the years chinese-days ships (2004–2026 in 1.5.7). */
export function seedCalendars(zone: string): BusinessCalendar[] {
  const data = mainlandDays();
  return [
    {
      id: 'default',
      name: 'Mainland China office hours (Mon–Fri 09:00–18:00)',
      zone,
      week: { mon: WORKWEEK, tue: WORKWEEK, wed: WORKWEEK, thu: WORKWEEK, fri: WORKWEEK, sat: [], sun: [] },
      holidays: [...data.holidays],
      extraWorkingDays: [...data.extraWorkingDays],
    },
    {
      id: '24x7',
      name: 'Round the clock',
      zone,
      week: { mon: ALL_DAY, tue: ALL_DAY, wed: ALL_DAY, thu: ALL_DAY, fri: ALL_DAY, sat: ALL_DAY, sun: ALL_DAY },
      holidays: [],
      extraWorkingDays: [],
    },
  ];
}

// helpers

/** Statutory holidays and make-up working days (调休: weekend days that are working days), read once. */
function mainlandDays(): { holidays: string[]; extraWorkingDays: string[] } {
  if (mainland) return mainland;
  const { getHolidaysInRange, getWorkdaysInRange } = chineseDays;
  const weekdays = new Set(getWorkdaysInRange(FIRST_DAY, LAST_DAY, false));
  mainland = {
    holidays: getHolidaysInRange(FIRST_DAY, LAST_DAY, false),
    extraWorkingDays: getWorkdaysInRange(FIRST_DAY, LAST_DAY, true).filter((day) => !weekdays.has(day)),
  };
  return mainland;
}
