/**
 * The business-calendar editor (owners and admins) over /api/calendars: working intervals per weekday,
 * holidays and make-up working days of a chosen year, the time zone; holidays imported from an
 * iCalendar file or a JSON list; the years each calendar covers, and the coverage banner.
 */
import '../styles/dashboard.css';
import '../styles/insight.css';
import { api, ApiProblem } from '../app/api';
import type { Page } from '../app/router';
import { t, type MessageKey } from '../i18n';
import { renderCalendarBanner } from '../shared/calendar-banner';
import { h, replace } from '../shared/dom';
import { datesFromICalendar, datesFromJson } from '../shared/ical';
import { toast, toastError } from '../shared/toast';

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
type Weekday = (typeof WEEKDAYS)[number];

interface Calendar {
  id: string;
  name: string;
  zone: string;
  week: Record<Weekday, string[]>;
  holidays: string[];
  extraWorkingDays: string[];
  updatedAt: string;
}
interface Summary {
  id: string;
  name: string;
  holidayYears: number[];
}

export function createPage(): Page {
  return {
    async mount(container) {
      const banner = h('div', {});
      const picker = h('select', { id: 'cal-picker', 'data-testid': 'cal-picker' });
      const editor = h('div', { 'data-testid': 'cal-editor' });
      container.appendChild(
        h(
          'div',
          { class: 'dashboard calendar-page' },
          h(
            'div',
            { class: 'dash-header' },
            h('h1', {}, t('cal.title')),
            h('label', { for: 'cal-picker', class: 'inline-label' }, t('cal.calendar')),
            picker,
          ),
          banner,
          editor,
        ),
      );
      const { items } = await api<{ items: Summary[] }>('GET', '/api/calendars');
      const wanted = new URLSearchParams(location.search).get('id');
      for (const c of items)
        picker.appendChild(h('option', { value: c.id, selected: c.id === wanted }, `${c.name} (${c.id})`));
      const load = async () => {
        const calendar = await api<Calendar>('GET', `/api/calendars/${encodeURIComponent(picker.value)}`);
        history.replaceState(null, '', `/calendars?id=${encodeURIComponent(calendar.id)}`);
        renderEditor(editor, calendar, async () => {
          await renderCalendarBanner(banner);
        });
      };
      picker.addEventListener('change', () => void load().catch(toastError));
      await Promise.all([renderCalendarBanner(banner), load().catch(toastError)]);
    },
  };
}

// helpers

function renderEditor(host: HTMLElement, calendar: Calendar, saved: () => Promise<void>): void {
  const state = { holidays: new Set(calendar.holidays), extra: new Set(calendar.extraWorkingDays) };
  const years = () => [...new Set([...state.holidays, ...state.extra].map((d) => Number(d.slice(0, 4))))].sort();
  const name = h('input', { id: 'cal-name', value: calendar.name, 'data-testid': 'cal-name' });
  const zone = h('input', { id: 'cal-zone', value: calendar.zone, 'data-testid': 'cal-zone' });
  const week = WEEKDAYS.map((day) =>
    h('input', {
      id: `cal-${day}`,
      value: calendar.week[day].join(', '),
      placeholder: t('cal.closed'),
      'data-testid': `cal-${day}`,
    }),
  );
  const thisYear = new Date().getFullYear();
  const yearPicker = h('select', { id: 'cal-year', 'data-testid': 'cal-year' });
  const holidayText = h('textarea', { id: 'cal-holidays', rows: 8, 'data-testid': 'cal-holidays' });
  const extraText = h('textarea', { id: 'cal-extra', rows: 8, 'data-testid': 'cal-extra' });
  const covered = h('p', { class: 'muted', 'data-testid': 'cal-covered' });
  const errors = h('div', { class: 'form-error', 'data-testid': 'cal-errors' });
  const fillYears = (select: number) => {
    const options = [...new Set([...years(), thisYear, thisYear + 1])].sort();
    replace(
      yearPicker,
      options.map((y) =>
        h(
          'option',
          { value: String(y), selected: y === select },
          years().includes(y) ? String(y) : `${y} · ${t('cal.noData')}`,
        ),
      ),
    );
    const list = years();
    replace(
      covered,
      list.length ? t('cal.covers', { from: list[0], to: list[list.length - 1], n: list.length }) : t('cal.coversNone'),
    );
  };
  const ofYear = (dates: Set<string>) =>
    [...dates]
      .filter((d) => d.startsWith(`${yearPicker.value}-`))
      .sort()
      .join('\n');
  const showYear = () => {
    holidayText.value = ofYear(state.holidays);
    extraText.value = ofYear(state.extra);
  };
  // the text areas edit the chosen year's dates; other years stay as they are
  const keepYear = () => {
    const year = `${yearPicker.value}-`;
    for (const [set, area] of [
      [state.holidays, holidayText],
      [state.extra, extraText],
    ] as const) {
      for (const d of [...set]) if (d.startsWith(year)) set.delete(d);
      for (const d of area.value
        .split(/[\s,]+/)
        .map((s) => s.trim())
        .filter(Boolean))
        set.add(d);
    }
  };
  let shown = String(years().includes(thisYear) ? thisYear : (years().at(-1) ?? thisYear));
  fillYears(Number(shown));
  showYear();
  yearPicker.addEventListener('change', () => {
    const next = yearPicker.value;
    yearPicker.value = shown;
    keepYear();
    shown = next;
    fillYears(Number(next));
    showYear();
  });
  const importFile = h('input', {
    type: 'file',
    accept: '.ics,.json,text/calendar,application/json',
    'data-testid': 'cal-import',
    id: 'cal-import',
  });
  importFile.addEventListener('change', async () => {
    const file = importFile.files?.[0];
    if (!file) return;
    keepYear();
    const text = await file.text();
    try {
      const imported = /\.json$/i.test(file.name)
        ? datesFromJson(text)
        : { holidays: datesFromICalendar(text), extraWorkingDays: [] };
      for (const d of imported.holidays) state.holidays.add(d);
      for (const d of imported.extraWorkingDays) state.extra.add(d);
      const first = imported.holidays[0] ?? imported.extraWorkingDays[0];
      shown = first ? first.slice(0, 4) : shown;
      fillYears(Number(shown));
      showYear();
      toast(t('cal.imported', { n: imported.holidays.length + imported.extraWorkingDays.length }));
    } catch (error) {
      toastError(error);
    }
    importFile.value = '';
  });
  const save = h('button', { class: 'primary', type: 'button', 'data-testid': 'cal-save' }, t('common.save'));
  save.addEventListener('click', async () => {
    keepYear();
    replace(errors);
    const body = {
      name: name.value.trim(),
      zone: zone.value.trim(),
      week: Object.fromEntries(
        WEEKDAYS.map((day, i) => [
          day,
          week[i].value
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
        ]),
      ),
      holidays: [...state.holidays].sort(),
      extraWorkingDays: [...state.extra].sort(),
    };
    try {
      await api('PUT', `/api/calendars/${encodeURIComponent(calendar.id)}`, { body });
      toast(t('cal.saved'));
      fillYears(Number(shown));
      await saved();
    } catch (error) {
      const fields =
        error instanceof ApiProblem && Array.isArray(error.body.fields)
          ? (error.body.fields as Array<{ name?: string; message?: string }>)
          : [];
      replace(
        errors,
        (error as Error).message,
        fields.length
          ? h(
              'ul',
              {},
              fields.map((p) => h('li', {}, `${p.name ?? ''}: ${p.message ?? ''}`)),
            )
          : null,
      );
    }
  });
  replace(
    host,
    h(
      'section',
      { class: 'panel' },
      h('div', { class: 'form-grid' }, field('cal-name', 'cal.name', name), field('cal-zone', 'cal.zone', zone)),
      h('h2', {}, t('cal.week')),
      h('p', { class: 'muted' }, t('cal.weekHelp')),
      h(
        'table',
        { class: 'calendar-table' },
        h(
          'tbody',
          {},
          WEEKDAYS.map((day, i) =>
            h(
              'tr',
              {},
              h('th', {}, h('label', { for: `cal-${day}` }, t(`cal.day.${day}` as MessageKey))),
              h('td', {}, week[i]),
            ),
          ),
        ),
      ),
    ),
    h(
      'section',
      { class: 'panel' },
      h('h2', {}, t('cal.days')),
      covered,
      h(
        'div',
        { class: 'dash-header' },
        h('label', { for: 'cal-year', class: 'inline-label' }, t('cal.year')),
        yearPicker,
        h('label', { for: 'cal-import', class: 'inline-label' }, t('cal.import')),
        importFile,
      ),
      h(
        'div',
        { class: 'form-grid' },
        field('cal-holidays', 'cal.holidays', holidayText),
        field('cal-extra', 'cal.extraDays', extraText),
      ),
      h('p', { class: 'muted' }, t('cal.daysHelp')),
    ),
    errors,
    h('p', {}, save),
  );
}

function field(id: string, label: MessageKey, input: HTMLElement): HTMLElement {
  return h('div', { class: 'field' }, h('label', { for: id }, t(label)), input);
}
