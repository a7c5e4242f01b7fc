/**
 * Who may see and work what: the one visibility rule every entry point (/api, /engine-rest, /v2, the
 * event stream) asks. Admins and process owners see everything, as do supervisors in an all-seeing
 * group (the installation's configuration names them: IdentityConfig.allSeeingGroups); everyone else sees what is assigned to, completed by or offered to them
 * or one of their groups, and the instances, jobs, incidents and notifications around such tasks.
 */
import type { Store, TaskRow, Visibility } from '../../store/index.js';
import { AssigneeNotCandidateError, ForbiddenError } from '../errors.js';
import { UserNotFoundError } from './user-errors.js';

/** The caller as the engine's rules see them: the API's signed-in user or API token. */
export interface Principal {
  /** The username, or `token:<name>` for an API token. */
  id: string;
  roles: readonly string[];
  groups: readonly string[];
  kind: 'user' | 'token';
  /**
   * Member of one of the configured all-seeing groups (inAllSeeingGroup, set where credentials become a
   * principal): as a supervisor they oversee every process.
   */
  allSeeing?: boolean;
}

/** A task action the rule decides. */
export type TaskAction = 'read' | 'claim' | 'unclaim' | 'complete';

/** Whether the principal holds one of the roles (admins hold them all). */
export function holdsRole(principal: Principal | null, roles: readonly string[]): boolean {
  return !!principal && (principal.roles.includes('admin') || roles.some((role) => principal.roles.includes(role)));
}

/** What the caller may see, or undefined when they may see everything; an anonymous caller sees nothing. */
export function visibilityOf(principal: Principal | null): Visibility | undefined {
  if (!principal) return { user: '', groups: [] };
  // owners oversee every process; workers (integrations) work jobs of any instance
  if (holdsRole(principal, ['owner', 'worker'])) return undefined;
  if (principal.roles.includes('supervisor') && principal.allSeeing) return undefined;
  return { user: principal.id, groups: [...principal.groups] };
}

/** Whether the caller may see the instance: it holds a task they may see (or they see everything). */
export async function canSeeInstance(
  store: Pick<Store, 'tasks'>,
  principal: Principal | null,
  instanceId: string,
): Promise<boolean> {
  const visibility = visibilityOf(principal);
  if (!visibility) return true;
  return (
    (await store.tasks.list({ instanceId, visibleTo: visibility, limit: 1, offset: 0, withTotal: false })).items
      .length > 0
  );
}

/** Throws FORBIDDEN unless the caller may see the instance (and what hangs on it: variables, history, jobs, incidents). */
export async function checkInstanceVisible(
  store: Pick<Store, 'tasks'>,
  principal: Principal | null,
  instanceId: string,
): Promise<void> {
  if (!(await canSeeInstance(store, principal, instanceId)))
    throw new ForbiddenError(`process instance '${instanceId}' holds no task of yours or your groups`);
}

/**
 * The notifications the caller may read: staff those addressed to them or their groups; supervisors those
 * of instances they may see (filtered by user or group as asked); owners and all-seeing supervisors all.
 * null: the caller may see none of what they asked for (staff asking for another user's).
 */
export function notificationFilter(
  principal: Principal | null,
  asked: { user?: string; group?: string },
): { user?: string; groups?: string[]; visibleTo?: Visibility } | null {
  const { user, group } = asked;
  if (principal && !holdsRole(principal, ['supervisor', 'owner'])) {
    if (user && user !== principal.id) return null;
    const groups = group ? principal.groups.filter((g) => g === group) : [...principal.groups];
    if (group && groups.length === 0 && !user) return null;
    return { user: principal.id, groups: user ? [] : groups };
  }
  return { user, groups: group ? [group] : undefined, visibleTo: visibilityOf(principal) };
}

/** Whether the caller may see the task. */
export function canSeeTask(principal: Principal | null, task: TaskRow): boolean {
  const visibility = visibilityOf(principal);
  if (!visibility) return true;
  const { user, groups } = visibility;
  return (
    task.assignee === user ||
    task.completedBy === user ||
    task.candidateUsers.includes(user) ||
    task.candidateGroups.some((g) => groups.includes(g))
  );
}

/** Throws FORBIDDEN unless the caller may do this with the task; staff claim only for themselves and never take over. */
export function checkTaskAction(
  principal: Principal | null,
  task: TaskRow,
  action: TaskAction,
  claim?: { userId: string; force?: boolean },
): void {
  if (!canSeeTask(principal, task))
    throw new ForbiddenError(`task '${task.id}' is neither assigned nor offered to you or your groups`);
  if (action === 'read' || holdsRole(principal, ['supervisor'])) return;
  const me = principal?.id;
  if (action === 'claim' && claim?.userId !== me)
    throw new ForbiddenError(`you may claim task '${task.id}' only for yourself; a supervisor reassigns tasks`);
  if (action === 'claim' && claim?.force)
    throw new ForbiddenError('only a supervisor may take over a task someone else holds');
  if (action === 'unclaim' && task.assignee !== me) throw new ForbiddenError(`task '${task.id}' is not claimed by you`);
  if (action === 'complete' && task.assignee !== null && task.assignee !== me)
    throw new ForbiddenError(`task '${task.id}' is claimed by '${task.assignee}'`);
}

/**
 * A task a user gives to someone else goes to an existing, enabled user who may work it: a candidate
 * user or a member of a candidate group (a task with no candidates may go to anyone). Admins and API
 * tokens (integrations) may name external ids.
 */
export async function checkAssignee(
  store: Pick<Store, 'users'>,
  principal: Principal | null,
  task: TaskRow,
  username: string,
): Promise<void> {
  if (!principal || username === principal.id || principal.kind !== 'user' || principal.roles.includes('admin')) return;
  const user = await store.users.get(username);
  if (!user) throw new UserNotFoundError(username);
  if (user.disabled) throw new AssigneeNotCandidateError(task.id, username, `user '${username}' is disabled`);
  if (task.candidateUsers.length === 0 && task.candidateGroups.length === 0) return;
  if (task.candidateUsers.includes(username)) return;
  const groups = await Promise.all(task.candidateGroups.map((g) => store.users.getGroup(g)));
  if (groups.some((g) => g?.members.includes(username))) return;
  throw new AssigneeNotCandidateError(
    task.id,
    username,
    `user '${username}' is not a candidate of task '${task.id}': give it to a member of ${task.candidateGroups.join(', ') || 'its candidate users'}`,
  );
}
