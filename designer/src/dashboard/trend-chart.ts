/** The trend chart in plain SVG: compliance % per day as a line, breaches per day as bars. */
import { getLocale, t } from '../i18n';
import { h, svg } from '../shared/dom';

export interface TrendPoint { day: Date; compliance: number | null; breached: number; closed: number }

const WIDTH = 640;
const HEIGHT = 200;
const PAD = { top: 16, right: 36, bottom: 28, left: 36 };

/** An accessible chart: the SVG is described, and the figures are in a table for screen readers. */
export function renderTrendChart(points: TrendPoint[]): HTMLElement {
  const innerW = WIDTH - PAD.left - PAD.right;
  const innerH = HEIGHT - PAD.top - PAD.bottom;
  const step = innerW / Math.max(points.length, 1);
  const maxBreaches = Math.max(1, ...points.map((p) => p.breached));
  const x = (i: number) => PAD.left + step * i + step / 2;
  const yPct = (pct: number) => PAD.top + innerH * (1 - pct / 100);
  const yCount = (n: number) => PAD.top + innerH * (1 - n / maxBreaches);
  const day = new Intl.DateTimeFormat(getLocale(), { month: 'numeric', day: 'numeric', timeZone: 'Asia/Shanghai' });
  const chart = svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: 'trend-chart', role: 'img', 'aria-label': t('sla.trendLabel', { n: points.length }) },
    ...[ 0, 50, 100 ].map((pct) => svg('g', {},
      svg('line', { x1: PAD.left, x2: WIDTH - PAD.right, y1: yPct(pct), y2: yPct(pct), class: 'grid' }),
      svg('text', { x: PAD.left - 6, y: yPct(pct) + 4, 'text-anchor': 'end', class: 'axis' }, `${pct}%`))),
    points.some((p) => p.breached > 0) ? svg('text', { x: WIDTH - PAD.right + 6, y: yCount(maxBreaches) + 4, class: 'axis axis-bad' }, String(maxBreaches)) : svg('g'),
    ...points.map((p, i) => svg('rect', { x: x(i) - step * 0.3, width: step * 0.6, y: yCount(p.breached), height: PAD.top + innerH - yCount(p.breached), class: 'bar-breached' })),
    svg('polyline', { points: points.map((p, i) => p.compliance === null ? null : `${x(i)},${yPct(p.compliance)}`).filter(Boolean).join(' '), class: 'line-compliance' }),
    ...points.map((p, i) => p.compliance === null ? svg('g') : svg('circle', { cx: x(i), cy: yPct(p.compliance), r: 3, class: 'dot-compliance' })),
    ...points.map((p, i) => i % Math.ceil(points.length / 7) === 0 ? svg('text', { x: x(i), y: HEIGHT - 8, 'text-anchor': 'middle', class: 'axis' }, day.format(p.day)) : svg('g')));
  const legend = h('p', { class: 'legend' },
    h('span', { class: 'key key-compliance' }, t('sla.compliance')), h('span', { class: 'key key-breached' }, t('sla.breachesPerDay')));
  const table = h('table', { class: 'visually-hidden' }, h('tbody', {}, points.map((p) => h('tr', {},
    h('th', { scope: 'row' }, day.format(p.day)), h('td', {}, p.compliance === null ? '—' : `${p.compliance.toFixed(1)}%`), h('td', {}, String(p.breached))))));
  return h('figure', { class: 'trend' }, chart, legend, table);
}
