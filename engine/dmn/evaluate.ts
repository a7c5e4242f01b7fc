/**
 * Evaluates a decision of a DmnDocument against variables: its required decisions first (each result
 * bound to the decision's variable name), then its decision table or literal expression. Pure and
 * never throws: a failure (a variable that is not set, FEEL that fails, a value of the wrong type, a
 * UNIQUE table with two matches) comes back as an error naming the decision and the element.
 */
import { evaluateFeel, evaluateUnaryTests, type FeelOptions } from '../expr/index.js';
import { applyHitPolicy, type RuleResult } from './hit-policies.js';
import type { DecisionModel, DecisionTableModel, DmnDocument, TableInput } from './model.js';
import { evaluationOrder } from './requirements.js';
import { checkType, toFeel } from './types.js';

/** What one decision gave. */
export interface DecisionResult {
  decisionId: string;
  decisionName: string;
  /** The DMN value: one output's value, a context of several outputs, a list for multiple hits, an aggregate. */
  value: unknown;
  /** Camunda 7's result list: one entry per rule that made the result (output name → value). */
  resultList: Array<Record<string, unknown>>;
  /** Ids of the rules that made the result, in result order. */
  matchedRules: string[];
}

/** A decision's evaluation: its own result, those of the decisions it required, and FEEL warnings. */
export interface DecisionEvaluation extends DecisionResult {
  required: DecisionResult[];
  warnings: string[];
}

export type DecisionOutcome =
  | { ok: true; evaluation: DecisionEvaluation }
  | { ok: false; decisionId: string; elementId: string; error: string };

/** Evaluates the decision `decisionId` of a document (with the decisions it requires) against variables. */
export function evaluateDecision(
  doc: DmnDocument,
  decisionId: string,
  variables: Record<string, unknown>,
  options: FeelOptions = {},
): DecisionOutcome {
  if (!doc.decisions[decisionId])
    return { ok: false, decisionId, elementId: decisionId, error: `the document has no decision '${decisionId}'` };
  const context: Record<string, unknown> = { ...variables };
  const warnings: string[] = [];
  const results: DecisionResult[] = [];
  for (const id of evaluationOrder(doc.decisions, decisionId)) {
    const decision = doc.decisions[id];
    const outcome = evaluateOne(decision, context, options, warnings);
    if ('error' in outcome)
      return {
        ok: false,
        decisionId: id,
        elementId: outcome.elementId,
        error: `decision '${decision.name}' (${id}): ${outcome.error}`,
      };
    results.push(outcome);
    bindResult(context, variables, decision, outcome);
  }
  const own = results.pop()!;
  return { ok: true, evaluation: { ...own, required: results, warnings } };
}

// helpers

type Failure = { error: string; elementId: string; [FAILED]?: true };
const FAILED = Symbol('failed');
/** Marks a failure among output records, whose keys are user-chosen output names (an output may be called `error`). */
const failed = (f: Failure): Failure => ({ ...f, [FAILED]: true });

function evaluateOne(
  decision: DecisionModel,
  context: Record<string, unknown>,
  options: FeelOptions,
  warnings: string[],
): DecisionResult | Failure {
  const base = { decisionId: decision.id, decisionName: decision.name };
  if (decision.logic.kind === 'literal') {
    const r = feel(decision.logic.expression, context, options, warnings, 'the literal expression', decision.logic.id);
    if ('error' in r) return r;
    const typed = checkType(r.value, decision.typeRef, `the result`);
    if (!typed.ok) return { error: typed.error, elementId: decision.logic.id };
    return { ...base, value: typed.value, resultList: [{ [decision.variable]: typed.value }], matchedRules: [] };
  }
  return evaluateTable(decision, decision.logic, context, options, warnings);
}

function evaluateTable(
  decision: DecisionModel,
  table: DecisionTableModel,
  context: Record<string, unknown>,
  options: FeelOptions,
  warnings: string[],
): DecisionResult | Failure {
  const inputs: unknown[] = [];
  for (const input of table.inputs) {
    const value = inputValue(input, context, options, warnings);
    if ('error' in value) return value;
    inputs.push(value.value);
  }
  const matched: RuleResult[] = [];
  for (const rule of table.rules) {
    const hit = matches(rule.inputEntries, table.inputs, inputs, context, rule.id, warnings);
    if (typeof hit !== 'boolean') return hit;
    if (!hit) continue;
    const outputs = ruleOutputs(table, rule.outputEntries, context, options, warnings, rule.id);
    if (isFailure(outputs)) return outputs;
    matched.push({ ruleId: rule.id, outputs });
  }
  if (matched.length === 0 && table.outputs.some((o) => o.defaultEntry)) {
    const defaults = ruleOutputs(
      table,
      table.outputs.map((o) => o.defaultEntry ?? ''),
      context,
      options,
      warnings,
      table.id,
    );
    if (isFailure(defaults)) return defaults;
    return shape(decision, table, [{ ruleId: '', outputs: defaults }], undefined, []);
  }
  const hit = applyHitPolicy(table, matched);
  if (!hit.ok) return { error: hit.error, elementId: table.id };
  return shape(
    decision,
    table,
    hit.results,
    hit.aggregated,
    hit.results.map((r) => r.ruleId),
  );
}

function shape(
  decision: DecisionModel,
  table: DecisionTableModel,
  results: RuleResult[],
  aggregated: { value: unknown } | undefined,
  matchedRules: string[],
): DecisionResult {
  const base = { decisionId: decision.id, decisionName: decision.name, matchedRules };
  if (aggregated)
    return { ...base, value: aggregated.value, resultList: [{ [table.outputs[0].name]: aggregated.value }] };
  const single = table.outputs.length === 1;
  const values = results.map((r) => (single ? r.outputs[table.outputs[0].name] : r.outputs));
  const multiple =
    table.hitPolicy === 'COLLECT' || table.hitPolicy === 'RULE ORDER' || table.hitPolicy === 'OUTPUT ORDER';
  return { ...base, value: multiple ? values : (values[0] ?? null), resultList: results.map((r) => r.outputs) };
}

function inputValue(
  input: TableInput,
  context: Record<string, unknown>,
  options: FeelOptions,
  warnings: string[],
): { value: unknown } | Failure {
  const what = `input '${input.label ?? input.expression}'`;
  const r = feel(input.expression, context, options, warnings, `the ${what}`, input.id);
  if ('error' in r) return r;
  const typed = checkType(r.value, input.typeRef, what);
  if (!typed.ok) return { error: typed.error, elementId: input.id };
  const value = toFeel(typed.value, input.typeRef);
  if (input.inputValues && value !== null) {
    const allowed = evaluateUnaryTests(input.inputValues, value, context, input.inputVariable);
    if (allowed.value !== true)
      return {
        error: `${what} is ${JSON.stringify(typed.value)}, which is not one of its input values (${input.inputValues})`,
        elementId: input.id,
      };
  }
  return { value };
}

function matches(
  entries: string[],
  inputs: TableInput[],
  values: unknown[],
  context: Record<string, unknown>,
  ruleId: string,
  warnings: string[],
): boolean | Failure {
  for (let i = 0; i < entries.length; i++) {
    if (entries[i] === '-') continue;
    const r = evaluateUnaryTests(entries[i], values[i], context, inputs[i].inputVariable);
    if (r.error)
      return { error: `input entry "${entries[i]}" of rule '${ruleId}' failed: ${r.error}`, elementId: ruleId };
    if (r.missing.length > 0)
      return {
        error: `input entry "${entries[i]}" of rule '${ruleId}' names the variable '${r.missing[0]}', which is not set`,
        elementId: ruleId,
      };
    warnings.push(...r.warnings.map((w) => `rule '${ruleId}': ${w}`));
    if (r.value !== true) return false;
  }
  return true;
}

function isFailure(value: Record<string, unknown> | Failure): value is Failure {
  return FAILED in value;
}

function ruleOutputs(
  table: DecisionTableModel,
  entries: string[],
  context: Record<string, unknown>,
  options: FeelOptions,
  warnings: string[],
  ruleId: string,
): Record<string, unknown> | Failure {
  const outputs: Record<string, unknown> = {};
  for (let i = 0; i < table.outputs.length; i++) {
    const output = table.outputs[i];
    const r =
      entries[i] === ''
        ? { value: null }
        : feel(entries[i], context, options, warnings, `output '${output.name}' of rule '${ruleId}'`, ruleId);
    if ('error' in r) return failed(r);
    const typed = checkType(r.value, output.typeRef, `output '${output.name}' of rule '${ruleId}'`);
    if (!typed.ok) return failed({ error: typed.error, elementId: ruleId });
    outputs[output.name] = typed.value;
  }
  return outputs;
}

/** FEEL evaluation that fails on a variable that is not set (as Camunda 7's FEEL engine does), never decides with null. */
function feel(
  expression: string,
  context: Record<string, unknown>,
  options: FeelOptions,
  warnings: string[],
  what: string,
  elementId: string,
): { value: unknown } | Failure {
  const r = evaluateFeel(expression, context, options);
  if (r.error) return { error: `${what} "${expression}" failed: ${r.error}`, elementId };
  const missing = r.warnings
    .map((w) => /^Variable '([^']+)' not found/.exec(w)?.[1])
    .find((name) => name !== undefined);
  if (missing) return { error: `${what} "${expression}" names the variable '${missing}', which is not set`, elementId };
  warnings.push(...r.warnings.map((w) => `${elementId}: ${w}`));
  return { value: r.value };
}

/**
 * A required decision's result is bound to its variable name (DMN); Camunda 7 also offers its output
 * names (`desiredDish`), which a given variable of the same name shadows.
 */
function bindResult(
  context: Record<string, unknown>,
  given: Record<string, unknown>,
  decision: DecisionModel,
  result: DecisionResult,
): void {
  if (decision.logic.kind === 'table') {
    const names = new Set(result.resultList.flatMap((entry) => Object.keys(entry)));
    for (const name of names) {
      if (name in given || name === decision.variable) continue;
      const values = result.resultList.map((entry) => entry[name] ?? null);
      context[name] = result.resultList.length === 1 ? values[0] : values;
    }
  }
  context[decision.variable] = result.value;
}
