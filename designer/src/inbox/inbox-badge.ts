/** The header's inbox link with the unread count, kept current over the event stream. */
import { navigate } from '../app/router';
import { t } from '../i18n';
import { h } from '../shared/dom';
import { subscribeEvents } from '../shared/event-stream';
import { fetchInbox } from './inbox-data';

let unread = 0;
let listening: (() => void) | null = null;
const links = new Set<HTMLElement>();

/** A link to /inbox showing the unread count; one event subscription serves every render of the header. */
export function inboxLink(): HTMLElement {
  const badge = h('span', { class: 'inbox-count', 'data-testid': 'inbox-count', hidden: unread === 0 }, String(unread));
  const link = h(
    'a',
    {
      href: '/inbox',
      class: 'inbox-link',
      'data-testid': 'inbox-link',
      'aria-label': t('inbox.label', { n: unread }),
      onclick: (event: MouseEvent) => {
        event.preventDefault();
        navigate('/inbox');
      },
    },
    t('inbox.title'),
    badge,
  );
  links.forEach((old) => {
    if (!old.isConnected) links.delete(old);
  });
  links.add(link);
  if (!listening)
    listening = subscribeEvents((event) => {
      if (event.type === 'notification.created' || event.type === 'stream.reset') void refreshInboxCount();
    });
  void refreshInboxCount();
  return link;
}

/** Reads the unread count again and shows it on every inbox link. */
export async function refreshInboxCount(): Promise<void> {
  unread = await fetchInbox().then(
    (inbox) => inbox.unread,
    () => unread,
  );
  showCount(unread);
}

/** Shows a count known from elsewhere (the inbox page after marking read). */
export function showCount(n: number): void {
  unread = n;
  for (const link of links) {
    const badge = link.querySelector<HTMLElement>('.inbox-count')!;
    badge.textContent = n > 99 ? '99+' : String(n);
    badge.hidden = n === 0;
    link.setAttribute('aria-label', t('inbox.label', { n }));
  }
}

/** Stops listening (sign-out). */
export function stopInboxCount(): void {
  listening?.();
  listening = null;
  unread = 0;
}
