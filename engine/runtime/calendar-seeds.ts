/**
 * The calendars every installation starts with (domain.md §4): `default`, mainland-China office hours
 * with statutory holidays and make-up working days from chinese-days, and round-the-clock `24x7`.
 */
import { createRequire } from 'node:module';
import type { BusinessCalendar } from './business-calendar.js';

interface ChineseDays {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

const WORKWEEK = ['09:00-18:00'];
const ALL_DAY = ['00:00-24:00'];

/** The seeded calendars; holiday data covers the years chinese-days ships (2004–2026 in 1.5.7). */
export function seedCalendars(): BusinessCalendar[] {
  const data = createRequire(import.meta.url)('chinese-days/dist/chinese-days.json') as ChineseDays;
  return [
    {
      id: 'default', name: 'Mainland China office hours (Mon–Fri 09:00–18:00)', zone: 'Asia/Shanghai',
      week: { mon: WORKWEEK, tue: WORKWEEK, wed: WORKWEEK, thu: WORKWEEK, fri: WORKWEEK, sat: [], sun: [] },
      holidays: Object.keys(data.holidays).sort(),
      extraWorkingDays: Object.keys(data.workdays).sort(),
    },
    {
      id: '24x7', name: 'Round the clock', zone: 'Asia/Shanghai',
      week: { mon: ALL_DAY, tue: ALL_DAY, wed: ALL_DAY, thu: ALL_DAY, fri: ALL_DAY, sat: ALL_DAY, sun: ALL_DAY },
      holidays: [], extraWorkingDays: [],
    },
  ];
}
