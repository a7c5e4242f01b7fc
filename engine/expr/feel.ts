/**
 * FEEL through feelin: normalising Camunda 7/8 expression forms, syntax checks with offsets, and
 * evaluation that never throws and returns plain JSON-able values with feelin's warnings.
 *
 * Time: feelin's built-in `now()` and `today()` read the system clock. We shadow both with context
 * functions: with `options.now` they answer from that instant (`today()` is its UTC date); without
 * it they yield null and add a warning. A process variable named `now` or `today` wins over both.
 *
 * Cost: feelin evaluates synchronously, so a runaway expression (a loop over 1..10^9, exponential
 * recursion) would hold the event loop. The runtime installs a `FeelBudget` (`setFeelBudget`) that runs
 * each evaluation under a time limit; one that exceeds it yields an error naming the limit, which the
 * machine turns into an incident at the element like any other failed expression.
 */
import { SyntaxError as FeelSyntaxError, date, dateAndTime, evaluate, parseExpression, type Warning } from 'feelin';
import { toPlainValue } from './feel-value.js';
import { formatInstant, parseIsoDateTime } from './iso-date.js';
import { FEEL_EXTENSION_NAMES, FEEL_EXTENSIONS } from './feel-extensions.js';
import { juelBody, juelProblem, juelToFeel } from './juel.js';
import { SAFE_REGEX_FUNCTIONS } from './safe-regex.js';

/** Evaluation options; `now` is the ISO instant that FEEL `now()` and `today()` answer with. */
export interface FeelOptions {
  now?: string;
  /** Where `random number()` and `uuid()` come from; without it they yield null with a warning. */
  random?: { number(): number; uuid(): string };
}

/** The outcome of an evaluation: a plain value, a syntax or evaluation error, and feelin's warnings. */
export interface FeelResult {
  value: unknown;
  error: string | null;
  warnings: string[];
}

/** The outcome of a condition: true only for FEEL `true`. */
export interface ConditionResult {
  value: boolean;
  error: string | null;
  warnings: string[];
}

/**
 * Runs one evaluation under a cost limit: returns its value and whether it was costly (then its result
 * is remembered for the same variables), or throws `FeelBudgetExceeded`.
 */
export interface FeelBudget {
  readonly limitMs: number;
  run<T>(work: () => T): { value: T; costly: boolean };
}

/** Thrown by a `FeelBudget` when an evaluation takes longer than its limit. */
export class FeelBudgetExceeded extends Error {
  constructor(readonly limitMs: number) {
    super(`the expression exceeded the FEEL evaluation budget of ${limitMs} ms (SVCFLOW_FEEL_BUDGET_MS)`);
    this.name = 'FeelBudgetExceeded';
  }
}

/** Installs the budget every later evaluation runs under (null: none, evaluations run unbounded). */
export function setFeelBudget(next: FeelBudget | null): void {
  budget = next;
}

const CACHE_LIMIT = 1000;
let budget: FeelBudget | null = null;
// Costly and over-budget results by variables object, so a guard and the action after it (which see the same
// variables) agree instead of one passing and the other running out of time.
const costlyResults = new WeakMap<object, Map<string, FeelResult>>();
const sources = new Map<string, FeelSource>();
const syntaxChecks = new Map<string, string | null>();

/** Returns the FEEL text of an expression: without a leading '=' and outer whitespace, JUEL converted. */
export function normalizeExpression(raw: string): string {
  return feelSource(raw).text.trim();
}

/**
 * Returns null when the expression is valid FEEL, else `unexpected end at N` or `syntax error at N`,
 * N being an offset into the raw text (into the converted FEEL, quoted, for JUEL).
 */
export function checkFeel(expression: string): string | null {
  return remember(syntaxChecks, expression, () => findSyntaxError(feelSource(expression)));
}

/** Evaluates a FEEL (or JUEL, or '='-prefixed) expression against variables; never throws. */
export function evaluateFeel(
  expression: string,
  variables: Record<string, unknown>,
  options: FeelOptions = {},
): FeelResult {
  const clock = clockFunctions(options.now, options.random);
  if (typeof clock === 'string') {
    return { value: null, error: clock, warnings: [] };
  }
  const memoKey = options.random ? null : `${options.now ?? ''}\u0000${expression}`;
  const remembered = memoKey === null ? undefined : costlyResults.get(variables)?.get(memoKey);
  if (remembered) return { ...remembered, warnings: [...remembered.warnings] };
  const work = () => evaluateNow(expression, variables, clock);
  try {
    if (!budget) return work();
    const { value: result, costly } = budget.run(work);
    if (costly && memoKey !== null) rememberCostly(variables, memoKey, result);
    return result;
  } catch (error) {
    const result = { value: null, error: evaluationError(expression, error), warnings: [] };
    if (error instanceof FeelBudgetExceeded && memoKey !== null) rememberCostly(variables, memoKey, result);
    return result;
  }
}

/** Evaluates a condition: `value` is true only when FEEL yields `true`; null or any other value is false. */
export function evaluateCondition(
  expression: string,
  variables: Record<string, unknown>,
  options: FeelOptions = {},
): ConditionResult {
  const result = evaluateFeel(expression, variables, options);
  const { value, warnings } = result;
  if (value !== null && typeof value !== 'boolean') {
    warnings.push(`the condition yielded ${JSON.stringify(value)}, not a boolean; it counts as false`);
  }
  return { value: value === true, error: result.error, warnings };
}

// helpers

function evaluateNow(expression: string, variables: Record<string, unknown>, clock: ClockFunctions): FeelResult {
  const source = feelSource(expression);
  if (source.problem) return { value: null, error: source.problem, warnings: [] };
  const result = evaluate(source.text, {
    ...FEEL_EXTENSIONS,
    ...SAFE_REGEX_FUNCTIONS,
    ...clock.functions,
    ...variables,
  });
  const missing = source.juel ? result.warnings.find((w) => isMissingValue(w, source.text)) : undefined;
  // Camunda 7 fails a JUEL expression on an unknown variable (PropertyNotFoundException): it never decides
  if (missing)
    return {
      value: null,
      error: `${missing.message} (a JUEL expression fails on a missing variable, as in Camunda 7)`,
      warnings: [],
    };
  const warnings = [...result.warnings.map(formatWarning), ...clock.notes];
  return { value: toPlainValue(result.value, warnings), error: null, warnings };
}

function rememberCostly(variables: object, key: string, result: FeelResult): void {
  let byExpression = costlyResults.get(variables);
  if (!byExpression) costlyResults.set(variables, (byExpression = new Map()));
  if (byExpression.size < CACHE_LIMIT) byExpression.set(key, result);
}

interface FeelSource {
  /** FEEL text whose offsets match the raw text, except after a JUEL conversion. */
  text: string;
  juel: boolean;
  /** Why a JUEL body cannot be translated, or null. */
  problem?: string | null;
}

function feelSource(raw: string): FeelSource {
  return remember(sources, raw, () => {
    const body = juelBody(raw);
    if (body !== null) {
      const problem = juelProblem(body);
      return {
        text: juelToFeel(body),
        juel: true,
        problem: problem && `JUEL "${body.trim()}" cannot be translated to FEEL: ${problem}`,
      };
    }
    // blank out the leading '=' instead of cutting it, so offsets stay those of the raw text
    return { text: raw.replace(/^(\s*)=/, '$1 '), juel: false };
  });
}

function findSyntaxError(source: FeelSource): string | null {
  if (source.problem) return source.problem;
  const cursor = parseExpression(source.text, FEEL_EXTENSION_NAMES, undefined).cursor();
  const calls: Array<{ name: string; at: number }> = [];
  do {
    if (cursor.type.isError) {
      const atEnd = cursor.from >= source.text.trimEnd().length;
      const message = `${atEnd ? 'unexpected end' : 'syntax error'} at ${cursor.from}`;
      return source.juel ? `${message} of "${source.text.trim()}" (converted from JUEL)` : message;
    }
    const callee = cursor.type.name === 'FunctionInvocation' ? cursor.node.firstChild : null;
    if (callee?.type.name === 'VariableName')
      calls.push({ name: source.text.slice(callee.from, callee.to), at: callee.from });
  } while (cursor.next());
  return unknownFunction(source.text, calls);
}

// A call of a name that is neither a FEEL built-in nor an extension fails at run time; it is refused here.
// Expressions that define functions themselves (`function(…)` in a context) are not second-guessed.
function unknownFunction(text: string, calls: Array<{ name: string; at: number }>): string | null {
  if (/\bfunction\s*\(/.test(text)) return null;
  const known = {
    ...FEEL_EXTENSIONS,
    now: () => null,
    today: () => null,
    'random number': () => null,
    uuid: () => null,
  };
  for (const call of calls) {
    const { warnings } = evaluate(call.name, known);
    if (warnings.some((w) => w.type === 'NO_VARIABLE_FOUND'))
      return `unknown function '${call.name}' at ${call.at}; use a FEEL built-in or a Camunda 8 extension function`;
  }
  return null;
}

function evaluationError(expression: string, error: unknown): string {
  if (error instanceof FeelSyntaxError) {
    return checkFeel(expression) ?? `syntax error at ${error.position.from}`;
  }
  if (error instanceof FeelBudgetExceeded) return error.message;
  // feelin can throw with a function's source text in the message (e.g. `< string`): keep it short
  const message = error instanceof Error ? error.message : String(error);
  return `evaluation failed: ${message.length > 160 ? `${message.slice(0, 159)}…` : message}`;
}

interface ClockFunctions {
  functions: Record<string, () => unknown>;
  notes: string[];
}

function clockFunctions(now: string | undefined, random: FeelOptions['random']): ClockFunctions | string {
  const notes: string[] = [];
  const missing = (name: string, source: string) => () => {
    notes.push(`${name}() needs ${source} and none was given; it yields null`);
    return null;
  };
  const chance = random
    ? { 'random number': () => random.number(), uuid: () => random.uuid() }
    : { 'random number': missing('random number', 'a random source'), uuid: missing('uuid', 'a random source') };
  if (now === undefined) {
    return {
      functions: { now: missing('now', 'the engine clock'), today: missing('today', 'the engine clock'), ...chance },
      notes,
    };
  }
  const parsed = parseIsoDateTime(now);
  if ('error' in parsed) {
    return `clock value ${parsed.error}`;
  }
  const instant = formatInstant(parsed.dateTime);
  return { functions: { now: () => dateAndTime(instant), today: () => date(instant.slice(0, 10)), ...chance }, notes };
}

// A missing variable or property, unless the JUEL asked whether it exists (execution.hasVariable → is defined).
function isMissingValue(warning: Warning, feel: string): boolean {
  if (warning.type !== 'NO_VARIABLE_FOUND' && warning.type !== 'NO_PROPERTY_FOUND') return false;
  const name = /'([^']+)'/.exec(warning.message)?.[1];
  return !name || !feel.includes(`is defined(${name})`);
}

function formatWarning(warning: Warning): string {
  return `${warning.message} at ${warning.position.from}`;
}

function remember<T>(cache: Map<string, T>, key: string, compute: () => T): T {
  if (cache.has(key)) {
    return cache.get(key) as T;
  }
  const value = compute();
  if (cache.size >= CACHE_LIMIT) {
    cache.delete(cache.keys().next().value as string);
  }
  cache.set(key, value);
  return value;
}
