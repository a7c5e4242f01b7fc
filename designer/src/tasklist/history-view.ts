/** The audit history of an instance, newest first: what happened, at which step, when and by whom. */
import { api } from '../app/api';
import { t, tOr } from '../i18n';
import { h, replace } from '../shared/dom';
import { formatDateTime } from '../shared/format';
import type { HistoryItem } from '../shared/resources';

/** Loads and renders the history of `instanceId` into `panel`. */
export async function renderHistory(panel: HTMLElement, instanceId: string): Promise<void> {
  replace(panel, h('p', { class: 'loading' }, t('common.loading')));
  try {
    const { items } = await api<{ items: HistoryItem[] }>('GET', `/api/instances/${encodeURIComponent(instanceId)}/history`);
    if (items.length === 0) return replace(panel, h('p', { class: 'muted' }, t('history.empty')));
    replace(panel, h('ol', { class: 'history', reversed: true }, [ ...items ].reverse().map((item) => h('li', { class: 'history-item' },
      h('time', { datetime: item.at }, formatDateTime(item.at)),
      h('span', { class: 'history-event' }, tOr(`history.${item.event}`, item.event)),
      item.elementId ? h('code', {}, item.elementId) : null,
      item.by ? h('span', { class: 'muted' }, t('history.by', { user: item.by })) : null))));
  } catch (error) {
    replace(panel, h('p', { class: 'form-error' }, (error as Error).message));
  }
}
