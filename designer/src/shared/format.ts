/** Dates, durations and countdowns, formatted for the current language. */
import { getLocale, t } from '../i18n';
import { dateTimeText } from './date-format';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A date and time to the minute in the reader's locale (see date-format.ts); "—" for none. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return dateTimeText(date, getLocale());
}

/** A compact duration: "2d 3h", "3h 15m", "45m", "< 1m". */
export function formatDuration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < MINUTE) return t('duration.lessThanMinute');
  const days = Math.floor(abs / DAY);
  const hours = Math.floor((abs % DAY) / HOUR);
  const minutes = Math.floor((abs % HOUR) / MINUTE);
  const parts: string[] = [];
  if (days) parts.push(t('duration.days', { n: days }));
  if (hours) parts.push(t('duration.hours', { n: hours }));
  if (minutes && !days) parts.push(t('duration.minutes', { n: minutes }));
  return parts.join(' ');
}

export type Urgency = 'none' | 'ok' | 'soon' | 'overdue';

/** Time left until `due` (negative when overdue) and how urgent that is. */
export function countdown(
  due: string | null | undefined,
  now = Date.now(),
): { text: string; urgency: Urgency; remainingMs: number | null } {
  if (!due) return { text: t('task.noDue'), urgency: 'none', remainingMs: null };
  const remainingMs = new Date(due).getTime() - now;
  if (remainingMs < 0)
    return { text: t('sla.overdueBy', { d: formatDuration(remainingMs) }), urgency: 'overdue', remainingMs };
  const urgency: Urgency = remainingMs < 4 * HOUR ? 'soon' : 'ok';
  return { text: t('sla.dueIn', { d: formatDuration(remainingMs) }), urgency, remainingMs };
}

/** A percentage with at most one decimal, or "—" when there is nothing to divide. */
export function formatPercent(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  return `${new Intl.NumberFormat(getLocale(), { maximumFractionDigits: 1 }).format(value)} %`;
}
