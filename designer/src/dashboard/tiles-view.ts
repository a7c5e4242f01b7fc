/** The five KPI tiles at the top of the dashboard. */
import { t, type MessageKey } from '../i18n';
import { h, replace } from '../shared/dom';
import { formatDuration, formatPercent } from '../shared/format';
import type { Tiles } from './sla-data';

/** Renders the tiles; `—` stands for a figure with nothing to compute from yet. */
export function renderTiles(host: HTMLElement, tiles: Tiles): void {
  const tile = (id: string, key: MessageKey, value: string, tone: string, hint?: string) =>
    h('div', { class: `tile tile-${tone}`, 'data-tile': id },
      h('span', { class: 'tile-label' }, t(key)),
      h('strong', { class: 'tile-value' }, value),
      hint ? h('span', { class: 'tile-hint' }, hint) : null);
  replace(host,
    tile('running', 'sla.tileRunning', String(tiles.running), 'neutral'),
    tile('at-risk', 'sla.tileAtRisk', String(tiles.atRisk), tiles.atRisk > 0 ? 'warn' : 'neutral'),
    tile('breached', 'sla.tileBreached', String(tiles.breached), tiles.breached > 0 ? 'bad' : 'neutral'),
    tile('compliance', 'sla.tileCompliance', formatPercent(tiles.compliance), complianceTone(tiles.compliance), t('sla.metBreachedThisWeek', { met: tiles.met, breached: tiles.closedBreached })),
    tile('mttr', 'sla.tileMeanResolve', tiles.meanResolveMs === null ? '—' : formatDuration(tiles.meanResolveMs), 'neutral', t('sla.businessTime')));
}

// helpers

function complianceTone(compliance: number | null): string {
  if (compliance === null) return 'neutral';
  return compliance >= 95 ? 'good' : compliance >= 85 ? 'warn' : 'bad';
}
