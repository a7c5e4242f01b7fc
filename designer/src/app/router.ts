/** Client-side routes: each page is a lazily loaded chunk, mounted into <main>. */
import type { MessageKey } from '../i18n';
import { getSession, hasRole, homeFor, type Role } from './session';

/** A page of the app; `mount` renders into the container, `unmount` releases what it holds. */
export interface Page {
  mount(container: HTMLElement): void | Promise<void>;
  unmount?(): void;
}

export interface Route {
  path: string;
  titleKey: MessageKey;
  /** Who may open the page; everyone signed in when absent. */
  roles?: Role[];
  /** Shown in the header navigation. */
  nav: boolean;
  /** Also serves the paths below it (`/cases/CMP-1`); the page reads the rest of the path. */
  prefix?: boolean;
  load: () => Promise<{ createPage(): Page }>;
}

export const ROUTES: Route[] = [
  {
    path: '/designer',
    titleKey: 'nav.designer',
    roles: ['owner'],
    nav: true,
    load: () => import('../modeler/designer-page'),
  },
  {
    path: '/decisions',
    titleKey: 'nav.decisions',
    roles: ['owner'],
    nav: true,
    load: () => import('../modeler/dmn/decision-page'),
  },
  { path: '/tasks', titleKey: 'nav.tasks', nav: true, load: () => import('../tasklist/tasklist-page') },
  {
    path: '/cases',
    titleKey: 'nav.cases',
    roles: ['staff', 'supervisor', 'owner'],
    nav: true,
    prefix: true,
    load: () => import('../cases/case-page'),
  },
  {
    path: '/sla',
    titleKey: 'nav.sla',
    roles: ['supervisor', 'owner'],
    nav: true,
    load: () => import('../dashboard/dashboard-page'),
  },
  {
    path: '/incidents',
    titleKey: 'nav.incidents',
    roles: ['supervisor', 'owner'],
    nav: true,
    load: () => import('../incidents/incidents-page'),
  },
  {
    path: '/performance',
    titleKey: 'perf.title',
    roles: ['supervisor', 'owner'],
    nav: false,
    load: () => import('../dashboard/performance-page'),
  },
  {
    path: '/risks',
    titleKey: 'nav.risks',
    roles: ['supervisor', 'owner'],
    nav: true,
    load: () => import('../risks/risk-page'),
  },
  {
    path: '/emergency-plans',
    titleKey: 'nav.emergency',
    roles: ['supervisor', 'owner'],
    nav: true,
    load: () => import('../emergency/emergency-page'),
  },
  {
    path: '/calendars',
    titleKey: 'nav.calendars',
    roles: ['owner', 'admin'],
    nav: true,
    load: () => import('../admin/calendars-page'),
  },
  { path: '/admin', titleKey: 'nav.admin', roles: ['admin'], nav: true, load: () => import('../admin/admin-page') },
  { path: '/inbox', titleKey: 'inbox.title', nav: false, load: () => import('../inbox/inbox-page') },
  { path: '/login', titleKey: 'nav.login', nav: false, load: () => import('./login-page') },
];

export type Resolution =
  | { kind: 'page'; route: Route }
  | { kind: 'redirect'; to: string }
  | { kind: 'forbidden'; route: Route };

/** Decides what a path shows: a page, a redirect (login, home) or a refusal. */
export function resolve(pathname: string, search = ''): Resolution {
  const path = pathname.replace(/\/+$/, '');
  const route = ROUTES.find(
    (candidate) => candidate.path === path || (candidate.prefix && path.startsWith(`${candidate.path}/`)),
  );
  const session = getSession();
  if (route?.path === '/login') return { kind: 'page', route };
  if (!session) return { kind: 'redirect', to: `/login?next=${encodeURIComponent(pathname + search)}` };
  if (!route) return { kind: 'redirect', to: homeFor(session.user) };
  if (route.roles && !hasRole(session.user, route.roles)) return { kind: 'forbidden', route };
  return { kind: 'page', route };
}

/** Navigates without a reload; `main.ts` listens for the change. */
export function navigate(to: string, replace = false): void {
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  window.dispatchEvent(new Event('svcflow:navigate'));
}
