/** The tasklist page (staff): my work sorted by SLA due, the selected task beside it (or instead of it on a phone). */
import '../styles/tasklist.css';
import type { Page } from '../app/router';
import { getSession } from '../app/session';
import { t } from '../i18n';
import { h, replace } from '../shared/dom';
import { subscribeEvents } from '../shared/event-stream';
import type { Task } from '../shared/resources';
import { toastError } from '../shared/toast';
import { fetchStartable, renderNewCase } from './new-case';
import { renderTaskDetail } from './task-detail';
import { TaskListView } from './task-list-view';
import { fetchMyWork } from './task-query';

const REFRESH_MS = 30_000;

export function createPage(): Page {
  const cleanups: Array<() => void> = [];
  return {
    async mount(container) {
      const user = getSession()!.user;
      const detail = h(
        'section',
        { class: 'task-pane', 'aria-live': 'polite' },
        h('p', { class: 'muted empty-detail' }, t('tasks.pick')),
      );
      const layout = h('div', { class: 'tasklist' });
      let tasks: Task[] = [];
      let closeDetail: () => void = () => undefined;
      const show = async (task: Task | null) => {
        closeDetail();
        list.select(task?.id ?? null);
        layout.classList.toggle('showing-detail', !!task);
        setTaskParam(task?.id ?? null);
        if (!task) return replace(detail, h('p', { class: 'muted empty-detail' }, t('tasks.pick')));
        closeDetail = await renderTaskDetail(detail, task, user, {
          onChanged: () => void reload(task.id),
          onBack: () => void show(null),
        });
      };
      const list = new TaskListView(user, (task) => void show(task).catch(toastError));
      const reload = async (keep: string | null = currentTaskParam()) => {
        tasks = await fetchMyWork(user).catch((error) => {
          toastError(error);
          return tasks;
        });
        list.setTasks(tasks);
        await show(tasks.find((task) => task.id === keep) ?? null);
      };
      const startable = await fetchStartable();
      const newCase =
        startable.length === 0
          ? null
          : h(
              'button',
              {
                type: 'button',
                class: 'primary new-case-button',
                'data-action': 'new-case',
                onclick: () => {
                  closeDetail();
                  list.select(null);
                  layout.classList.add('showing-detail');
                  renderNewCase(detail, startable, (instance) => void openFirstTask(instance.id));
                },
              },
              `+ ${t('cases.new')}`,
            );
      // after a start: the new case's first task when this user may work it, else the list
      const openFirstTask = async (instanceId: string) => {
        tasks = await fetchMyWork(user).catch(() => tasks);
        list.setTasks(tasks);
        await show(tasks.find((task) => task.instanceId === instanceId) ?? null);
      };
      if (newCase) list.element.prepend(h('div', { class: 'task-list-actions' }, newCase));
      replace(layout, list.element, detail);
      container.appendChild(h('h1', { class: 'visually-hidden' }, t('tasks.title')));
      container.appendChild(layout);
      await reload();
      const refreshList = () =>
        void fetchMyWork(user)
          .then((fresh) => {
            tasks = fresh;
            list.setTasks(fresh);
          })
          .catch(() => undefined);
      // New work shows up through the event stream where the user may listen to it, and every half minute anyway.
      const ticker = setInterval(refreshList, REFRESH_MS);
      const unsubscribe = subscribeEvents((event) => {
        if (event.type.startsWith('task.') || event.type === 'stream.reset') refreshList();
      });
      cleanups.push(
        () => clearInterval(ticker),
        unsubscribe,
        () => closeDetail(),
      );
    },
    unmount() {
      for (const cleanup of cleanups.splice(0)) cleanup();
    },
  };
}

// helpers

function currentTaskParam(): string | null {
  return new URLSearchParams(location.search).get('task');
}

/** Keeps `?task=<id>` in the address bar, so a task can be linked and survives a reload. */
function setTaskParam(id: string | null): void {
  const url = new URL(location.href);
  if (id) url.searchParams.set('task', id);
  else url.searchParams.delete('task');
  history.replaceState(null, '', url);
}
