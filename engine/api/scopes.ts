/**
 * Resource-level authorisation: which tasks and instances a caller may see and work. Admins and
 * process owners see everything, as do supervisors in an all-seeing group (service-managers);
 * everyone else sees what is assigned to, completed by or offered to them or one of their groups.
 */
import type { Engine, Starter } from '../runtime/index.js';
import type { TaskRow, Visibility } from '../store/index.js';
import { hasRole } from './access.js';
import type { Actor } from './actor.js';
import { ApiError } from './problem.js';

/** Supervisors of these groups oversee every process. */
export const ALL_SEEING_GROUPS = ['service-managers'];

/** What the caller may see, or undefined when they may see everything. */
export function visibilityOf(actor: Actor | null): Visibility | undefined {
  if (!actor) return { user: '', groups: [] };
  if (hasRole(actor, ['owner'])) return undefined;
  if (actor.roles.includes('supervisor') && actor.groups.some((g) => ALL_SEEING_GROUPS.includes(g))) return undefined;
  return { user: actor.id, groups: actor.groups };
}

/** The caller as the engine checks candidate starters; admins and process owners may start every process. */
export function starterOf(actor: Actor | null): Starter | undefined {
  if (!actor) return undefined;
  return { id: actor.id, groups: actor.groups, admin: hasRole(actor, ['owner']) };
}

/** Whether the caller may see the task. */
export function canSeeTask(actor: Actor | null, task: TaskRow): boolean {
  const visibility = visibilityOf(actor);
  if (!visibility) return true;
  const { user, groups } = visibility;
  return task.assignee === user || task.completedBy === user || task.candidateUsers.includes(user) || task.candidateGroups.some((g) => groups.includes(g));
}

/** Throws FORBIDDEN unless the caller may do this with the task; staff claim only for themselves and never take over. */
export function checkTaskAction(actor: Actor | null, task: TaskRow, action: 'read' | 'claim' | 'unclaim' | 'complete', claim?: { userId: string; force?: boolean }): void {
  if (!canSeeTask(actor, task)) throw forbidden(`task '${task.id}' is neither assigned nor offered to you or your groups`);
  if (action === 'read' || hasRole(actor, ['supervisor'])) return;
  const me = actor?.id;
  if (action === 'claim' && claim?.userId !== me) throw forbidden(`you may claim task '${task.id}' only for yourself; a supervisor reassigns tasks`);
  if (action === 'claim' && claim?.force) throw forbidden('only a supervisor may take over a task someone else holds');
  if (action === 'unclaim' && task.assignee !== me) throw forbidden(`task '${task.id}' is not claimed by you`);
  if (action === 'complete' && task.assignee !== null && task.assignee !== me) throw forbidden(`task '${task.id}' is claimed by '${task.assignee}'`);
}

/** Throws INSTANCE_NOT_FOUND or FORBIDDEN unless the caller may see the instance. */
export async function checkInstanceVisible(engine: Engine, actor: Actor | null, instanceId: string): Promise<void> {
  await engine.getInstance(instanceId);
  const visibility = visibilityOf(actor);
  if (!visibility) return;
  const page = await engine.listTasks({ instanceId, visibleTo: visibility, limit: 1 });
  if (page.total === 0) throw forbidden(`process instance '${instanceId}' holds no task of yours or your groups`);
}

// helpers

function forbidden(detail: string): ApiError {
  return new ApiError('FORBIDDEN', detail);
}
