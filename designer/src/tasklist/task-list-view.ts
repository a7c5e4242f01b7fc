/** The left column of the tasklist: filter chips, search and the tasks with their SLA countdown. */
import type { User } from '../app/session';
import { t, type MessageKey } from '../i18n';
import { h, replace } from '../shared/dom';
import { countdown } from '../shared/format';
import type { Task } from '../shared/resources';
import { filterTasks, type TaskFilter } from './task-query';

const FILTERS: Array<[TaskFilter, MessageKey]> = [
  ['all', 'tasks.filterAll'],
  ['mine', 'tasks.filterMine'],
  ['unassigned', 'tasks.filterUnassigned'],
  ['overdue', 'tasks.filterOverdue'],
];

export class TaskListView {
  readonly element: HTMLElement;
  private readonly items = h('ul', { class: 'task-items', 'aria-label': t('tasks.listLabel') });
  private readonly count = h('p', { class: 'muted task-count', 'aria-live': 'polite' });
  private tasks: Task[] = [];
  private filter: TaskFilter = 'all';
  private search = '';
  private selectedId: string | null = null;

  constructor(
    private readonly user: User,
    private readonly onSelect: (task: Task) => void,
  ) {
    const searchBox = h('input', {
      type: 'search',
      class: 'task-search',
      placeholder: t('tasks.search'),
      'aria-label': t('tasks.search'),
      oninput: () => {
        this.search = searchBox.value;
        this.render();
      },
    });
    const chips = FILTERS.map(([value, key]) =>
      h(
        'button',
        {
          type: 'button',
          class: 'chip',
          'data-filter': value,
          'aria-pressed': String(value === this.filter),
          onclick: () => {
            this.filter = value;
            for (const chip of chips) chip.setAttribute('aria-pressed', String(chip.dataset.filter === value));
            this.render();
          },
        },
        t(key),
      ),
    );
    this.element = h(
      'section',
      { class: 'task-list', 'aria-label': t('tasks.title') },
      h(
        'div',
        { class: 'task-list-tools' },
        searchBox,
        h('div', { class: 'chips', role: 'group', 'aria-label': t('tasks.filter') }, chips),
      ),
      this.count,
      this.items,
    );
  }

  setTasks(tasks: Task[]): void {
    this.tasks = tasks;
    this.render();
  }

  select(id: string | null): void {
    this.selectedId = id;
    for (const item of this.items.querySelectorAll<HTMLElement>('[data-task-id]'))
      item.setAttribute('aria-current', String(item.dataset.taskId === id));
  }

  /** Re-renders (also every half minute, so countdowns move). */
  render(): void {
    const visible = filterTasks(this.tasks, this.filter, this.search, this.user);
    this.count.textContent = t('tasks.count', { n: visible.length, total: this.tasks.length });
    replace(
      this.items,
      visible.length === 0 ? h('li', { class: 'empty' }, t('tasks.empty')) : visible.map((task) => this.item(task)),
    );
  }

  // helpers

  private item(task: Task): HTMLElement {
    const clock = countdown(task.due);
    const owner =
      task.assignee === this.user.username
        ? t('tasks.assignedToMe')
        : task.assignee
          ? t('tasks.assignedTo', { user: task.assignee })
          : t('tasks.unassignedIn', { groups: task.candidateGroups.join(', ') || '—' });
    return h(
      'li',
      {},
      h(
        'button',
        {
          type: 'button',
          class: 'task-item',
          'data-task-id': task.id,
          'aria-current': String(task.id === this.selectedId),
          onclick: () => this.onSelect(task),
        },
        h('span', { class: 'task-name' }, task.name ?? task.elementId),
        h(
          'span',
          { class: 'task-meta' },
          [task.businessKey, task.definitionName ?? task.definitionKey, owner].filter(Boolean).join(' · '),
        ),
        h('span', { class: `countdown countdown-${clock.urgency}`, 'data-testid': 'countdown' }, clock.text),
        task.priority >= 80 ? h('span', { class: 'priority-high' }, t('tasks.urgent')) : null,
      ),
    );
  }
}
