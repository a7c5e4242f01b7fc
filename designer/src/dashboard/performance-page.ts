/**
 * The process owner's performance overlay (Optimize-style), from GET /api/kpis/elements: on the latest
 * diagram of a process, per step the completions, mean and p90 time in it, the cases waiting there now and
 * its SLA breach rate; on gateway flows the share of cases that took each path; the slowest steps shaded;
 * and the same figures in a table, slowest first.
 */
import '../styles/dashboard.css';
import '../styles/insight.css';
import { api, query } from '../app/api';
import type { Page } from '../app/router';
import { t } from '../i18n';
import { DiagramViewer } from '../shared/diagram-viewer';
import { h, replace } from '../shared/dom';
import { formatDuration } from '../shared/format';
import type { Page as ApiPage } from '../shared/resources';
import { toastError } from '../shared/toast';

interface Stats {
  n: number;
  mean: number | null;
  median: number | null;
  p90: number | null;
}
export interface ElementFigures {
  elementId: string;
  elementType: string | null;
  entered: number;
  completed: number;
  waiting: number;
  longestWaitMs: number | null;
  duration: Stats;
  sla: { met: number; breached: number; open: number; breachRate: number | null };
}
export interface Performance {
  definitionKey: string;
  from: string;
  to: string;
  cases: number;
  sampled: boolean;
  elements: ElementFigures[];
  paths: Array<{ from: string; to: string; n: number }>;
}

const PERIODS = [7, 30, 90, 365];
const DAY = 86_400_000;

export function createPage(): Page {
  let viewer: DiagramViewer | null = null;
  return {
    async mount(container) {
      const params = new URLSearchParams(location.search);
      const processPicker = h(
        'select',
        { id: 'perf-process', 'data-testid': 'perf-process' },
        h('option', { value: '' }, '—'),
      );
      const periodPicker = h(
        'select',
        { id: 'perf-period', 'data-testid': 'perf-period' },
        ...PERIODS.map((n) =>
          h(
            'option',
            { value: String(n), selected: String(n) === (params.get('days') ?? '30') },
            t('perf.days', { n }),
          ),
        ),
      );
      const summary = h('p', { class: 'muted', 'data-testid': 'perf-summary' });
      const canvas = h('div', { class: 'perf-diagram', 'data-testid': 'perf-diagram' });
      const table = h('div', { 'data-testid': 'perf-table' });
      const definitions = await api<ApiPage<{ id: string; key: string; name: string | null }>>(
        'GET',
        `/api/definitions${query({ latestOnly: 'true', limit: 200 })}`,
      );
      for (const d of definitions.items)
        processPicker.appendChild(
          h('option', { value: d.key, selected: d.key === params.get('process') }, d.name ?? d.key),
        );
      container.appendChild(
        h(
          'div',
          { class: 'dashboard perf-page' },
          h(
            'div',
            { class: 'dash-header' },
            h('h1', {}, t('perf.title')),
            h('label', { for: 'perf-process', class: 'inline-label' }, t('perf.process')),
            processPicker,
            h('label', { for: 'perf-period', class: 'inline-label' }, t('perf.period')),
            periodPicker,
          ),
          summary,
          canvas,
          legend(),
          h('section', { class: 'panel' }, h('h2', {}, t('perf.tableTitle')), table),
        ),
      );
      const refresh = async () => {
        viewer?.destroy();
        viewer = null;
        replace(table);
        const key = processPicker.value;
        history.replaceState(null, '', `/performance${query({ process: key || undefined, days: periodPicker.value })}`);
        if (!key) return replace(summary, t('perf.choose'));
        const definition = definitions.items.find((d) => d.key === key)!;
        const to = new Date(Date.now() + 1).toISOString();
        const from = new Date(Date.now() - Number(periodPicker.value) * DAY).toISOString();
        const perf = await api<Performance>('GET', `/api/kpis/elements${query({ process: key, from, to })}`);
        replace(
          summary,
          t('perf.cases', { n: perf.cases }),
          perf.sampled ? ` (${t('perf.sampled', { n: 5000 })})` : '',
        );
        viewer = new DiagramViewer(canvas);
        await viewer.show(definition.id);
        paint(viewer, perf);
        replace(table, perf.cases === 0 ? h('p', { class: 'muted' }, t('perf.none')) : figuresTable(viewer, perf));
      };
      processPicker.addEventListener('change', () => void refresh().catch(toastError));
      periodPicker.addEventListener('change', () => void refresh().catch(toastError));
      await refresh().catch(toastError);
    },
    unmount() {
      viewer?.destroy();
    },
  };
}

// helpers

/** Figures on each step, shading of the slowest third by mean time, and path shares on gateway flows. */
function paint(viewer: DiagramViewer, perf: Performance): void {
  const timed = perf.elements.filter(
    (e) => e.duration.mean !== null && !e.elementType?.endsWith('Gateway') && !e.elementType?.endsWith('Event'),
  );
  const ranked = [...timed].sort((a, b) => (b.duration.mean ?? 0) - (a.duration.mean ?? 0));
  const third = Math.max(1, Math.ceil(ranked.length / 3));
  for (const e of ranked.slice(0, third)) viewer.highlight([e.elementId], 'svc-perf-slow');
  for (const e of ranked.slice(third, 2 * third)) viewer.highlight([e.elementId], 'svc-perf-mid');
  for (const e of perf.elements) {
    if (e.elementType?.endsWith('Gateway')) continue;
    const lines: Array<HTMLElement> = [h('div', {}, t('perf.count', { n: e.completed }))];
    if (e.duration.mean !== null && !e.elementType?.endsWith('Event')) {
      lines.push(
        h(
          'div',
          {},
          t('perf.mean', { d: formatDuration(e.duration.mean) }),
          ' · ',
          t('perf.p90', { d: formatDuration(e.duration.p90 ?? 0) }),
        ),
      );
    }
    if (e.waiting > 0) lines.push(h('div', { class: 'perf-wait' }, t('perf.waiting', { n: e.waiting })));
    if (e.sla.breachRate !== null)
      lines.push(
        h('div', { class: e.sla.breached > 0 ? 'perf-breach' : '' }, t('perf.breachRate', { p: e.sla.breachRate })),
      );
    // events carry their name below: their figures go above them
    const position: Record<string, number> = e.elementType?.endsWith('Event')
      ? { top: -22, left: -20 }
      : { bottom: -6, left: -4 };
    viewer.label(e.elementId, h('div', { class: 'perf-figures', 'data-element-id': e.elementId }, lines), position);
  }
  const outOf = new Map<string, number>();
  for (const p of perf.paths) outOf.set(p.from, (outOf.get(p.from) ?? 0) + p.n);
  for (const p of perf.paths) {
    const flow = viewer.flowBetween(p.from, p.to);
    const of = outOf.get(p.from) ?? p.n;
    if (!flow) continue;
    viewer.flowLabel(
      flow,
      h(
        'span',
        { class: 'perf-path', title: t('perf.pathTitle', { n: p.n, of }), 'data-flow-id': flow },
        `${Math.round((p.n / of) * 100)} %`,
      ),
    );
  }
}

/** Steps with a time, slowest mean first. */
function figuresTable(viewer: DiagramViewer, perf: Performance): HTMLElement {
  const rows = perf.elements
    .filter((e) => !e.elementType?.endsWith('Gateway') && !e.elementType?.endsWith('Event'))
    .sort((a, b) => (b.duration.mean ?? -1) - (a.duration.mean ?? -1));
  const d = (ms: number | null) => (ms === null ? '—' : formatDuration(ms));
  return h(
    'table',
    { class: 'perf-table' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...[
          'perf.element',
          'perf.completed',
          'perf.waitingNow',
          'perf.meanCol',
          'perf.medianCol',
          'perf.p90Col',
          'perf.longestWait',
          'perf.slaBreached',
        ].map((key, i) => h('th', { class: i > 0 ? 'num' : '' }, t(key as 'perf.element'))),
      ),
    ),
    h(
      'tbody',
      {},
      rows.map((e) =>
        h(
          'tr',
          { 'data-element-id': e.elementId },
          h('td', {}, viewer.nameOf(e.elementId)),
          h('td', { class: 'num' }, e.completed),
          h('td', { class: 'num' }, e.waiting),
          h('td', { class: 'num' }, d(e.duration.mean)),
          h('td', { class: 'num' }, d(e.duration.median)),
          h('td', { class: 'num' }, d(e.duration.p90)),
          h('td', { class: 'num' }, d(e.longestWaitMs)),
          h(
            'td',
            { class: `num${e.sla.breached > 0 ? ' bad' : ''}` },
            e.sla.breachRate === null ? '—' : `${e.sla.breachRate} %`,
          ),
        ),
      ),
    ),
  );
}

function legend(): HTMLElement {
  return h(
    'p',
    { class: 'legend muted' },
    h('span', { class: 'legend-swatch', style: 'background:#fde2df;border:2px solid var(--c-bad)' }),
    t('perf.legendSlow'),
    h('span', { class: 'legend-swatch', style: 'background:var(--c-bad)' }),
    t('perf.legendBreach'),
    h('span', { class: 'perf-path', style: 'margin-left:.8rem' }, '%'),
    ' ',
    t('perf.legendPath'),
  );
}
