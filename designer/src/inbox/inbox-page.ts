/** The inbox: what was addressed to me or my groups, newest first; mark read one by one or all. */
import '../styles/inbox.css';
import type { Page } from '../app/router';
import { t } from '../i18n';
import { h, replace } from '../shared/dom';
import { subscribeEvents } from '../shared/event-stream';
import { formatDateTime } from '../shared/format';
import { toastError } from '../shared/toast';
import { showCount } from './inbox-badge';
import { describe, fetchInbox, markRead, type InboxItem } from './inbox-data';

export function createPage(): Page {
  let unsubscribe: (() => void) | null = null;
  return {
    async mount(container) {
      const list = h('ul', { class: 'inbox-items', 'data-testid': 'inbox' });
      const markAll = h('button', { type: 'button', 'data-action': 'mark-all-read' }, t('inbox.markAll'));
      const reload = async () => {
        const inbox = await fetchInbox().catch((error) => {
          toastError(error);
          return { items: [] as InboxItem[], unread: 0 };
        });
        showCount(inbox.unread);
        markAll.disabled = inbox.unread === 0;
        replace(
          list,
          inbox.items.length === 0
            ? h('li', { class: 'empty muted' }, t('inbox.empty'))
            : inbox.items.map((item) => row(item, reload)),
        );
      };
      markAll.onclick = () => void markRead({ all: true }).then(reload, toastError);
      container.appendChild(
        h(
          'section',
          { class: 'inbox-page' },
          h('header', { class: 'page-header' }, h('h1', {}, t('inbox.title')), markAll),
          list,
        ),
      );
      await reload();
      unsubscribe = subscribeEvents((event) => {
        if (event.type === 'notification.created' || event.type === 'stream.reset') void reload();
      });
    },
    unmount() {
      unsubscribe?.();
    },
  };
}

// helpers

function row(item: InboxItem, reload: () => Promise<void>): HTMLElement {
  const taskId = typeof item.payload.taskId === 'string' ? item.payload.taskId : null;
  return h(
    'li',
    {
      class: item.read ? 'inbox-item read' : 'inbox-item unread',
      'data-notification-id': item.id,
      'data-kind': item.kind,
    },
    h('span', { class: 'inbox-dot', 'aria-hidden': 'true' }),
    h(
      'div',
      { class: 'inbox-text' },
      h('p', {}, describe(item)),
      h(
        'p',
        { class: 'muted' },
        `${formatDateTime(item.createdAt)}${item.toGroup ? ` · ${t('inbox.toGroup', { group: item.toGroup })}` : ''}`,
      ),
    ),
    h(
      'div',
      { class: 'inbox-actions' },
      taskId
        ? h('a', { href: `/tasks?task=${encodeURIComponent(taskId)}`, class: 'button-link' }, t('inbox.openTask'))
        : null,
      item.read
        ? h('span', { class: 'muted' }, t('inbox.read'))
        : h(
            'button',
            {
              type: 'button',
              'data-action': 'mark-read',
              onclick: () => void markRead({ ids: [item.id] }).then(reload, toastError),
            },
            t('inbox.markRead'),
          ),
    ),
  );
}
