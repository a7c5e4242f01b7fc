/** The live list: at-risk and breached work, most urgent first, with business time left or overdue. */
import { t } from '../i18n';
import { h, replace } from '../shared/dom';
import { formatDateTime, formatDuration } from '../shared/format';
import type { SlaItem } from './sla-data';

/** Reassigns the selected tasks to a user at once; resolves with how many moved. */
export type BulkReassign = (taskIds: string[], userId: string) => Promise<number>;

/** What the supervisor has chosen in a list: kept across the live updates that redraw it. */
const choices = new WeakMap<HTMLElement, { selected: Set<string>; user: string }>();

/** Renders the table; `onOpen` drills down to the instance; with `onReassign`, tasks can be selected and reassigned together. */
export function renderLiveList(
  host: HTMLElement,
  items: SlaItem[],
  onOpen: (item: SlaItem) => void,
  flashIds: Set<string> = new Set(),
  onReassign?: BulkReassign,
): void {
  if (items.length === 0) {
    replace(host, h('p', { class: 'muted empty' }, t('sla.liveEmpty')));
    return;
  }
  const choice = choices.get(host) ?? { selected: new Set<string>(), user: '' };
  choices.set(host, choice);
  // a task that left the list (done, or no longer at risk) is no longer selected
  for (const id of [...choice.selected]) if (!items.some((item) => item.taskId === id)) choice.selected.delete(id);
  const selected = choice.selected;
  const toUser = h('input', {
    type: 'text',
    placeholder: t('kpi.reassignTo'),
    'aria-label': t('kpi.reassignTo'),
    'data-testid': 'bulk-user',
    oninput: () => {
      choice.user = toUser.value;
    },
  }) as HTMLInputElement;
  toUser.value = choice.user;
  const reassign = async () => {
    if (!onReassign || selected.size === 0 || toUser.value.trim() === '') return;
    await onReassign([...selected], toUser.value.trim());
  };
  const toolbar = onReassign
    ? h(
        'div',
        { class: 'kri-form' },
        toUser,
        h(
          'button',
          { type: 'button', 'data-testid': 'bulk-reassign', onclick: () => void reassign() },
          t('kpi.reassignSelected'),
        ),
      )
    : null;
  const head = [
    'sla.colInstance',
    'sla.colDefinition',
    'sla.colStep',
    'sla.colPriority',
    'sla.colOwner',
    'sla.colDue',
    'sla.colRemaining',
    'sla.colStatus',
  ] as const;
  replace(
    host,
    toolbar,
    h(
      'table',
      { class: 'live-table', 'data-testid': 'live-list' },
      h('caption', { class: 'visually-hidden' }, t('sla.liveTitle')),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          onReassign ? h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, t('kpi.selectTask'))) : null,
          head.map((key) => h('th', { scope: 'col' }, t(key))),
        ),
      ),
      h(
        'tbody',
        {},
        items.map((item) => row(item, onOpen, flashIds.has(item.id), onReassign ? selector(item, selected) : null)),
      ),
    ),
  );
}

// helpers

function selector(item: SlaItem, selected: Set<string>): HTMLElement {
  const taskId = item.taskId;
  if (!taskId) return h('td', {});
  const box = h('input', {
    type: 'checkbox',
    'aria-label': t('kpi.selectTask'),
    'data-task-id': taskId,
    onchange: () => {
      if (box.checked) selected.add(taskId);
      else selected.delete(taskId);
    },
  }) as HTMLInputElement;
  box.checked = selected.has(taskId);
  return h('td', {}, box);
}

function row(item: SlaItem, onOpen: (item: SlaItem) => void, flash: boolean, select: HTMLElement | null): HTMLElement {
  const breached = item.status === 'breached';
  const remaining =
    item.businessRemainingMs < 0
      ? t('sla.overdueBy', { d: formatDuration(item.businessRemainingMs) })
      : t('sla.left', { d: formatDuration(item.businessRemainingMs) });
  return h(
    'tr',
    { class: flash ? 'flash' : '', 'data-sla-id': item.id },
    select,
    h(
      'td',
      {},
      h('button', { type: 'button', class: 'link-button', onclick: () => onOpen(item) }, item.instanceId.slice(0, 8)),
    ),
    h('td', {}, item.definitionKey),
    h('td', {}, item.elementName ?? item.elementId),
    h('td', {}, item.priority ?? '—'),
    h('td', {}, item.assignee ?? (item.candidateGroups.join(', ') || '—')),
    h('td', {}, formatDateTime(item.dueAt)),
    h('td', { class: item.businessRemainingMs < 0 ? 'overdue' : '' }, remaining),
    h(
      'td',
      {},
      h(
        'span',
        { class: `status status-${breached ? 'breached' : 'at-risk'}` },
        breached ? t('sla.breached') : t('sla.atRisk'),
      ),
    ),
  );
}
