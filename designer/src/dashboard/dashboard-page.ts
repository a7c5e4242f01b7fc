/** The supervisor dashboard: tiles and KPI cards from /api/kpis, the live list from /api/events, ECharts trend and breakdown, heat map and drill-down. */
import '../styles/dashboard.css';
import { api, query } from '../app/api';
import type { Page } from '../app/router';
import { t, type MessageKey } from '../i18n';
import { renderCalendarBanner } from '../shared/calendar-banner';
import { openDialog } from '../shared/dialog';
import { h, replace } from '../shared/dom';
import { subscribeEvents } from '../shared/event-stream';
import type { Page as ApiPage } from '../shared/resources';
import { toast, toastError } from '../shared/toast';
import { renderHeatMap } from './heat-map-view';
import { renderDrilldown } from './instance-drilldown';
import { renderLiveList } from './live-list-view';
import { renderKpiCards } from './kpi-cards-view';
import { fetchKpis, lastDays, periodOf, type GroupBy, type PeriodName } from './kpi-data';
import { fetchLive, type SlaItem } from './sla-data';
import { reportLinks } from './report-links';
import { renderTiles } from './tiles-view';
import { renderBreakdownChart, renderTrendChart } from './trend-chart';

const TREND_DAYS = 14;
const BREAKDOWNS: GroupBy[] = ['channel', 'category', 'priority', 'group', 'assignee', 'touchPoint'];
const LIVE_EVENTS = /^(sla|task|instance)\./;

export function createPage(): Page {
  const cleanups: Array<() => void> = [];
  return {
    async mount(container) {
      const tiles = h('section', { class: 'tiles', 'aria-label': t('sla.tiles'), 'data-testid': 'tiles' });
      const cards = h('section', { class: 'kpi-cards', 'aria-label': t('kpi.title'), 'data-testid': 'kpi-cards' });
      const live = h('div', { class: 'live-host', 'aria-live': 'polite' });
      const trend = h('div', { class: 'trend-host' });
      const breakdown = h('div', { class: 'trend-host' });
      const heat = h('div', { class: 'heat-host' });
      const status = h('span', { class: 'live-status', 'data-connected': 'false' }, t('sla.offline'));
      const picker = h(
        'select',
        { id: 'sla-definition', 'aria-label': t('sla.definition') },
        h('option', { value: '' }, t('sla.allDefinitions')),
      );
      const periodPicker = h(
        'select',
        { id: 'kpi-period', 'aria-label': t('kpi.period'), 'data-testid': 'kpi-period' },
        h('option', { value: 'week' }, t('kpi.thisWeek')),
        h('option', { value: 'month' }, t('kpi.thisMonth')),
      );
      const groupPicker = h(
        'select',
        { id: 'kpi-group', 'aria-label': t('kpi.breakdownBy'), 'data-testid': 'kpi-group' },
        ...BREAKDOWNS.map((g) => h('option', { value: g }, t(`kpi.by.${g}` as MessageKey))),
      );
      await refreshDefinitions(picker);
      // the filters live in the address, so a reload or a language switch (which re-renders) keeps them
      const filters = { process: picker, period: periodPicker, groupBy: groupPicker };
      restoreFilters(filters);
      for (const select of Object.values(filters)) select.addEventListener('change', () => keepFilters(filters));
      const calendarBanner = h('div', {});
      void renderCalendarBanner(calendarBanner);
      container.appendChild(
        h(
          'div',
          { class: 'dashboard' },
          calendarBanner,
          h(
            'div',
            { class: 'dash-header' },
            h('h1', {}, t('sla.title')),
            h('label', { for: 'sla-definition', class: 'visually-hidden' }, t('sla.definition')),
            picker,
            h('label', { for: 'kpi-period', class: 'visually-hidden' }, t('kpi.period')),
            periodPicker,
            status,
            reportLinks(() => picker.value || undefined),
          ),
          tiles,
          panel('kpis', t('kpi.title'), cards),
          h(
            'div',
            { class: 'dash-grid' },
            panel('live', t('sla.liveTitle'), live),
            panel('trend', t('sla.trendTitle', { n: TREND_DAYS }), trend),
            panel(
              'breakdown',
              t('kpi.breakdown'),
              h(
                'div',
                {},
                h('label', { for: 'kpi-group', class: 'inline-label' }, t('kpi.breakdownBy')),
                groupPicker,
                breakdown,
              ),
            ),
            panel('heat', t('sla.heatTitle'), heat),
          ),
        ),
      );
      let items: SlaItem[] = [];
      let closeHeat: () => void = () => undefined;
      const charts: Array<() => void> = [];
      const open = (instanceId: string) => void openDrilldown(instanceId);
      const process = () => picker.value || undefined;
      const refresh = async (flash = false) => {
        const period = periodOf(periodPicker.value as PeriodName);
        const [report, previous, next] = await Promise.all([
          fetchKpis({ process: process(), from: period.from, to: period.to }),
          fetchKpis({ process: process(), ...period.previous }),
          fetchLive(process()),
        ]);
        const before = new Set(items.map((item) => item.id));
        items = next;
        renderTiles(tiles, report);
        renderKpiCards(cards, report.totals, previous.totals, report.targets);
        renderLiveList(
          live,
          items,
          (item) => open(item.instanceId),
          new Set(flash ? items.filter((i) => !before.has(i.id)).map((i) => i.id) : []),
          (taskIds, userId) => reassignAll(taskIds, userId, () => refresh()),
        );
      };
      const refreshCharts = async () => {
        for (const dispose of charts.splice(0)) dispose();
        const period = periodOf(periodPicker.value as PeriodName);
        const [byDay, byGroup] = await Promise.all([
          fetchKpis({ process: process(), ...lastDays(TREND_DAYS), groupBy: 'day' }),
          fetchKpis({ process: process(), from: period.from, to: period.to, groupBy: groupPicker.value as GroupBy }),
        ]);
        charts.push(renderTrendChart(trend, byDay), renderBreakdownChart(breakdown, byGroup));
      };
      const refreshHeat = async () => {
        closeHeat();
        // the heat map shows the chosen process only: under "All processes" there is no one diagram to show
        const key = process();
        if (!key)
          return replace(heat, h('p', { class: 'muted', 'data-testid': 'heat-choose' }, t('kpi.chooseProcess')));
        closeHeat = await renderHeatMap(heat, key, (elementId, instanceIds) =>
          openCasesAt(elementId, instanceIds, open),
        );
        heat.prepend(
          h(
            'p',
            {},
            h('a', { href: `/performance${query({ process: key })}`, 'data-testid': 'perf-link' }, t('perf.open')),
          ),
        );
      };
      const fail = (host: HTMLElement) => (error: unknown) =>
        replace(host, h('p', { class: 'form-error' }, (error as Error).message));
      const refreshAll = () =>
        Promise.all([
          refresh().catch(fail(tiles)),
          refreshCharts().catch(fail(trend)),
          refreshHeat().catch(toastError),
        ]);
      periodPicker.addEventListener('change', () => void refreshAll());
      groupPicker.addEventListener('change', () => void refreshCharts().catch(fail(breakdown)));
      cleanups.push(() => {
        for (const dispose of charts.splice(0)) dispose();
      });
      picker.addEventListener('change', () => void refreshAll());
      await refreshAll();
      const deepLink = new URLSearchParams(location.search).get('instance');
      if (deepLink) open(deepLink);
      let pending: ReturnType<typeof setTimeout> | undefined;
      const unsubscribe = subscribeEvents(
        (event) => {
          if (!LIVE_EVENTS.test(event.type)) return;
          clearTimeout(pending);
          pending = setTimeout(async () => {
            await refreshDefinitions(picker).catch(() => undefined);
            await Promise.all([refresh(true), refreshHeat()]).catch(() => undefined);
          }, 300);
        },
        (connected) => {
          status.dataset.connected = String(connected);
          status.textContent = connected ? t('sla.live') : t('sla.offline');
        },
      );
      cleanups.push(
        unsubscribe,
        () => clearTimeout(pending),
        () => closeHeat(),
      );
    },
    unmount() {
      for (const cleanup of cleanups.splice(0)) cleanup();
    },
  };
}

// helpers

/** Selects the values the address names (`?process=&period=&groupBy=`) where the pickers offer them. */
function restoreFilters(filters: Record<string, HTMLSelectElement>): void {
  const search = new URLSearchParams(location.search);
  for (const [name, select] of Object.entries(filters)) {
    const value = search.get(name);
    if (value !== null && [...select.options].some((option) => option.value === value)) select.value = value;
  }
}

/** Writes the pickers' values into the address without a navigation. */
function keepFilters(filters: Record<string, HTMLSelectElement>): void {
  const search = new URLSearchParams(location.search);
  for (const [name, select] of Object.entries(filters)) {
    if (select.value) search.set(name, select.value);
    else search.delete(name);
  }
  const text = search.toString();
  history.replaceState(history.state, '', `${location.pathname}${text ? `?${text}` : ''}`);
}

/** Fills the definition picker with the deployed keys (keeping the choice); resolves with the keys. */
async function refreshDefinitions(picker: HTMLSelectElement): Promise<string[]> {
  const page = await api<ApiPage<{ key: string; name: string | null }>>(
    'GET',
    `/api/definitions${query({ latestOnly: 'true', limit: 200 })}`,
  ).catch(() => ({ items: [], total: 0 }));
  const known = new Set([...picker.options].map((option) => option.value));
  for (const definition of page.items.filter((d) => !known.has(d.key))) {
    picker.appendChild(
      h(
        'option',
        { value: definition.key },
        definition.name ? `${definition.name} (${definition.key})` : definition.key,
      ),
    );
  }
  return page.items.map((definition) => definition.key);
}

function panel(id: string, title: string, body: HTMLElement): HTMLElement {
  return h(
    'section',
    { class: `panel panel-${id}`, 'aria-labelledby': `panel-${id}-title` },
    h('h2', { id: `panel-${id}-title` }, title),
    body,
  );
}

/** Reassigns each selected task (a supervisor's forced claim); tells how many moved and why the others did not. */
async function reassignAll(taskIds: string[], userId: string, after: () => Promise<void>): Promise<number> {
  const results = await Promise.allSettled(
    taskIds.map((id) => api('POST', `/api/tasks/${encodeURIComponent(id)}/claim`, { body: { userId, force: true } })),
  );
  const moved = results.filter((r) => r.status === 'fulfilled').length;
  toast(
    t('kpi.reassigned', { n: moved, of: taskIds.length, user: userId }),
    moved === taskIds.length ? 'success' : 'error',
  );
  for (const failure of results.filter((r): r is PromiseRejectedResult => r.status === 'rejected'))
    toastError(failure.reason);
  await after();
  return moved;
}

/** The cases at one element of the heat map, each opening its drill-down. */
async function openCasesAt(
  elementId: string,
  instanceIds: string[],
  open: (instanceId: string) => void,
): Promise<void> {
  const list = h('ul', { class: 'case-list', 'data-testid': 'cases-at-element' });
  const dialog = openDialog({
    title: t('kpi.casesAt', { element: elementId, n: instanceIds.length }),
    body: list,
    dismissLabel: t('common.done'),
  });
  const instances = await Promise.all(
    instanceIds.map((id) =>
      api<{ id: string; businessKey: string | null; startedAt: string }>('GET', `/api/instances/${id}`).catch(
        () => null,
      ),
    ),
  );
  replace(
    list,
    ...instances
      .filter((i) => i !== null)
      .map((instance) =>
        h(
          'li',
          {},
          h(
            'button',
            {
              type: 'button',
              class: 'link-button',
              onclick: () => {
                dialog.close();
                open(instance.id);
              },
            },
            instance.businessKey ?? instance.id,
          ),
        ),
      ),
  );
}

/** The instance in a wide dialog; `?instance=<id>` links to it. */
async function openDrilldown(instanceId: string): Promise<void> {
  const body = h('div', { class: 'drilldown-host' });
  const dialog = openDialog({
    title: t('sla.drilldown'),
    body,
    wide: true,
    testId: 'drilldown-dialog',
    dismissLabel: t('common.done'),
  });
  const url = new URL(location.href);
  url.searchParams.set('instance', instanceId);
  history.replaceState(null, '', url);
  try {
    const cleanup = await renderDrilldown(body, instanceId);
    void dialog.closed.then(cleanup);
  } catch (error) {
    replace(body, h('p', { class: 'form-error' }, (error as Error).message));
  }
  void dialog.closed.then(() => {
    url.searchParams.delete('instance');
    history.replaceState(null, '', url);
  });
}
