/** The admin page (admins): users and their roles, candidate groups and their members, API tokens for workers. */
import '../styles/admin.css';
import type { Page } from '../app/router';
import { t } from '../i18n';
import { h } from '../shared/dom';
import { createTabs } from '../shared/tabs';
import { renderGroups } from './groups-view';
import { renderTokens } from './tokens-view';
import { renderUsers } from './users-view';

export function createPage(): Page {
  return {
    mount(container) {
      container.appendChild(
        h(
          'div',
          { class: 'admin' },
          h('h1', {}, t('admin.title')),
          h('p', { class: 'muted admin-intro' }, t('admin.intro')),
          // Each tab loads afresh when shown: a user deleted on one tab leaves the groups of another.
          createTabs(
            [
              { id: 'users', label: t('admin.tabUsers'), render: renderUsers, fresh: true },
              { id: 'groups', label: t('admin.tabGroups'), render: renderGroups, fresh: true },
              { id: 'tokens', label: t('admin.tabTokens'), render: renderTokens, fresh: true },
            ],
            'admin',
          ),
        ),
      );
    },
  };
}
