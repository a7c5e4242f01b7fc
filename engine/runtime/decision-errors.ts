/** Errors of deployed decisions; they know no HTTP (engine/api/problem.ts maps the codes). */
import { EngineError } from './errors.js';

export class DecisionNotFoundError extends EngineError {
  readonly code = 'DECISION_NOT_FOUND';
  constructor(readonly ref: string) {
    super(`no decision '${ref}' is deployed`);
  }
}

/** Evaluating a decision failed on the given variables (a variable not set, a UNIQUE table with two matches…). */
export class DecisionFailedError extends EngineError {
  readonly code = 'DECISION_FAILED';
  constructor(
    readonly decisionId: string,
    readonly elementId: string,
    reason: string,
  ) {
    super(reason);
  }

  override details(): Record<string, unknown> {
    return { decisionId: this.decisionId, elementId: this.elementId };
  }
}
