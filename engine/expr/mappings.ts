/**
 * Variable mappings (input/output mappings) and values that may be literals or expressions
 * (assignee, priority, due dates, timer values, SLA targets, correlation keys).
 */
import { evaluateFeel, type FeelOptions, type FeelResult } from './feel.js';
import { juelBody } from './juel.js';

/** One mapping: `target` (a variable name or dotted path) receives the value of FEEL `source`. */
export interface Mapping {
  source: string;
  target: string;
}

/** The targets written by a list of mappings, or the first failure (then `values` is empty). */
export interface MappingResult {
  values: Record<string, unknown>;
  error: string | null;
  warnings: string[];
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'prototype', 'constructor']);

/**
 * Evaluates mappings in order, each seeing the targets before it; a dotted target such as
 * `customer.name` writes into a copy of the existing `customer` context (or a new one).
 */
export function evaluateMappings(
  mappings: Mapping[],
  variables: Record<string, unknown>,
  options: FeelOptions = {},
): MappingResult {
  const values: Record<string, unknown> = {};
  const warnings: string[] = [];
  for (const { source, target } of mappings) {
    const path = targetPath(target);
    if (typeof path === 'string') {
      return { values: {}, error: path, warnings };
    }
    const result = evaluateFeel(source, { ...variables, ...values }, options);
    warnings.push(...result.warnings.map((warning) => `mapping to "${target}": ${warning}`));
    if (result.error !== null) {
      const error = `mapping to "${target}" from "${source}" failed: ${result.error}`;
      return { values: {}, error, warnings };
    }
    assignPath(values, variables, path, result.value);
  }
  return { values, error: null, warnings };
}

/** Whether a value is an expression: it starts with '=' (Camunda 8) or is `${…}`/`#{…}` (Camunda 7). */
export function isExpression(raw: string): boolean {
  return /^\s*=/.test(raw) || juelBody(raw) !== null;
}

/** Evaluates `raw` as FEEL when it is an expression, else returns the literal string (null stays null). */
export function resolveValue(
  raw: string | null,
  variables: Record<string, unknown>,
  options: FeelOptions = {},
): FeelResult {
  if (raw === null || !isExpression(raw)) {
    return { value: raw, error: null, warnings: [] };
  }
  return evaluateFeel(raw, variables, options);
}

// helpers

function targetPath(target: string): string[] | string {
  const path = target.split('.').map((segment) => segment.trim());
  if (path.some((segment) => segment === '')) {
    return `mapping target "${target}" is not a variable name or dotted path`;
  }
  if (path.some((segment) => FORBIDDEN_KEYS.has(segment))) {
    return `mapping target "${target}" uses a reserved name`;
  }
  return path;
}

/** Writes `value` at `path` in `values`, copying each context on the way from `values` or `variables`. */
function assignPath(
  values: Record<string, unknown>,
  variables: Record<string, unknown>,
  path: string[],
  value: unknown,
): void {
  const [head, ...rest] = path;
  if (rest.length === 0) {
    values[head] = value;
    return;
  }
  const source = Object.hasOwn(values, head) ? values : variables;
  const existing = Object.hasOwn(source, head) ? source[head] : null;
  const context = isContext(existing) ? { ...existing } : {};
  values[head] = context;
  assignPath(context, context, rest, value);
}

function isContext(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
