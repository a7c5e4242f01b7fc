/**
 * engine/dmn: DMN 1.3 decisions read with dmn-moddle and evaluated with FEEL (engine/expr): decision
 * tables with every hit policy, literal expressions, decision requirement graphs, typed inputs and
 * outputs. Pure: no I/O and no clock; time comes in as FeelOptions.now.
 */
export { evaluateDecision, type DecisionEvaluation, type DecisionOutcome, type DecisionResult } from './evaluate.js';
export { mapDecisionResult, RESULT_MAPPINGS, type ResultMapping } from './map-result.js';
export type {
  Aggregation,
  DecisionModel,
  DecisionTableModel,
  DmnDocument,
  HitPolicy,
  LiteralExpressionModel,
  TypeSpec,
} from './model.js';
export { describeDmn, type DmnProblem, type DmnProblemCode } from './problems.js';
export { isDmn, readDmn, type DmnReadResult } from './read.js';
