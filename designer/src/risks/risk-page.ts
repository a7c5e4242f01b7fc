/** The risk register (supervisors, owners): filters, the 5 × 5 probability × impact heat map that drills into a cell, the table, CSV export, and KRIs with readings and trends. */
import '../styles/dashboard.css';
import type { Page } from '../app/router';
import { t, type MessageKey } from '../i18n';
import { mountChart } from '../shared/chart';
import { h, replace } from '../shared/dom';
import { formatDateTime } from '../shared/format';
import { toast, toastError } from '../shared/toast';
import {
  defineKri,
  downloadCsv,
  fetchKris,
  fetchReadings,
  fetchRegister,
  postReading,
  type Kri,
  type Register,
  type RiskFilter,
} from './risk-data';

const LEVELS = ['low', 'medium', 'high', 'critical'];
const CATEGORIES = ['technical', 'process', 'personnel', 'external', 'customer'];
const STAGES = ['assess', 'emergency', 'review', 'plan', 'approve', 'implement', 'verify', 'act', 'monitor', 'closed'];

export function createPage(): Page {
  const disposers: Array<() => void> = [];
  return {
    async mount(container) {
      const filter: RiskFilter = { open: true };
      const heat = h('div', { class: 'risk-heat', 'data-testid': 'risk-heat' });
      const table = h('div', { class: 'risk-table-host', 'data-testid': 'risk-table' });
      const cell = h('span', { class: 'risk-cell' });
      const kris = h('div', { 'data-testid': 'kris' });
      const trend = h('div', { class: 'trend-host', 'data-testid': 'kri-trend' });
      const select = (id: string, label: MessageKey, values: string[], key: 'level' | 'category' | 'stage') => {
        const element = h(
          'select',
          {
            id,
            'aria-label': t(label),
            onchange: () => {
              filter[key] = element.value || undefined;
              void refresh();
            },
          },
          h('option', { value: '' }, `${t(label)}: ${t('risk.any')}`),
          ...values.map((v) => h('option', { value: v }, key === 'stage' ? t(`risk.stage.${v}` as MessageKey) : v)),
        );
        return element;
      };
      const openOnly = h('input', {
        type: 'checkbox',
        id: 'risk-open',
        checked: true,
        onchange: () => {
          filter.open = openOnly.checked ? true : undefined;
          void refresh();
        },
      });
      container.appendChild(
        h(
          'div',
          { class: 'dashboard risk-page' },
          h('div', { class: 'dash-header' }, h('h1', {}, t('risk.title'))),
          h(
            'div',
            { class: 'risk-filters' },
            select('risk-level', 'risk.filterLevel', LEVELS, 'level'),
            select('risk-category', 'risk.filterCategory', CATEGORIES, 'category'),
            select('risk-stage', 'risk.filterStage', STAGES, 'stage'),
            h('label', { for: 'risk-open' }, openOnly, ` ${t('risk.openOnly')}`),
            cell,
            h(
              'button',
              {
                type: 'button',
                'data-testid': 'risk-export',
                onclick: () => void downloadCsv(filter).catch(toastError),
              },
              t('risk.export'),
            ),
          ),
          h(
            'div',
            { class: 'risk-grid' },
            panel('risk-heat', t('risk.heatTitle'), heat),
            panel('risk-table', t('risk.title'), table),
          ),
          panel('kris', t('kri.title'), h('div', {}, kris, trend)),
        ),
      );
      const drill = (p: number | undefined, i: number | undefined) => {
        filter.probability = p;
        filter.impact = i;
        replace(
          cell,
          p === undefined
            ? null
            : h(
                'button',
                {
                  type: 'button',
                  class: 'link-button',
                  'data-testid': 'risk-clear-cell',
                  onclick: () => drill(undefined, undefined),
                },
                `${t('risk.cell', { p, i: i! })} ✕`,
              ),
        );
        void refresh();
      };
      let disposeHeat: () => void = () => undefined;
      const refresh = async () => {
        const register = await fetchRegister(filter);
        disposeHeat();
        disposeHeat = renderHeat(heat, register, drill);
        renderTable(table, register);
      };
      const refreshKris = async () =>
        renderKris(kris, await fetchKris(), {
          refresh: refreshKris,
          show: (kri) => void showTrend(trend, kri, disposers).catch(toastError),
          after: refresh,
        });
      disposers.push(() => disposeHeat());
      await Promise.all([refresh(), refreshKris()]).catch(toastError);
    },
    unmount() {
      for (const dispose of disposers.splice(0)) dispose();
    },
  };
}

// helpers

function panel(id: string, title: string, body: HTMLElement): HTMLElement {
  return h(
    'section',
    { class: `panel panel-${id}`, 'aria-labelledby': `panel-${id}-title` },
    h('h2', { id: `panel-${id}-title` }, title),
    body,
  );
}

/** The 5 × 5 matrix: x impact, y probability, colour by score band, counts in the cells; a click drills into the cell. */
function renderHeat(host: HTMLElement, register: Register, drill: (p: number, i: number) => void): () => void {
  const canvas = h('div', { class: 'chart', role: 'img', 'aria-label': t('risk.heatTitle') });
  replace(host, canvas);
  const data = register.heatMap.inherent.flatMap((row, p) => row.map((count, i) => [i, p, count, (p + 1) * (i + 1)]));
  return mountChart(
    canvas,
    {
      tooltip: {
        formatter: (params: { data: number[] }) =>
          `${t('risk.cell', { p: params.data[1] + 1, i: params.data[0] + 1 })}: ${params.data[2]}`,
      },
      grid: { left: 60, right: 16, top: 16, bottom: 60 },
      xAxis: {
        type: 'category',
        name: t('risk.impact'),
        nameLocation: 'middle',
        nameGap: 28,
        data: [1, 2, 3, 4, 5],
        splitArea: { show: true },
      },
      yAxis: {
        type: 'category',
        name: t('risk.probability'),
        nameLocation: 'middle',
        nameGap: 32,
        data: [1, 2, 3, 4, 5],
        splitArea: { show: true },
      },
      visualMap: {
        show: false,
        dimension: 3,
        pieces: [
          { lte: 4, color: '#cfe8d6' },
          { gte: 5, lte: 9, color: '#f6dfa8' },
          { gte: 10, lte: 19, color: '#f2b8a2' },
          { gte: 20, color: '#e0786b' },
        ],
      },
      series: [
        {
          type: 'heatmap',
          data,
          label: {
            show: true,
            fontSize: 14,
            formatter: (params: { data: number[] }) => (params.data[2] ? String(params.data[2]) : ''),
          },
        },
      ],
    },
    (params) => {
      const cell = params.data as number[] | undefined;
      if (cell && cell[2] > 0) drill(cell[1] + 1, cell[0] + 1);
    },
  );
}

function renderTable(host: HTMLElement, register: Register): void {
  if (register.items.length === 0) {
    replace(host, h('p', { class: 'muted' }, t('risk.empty')));
    return;
  }
  const head = [
    'risk.colId',
    'risk.colTitle',
    'risk.colScore',
    'risk.colLevel',
    'risk.colOwner',
    'risk.colStrategy',
    'risk.colStage',
    'risk.colTreatment',
    'risk.colDeadline',
    'risk.colReview',
  ] as MessageKey[];
  replace(
    host,
    h(
      'table',
      { class: 'risk-table' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          head.map((key) => h('th', { scope: 'col' }, t(key))),
        ),
      ),
      h(
        'tbody',
        {},
        register.items.map((r) =>
          h(
            'tr',
            { 'data-risk': r.riskId ?? r.instanceId },
            h('td', {}, r.riskId ?? '—'),
            h('td', {}, r.title ?? '—'),
            h('td', {}, r.score === null ? '—' : `${r.score} (P${r.probability}×I${r.impact})`),
            h('td', {}, r.level ? h('span', { class: `level level-${r.level}` }, r.level) : '—'),
            h('td', {}, r.owner ?? '—'),
            h('td', {}, r.strategy ?? '—'),
            h('td', {}, t(`risk.stage.${r.stage}` as MessageKey)),
            h('td', {}, t(`risk.treatment.${r.treatmentStatus.replace(' ', '-')}` as MessageKey)),
            h('td', {}, r.treatmentDeadline ?? '—'),
            h('td', {}, formatDateTime(r.nextReviewAt)),
          ),
        ),
      ),
    ),
  );
}

interface KriActions {
  refresh(): Promise<void>;
  show(kri: Kri): void;
  after(): Promise<void>;
}

function renderKris(host: HTMLElement, kris: Kri[], actions: KriActions): void {
  const rows = kris.map((kri) => {
    const value = h('input', {
      type: 'number',
      step: 'any',
      'aria-label': `${t('kri.value')} ${kri.name}`,
      'data-testid': `kri-value-${kri.name}`,
    });
    const post = async () => {
      const { reading } = await postReading(kri.id, Number(value.value));
      toast(
        reading.action === 'emergency'
          ? t('kri.emergency')
          : reading.action === 'notified'
            ? t('kri.notified', { owner: kri.owner })
            : t('kri.noAction', { level: t(`kri.level.${reading.level}` as MessageKey) }),
        reading.action === 'emergency' ? 'error' : 'info',
      );
      await actions.refresh();
      await actions.after();
      actions.show(kri);
    };
    return h(
      'tr',
      { 'data-kri': kri.name },
      h('td', {}, h('button', { type: 'button', class: 'link-button', onclick: () => actions.show(kri) }, kri.name)),
      h(
        'td',
        {},
        h(
          'span',
          { class: `level level-${kri.level}`, 'data-testid': `kri-level-${kri.name}` },
          t(`kri.level.${kri.level}` as MessageKey),
        ),
      ),
      h('td', {}, kri.lastValue === null ? '—' : `${kri.lastValue} ${kri.unit}`),
      h(
        'td',
        {},
        `${t('kri.amber')} ${kri.direction === 'above' ? '>' : '<'} ${kri.amber} · ${t('kri.red')} ${kri.direction === 'above' ? '>' : '<'} ${kri.red}`,
      ),
      h('td', {}, kri.owner),
      h('td', {}, kri.riskId ?? '—'),
      h(
        'td',
        {},
        h(
          'div',
          { class: 'kri-form' },
          value,
          h(
            'button',
            { type: 'button', 'data-testid': `kri-post-${kri.name}`, onclick: () => void post().catch(toastError) },
            t('kri.post'),
          ),
        ),
      ),
    );
  });
  replace(
    host,
    kris.length === 0
      ? h('p', { class: 'muted' }, t('kri.none'))
      : h(
          'table',
          { class: 'risk-table' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ['kri.name', 'kri.level', 'kri.last', 'kri.thresholds', 'kri.owner', 'kri.riskId', 'kri.value'].map(
                (key) => h('th', { scope: 'col' }, t(key as MessageKey)),
              ),
            ),
          ),
          h('tbody', {}, rows),
        ),
    defineForm(actions.refresh),
  );
}

function defineForm(refresh: () => Promise<void>): HTMLElement {
  const field = (key: MessageKey, input: HTMLElement) => h('label', {}, t(key), input);
  const name = h('input', { type: 'text', required: true, 'data-testid': 'kri-name' });
  const unit = h('select', {}, ...['percent', 'count', 'minutes', 'score'].map((u) => h('option', { value: u }, u)));
  const direction = h(
    'select',
    {},
    h('option', { value: 'above' }, t('kri.above')),
    h('option', { value: 'below' }, t('kri.below')),
  );
  const amber = h('input', { type: 'number', step: 'any', 'data-testid': 'kri-amber' });
  const red = h('input', { type: 'number', step: 'any', 'data-testid': 'kri-red' });
  const owner = h('input', { type: 'text', 'data-testid': 'kri-owner' });
  const riskId = h('input', { type: 'text', placeholder: 'RSK-2026-0001' });
  const submit = async () => {
    await defineKri({
      name: name.value,
      unit: unit.value,
      direction: direction.value as Kri['direction'],
      amber: Number(amber.value),
      red: Number(red.value),
      owner: owner.value,
      riskId: riskId.value || null,
    });
    await refresh();
  };
  return h(
    'div',
    { class: 'kri-form' },
    field('kri.name', name),
    field('kri.unit', unit),
    field('kri.direction', direction),
    field('kri.amber', amber),
    field('kri.red', red),
    field('kri.owner', owner),
    field('kri.riskId', riskId),
    h(
      'button',
      { type: 'button', class: 'primary', 'data-testid': 'kri-define', onclick: () => void submit().catch(toastError) },
      t('kri.define'),
    ),
  );
}

async function showTrend(host: HTMLElement, kri: Kri, disposers: Array<() => void>): Promise<void> {
  const readings = (await fetchReadings(kri.id)).reverse();
  const canvas = h('div', { class: 'chart' });
  replace(host, h('h3', {}, t('kri.trend', { name: kri.name })), canvas);
  disposers.push(
    mountChart(canvas, {
      tooltip: { trigger: 'axis' },
      grid: { left: 48, right: 24, top: 16, bottom: 40 },
      xAxis: { type: 'category', data: readings.map((r) => formatDateTime(r.observedAt)) },
      yAxis: { type: 'value', name: kri.unit },
      series: [
        {
          type: 'line',
          name: kri.name,
          data: readings.map((r) => r.value),
          markLine: {
            symbol: 'none',
            data: [
              { yAxis: kri.amber, name: t('kri.amber'), lineStyle: { color: '#b26a00' } },
              { yAxis: kri.red, name: t('kri.red'), lineStyle: { color: '#c2281d' } },
            ],
          },
        },
      ],
    }),
  );
}
