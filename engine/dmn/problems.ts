/** Problems found in a user's DMN: data first, gathered while reading, thrown once at deploy. */

export type DmnProblemCode =
  | 'XML_MALFORMED'
  | 'XML_TOO_LARGE'
  | 'NO_DECISION'
  | 'ID_INVALID'
  | 'REFERENCE_MISSING'
  | 'FEEL_SYNTAX'
  | 'DECISION_INVALID'
  | 'UNSUPPORTED_ELEMENT';

/** Shaped like engine/bpmn's Problem, so a deployment reports BPMN and DMN problems alike. */
export interface DmnProblem {
  code: DmnProblemCode;
  /** null only for document-level problems. */
  elementId: string | null;
  /** e.g. 'dmn:DecisionTable'; null for document-level problems. */
  elementType: string | null;
  message: string;
}

export function dmnProblem(
  code: DmnProblemCode,
  elementId: string | null,
  elementType: string | null,
  message: string,
): DmnProblem {
  return { code, elementId, elementType, message };
}

/** `decision table 'Table_risk'`, `rule 'Rule_3'`: how messages name a DMN element. */
export function describeDmn(type: string, id: string | null | undefined): string {
  const kind = type
    .replace(/^dmn:/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return id ? `${kind} '${id}'` : kind;
}
