/** The live list: at-risk and breached work, most urgent first, with business time left or overdue. */
import { t } from '../i18n';
import { h, replace } from '../shared/dom';
import { formatDateTime, formatDuration } from '../shared/format';
import type { SlaItem } from './sla-data';

/** Renders the table; `onOpen` drills down to the instance. */
export function renderLiveList(host: HTMLElement, items: SlaItem[], onOpen: (item: SlaItem) => void, flashIds: Set<string> = new Set()): void {
  if (items.length === 0) return replace(host, h('p', { class: 'muted empty' }, t('sla.liveEmpty')));
  const head = [ 'sla.colInstance', 'sla.colDefinition', 'sla.colStep', 'sla.colPriority', 'sla.colOwner', 'sla.colDue', 'sla.colRemaining', 'sla.colStatus' ] as const;
  replace(host, h('table', { class: 'live-table', 'data-testid': 'live-list' },
    h('caption', { class: 'visually-hidden' }, t('sla.liveTitle')),
    h('thead', {}, h('tr', {}, head.map((key) => h('th', { scope: 'col' }, t(key))))),
    h('tbody', {}, items.map((item) => row(item, onOpen, flashIds.has(item.id))))));
}

// helpers

function row(item: SlaItem, onOpen: (item: SlaItem) => void, flash: boolean): HTMLElement {
  const breached = item.status === 'breached';
  const remaining = item.businessRemainingMs < 0
    ? t('sla.overdueBy', { d: formatDuration(item.businessRemainingMs) })
    : t('sla.left', { d: formatDuration(item.businessRemainingMs) });
  return h('tr', { class: flash ? 'flash' : '', 'data-sla-id': item.id },
    h('td', {}, h('button', { type: 'button', class: 'link-button', onclick: () => onOpen(item) }, item.instanceId.slice(0, 8))),
    h('td', {}, item.definitionKey),
    h('td', {}, item.elementName ?? item.elementId),
    h('td', {}, item.priority ?? '—'),
    h('td', {}, item.assignee ?? (item.candidateGroups.join(', ') || '—')),
    h('td', {}, formatDateTime(item.dueAt)),
    h('td', { class: item.businessRemainingMs < 0 ? 'overdue' : '' }, remaining),
    h('td', {}, h('span', { class: `status status-${breached ? 'breached' : 'at-risk'}` }, breached ? t('sla.breached') : t('sla.atRisk'))));
}
