/** The audit history of an instance, newest first: what happened, at which step, when and by whom. */
import { api } from '../app/api';
import { t, tOr } from '../i18n';
import { h, replace } from '../shared/dom';
import { formatDateTime } from '../shared/format';
import type { Definition, HistoryItem } from '../shared/resources';

/** Loads and renders the history of `instanceId` into `panel`, naming each step as its definition (`definitionId`) does. */
export async function renderHistory(panel: HTMLElement, instanceId: string, definitionId?: string): Promise<void> {
  replace(panel, h('p', { class: 'loading' }, t('common.loading')));
  try {
    const [{ items }, names] = await Promise.all([
      api<{ items: HistoryItem[] }>('GET', `/api/instances/${encodeURIComponent(instanceId)}/history`),
      elementNames(definitionId),
    ]);
    if (items.length === 0) return replace(panel, h('p', { class: 'muted' }, t('history.empty')));
    replace(
      panel,
      h(
        'ol',
        { class: 'history', reversed: true },
        [...items]
          .reverse()
          .map((item) =>
            h(
              'li',
              { class: 'history-item' },
              h('time', { datetime: item.at }, formatDateTime(item.at)),
              h('span', { class: 'history-event' }, tOr(`history.${item.event}`, item.event)),
              item.elementId ? stepLabel(item.elementId, names) : null,
              item.by ? h('span', { class: 'muted' }, t('history.by', { user: item.by })) : null,
              typeof item.details?.reason === 'string'
                ? h('q', { class: 'history-reason' }, item.details.reason)
                : null,
            ),
          ),
      ),
    );
  } catch (error) {
    replace(panel, h('p', { class: 'form-error' }, (error as Error).message));
  }
}

// helpers

/** The names of the definition's elements; none when it cannot be read (the ids are shown instead). */
async function elementNames(definitionId: string | undefined): Promise<Record<string, string>> {
  if (!definitionId) return {};
  return api<Definition>('GET', `/api/definitions/${encodeURIComponent(definitionId)}`).then(
    // the process itself (a process-wide SLA's step) by the process's name
    (definition) => ({
      ...(definition.name ? { [definition.key]: definition.name } : {}),
      ...(definition.elementNames ?? {}),
    }),
    () => ({}),
  );
}

/** The step's name (its id on hover), or its id when it has no name. */
function stepLabel(elementId: string, names: Record<string, string>): HTMLElement {
  const name = names[elementId];
  return name
    ? h('span', { class: 'history-step', title: elementId, 'data-element-id': elementId }, name)
    : h('code', { 'data-element-id': elementId }, elementId);
}
