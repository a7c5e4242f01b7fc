/** The app header: brand, the pages this user may open, the language switch and the user menu. */
import { getLanguage, setLanguage, t } from '../i18n';
import { h, replace } from '../shared/dom';
import { navigate, ROUTES } from './router';
import { inboxLink, stopInboxCount } from '../inbox/inbox-badge';
import { clearSession, getSession, hasRole } from './session';

/** Renders the header for the current session and path. */
export function renderHeader(host: HTMLElement): void {
  const session = getSession();
  const path = location.pathname;
  const links = ROUTES.filter(
    (route) => route.nav && session && (!route.roles || hasRole(session.user, route.roles)),
  ).map((route) =>
    h(
      'a',
      {
        href: route.path,
        class: path === route.path ? 'nav-link active' : 'nav-link',
        'aria-current': path === route.path ? 'page' : false,
        onclick: (event: MouseEvent) => followLink(event, route.path),
      },
      t(route.titleKey),
    ),
  );
  replace(
    host,
    h(
      'a',
      { class: 'brand', href: '/', 'aria-label': 'svcflow' },
      h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, '◆'),
      'svcflow',
    ),
    h('nav', { class: 'app-nav', 'aria-label': t('nav.label') }, links),
    h(
      'div',
      { class: 'header-tools' },
      session ? inboxLink() : null,
      languageSwitch(),
      session ? userMenu(session.user.displayName, session.user.roles.join(', ')) : null,
    ),
  );
}

// helpers

function languageSwitch(): HTMLElement {
  const next = getLanguage() === 'en' ? 'zh' : 'en';
  return h(
    'button',
    {
      type: 'button',
      class: 'lang-switch',
      'data-testid': 'lang-switch',
      lang: next === 'zh' ? 'zh-CN' : 'en',
      'aria-label': t('header.switchLanguage'),
      onclick: () => setLanguage(next),
    },
    next === 'zh' ? '中文' : 'English',
  );
}

function userMenu(name: string, roles: string): HTMLElement {
  return h(
    'div',
    { class: 'user-menu' },
    h('span', { class: 'user-name', title: roles }, name),
    h('button', { type: 'button', class: 'link-button', onclick: signOut }, t('header.signOut')),
  );
}

function signOut(): void {
  stopInboxCount();
  clearSession();
  navigate('/login');
}

function followLink(event: MouseEvent, path: string): void {
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
  event.preventDefault();
  navigate(path);
}
