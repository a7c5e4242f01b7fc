/** Problems found in a user's BPMN: data first, thrown once at the boundary as a ModelError. */

export type ProblemCode =
  | 'XML_MALFORMED'
  | 'XML_TOO_LARGE'
  | 'NO_PROCESS'
  | 'NO_START_EVENT'
  | 'START_EVENT_INVALID'
  | 'EVENT_DEFINITION_INVALID'
  | 'GATEWAY_INVALID'
  | 'FLOW_INVALID'
  | 'MESSAGE_FLOW_INVALID'
  | 'REFERENCE_INVALID'
  | 'MULTIPLE_START_EVENTS'
  | 'FLOW_SOURCE_MISSING'
  | 'FLOW_TARGET_MISSING'
  | 'FLOW_CROSSES_SCOPE'
  | 'NO_OUTGOING_FLOW'
  | 'NO_INCOMING_FLOW'
  | 'GATEWAY_NO_OUTGOING'
  | 'GATEWAY_NO_DEFAULT'
  | 'EVENT_GATEWAY_TARGET'
  | 'FEEL_SYNTAX'
  | 'TIMER_INVALID'
  | 'MESSAGE_NAME_MISSING'
  | 'SIGNAL_NAME_MISSING'
  | 'JOB_TYPE_MISSING'
  | 'MESSAGE_NO_RECEIVER'
  | 'SCRIPT_INVALID'
  | 'SLA_INVALID'
  | 'BOUNDARY_INVALID'
  | 'UNSUPPORTED_ELEMENT'
  | 'ID_INVALID'
  | 'REFERENCE_MISSING'
  | 'PATTERN_UNSAFE'
  // DMN documents deployed beside the BPMN (engine/dmn's DmnProblemCode)
  | 'NO_DECISION'
  | 'DECISION_INVALID'
  // form-js forms deployed beside the BPMN (engine/runtime/forms)
  | 'FORM_MALFORMED';

export interface Problem {
  code: ProblemCode;
  /** null only for document-level problems. */
  elementId: string | null;
  /** e.g. 'bpmn:ExclusiveGateway'; null for document-level problems. */
  elementType: string | null;
  message: string;
  /** XML_MALFORMED only. */
  position?: { line: number; column: number };
}

/** Thrown once, at the boundary, with every problem found. */
export class ModelError extends Error {
  readonly code = 'MODEL_INVALID';
  constructor(readonly problems: Problem[]) {
    super(`model has ${problems.length} problem(s); first: ${problems[0]?.message ?? 'unknown'}`);
    this.name = 'ModelError';
  }
}

export function problem(
  code: ProblemCode,
  elementId: string | null,
  elementType: string | null,
  message: string,
): Problem {
  return { code, elementId, elementType, message };
}
