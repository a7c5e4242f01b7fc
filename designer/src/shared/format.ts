/** Dates, durations and countdowns, formatted for the current language. */
import { getLocale, t } from '../i18n';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A short local date and time: the browser locale's for English ("23 Nov 2026, 10:00"), "2026-11-23 10:00" in Chinese. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const locale = getLocale();
  if (locale.startsWith('zh')) {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-CA', {
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      })
        .formatToParts(date)
        .map((p) => [p.type, p.value]),
    );
    return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
  }
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
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
