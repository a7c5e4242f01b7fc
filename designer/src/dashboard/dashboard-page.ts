/** The SLA dashboard (supervisors): tiles, the live list from /api/events, trend, heat map and drill-down. */
import '../styles/dashboard.css';
import { api, query } from '../app/api';
import type { Page } from '../app/router';
import { t } from '../i18n';
import { openDialog } from '../shared/dialog';
import { h, replace } from '../shared/dom';
import { subscribeEvents } from '../shared/event-stream';
import type { Page as ApiPage } from '../shared/resources';
import { toastError } from '../shared/toast';
import { renderHeatMap } from './heat-map-view';
import { renderDrilldown } from './instance-drilldown';
import { renderLiveList } from './live-list-view';
import { fetchTiles, fetchTrend, type SlaItem } from './sla-data';
import { renderTiles } from './tiles-view';
import { renderTrendChart } from './trend-chart';

const TREND_DAYS = 14;
const LIVE_EVENTS = /^(sla|task|instance)\./;

export function createPage(): Page {
  const cleanups: Array<() => void> = [];
  return {
    async mount(container) {
      const tiles = h('section', { class: 'tiles', 'aria-label': t('sla.tiles'), 'data-testid': 'tiles' });
      const live = h('div', { class: 'live-host', 'aria-live': 'polite' });
      const trend = h('div', { class: 'trend-host' });
      const heat = h('div', { class: 'heat-host' });
      const status = h('span', { class: 'live-status', 'data-connected': 'false' }, t('sla.offline'));
      const picker = h('select', { id: 'sla-definition', 'aria-label': t('sla.definition') }, h('option', { value: '' }, t('sla.allDefinitions')));
      let keys = await refreshDefinitions(picker);
      container.appendChild(h('div', { class: 'dashboard' },
        h('div', { class: 'dash-header' }, h('h1', {}, t('sla.title')), h('label', { for: 'sla-definition', class: 'visually-hidden' }, t('sla.definition')), picker, status),
        tiles,
        h('div', { class: 'dash-grid' },
          panel('live', t('sla.liveTitle'), live),
          panel('trend', t('sla.trendTitle', { n: TREND_DAYS }), trend),
          panel('heat', t('sla.heatTitle'), heat))));
      let items: SlaItem[] = [];
      let closeHeat: () => void = () => undefined;
      const open = (instanceId: string) => void openDrilldown(instanceId);
      const refresh = async (flash = false) => {
        const key = picker.value || undefined;
        const result = await fetchTiles(key);
        const before = new Set(items.map((item) => item.id));
        items = result.live;
        renderTiles(tiles, result.tiles);
        renderLiveList(live, items, (item) => open(item.instanceId), new Set(flash ? items.filter((i) => !before.has(i.id)).map((i) => i.id) : []));
      };
      const refreshHeat = async () => {
        closeHeat();
        const key = picker.value || keys[0];
        if (!key) return replace(heat, h('p', { class: 'muted' }, t('sla.noDefinition')));
        closeHeat = await renderHeatMap(heat, key);
      };
      const refreshAll = () => Promise.all([
        refresh().catch((error) => replace(tiles, h('p', { class: 'form-error' }, (error as Error).message))),
        fetchTrend(TREND_DAYS, picker.value || undefined).then((points) => replace(trend, renderTrendChart(points))).catch((error) => replace(trend, h('p', { class: 'form-error' }, (error as Error).message))),
        refreshHeat().catch(toastError),
      ]);
      picker.addEventListener('change', () => void refreshAll());
      await refreshAll();
      const deepLink = new URLSearchParams(location.search).get('instance');
      if (deepLink) open(deepLink);
      let pending: ReturnType<typeof setTimeout> | undefined;
      const unsubscribe = subscribeEvents((event) => {
        if (!LIVE_EVENTS.test(event.type)) return;
        clearTimeout(pending);
        pending = setTimeout(async () => {
          keys = await refreshDefinitions(picker).catch(() => keys);
          await Promise.all([ refresh(true), refreshHeat() ]).catch(() => undefined);
        }, 300);
      }, (connected) => {
        status.dataset.connected = String(connected);
        status.textContent = connected ? t('sla.live') : t('sla.offline');
      });
      cleanups.push(unsubscribe, () => clearTimeout(pending), () => closeHeat());
    },
    unmount() {
      for (const cleanup of cleanups.splice(0)) cleanup();
    },
  };
}

// helpers

/** Fills the definition picker with the deployed keys (keeping the choice); resolves with the keys. */
async function refreshDefinitions(picker: HTMLSelectElement): Promise<string[]> {
  const page = await api<ApiPage<{ key: string; name: string | null }>>('GET', `/api/definitions${query({ latestOnly: 'true', limit: 200 })}`).catch(() => ({ items: [], total: 0 }));
  const known = new Set([ ...picker.options ].map((option) => option.value));
  for (const definition of page.items.filter((d) => !known.has(d.key))) {
    picker.appendChild(h('option', { value: definition.key }, definition.name ? `${definition.name} (${definition.key})` : definition.key));
  }
  return page.items.map((definition) => definition.key);
}

function panel(id: string, title: string, body: HTMLElement): HTMLElement {
  return h('section', { class: `panel panel-${id}`, 'aria-labelledby': `panel-${id}-title` }, h('h2', { id: `panel-${id}-title` }, title), body);
}

/** The instance in a wide dialog; `?instance=<id>` links to it. */
async function openDrilldown(instanceId: string): Promise<void> {
  const body = h('div', { class: 'drilldown-host' });
  const dialog = openDialog({ title: t('sla.drilldown'), body, wide: true, testId: 'drilldown-dialog', dismissLabel: t('common.done') });
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
