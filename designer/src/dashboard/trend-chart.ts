/** The trend (ECharts): SLA compliance and CSAT per day as lines, breaches per day as bars, with the compliance target. */
import { t } from '../i18n';
import { mountChart } from '../shared/chart';
import { h, replace } from '../shared/dom';
import type { KpiReport } from './kpi-data';

/** Draws the per-day groups of a KPI report; returns the chart's disposer. */
export function renderTrendChart(host: HTMLElement, report: KpiReport): () => void {
  const canvas = h('div', {
    class: 'chart',
    'data-testid': 'trend-chart',
    role: 'img',
    'aria-label': t('sla.trendLabel', { n: report.groups.length }),
  });
  replace(host, canvas);
  const days = report.groups.map((g) => (g.key ?? '').slice(5));
  const target = report.targets.slaCompliance;
  return mountChart(canvas, {
    tooltip: { trigger: 'axis' },
    legend: { data: [t('sla.compliance'), t('kpi.csatSatisfied'), t('sla.breachesPerDay')], bottom: 0 },
    grid: { left: 40, right: 40, top: 16, bottom: 48 },
    xAxis: { type: 'category', data: days },
    yAxis: [
      { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
      { type: 'value', minInterval: 1, splitLine: { show: false } },
    ],
    series: [
      {
        name: t('sla.compliance'),
        type: 'line',
        data: report.groups.map((g) => g.kpis.slaCompliance.value),
        connectNulls: true,
        ...(target === undefined
          ? {}
          : {
              markLine: {
                symbol: 'none',
                data: [{ yAxis: target, name: t('kpi.targetLine') }],
                lineStyle: { type: 'dashed' },
              },
            }),
      },
      {
        name: t('kpi.csatSatisfied'),
        type: 'line',
        data: report.groups.map((g) => g.kpis.csat.satisfied.value),
        connectNulls: true,
      },
      {
        name: t('sla.breachesPerDay'),
        type: 'bar',
        yAxisIndex: 1,
        data: report.groups.map((g) => g.kpis.slaCompliance.breached),
        itemStyle: { color: '#c0392b' },
      },
    ],
  });
}

/** Cases ended and compliance per group of a breakdown (channel, category, priority, group, assignee). */
export function renderBreakdownChart(host: HTMLElement, report: KpiReport): () => void {
  const canvas = h('div', { class: 'chart', 'data-testid': 'breakdown-chart' });
  replace(host, canvas);
  const keys = report.groups.map((g) => g.key ?? t('kpi.none'));
  return mountChart(canvas, {
    tooltip: { trigger: 'axis' },
    legend: { data: [t('kpi.casesEnded'), t('sla.compliance')], bottom: 0 },
    grid: { left: 40, right: 40, top: 16, bottom: 48 },
    xAxis: { type: 'category', data: keys },
    yAxis: [
      { type: 'value', minInterval: 1 },
      { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' }, splitLine: { show: false } },
    ],
    series: [
      { name: t('kpi.casesEnded'), type: 'bar', data: report.groups.map((g) => g.kpis.cases.ended) },
      {
        name: t('sla.compliance'),
        type: 'line',
        yAxisIndex: 1,
        data: report.groups.map((g) => g.kpis.slaCompliance.value),
      },
    ],
  });
}
