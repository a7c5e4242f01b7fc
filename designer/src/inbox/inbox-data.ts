/** The signed-in person's inbox over /api/inbox, and the words each kind of notification is shown in. */
import { api } from '../app/api';
import { t } from '../i18n';

export interface InboxItem {
  id: string;
  kind: string;
  instanceId: string;
  definitionKey: string;
  elementId: string;
  toUser: string | null;
  toGroup: string | null;
  template: string | null;
  payload: Record<string, unknown>;
  createdAt: string;
  read: boolean;
}

export function fetchInbox(): Promise<{ items: InboxItem[]; unread: number }> {
  return api('GET', '/api/inbox');
}

export function markRead(body: { ids: string[] } | { all: true }): Promise<{ unread: number }> {
  return api('POST', '/api/inbox/read', { body });
}

/** One line that says what happened, in the current language. */
export function describe(item: InboxItem): string {
  const p = item.payload;
  const text = (key: string) => (typeof p[key] === 'string' ? (p[key] as string) : '');
  const task = text('taskName').split('\n')[0] || item.elementId;
  switch (item.kind) {
    case 'task.assigned':
      return t('inbox.assigned', { by: text('by'), task });
    case 'task.reassigned':
      return t('inbox.reassigned', { by: text('by'), task, from: text('previousAssignee') });
    default:
      break;
  }
  const subject = text('subject') || item.definitionKey;
  const about = text('about') || item.elementId;
  if (item.template === 'sla-warning') return t('inbox.slaWarning', { subject, about });
  if (item.template === 'sla-breach') return t('inbox.slaBreach', { subject, about });
  return t('inbox.other', { what: item.template ?? item.kind, subject });
}
