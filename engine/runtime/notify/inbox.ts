/**
 * Each person's inbox (issue 14, "Operations in the web app"): the notifications addressed to them or their
 * groups (SLA warnings and breaches, escalations) and their work given to them by someone else (assignments,
 * reassignments), newest first, with what they have read.
 */
import type { NotificationRow, Store, StoreTx, TaskRow } from '../../store/index.js';
import type { EngineNotification } from '../step/effect-executor.js';
import { uuidv7 } from '../ids.js';

/** How many of the newest notifications the inbox shows and counts. */
export const INBOX_SIZE = 100;

export interface InboxItem extends NotificationRow {
  read: boolean;
}

export interface InboxOwner {
  id: string;
  groups: readonly string[];
}

/** The newest notifications addressed to the owner or their groups, and how many of them are unread. */
export async function inboxOf(
  store: Store,
  owner: InboxOwner,
  limit = INBOX_SIZE,
): Promise<{ items: InboxItem[]; unread: number }> {
  const page = await store.notifications.list({
    user: owner.id,
    groups: [...owner.groups],
    offset: 0,
    limit: Math.min(limit, INBOX_SIZE),
  });
  const read = await store.notifications.readBy(
    owner.id,
    page.items.map((row) => row.id),
  );
  const items = page.items.map((row) => ({ ...row, read: read.has(row.id) }));
  return { items, unread: items.filter((item) => !item.read).length };
}

/** Marks inbox notifications read: the given ids, or every one the inbox shows; ids not in the owner's inbox are ignored. */
export async function markInboxRead(
  store: Store,
  owner: InboxOwner,
  ids: string[] | 'all',
  now: string,
): Promise<{ unread: number }> {
  const { items } = await inboxOf(store, owner);
  const wanted = ids === 'all' ? items : items.filter((item) => ids.includes(item.id));
  await store.notifications.markRead(
    owner.id,
    wanted.filter((item) => !item.read).map((item) => item.id),
    now,
  );
  return { unread: items.filter((item) => !item.read && !wanted.includes(item)).length };
}

/**
 * Records, inside the assignment's transaction, that `by` gave the task to `assignee`; returns the stream
 * notification to publish after the commit. A claim for oneself records nothing.
 */
export async function recordAssignment(
  tx: StoreTx,
  task: TaskRow,
  assignee: string,
  by: string | null,
  at: string,
): Promise<EngineNotification[]> {
  if (!by || by === assignee) return [];
  const row: NotificationRow = {
    id: uuidv7(Date.parse(at)),
    kind: task.assignee ? 'task.reassigned' : 'task.assigned',
    instanceId: task.instanceId,
    definitionKey: task.definitionKey,
    elementId: task.elementId,
    toUser: assignee,
    toGroup: null,
    channel: 'inbox',
    template: null,
    payload: { taskId: task.id, taskName: task.name, by, previousAssignee: task.assignee },
    createdAt: at,
  };
  await tx.notifications.insert(row);
  return [
    {
      type: 'notification.created',
      instanceId: row.instanceId,
      definitionKey: row.definitionKey,
      elementId: row.elementId,
      taskId: task.id,
      at,
      data: { id: row.id, kind: row.kind, toUser: row.toUser, toGroup: null, template: null },
    },
  ];
}
