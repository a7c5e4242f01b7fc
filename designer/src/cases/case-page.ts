/**
 * The case page (`/cases/{businessKey}`) and the case search (`/cases?q=…`): everything about one case for
 * whoever may see it — customer, channel, description, priority, SLA due and business time left, linked
 * cases, notes and attachments, the timeline and the diagram with where the case is.
 */
import '../styles/cases.css';
import { api } from '../app/api';
import { navigate, type Page } from '../app/router';
import { caseValue, getLanguage, t, type MessageKey } from '../i18n';
import { DiagramViewer } from '../shared/diagram-viewer';
import { h, replace } from '../shared/dom';
import { formatDateTime } from '../shared/format';
import type { Definition } from '../shared/resources';
import { toastError } from '../shared/toast';
import { renderHistory } from '../tasklist/history-view';
import { readCase, searchCases, type CaseSummary, type CaseView } from './case-data';
import { renderCaseNotes } from './case-notes';

export function createPage(): Page {
  const viewers: DiagramViewer[] = [];
  return {
    async mount(container) {
      const key = decodeURIComponent(location.pathname.replace(/^\/cases\/?/, ''));
      const q = new URLSearchParams(location.search).get('q') ?? '';
      const body = h('div', { class: 'case-body' });
      container.appendChild(h('section', { class: 'case-page' }, searchForm(key ? '' : q), body));
      if (key) await renderCase(body, key, viewers);
      else if (q) await renderResults(body, q);
      else replace(body, h('p', { class: 'muted' }, t('case.searchHint')));
    },
    unmount() {
      for (const viewer of viewers) viewer.destroy();
    },
  };
}

/** The link to a case page, opened without a reload. */
export function caseLink(businessKey: string, text = businessKey): HTMLAnchorElement {
  const href = `/cases/${encodeURIComponent(businessKey)}`;
  return h(
    'a',
    {
      href,
      class: 'case-link',
      onclick: (event: MouseEvent) => {
        event.preventDefault();
        navigate(href);
      },
    },
    text,
  );
}

// helpers

function searchForm(q: string): HTMLElement {
  const input = h('input', {
    type: 'search',
    name: 'q',
    value: q,
    'data-testid': 'case-search',
    placeholder: t('case.searchPlaceholder'),
    'aria-label': t('case.searchLabel'),
  });
  return h(
    'form',
    {
      class: 'case-search',
      role: 'search',
      onsubmit: (event: Event) => {
        event.preventDefault();
        if (input.value.trim()) navigate(`/cases?q=${encodeURIComponent(input.value.trim())}`);
      },
    },
    input,
    h('button', { type: 'submit', class: 'primary' }, t('case.search')),
  );
}

async function renderResults(host: HTMLElement, q: string, cursor?: string, list?: HTMLElement): Promise<void> {
  const page = await searchCases(q, cursor).catch((error) => {
    toastError(error);
    return { items: [] as CaseSummary[], nextCursor: null };
  });
  if (!list) {
    if (page.items.length === 0) return replace(host, h('p', { class: 'muted' }, t('case.noResults')));
    list = h('ul', { class: 'case-results', 'data-testid': 'case-results' });
    replace(host, h('h1', {}, t('case.searchLabel')), list);
  }
  for (const item of page.items) {
    list.appendChild(
      h(
        'li',
        { class: 'case-result', 'data-business-key': item.businessKey ?? '' },
        item.businessKey ? caseLink(item.businessKey) : h('code', {}, item.instanceId),
        h('span', { class: `badge status-${item.status}` }, t(statusKey(item.status))),
        h('span', {}, item.customer ?? '—'),
        h('span', { class: 'muted' }, formatDateTime(item.startedAt)),
        item.description ? h('q', {}, item.description) : null,
      ),
    );
  }
  list.nextElementSibling?.remove();
  if (page.nextCursor) {
    const more = h('button', { type: 'button', 'data-action': 'more' }, t('case.more'));
    more.onclick = () => void renderResults(host, q, page.nextCursor ?? undefined, list);
    list.after(more);
  }
}

async function renderCase(host: HTMLElement, key: string, viewers: DiagramViewer[]): Promise<void> {
  let view: CaseView;
  try {
    view = await readCase(key);
  } catch {
    return replace(host, h('p', { class: 'form-error', 'data-testid': 'case-missing' }, t('case.notFound')));
  }
  const { instance } = view;
  // the process by its name, as the task detail shows it (the key when the definition cannot be read)
  const definition = await api<Definition>(
    'GET',
    `/api/definitions/${encodeURIComponent(instance.definitionId)}`,
  ).catch(() => null);
  const processName = definition?.name?.replace(/\s*\n\s*/g, ' / ') || instance.definitionKey;
  const vars = instance.variables ?? {};
  const text = (name: string) =>
    typeof vars[name] === 'string' || typeof vars[name] === 'number' ? String(vars[name]) : '';
  const customerKey = text('customerId') || text('customerName') || text('contactPhone');
  const customer = [text('customerName'), text('customerId'), text('contactPhone')].filter(Boolean).join(' · ');
  const notes = h('div', { class: 'case-notes-host' });
  const timeline = h('div', { class: 'case-timeline' });
  const canvas = h('div', {
    class: 'instance-diagram',
    'data-testid': 'instance-diagram',
    role: 'img',
    'aria-label': t('tasks.diagramLabel', { elements: instance.activeElements.join(', ') }),
  });
  replace(
    host,
    h(
      'article',
      { class: 'case-detail', 'data-testid': 'case-detail', 'data-business-key': view.businessKey },
      h(
        'header',
        { class: 'case-header' },
        h('h1', {}, t('case.title', { key: view.businessKey })),
        h('span', { class: `badge status-${instance.status}` }, t(statusKey(instance.status))),
      ),
      h(
        'dl',
        { class: 'facts case-facts' },
        fact(t('case.process'), processName),
        fact(
          t('tasks.customer'),
          customer || '—',
          customerKey
            ? h(
                'a',
                {
                  href: `/cases?q=${encodeURIComponent(customerKey)}`,
                  class: 'customer-cases',
                  'data-action': 'customer-cases',
                  onclick: (event: MouseEvent) => {
                    event.preventDefault();
                    navigate(`/cases?q=${encodeURIComponent(customerKey)}`);
                  },
                },
                t('case.allOfCustomer'),
              )
            : null,
        ),
        fact(t('tasks.channel'), caseValue('channel', text('channel')) || '—'),
        fact(t('tasks.priority'), caseValue('priority', text('priority')) || '—'),
        fact(t('tasks.description'), text('description') || '—'),
        fact(t('case.started'), formatDateTime(instance.startedAt)),
        instance.endedAt ? fact(t('case.ended'), formatDateTime(instance.endedAt)) : [],
        fact(t('case.sla'), slaText(view)),
        view.links.length > 0 ? fact(t('case.links'), '', linksOf(view)) : [],
      ),
      h('h2', {}, t('case.notes')),
      notes,
      h('h2', {}, t('case.diagram')),
      canvas,
      h('h2', {}, t('case.timeline')),
      timeline,
    ),
  );
  await Promise.all([
    renderCaseNotes(notes, view.businessKey, { notes: view.notes, maxBytes: view.attachmentMaxBytes }).catch(
      toastError,
    ),
    renderHistory(timeline, instance.id, instance.definitionId),
    showDiagram(canvas, view, viewers),
  ]);
}

async function showDiagram(canvas: HTMLElement, view: CaseView, viewers: DiagramViewer[]): Promise<void> {
  const viewer = new DiagramViewer(canvas);
  viewers.push(viewer);
  try {
    await viewer.show(view.instance.definitionId);
    viewer.highlight(view.instance.activeElements, 'svc-active');
  } catch (error) {
    replace(canvas, h('p', { class: 'form-error' }, (error as Error).message));
  }
}

function slaText(view: CaseView): string {
  if (view.sla.length === 0) return t('case.noSla');
  return view.sla
    .map((s) => {
      const step = (s.elementName ?? s.elementId).replace(/\s*\n\s*/g, ' / ');
      if (s.status === 'met' || s.status === 'cancelled')
        return t('case.slaDone', { step, status: t(s.status === 'met' ? 'case.slaMet' : 'case.slaCancelled') });
      const key: MessageKey = s.businessRemainingMs < 0 ? 'case.slaBreached' : 'case.slaLine';
      return t(key, { step, due: formatDateTime(s.dueAt), remaining: businessTime(s.businessRemainingMs) });
    })
    .join('\n');
}

/** Business time in hours and minutes of the reader's language ("45h 0m", "45小时0分钟"): business days are not 24 h. */
function businessTime(ms: number): string {
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  if (minutes < 1) return t('duration.lessThanMinute');
  const hours = Math.floor(minutes / 60);
  const parts = [hours ? t('duration.hours', { n: hours }) : '', t('duration.minutes', { n: minutes % 60 })];
  return parts.filter(Boolean).join(getLanguage() === 'zh' ? '' : ' ');
}

function linksOf(view: CaseView): HTMLElement {
  return h(
    'ul',
    { class: 'case-links', 'data-testid': 'case-links' },
    view.links.map((link) => {
      const key = link.businessKey ?? link.instanceId;
      const [before, after] = t(link.kind === 'duplicate-of' ? 'case.duplicateOf' : 'case.duplicatedBy', {
        key: '\u0000',
      }).split('\u0000');
      return h('li', { 'data-link': link.kind }, before, caseLink(key), after);
    }),
  );
}

function fact(label: string, value: string, extra: HTMLElement | null = null): HTMLElement[] {
  return [h('dt', {}, label), h('dd', { class: 'case-fact' }, value, extra ? ' ' : null, extra)];
}

function statusKey(status: string): MessageKey {
  return status === 'completed'
    ? 'cases.statusClosed'
    : status === 'terminated'
      ? 'cases.statusCancelled'
      : 'cases.statusOpen';
}
