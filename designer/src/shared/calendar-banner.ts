/** The banner on the dashboard and in the designer when a calendar used by an SLA lacks holiday data for this or next year. */
import { api } from '../app/api';
import { hasRole, getSession } from '../app/session';
import { t } from '../i18n';
import { h, replace } from './dom';

interface CalendarGap {
  calendarId: string;
  name: string;
  zone: string;
  missingYears: number[];
  usedBy: string[];
}

/** Fills `host` with one line per uncovered calendar (empty when all are covered); failures leave it empty. */
export async function renderCalendarBanner(host: HTMLElement): Promise<void> {
  const gaps = await api<{ items: CalendarGap[] }>('GET', '/api/calendars/coverage')
    .then((r) => r.items)
    .catch(() => []);
  const session = getSession();
  const canEdit = session !== null && hasRole(session.user, ['owner', 'admin']);
  if (gaps.length === 0) return replace(host);
  replace(
    host,
    h(
      'div',
      { class: 'calendar-banner', role: 'status', 'data-testid': 'calendar-banner' },
      gaps.map((gap) =>
        h(
          'p',
          { 'data-calendar': gap.calendarId },
          t('cal.bannerGap', { name: gap.name, years: gap.missingYears.join(', '), processes: gap.usedBy.join(', ') }),
          ' ',
          canEdit ? h('a', { href: `/calendars?id=${encodeURIComponent(gap.calendarId)}` }, t('cal.bannerEdit')) : null,
        ),
      ),
    ),
  );
}
