/**
 * Incidents (supervisors, owners): the failures waiting for a person — where (process, element), what
 * (code and error), since when — and, for one, the case's variables and diagram with the failing element;
 * supervisors retry it (with changed variables) or cancel the case.
 */
import '../styles/incidents.css';
import { api, query } from '../app/api';
import { navigate, type Page } from '../app/router';
import { getSession, hasRole } from '../app/session';
import { t } from '../i18n';
import { confirmDialog } from '../shared/dialog';
import { DiagramViewer } from '../shared/diagram-viewer';
import { h, replace } from '../shared/dom';
import { subscribeEvents } from '../shared/event-stream';
import { formatDateTime } from '../shared/format';
import type { Definition, Instance } from '../shared/resources';
import { toast, toastError } from '../shared/toast';

export interface Incident {
  id: string;
  instanceId: string;
  definitionKey: string;
  elementId: string;
  code: string;
  message: string;
  jobId: string | null;
  status: 'open' | 'resolved';
  createdAt: string;
  resolvedAt: string | null;
  /** On a calling case's incident at its call activity: the called case's incident below it. */
  causeIncidentId?: string | null;
  /** On a calling case's incident: the incident at the bottom of the call chain, which a retry acts on. */
  rootCauseIncidentId?: string | null;
}

export function createPage(): Page {
  const cleanups: Array<() => void> = [];
  return {
    async mount(container) {
      const list = h('div', { class: 'incident-list', 'data-testid': 'incident-list' });
      const detail = h(
        'section',
        { class: 'incident-detail', 'data-testid': 'incident-detail', 'aria-live': 'polite' },
        h('p', { class: 'muted' }, t('incidents.pick')),
      );
      const status = h(
        'select',
        { id: 'incident-status', 'aria-label': t('incidents.status') },
        h('option', { value: 'open' }, t('incidents.open')),
        h('option', { value: 'resolved' }, t('incidents.resolved')),
      );
      let viewer: DiagramViewer | null = null;
      const show = async (incident: Incident | null) => {
        viewer?.destroy();
        viewer = null;
        setParam(incident?.id ?? null);
        if (!incident) return replace(detail, h('p', { class: 'muted' }, t('incidents.pick')));
        viewer = await renderDetail(
          detail,
          incident,
          () => void reload(null),
          (id) => void reload(id),
        );
      };
      const reload = async (keep: string | null = new URLSearchParams(location.search).get('incident')) => {
        const items = await fetchIncidents(status.value as Incident['status']).catch((error) => {
          toastError(error);
          return [] as Incident[];
        });
        renderList(list, items, keep, (incident) => void show(incident).catch(toastError));
        await show(items.find((incident) => incident.id === keep) ?? null);
      };
      status.onchange = () => void reload(null);
      container.appendChild(
        h(
          'div',
          { class: 'incidents-page' },
          h(
            'header',
            { class: 'page-header' },
            h('h1', {}, t('incidents.title')),
            h('label', { class: 'inline-field' }, t('incidents.status'), status),
          ),
          h('div', { class: 'incidents-body' }, list, detail),
        ),
      );
      await reload();
      const unsubscribe = subscribeEvents((event) => {
        if (event.type.startsWith('incident.') || event.type === 'stream.reset') void reload();
      });
      cleanups.push(unsubscribe, () => viewer?.destroy());
    },
    unmount() {
      for (const cleanup of cleanups.splice(0)) cleanup();
    },
  };
}

// helpers

async function fetchIncidents(status: Incident['status']): Promise<Incident[]> {
  return (await api<{ items: Incident[] }>('GET', `/api/incidents${query({ status, limit: 200 })}`)).items;
}

function renderList(
  host: HTMLElement,
  items: Incident[],
  selected: string | null,
  onSelect: (incident: Incident) => void,
): void {
  if (items.length === 0) {
    replace(host, h('p', { class: 'muted empty' }, t('incidents.none')));
    return;
  }
  const rows = items.map((incident) =>
    h(
      'tr',
      { 'data-incident-id': incident.id, class: incident.id === selected ? 'selected' : '' },
      h('td', {}, incident.definitionKey),
      h('td', {}, h('code', {}, incident.elementId)),
      h('td', {}, h('span', { class: 'code-badge' }, incident.code)),
      h('td', { class: 'incident-message' }, incident.message),
      h('td', {}, formatDateTime(incident.createdAt)),
      h(
        'td',
        {},
        h(
          'button',
          { type: 'button', 'data-action': 'open-incident', onclick: () => onSelect(incident) },
          t('incidents.details'),
        ),
      ),
    ),
  );
  replace(
    host,
    h(
      'table',
      { class: 'data-table' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...[
            'incidents.process',
            'incidents.element',
            'incidents.code',
            'incidents.error',
            'incidents.since',
            'incidents.actions',
          ].map((key) => h('th', { scope: 'col' }, t(key as Parameters<typeof t>[0]))),
        ),
      ),
      h('tbody', {}, rows),
    ),
  );
}

/** The incident at the bottom of a chained incident's call chain (open or resolved), or null when it is not found. */
async function rootCauseOf(incident: Incident): Promise<Incident | null> {
  if (!incident.rootCauseIncidentId) return null;
  for (const status of [incident.status, incident.status === 'open' ? 'resolved' : 'open'] as const) {
    const found = (await fetchIncidents(status)).find((item) => item.id === incident.rootCauseIncidentId);
    if (found) return found;
  }
  return null;
}

/**
 * The incident with its case: facts, the error, the variables to change, the diagram; returns the viewer to destroy.
 * A calling case's incident (CALLED_INSTANCE_INCIDENT) links to the called case holding its root cause, and its
 * variables are that case's: the retry acts on the root cause, so its changed variables are set there.
 */
async function renderDetail(
  host: HTMLElement,
  incident: Incident,
  onDone: () => void,
  onOpen: (incidentId: string) => void,
): Promise<DiagramViewer> {
  const instance = await api<Instance>('GET', `/api/instances/${encodeURIComponent(incident.instanceId)}`);
  const root = await rootCauseOf(incident).catch(() => null);
  const retried =
    root && root.instanceId !== instance.id
      ? await api<Instance>('GET', `/api/instances/${encodeURIComponent(root.instanceId)}`).catch(() => null)
      : null;
  const target = retried ?? instance;
  const targetKey = target.businessKey ?? target.id;
  const definition = await api<Definition>(
    'GET',
    `/api/definitions/${encodeURIComponent(instance.definitionId)}`,
  ).catch(() => null);
  const user = getSession()!.user;
  const canAct = incident.status === 'open' && hasRole(user, ['supervisor']);
  const elementName = definition?.elementNames?.[incident.elementId];
  const variables = h(
    'textarea',
    {
      id: 'incident-variables',
      rows: 6,
      spellcheck: 'false',
      'aria-describedby': 'incident-variables-hint',
      disabled: !canAct,
    },
    JSON.stringify(target.variables, null, 2),
  );
  const canvas = h('div', { class: 'incident-diagram', 'data-testid': 'incident-diagram' });
  replace(
    host,
    h('h2', {}, `${instance.businessKey ?? instance.id} · ${definition?.name ?? incident.definitionKey}`),
    h(
      'dl',
      { class: 'facts' },
      fact(t('incidents.element'), elementName ? `${elementName} (${incident.elementId})` : incident.elementId),
      fact(t('incidents.code'), incident.code),
      fact(t('incidents.since'), formatDateTime(incident.createdAt)),
      incident.resolvedAt ? fact(t('incidents.resolvedAt'), formatDateTime(incident.resolvedAt)) : [],
    ),
    h('p', { class: 'incident-error', role: 'alert' }, incident.message),
    root && retried
      ? h(
          'p',
          { class: 'incident-root', 'data-testid': 'incident-root' },
          t('incidents.rootCause', { element: root.elementId, code: root.code }),
          ' ',
          h(
            'a',
            {
              href: `/incidents?incident=${encodeURIComponent(root.id)}`,
              'data-action': 'open-root-cause',
              'data-instance-id': retried.id,
              onclick: (event: MouseEvent) => {
                event.preventDefault();
                onOpen(root.id);
              },
            },
            t('incidents.rootCaseLink', { key: targetKey }),
          ),
          retried.businessKey
            ? [
                ' · ',
                h(
                  'a',
                  {
                    href: `/cases/${encodeURIComponent(retried.businessKey)}`,
                    class: 'case-link',
                    onclick: (event: MouseEvent) => {
                      event.preventDefault();
                      navigate(`/cases/${encodeURIComponent(retried.businessKey!)}`);
                    },
                  },
                  t('incidents.rootCasePage'),
                ),
              ]
            : [],
        )
      : null,
    h(
      'label',
      { for: 'incident-variables' },
      retried ? t('incidents.variablesOf', { key: targetKey }) : t('incidents.variables'),
    ),
    variables,
    h('p', { id: 'incident-variables-hint', class: 'hint' }, t('incidents.variablesHint')),
    canAct
      ? h(
          'div',
          { class: 'form-actions' },
          h(
            'button',
            { type: 'button', 'data-action': 'cancel-case', onclick: () => void cancelCase(instance, onDone) },
            t('incidents.cancelCase'),
          ),
          h(
            'button',
            {
              type: 'button',
              class: 'primary',
              'data-action': 'retry',
              onclick: () => void retry(incident, target, variables.value, onDone),
            },
            t('incidents.retry'),
          ),
        )
      : null,
    canvas,
  );
  const viewer = new DiagramViewer(canvas);
  await viewer
    .show(instance.definitionId)
    .then(() => viewer.highlight([incident.elementId], 'svc-incident'))
    .catch(() => undefined);
  return viewer;
}

/** Retries with the variables that differ from the current ones of `instance`, the case the retry acts on. */
async function retry(incident: Incident, instance: Instance, text: string, onDone: () => void): Promise<void> {
  let edited: Record<string, unknown>;
  try {
    edited = JSON.parse(text || '{}');
    if (!edited || typeof edited !== 'object' || Array.isArray(edited)) throw new Error();
  } catch {
    return toast(t('incidents.variablesInvalid'), 'error');
  }
  const changed = Object.fromEntries(
    Object.entries(edited).filter(([key, value]) => JSON.stringify(instance.variables[key]) !== JSON.stringify(value)),
  );
  try {
    await api('POST', `/api/incidents/${encodeURIComponent(incident.id)}/retry`, {
      body: Object.keys(changed).length > 0 ? { variables: changed } : {},
    });
    toast(t('incidents.retried', { key: instance.businessKey ?? instance.id }), 'success');
    onDone();
  } catch (error) {
    toastError(error);
  }
}

async function cancelCase(instance: Instance, onDone: () => void): Promise<void> {
  const key = instance.businessKey ?? instance.id;
  if (
    !(await confirmDialog(t('incidents.cancelCase'), t('incidents.cancelConfirm', { key }), t('incidents.cancelCase')))
  )
    return;
  try {
    await api('POST', `/api/instances/${encodeURIComponent(instance.id)}/cancel`);
    toast(t('incidents.cancelled', { key }), 'success');
    onDone();
  } catch (error) {
    toastError(error);
  }
}

function fact(label: string, value: string): HTMLElement[] {
  return [h('dt', {}, label), h('dd', {}, value)];
}

function setParam(id: string | null): void {
  const url = new URL(location.href);
  if (id) url.searchParams.set('incident', id);
  else url.searchParams.delete('incident');
  history.replaceState(null, '', url);
}
