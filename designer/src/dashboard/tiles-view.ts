/** The headline tiles: open cases now, at-risk and breached clocks, compliance over clocks ended in the period, case-level MTTR. */
import { t, type MessageKey } from '../i18n';
import { h, replace } from '../shared/dom';
import { formatDuration, formatPercent } from '../shared/format';
import type { KpiReport } from './kpi-data';

/** Renders the tiles; `—` stands for a figure with nothing to compute from yet. */
export function renderTiles(host: HTMLElement, report: KpiReport): void {
  const { backlog, totals } = report;
  const tile = (id: string, key: MessageKey, value: string, tone: string, hint?: string) =>
    h(
      'div',
      { class: `tile tile-${tone}`, 'data-tile': id },
      h('span', { class: 'tile-label' }, t(key)),
      h('strong', { class: 'tile-value' }, value),
      hint ? h('span', { class: 'tile-hint' }, hint) : null,
    );
  const compliance = totals.slaCompliance;
  const mttr = totals.resolution.business.mean;
  replace(
    host,
    tile('running', 'sla.tileRunning', String(backlog.open), 'neutral', t('kpi.openCases')),
    tile('at-risk', 'sla.tileAtRisk', String(backlog.atRisk), backlog.atRisk > 0 ? 'warn' : 'neutral'),
    tile('breached', 'sla.tileBreached', String(backlog.openBreaches), backlog.openBreaches > 0 ? 'bad' : 'neutral'),
    tile(
      'compliance',
      'sla.tileCompliance',
      formatPercent(compliance.value),
      complianceTone(compliance.value),
      t('kpi.metBreachedPeriod', { met: compliance.met, breached: compliance.breached }),
    ),
    tile(
      'mttr',
      'sla.tileMeanResolve',
      mttr === null ? '—' : formatDuration(mttr),
      'neutral',
      t('kpi.caseLevel', { n: totals.resolution.business.n }),
    ),
  );
}

// helpers

function complianceTone(compliance: number | null): string {
  if (compliance === null) return 'neutral';
  return compliance >= 95 ? 'good' : compliance >= 85 ? 'warn' : 'bad';
}
