/** One task: what and whose it is, claim/unclaim, its form, the instance diagram and history. */
import { api } from '../app/api';
import { hasRole, type User } from '../app/session';
import { caseValue, t } from '../i18n';
import { DiagramViewer } from '../shared/diagram-viewer';
import { h, replace } from '../shared/dom';
import { countdown, formatDateTime } from '../shared/format';
import type { Instance, Task } from '../shared/resources';
import { createTabs } from '../shared/tabs';
import { toastError } from '../shared/toast';
import { caseLink } from '../cases/case-page';
import { renderCaseNotes } from '../cases/case-notes';
import { renderHistory } from './history-view';
import { reassignControl } from './reassign';
import { renderTaskForm } from './task-form';

interface Callbacks {
  /** The task changed (claimed, completed): reload the list. */
  onChanged(): void;
  /** Back to the list (phone layout). */
  onBack(): void;
}

/** Renders `task` into `host`; returns a cleanup function. */
export async function renderTaskDetail(
  host: HTMLElement,
  task: Task,
  user: User,
  callbacks: Callbacks,
): Promise<() => void> {
  const instance = await api<Instance>('GET', `/api/instances/${encodeURIComponent(task.instanceId)}`).catch(
    () => null,
  );
  const viewers: DiagramViewer[] = [];
  const mine = task.assignee === user.username;
  const claimButton = mine
    ? h(
        'button',
        { type: 'button', 'data-action': 'unclaim', onclick: () => act(task, 'unclaim', user, callbacks) },
        t('tasks.unclaim'),
      )
    : h(
        'button',
        {
          type: 'button',
          class: task.assignee ? '' : 'primary',
          'data-action': 'claim',
          disabled: !!task.assignee,
          onclick: () => act(task, 'claim', user, callbacks),
        },
        t('tasks.claim'),
      );
  const clock = countdown(task.due);
  replace(
    host,
    h(
      'article',
      { class: 'task-detail', 'aria-labelledby': 'task-title', 'data-task-id': task.id },
      h(
        'button',
        { type: 'button', class: 'link-button back-link', onclick: callbacks.onBack },
        `← ${t('tasks.back')}`,
      ),
      h(
        'header',
        { class: 'task-header' },
        h(
          'div',
          {},
          h('h1', { id: 'task-title' }, task.name ?? task.elementId),
          h(
            'dl',
            { class: 'facts' },
            fact(t('tasks.process'), task.definitionName ?? task.definitionKey),
            businessKeyFact(task.businessKey ?? instance?.businessKey ?? null),
            fact(
              t('tasks.due'),
              task.due ? `${formatDateTime(task.due)} (${clock.text})` : clock.text,
              `countdown-${clock.urgency}`,
            ),
            fact(t('tasks.assignee'), task.assignee ?? t('tasks.nobody')),
            fact(t('tasks.groups'), task.candidateGroups.join(', ') || '—'),
            fact(t('tasks.created'), formatDateTime(task.createdAt)),
            ...caseFacts(instance),
          ),
        ),
        h(
          'div',
          { class: 'task-actions' },
          claimButton,
          hasRole(user, ['supervisor']) ? reassignControl(task, callbacks.onChanged) : null,
        ),
      ),
      createTabs(
        [
          {
            id: 'form',
            label: t('tasks.tabForm'),
            render: (panel) =>
              renderTaskForm(panel, { task, instance, canComplete: mine, onCompleted: callbacks.onChanged }).catch(
                toastError,
              ),
          },
          {
            id: 'diagram',
            label: t('tasks.tabDiagram'),
            render: (panel) => renderDiagram(panel, instance, task, viewers),
          },
          {
            id: 'case',
            label: t('tasks.tabCase'),
            render: (panel) => {
              const key = task.businessKey ?? instance?.businessKey;
              if (!key) return replace(panel, h('p', { class: 'muted' }, t('case.noNotes')));
              return renderCaseNotes(panel, key).catch(toastError);
            },
          },
          {
            id: 'history',
            label: t('tasks.tabHistory'),
            render: (panel) => renderHistory(panel, task.instanceId, instance?.definitionId),
          },
        ],
        `task-${task.id}`,
      ),
    ),
  );
  return () => {
    for (const viewer of viewers) viewer.destroy();
  };
}

// helpers

async function act(task: Task, action: 'claim' | 'unclaim', user: User, callbacks: Callbacks): Promise<void> {
  try {
    const body = action === 'claim' ? { userId: user.username } : undefined;
    await api('POST', `/api/tasks/${encodeURIComponent(task.id)}/${action}`, { body });
    callbacks.onChanged();
  } catch (error) {
    toastError(error);
  }
}

async function renderDiagram(
  panel: HTMLElement,
  instance: Instance | null,
  task: Task,
  viewers: DiagramViewer[],
): Promise<void> {
  if (!instance) return replace(panel, h('p', { class: 'muted' }, t('tasks.instanceMissing')));
  const canvas = h('div', {
    class: 'instance-diagram',
    'data-testid': 'instance-diagram',
    role: 'img',
    'aria-label': t('tasks.diagramLabel', { elements: instance.activeElements.join(', ') }),
  });
  replace(panel, canvas);
  const viewer = new DiagramViewer(canvas);
  viewers.push(viewer);
  try {
    await viewer.show(instance.definitionId);
    viewer.highlight(instance.activeElements, 'svc-active');
    viewer.highlight([task.elementId], 'svc-current');
  } catch (error) {
    replace(panel, h('p', { class: 'form-error' }, (error as Error).message));
  }
}

/** The case behind the task, from the instance's variables where the process keeps them (customer, channel, priority, description). */
function caseFacts(instance: Instance | null): HTMLElement[][] {
  const vars = instance?.variables ?? {};
  const text = (name: string) =>
    typeof vars[name] === 'string' || typeof vars[name] === 'number' ? String(vars[name]) : '';
  const customer = [text('customerName'), text('customerId')].filter(Boolean).join(' · ');
  const rows: Array<[string, string]> = [
    [t('tasks.customer'), customer],
    [t('tasks.channel'), caseValue('channel', text('channel'))],
    [t('tasks.priority'), caseValue('priority', text('priority'))],
    [t('tasks.description'), text('description')],
  ];
  return rows.filter(([, value]) => value).map(([label, value]) => fact(label, value, 'case-fact'));
}

/** The business key, linking to the case page. */
function businessKeyFact(key: string | null): HTMLElement[] {
  return [h('dt', {}, t('tasks.businessKey')), h('dd', {}, key ? caseLink(key) : '—')];
}

function fact(label: string, value: string, className = ''): HTMLElement[] {
  return [h('dt', {}, label), h('dd', { class: className }, value)];
}
