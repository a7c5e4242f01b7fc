/** Boots the web app: header, the page for the current path, re-render on navigation and language change. */
import './styles/base.css';
import { renderHeader } from './app/header';
import { resolve, navigate, type Page } from './app/router';
import { onLanguageChange, t } from './i18n';
import { h, replace } from './shared/dom';
import { toastError } from './shared/toast';

const header = document.getElementById('app-header')!;
const main = document.getElementById('main')!;
let current: Page | null = null;
let renderId = 0;

/** Shows the page for the current location, replacing the previous one. */
async function render(): Promise<void> {
  const id = ++renderId;
  const resolution = resolve(location.pathname, location.search);
  if (resolution.kind === 'redirect') return navigate(resolution.to, true);
  current?.unmount?.();
  current = null;
  renderHeader(header);
  document.querySelector('.skip-link')!.textContent = t('common.skipToContent');
  if (resolution.kind === 'forbidden') {
    document.title = `${t(resolution.route.titleKey)} · svcflow`;
    return replace(
      main,
      h(
        'section',
        { class: 'notice-page' },
        h('h1', {}, t(resolution.route.titleKey)),
        h('p', {}, t('common.forbidden')),
      ),
    );
  }
  const { route } = resolution;
  document.title = `${t(route.titleKey)} · svcflow`;
  replace(main, h('p', { class: 'loading' }, t('common.loading')));
  try {
    const module = await route.load();
    if (id !== renderId) return;
    const page = module.createPage();
    replace(main);
    main.className = `app-main page-${route.path.slice(1)}`;
    current = page;
    await page.mount(main);
  } catch (error) {
    toastError(error);
  }
}

window.addEventListener('popstate', () => void render());
window.addEventListener('svcflow:navigate', () => void render());
onLanguageChange(() => void render());
void render();
