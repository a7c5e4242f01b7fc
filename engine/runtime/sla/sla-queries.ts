/** What supervisors read about SLAs: the live list with business time left, and compliance reports. */
import type { Page, SlaFilter, SlaGroupBy, SlaListItem, SlaReportFilter, Store } from '../../store/index.js';
import type { CalendarBook } from '../calendar/calendar-book.js';
import type { Clock } from '../clock.js';
import { remainingBusinessMs } from './sla-clock.js';

/** An SLA row as supervisors see it: at risk or not, business time left (negative when overdue). */
export interface SlaView extends SlaListItem {
  atRisk: boolean;
  businessRemainingMs: number;
  /** Business time left in words, e.g. '3h 20m' or '-1h 5m'. */
  remaining: string;
}

/** One group of a report; compliance is met ÷ (met + breached) in percent, two decimals. */
export interface SlaReportGroup {
  key: string | null;
  total: number;
  met: number;
  breached: number;
  compliance: number;
  meanBusinessMs: number;
  p90BusinessMs: number;
}

/** A report over one period, grouped one way. */
export interface SlaReport {
  from: string;
  to: string;
  groupBy: SlaGroupBy;
  groups: SlaReportGroup[];
}

/** Read-only SLA views for the supervisors' API. */
export class SlaQueries {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly calendars: CalendarBook,
  ) {}

  /** The engine's current time (report periods default to its week). */
  now(): Date {
    return this.clock.now();
  }

  /** SLA rows matching the filter, most urgent (earliest due) first, with business time left as of now. */
  async list(filter: SlaFilter): Promise<Page<SlaView>> {
    const page = await this.store.sla.list(filter);
    const now = this.clock.now().toISOString();
    const items: SlaView[] = [];
    for (const row of page.items) {
      const businessRemainingMs = remainingBusinessMs(await this.calendars.get(row.calendarId), row, now);
      const atRisk = row.warnedAt !== null && (row.status === 'running' || row.status === 'paused');
      items.push({ ...row, atRisk, businessRemainingMs, remaining: formatBusinessMs(businessRemainingMs) });
    }
    return { items, total: page.total };
  }

  /** Compliance, counts and business durations of the SLAs that closed met or breached in [from, to). */
  async report(filter: SlaReportFilter): Promise<SlaReport> {
    const rows = await this.store.sla.report(filter);
    const groups = rows.map((r) => ({
      ...r,
      compliance: r.total === 0 ? 0 : Math.round((r.met / r.total) * 10_000) / 100,
    }));
    return { from: filter.from, to: filter.to, groupBy: filter.groupBy, groups };
  }
}

/** Business milliseconds in hours and minutes, truncated: '3h 20m', '45m', '-1h 5m'; seconds below a minute ('-12s'). */
export function formatBusinessMs(ms: number): string {
  const seconds = Math.trunc(Math.abs(ms) / 1000);
  const minutes = Math.trunc(seconds / 60);
  const sign = ms < 0 && seconds > 0 ? '-' : '';
  if (minutes === 0) return `${sign}${seconds}s`;
  const hours = Math.floor(minutes / 60);
  return hours > 0 ? `${sign}${hours}h ${minutes % 60}m` : `${sign}${minutes}m`;
}
