/** Time buckets of a KPI period in a zone (the installation's, EngineConfig.zone): days, ISO weeks (Monday) or months. */
import { DateTime } from 'luxon';

export type PeriodUnit = 'day' | 'week' | 'month';

/** More buckets than this is a request to narrow the period or widen the unit. */
export const MAX_BUCKETS = 400;

export interface Bucket {
  key: string;
  from: string;
  to: string;
}

/** The buckets covering [from, to), each clipped to the period; keys are the bucket's first local day (month: yyyy-MM). */
export function bucketsOf(fromIso: string, toIso: string, unit: PeriodUnit, zone: string): Bucket[] {
  const end = DateTime.fromISO(toIso, { zone });
  const buckets: Bucket[] = [];
  let start = DateTime.fromISO(fromIso, { zone }).startOf(unit);
  while (start < end && buckets.length <= MAX_BUCKETS) {
    const next = start.plus({ [`${unit}s`]: 1 });
    const from = DateTime.max(start, DateTime.fromISO(fromIso, { zone }));
    const to = DateTime.min(next, end);
    buckets.push({
      key: start.toFormat(unit === 'month' ? 'yyyy-MM' : 'yyyy-MM-dd'),
      from: from.toUTC().toISO()!,
      to: to.toUTC().toISO()!,
    });
    start = next;
  }
  return buckets;
}

/** The local day (yyyy-MM-dd) of an instant. */
export function localDay(iso: string, zone: string): string {
  return DateTime.fromISO(iso, { zone }).toFormat('yyyy-MM-dd');
}

/** The default KPI period: this week, Monday to Sunday in the zone. */
export function thisWeek(now: Date, zone: string): { from: string; to: string } {
  const from = DateTime.fromJSDate(now, { zone }).startOf('week');
  return { from: from.toUTC().toISO()!, to: from.plus({ weeks: 1 }).toUTC().toISO()! };
}
