/** The admin page: users and groups arrive with the users-and-roles work; until then it says so. */
import type { Page } from '../app/router';
import { t } from '../i18n';
import { h } from '../shared/dom';

export function createPage(): Page {
  return {
    mount(container) {
      container.appendChild(h('section', { class: 'notice-page' }, h('h1', {}, t('nav.admin')), h('p', {}, t('admin.placeholder'))));
    },
  };
}
