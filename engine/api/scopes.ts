/**
 * Resource-level authorisation for routes: the rule itself lives in the engine (engine/runtime/identity/access.ts);
 * this file only adapts it to a request's actor.
 */
import { checkInstanceVisible as checkVisible, holdsRole, type Engine, type Starter } from '../runtime/index.js';
import { hasRole } from './access.js';
import type { Actor } from './actor.js';

/**
 * The groups whose SLAs, KPIs and reports a caller reads; undefined: everything (no actor, owners, admins
 * and members of the engine's all-seeing groups). Supervisors see the work of their groups (domain.md §3).
 */
export function reportScopeOf(actor: Actor | null): string[] | undefined {
  if (!actor || hasRole(actor, ['owner']) || actor.allSeeing) return undefined;
  return actor.groups;
}

export { canSeeTask, checkTaskAction, visibilityOf } from '../runtime/index.js';

/** Throws INSTANCE_NOT_FOUND or FORBIDDEN unless the caller may see the instance. */
export async function checkInstanceVisible(engine: Engine, actor: Actor | null, instanceId: string): Promise<void> {
  await engine.getInstance(instanceId);
  await checkVisible(engine.store, actor, instanceId);
}

/** The caller as the engine checks candidate starters; admins and process owners may start every process. */
export function starterOf(actor: Actor | null): Starter | undefined {
  if (!actor) return undefined;
  return { id: actor.id, groups: actor.groups, admin: holdsRole(actor, ['owner']) };
}
