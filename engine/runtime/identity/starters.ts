/**
 * Who may start a process: its candidate starters (`camunda:candidateStarterGroups/Users` or
 * `svc:candidateStarters`). A process that names none may be started by anyone allowed to start
 * processes at all; admins may start every process.
 */
import type { StarterDeclaration } from '../../bpmn/index.js';
import { EngineError } from '../errors.js';

/** The person starting an instance, as the engine checks them against the candidate starters. */
export interface Starter {
  id: string;
  groups: string[];
  /** Admins and process owners pass every starter check. */
  admin?: boolean;
}

/** Whether the person may start a process with these declared starters. */
export function mayStart(starters: StarterDeclaration | null, who: Starter): boolean {
  if (!starters || who.admin) return true;
  return starters.users.includes(who.id) || starters.groups.some((group) => who.groups.includes(group));
}

/** A start by someone who is not among the process's candidate starters. */
export class StartForbiddenError extends EngineError {
  readonly code = 'START_FORBIDDEN';
  constructor(
    readonly definitionKey: string,
    readonly userId: string,
  ) {
    super(
      `'${userId}' may not start process '${definitionKey}'; its candidate starters do not name them or one of their groups`,
    );
  }
  details() {
    return { definitionKey: this.definitionKey };
  }
}
