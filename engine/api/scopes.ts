/**
 * Resource-level authorisation for routes: the rule itself lives in the engine (engine/runtime/access.ts);
 * this file only adapts it to a request's actor.
 */
import { holdsRole, visibilityOf, type Engine, type Starter } from '../runtime/index.js';
import type { Actor } from './actor.js';
import { ApiError } from './problem.js';

export { ALL_SEEING_GROUPS, canSeeTask, checkTaskAction, visibilityOf } from '../runtime/index.js';

/** Throws INSTANCE_NOT_FOUND or FORBIDDEN unless the caller may see the instance. */
export async function checkInstanceVisible(engine: Engine, actor: Actor | null, instanceId: string): Promise<void> {
  await engine.getInstance(instanceId);
  const visibility = visibilityOf(actor);
  if (!visibility) return;
  const page = await engine.listTasks({ instanceId, visibleTo: visibility, limit: 1 });
  if (page.total === 0) throw new ApiError('FORBIDDEN', `process instance '${instanceId}' holds no task of yours or your groups`);
}

/** The caller as the engine checks candidate starters; admins and process owners may start every process. */
export function starterOf(actor: Actor | null): Starter | undefined {
  if (!actor) return undefined;
  return { id: actor.id, groups: actor.groups, admin: holdsRole(actor, ['owner']) };
}
