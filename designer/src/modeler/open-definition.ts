/** Picks a deployed definition (latest versions) and resolves with its BPMN XML. */
import { api, query } from '../app/api';
import { t } from '../i18n';
import { openDialog } from '../shared/dialog';
import { h, replace } from '../shared/dom';
import { formatDateTime } from '../shared/format';
import { toastError } from '../shared/toast';

export interface DefinitionSummary {
  id: string;
  key: string;
  version: number;
  name: string | null;
  deployedAt: string;
}

/** Opens the chooser; resolves with the chosen definition's XML, or null when cancelled. */
export function chooseDeployedDefinition(): Promise<string | null> {
  let chosen: string | null = null;
  const body = h('div', { class: 'definition-chooser' }, h('p', { class: 'loading' }, t('common.loading')));
  const dialog = openDialog({ title: t('designer.openDeployed'), body, testId: 'open-deployed' });
  void fill(body, async (definition) => {
    try {
      chosen = await api<string>('GET', `/api/definitions/${encodeURIComponent(definition.id)}/xml`, { text: true });
      dialog.close();
    } catch (error) {
      toastError(error);
    }
  });
  return dialog.closed.then(() => chosen);
}

// helpers

async function fill(body: HTMLElement, choose: (definition: DefinitionSummary) => void): Promise<void> {
  try {
    const page = await api<{ items: DefinitionSummary[] }>(
      'GET',
      `/api/definitions${query({ latestOnly: 'true', limit: 200 })}`,
    );
    if (page.items.length === 0) return replace(body, h('p', {}, t('designer.noDefinitions')));
    replace(
      body,
      h(
        'ul',
        { class: 'choice-list' },
        page.items.map((definition) =>
          h(
            'li',
            {},
            h(
              'button',
              { type: 'button', class: 'choice', onclick: () => choose(definition) },
              h('strong', {}, definition.name ?? definition.key),
              h(
                'span',
                { class: 'muted' },
                `${definition.key} · v${definition.version} · ${formatDateTime(definition.deployedAt)}`,
              ),
            ),
          ),
        ),
      ),
    );
  } catch (error) {
    replace(body, h('p', { class: 'form-error' }, (error as Error).message));
  }
}
