/** The KPI cards: each figure of docs/kpis.md with its denominator, its target and the change since the previous period. */
import { t, type MessageKey } from '../i18n';
import { h, replace } from '../shared/dom';
import { formatDuration, formatPercent } from '../shared/format';
import type { KpiSet, Rate } from './kpi-data';

type Better = 'higher' | 'lower';

interface Card {
  id: string;
  label: MessageKey;
  value: (k: KpiSet) => number | null;
  format: (n: number) => string;
  detail: (k: KpiSet) => string;
  better: Better;
  /** The target key (docs/kpis.md) this card compares with. */
  target: string;
}

const pct = (n: number) => formatPercent(n);
const ofRate = (r: Rate) => t('kpi.ofCases', { n: r.n, of: r.of });
const duration = (n: number) => formatDuration(n);

const CARDS: Card[] = [
  {
    id: 'first-response',
    label: 'kpi.firstResponse',
    value: (k) => k.firstResponse.business.mean,
    format: duration,
    detail: (k) =>
      t('kpi.medianP90', { median: fmtMs(k.firstResponse.business.median), p90: fmtMs(k.firstResponse.business.p90) }),
    better: 'lower',
    target: 'firstResponseBusinessMs',
  },
  {
    id: 'resolution',
    label: 'kpi.resolution',
    value: (k) => k.resolution.business.mean,
    format: duration,
    detail: (k) =>
      t('kpi.medianP90', { median: fmtMs(k.resolution.business.median), p90: fmtMs(k.resolution.business.p90) }),
    better: 'lower',
    target: 'resolutionBusinessMs',
  },
  {
    id: 'compliance',
    label: 'kpi.slaCompliance',
    value: (k) => k.slaCompliance.value,
    format: pct,
    detail: (k) => t('kpi.metBreached', { met: k.slaCompliance.met, breached: k.slaCompliance.breached }),
    better: 'higher',
    target: 'slaCompliance',
  },
  {
    id: 'csat',
    label: 'kpi.csat',
    value: (k) => k.csat.mean,
    format: (n) => n.toFixed(2),
    detail: (k) =>
      t('kpi.satisfiedShare', {
        pct: k.csat.satisfied.value === null ? '—' : pct(k.csat.satisfied.value),
        n: k.csat.n,
      }),
    better: 'higher',
    target: 'csatMean',
  },
  {
    id: 'nps',
    label: 'kpi.nps',
    value: (k) => k.nps.score,
    format: (n) => n.toFixed(0),
    detail: (k) => t('kpi.answers', { n: k.nps.n }),
    better: 'higher',
    target: 'nps',
  },
  {
    id: 'fcr',
    label: 'kpi.fcr',
    value: (k) => k.firstContactResolution.value,
    format: pct,
    detail: (k) => ofRate(k.firstContactResolution),
    better: 'higher',
    target: 'firstContactResolution',
  },
  {
    id: 'reopen',
    label: 'kpi.reopen',
    value: (k) => k.reopenRate.value,
    format: pct,
    detail: (k) => ofRate(k.reopenRate),
    better: 'lower',
    target: 'reopenRate',
  },
  {
    id: 'transfer',
    label: 'kpi.transfer',
    value: (k) => k.transferRate.value,
    format: pct,
    detail: (k) => ofRate(k.transferRate),
    better: 'lower',
    target: 'transferRate',
  },
  {
    id: 'survey',
    label: 'kpi.surveyResponse',
    value: (k) => k.surveyResponseRate.value,
    format: pct,
    detail: (k) => ofRate(k.surveyResponseRate),
    better: 'higher',
    target: 'surveyResponseRate',
  },
  {
    id: 'complaint-rate',
    label: 'kpi.complaintRate',
    value: (k) => k.complaintRate.perThousand,
    format: (n) => `${n.toFixed(2)}‰`,
    detail: (k) =>
      k.complaintRate.volume === null
        ? t('kpi.noVolume', { n: k.complaintRate.complaints })
        : t('kpi.perVolume', { n: k.complaintRate.complaints, volume: k.complaintRate.volume }),
    better: 'lower',
    target: 'complaintRate',
  },
  {
    id: 'completion',
    label: 'kpi.completion',
    value: (k) => k.completionRate.value,
    format: pct,
    detail: (k) => ofRate(k.completionRate),
    better: 'higher',
    target: 'completionRate',
  },
  {
    id: 'on-time',
    label: 'kpi.onTime',
    value: (k) => k.onTimeArrival.value,
    format: pct,
    detail: (k) => ofRate(k.onTimeArrival),
    better: 'higher',
    target: 'onTimeArrival',
  },
  {
    id: 'first-time-fix',
    label: 'kpi.firstTimeFix',
    value: (k) => k.firstTimeFix.value,
    format: pct,
    detail: (k) => ofRate(k.firstTimeFix),
    better: 'higher',
    target: 'firstTimeFix',
  },
  {
    id: 'cost',
    label: 'kpi.costPerCase',
    value: (k) => k.costPerCase.value,
    format: (n) => `¥${n.toFixed(2)}`,
    detail: (k) => t('kpi.cases', { n: k.costPerCase.n }),
    better: 'lower',
    target: 'costPerCase',
  },
  {
    id: 'improvements',
    label: 'kpi.improvements',
    value: (k) => k.improvements.raised,
    format: (n) => String(n),
    detail: (k) =>
      t('kpi.closure', {
        pct: k.improvements.closureRate.value === null ? '—' : pct(k.improvements.closureRate.value),
      }),
    better: 'higher',
    target: 'improvementClosureRate',
  },
];

/** Renders one card per KPI: value ("—" without a denominator), detail, target and trend. */
export function renderKpiCards(
  host: HTMLElement,
  current: KpiSet,
  previous: KpiSet | null,
  targets: Record<string, number>,
): void {
  replace(
    host,
    ...CARDS.map((card) => {
      const value = card.value(current);
      const before = previous ? card.value(previous) : null;
      const target = targets[card.target];
      return h(
        'div',
        { class: `kpi-card ${toneOf(value, target, card.better)}`, 'data-kpi': card.id },
        h('span', { class: 'kpi-label' }, t(card.label)),
        h('strong', { class: 'kpi-value' }, value === null ? '—' : card.format(value)),
        h('span', { class: 'kpi-detail' }, card.detail(current)),
        h(
          'span',
          { class: 'kpi-meta' },
          target === undefined
            ? null
            : h('span', { class: 'kpi-target' }, t('kpi.target', { value: card.format(target) })),
          trendOf(value, before, card),
        ),
      );
    }),
  );
}

// helpers

function fmtMs(ms: number | null): string {
  return ms === null ? '—' : formatDuration(ms);
}

function toneOf(value: number | null, target: number | undefined, better: Better): string {
  if (value === null || target === undefined) return 'kpi-neutral';
  return (better === 'higher' ? value >= target : value <= target) ? 'kpi-good' : 'kpi-bad';
}

function trendOf(value: number | null, before: number | null, card: Card): HTMLElement | null {
  if (value === null || before === null || value === before) return null;
  const up = value > before;
  const good = up === (card.better === 'higher');
  return h(
    'span',
    {
      class: `kpi-trend ${good ? 'trend-good' : 'trend-bad'}`,
      title: t('kpi.previous', { value: card.format(before) }),
    },
    `${up ? '▲' : '▼'} ${t('kpi.vsPrevious')}`,
  );
}
