/**
 * The deployed decisions a step may evaluate. A business rule task is evaluated inside the step, purely,
 * on the decision the runtime resolved for it before the step (DecisionEnv, keyed by `decisionKey`). The
 * env is set around one synchronous transition (`withDecisions`), so guards, actions and effect planning
 * see the same decisions; no decision found is the DECISION_NOT_FOUND incident, retryable once deployed.
 */
import type { DecisionCall } from '../bpmn/model.js';
import { evaluateDecision, mapDecisionResult, type DmnDocument } from '../dmn/index.js';
import type { IncidentCode } from './effects.js';

/** The decisions of one step, by `decisionKey(call)`; null or absent: not deployed. */
export interface DecisionEnv {
  decisions: Record<string, DmnDocument | null>;
  /** The step's instant, for FEEL now() and today() in the decision. */
  now?: string;
}

export type DecisionTaskOutcome = { ok: true; value: unknown } | { ok: false; code: IncidentCode; message: string };

let current: DecisionEnv | null = null;

/** Runs fn with the decisions of a step visible to the machine's guards, actions and effect planning. */
export function withDecisions<T>(env: DecisionEnv | undefined, fn: () => T): T {
  const previous = current;
  current = env ?? null;
  try {
    return fn();
  } finally {
    current = previous;
  }
}

/** `risk`, `risk:2`, `risk@v1`: the key a call's decision is found by (latest, a version, a version tag). */
export function decisionKey(call: DecisionCall): string {
  if (call.binding === 'version') return `${call.decisionId}:${call.version}`;
  if (call.binding === 'versionTag') return `${call.decisionId}@${call.versionTag}`;
  return call.decisionId;
}

/** Evaluates a business rule task's decision on its variables: the value for its result variable, or why not. */
export function decide(call: DecisionCall, variables: Record<string, unknown>, elementId: string): DecisionTaskOutcome {
  const document = current?.decisions[decisionKey(call)];
  if (!document) {
    return {
      ok: false,
      code: 'DECISION_NOT_FOUND',
      message: `business rule task '${elementId}' evaluates the decision ${describeCall(call)}, which is not deployed; deploy it and retry the incident`,
    };
  }
  const outcome = evaluateDecision(document, call.decisionId, variables, { now: current?.now });
  if (!outcome.ok)
    return { ok: false, code: 'DECISION_FAILED', message: `business rule task '${elementId}': ${outcome.error}` };
  if (call.mapping === null) return { ok: true, value: outcome.evaluation.value };
  const mapped = mapDecisionResult(outcome.evaluation, call.mapping);
  if ('error' in mapped)
    return { ok: false, code: 'DECISION_FAILED', message: `business rule task '${elementId}': ${mapped.error}` };
  return { ok: true, value: mapped.value };
}

function describeCall(call: DecisionCall): string {
  if (call.binding === 'version') return `'${call.decisionId}' version ${call.version}`;
  if (call.binding === 'versionTag') return `'${call.decisionId}' with version tag '${call.versionTag}'`;
  return `'${call.decisionId}'`;
}
