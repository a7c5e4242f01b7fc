/**
 * Whether business calendars know the holidays of the years SLAs run in: the current year and, from 60
 * days before it starts, the next one (in the calendar's zone). A calendar that keeps holidays but has
 * none for such a year would count its holidays as working days, so it is flagged on the dashboard and
 * in the designer (GET /api/calendars/coverage) and logged at deploy. Calendars without any holidays
 * (24x7) never are.
 */
import { DateTime } from 'luxon';
import type { StoreTx } from '../../store/index.js';
import { holidayDataMissing, type BusinessCalendar } from './business-calendar.js';
import type { Engine } from '../engine.js';
import type { SlaService } from '../sla/sla-service.js';

/** How long before a year starts its holiday data is asked for. */
export const COVERAGE_LEAD_DAYS = 60;

export interface CalendarGap {
  calendarId: string;
  name: string;
  zone: string;
  /** The years (current or next) without holiday data. */
  missingYears: number[];
  /** The deployed processes whose SLAs use the calendar (latest versions). */
  usedBy: string[];
}

/** The years a calendar must know at `now`: this year, and next year within the lead days before it. */
export function yearsNeeded(now: Date, zone: string, leadDays = COVERAGE_LEAD_DAYS): number[] {
  const local = DateTime.fromJSDate(now, { zone });
  const next = local.startOf('year').plus({ years: 1 });
  return next.diff(local, 'days').days <= leadDays ? [local.year, local.year + 1] : [local.year];
}

/** The needed years the calendar has no holiday data for. */
export function missingYears(calendar: BusinessCalendar, now: Date, leadDays = COVERAGE_LEAD_DAYS): number[] {
  return yearsNeeded(now, calendar.zone, leadDays).filter((year) =>
    holidayDataMissing(calendar, DateTime.fromObject({ year, month: 7, day: 1 }, { zone: calendar.zone }).toISO()!),
  );
}

/** Calendars used by deployed SLAs that miss holiday data for the current or next year. */
export async function calendarGaps(engine: Engine, sla: SlaService, now: Date): Promise<CalendarGap[]> {
  const usedBy = new Map<string, Set<string>>();
  for (let offset = 0; ; offset += 500) {
    const page = await engine.store.definitions.list({ latestOnly: true, offset, limit: 500 });
    for (const row of page.items) {
      const { compiled } = await engine.definitions.load(row.id);
      for (const s of compiled.slas) {
        const id = s.sla.calendar ?? 'default';
        if (!usedBy.has(id)) usedBy.set(id, new Set());
        usedBy.get(id)!.add(row.key);
      }
    }
    if (page.items.length < 500) break;
  }
  const gaps: CalendarGap[] = [];
  for (const [calendarId, keys] of [...usedBy.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
    const calendar = await sla.calendars.get(calendarId).catch(() => null);
    if (!calendar) continue;
    const missing = missingYears(calendar, now);
    if (missing.length > 0)
      gaps.push({
        calendarId,
        name: calendar.name,
        zone: calendar.zone,
        missingYears: missing,
        usedBy: [...keys].sort(),
      });
  }
  return gaps;
}

/** The calendars one process's SLAs use that miss holiday data now (the deploy-time warning). */
export async function processGaps(
  calendarIds: string[],
  sla: SlaService,
  now: Date,
  tx?: Pick<StoreTx, 'calendars'>,
): Promise<Array<{ calendarId: string; missingYears: number[] }>> {
  const out: Array<{ calendarId: string; missingYears: number[] }> = [];
  for (const id of [...new Set(calendarIds)]) {
    const calendar = await sla.calendars.get(id, tx).catch(() => null);
    const missing = calendar ? missingYears(calendar, now) : [];
    if (missing.length > 0) out.push({ calendarId: id, missingYears: missing });
  }
  return out;
}
