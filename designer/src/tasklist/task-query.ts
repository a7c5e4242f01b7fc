/** Fetching and ordering the signed-in user's work: assigned to them, offered to them or to their groups. */
import { api, query } from '../app/api';
import type { User } from '../app/session';
import type { Page, Task } from '../shared/resources';

export type TaskFilter = 'all' | 'mine' | 'unassigned' | 'overdue';

/** Open tasks assigned to the user, offered to them, or to one of their groups; each once. */
export async function fetchMyWork(user: User): Promise<Task[]> {
  const queries = [
    query({ assignee: user.username, status: 'open', limit: 500 }),
    query({ candidateUser: user.username, status: 'open', limit: 500 }),
    user.groups.length > 0 ? query({ candidateGroup: user.groups, status: 'open', limit: 500 }) : null,
  ].filter((q): q is string => q !== null);
  const pages = await Promise.all(queries.map((q) => api<Page<Task>>('GET', `/api/tasks${q}`)));
  const byId = new Map<string, Task>();
  for (const task of pages.flatMap((page) => page.items)) byId.set(task.id, task);
  return sortBySla([...byId.values()]);
}

/** SLA due first (soonest first, tasks without a due date last), then priority, then age. */
export function sortBySla(tasks: Task[]): Task[] {
  const due = (task: Task) => (task.due ? Date.parse(task.due) : Number.POSITIVE_INFINITY);
  return [...tasks].sort(
    (a, b) => due(a) - due(b) || b.priority - a.priority || a.createdAt.localeCompare(b.createdAt),
  );
}

/** Applies the filter chip and the search text (name, process, business key, step, instance). */
export function filterTasks(tasks: Task[], filter: TaskFilter, search: string, user: User, now = Date.now()): Task[] {
  const needle = search.trim().toLowerCase();
  return tasks.filter((task) => {
    if (filter === 'mine' && task.assignee !== user.username) return false;
    if (filter === 'unassigned' && task.assignee) return false;
    if (filter === 'overdue' && !(task.due && Date.parse(task.due) < now)) return false;
    if (!needle) return true;
    return [
      task.name,
      task.definitionName,
      task.definitionKey,
      task.businessKey,
      task.elementId,
      task.instanceId,
      task.assignee,
    ].some((text) => text?.toLowerCase().includes(needle));
  });
}
