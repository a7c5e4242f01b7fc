/** Process variables coming from outside: checked for names, JSON-ness, size and depth before a step sees them. */
import { InvalidVariablesError } from './errors.js';

const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

export const VARIABLE_LIMITS = { maxBytes: 256 * 1024, maxDepth: 16, maxVariables: 200, maxInstanceBytes: 1024 * 1024 };

/** Throws INVALID_VARIABLES when the instance's variables with these merged in would exceed the per-instance total (1 MB). */
export function checkInstanceVariables(current: Record<string, unknown>, incoming: Record<string, unknown>): void {
  if (Object.keys(incoming).length === 0) return;
  const bytes = Buffer.byteLength(JSON.stringify({ ...current, ...incoming }));
  if (bytes > VARIABLE_LIMITS.maxInstanceBytes) {
    throw new InvalidVariablesError([
      {
        name: '(variables)',
        message: `the instance would hold ${Math.ceil(bytes / 1024)} KB of variables; at most ${VARIABLE_LIMITS.maxInstanceBytes / 1024} KB per instance — keep documents elsewhere and store references`,
      },
    ]);
  }
}

/**
 * The cap on what an instance holds, for the variables a step leaves (messages, signals, scripts, retries and
 * completions alike): a step that makes the instance's variables larger than the cap is refused. An instance
 * over the cap already (before the cap existed) may still take steps that do not grow it.
 */
export function checkSteppedVariables(before: Record<string, unknown> | null, after: Record<string, unknown>): void {
  if (before === after) return;
  const bytes = Buffer.byteLength(JSON.stringify(after));
  if (bytes <= VARIABLE_LIMITS.maxInstanceBytes) return;
  if (before && bytes <= Buffer.byteLength(JSON.stringify(before))) return;
  throw new InvalidVariablesError([
    {
      name: '(variables)',
      message: `the step would leave the instance holding ${Math.ceil(bytes / 1024)} KB of variables; at most ${VARIABLE_LIMITS.maxInstanceBytes / 1024} KB per instance — keep documents elsewhere and store references`,
    },
  ]);
}

/** Returns the variables unchanged when valid; throws InvalidVariablesError naming each bad one. */
export function checkVariables(variables: unknown): Record<string, unknown> {
  if (variables === undefined || variables === null) return {};
  if (typeof variables !== 'object' || Array.isArray(variables)) {
    throw new InvalidVariablesError([{ name: '(variables)', message: 'must be a JSON object of name → value' }]);
  }
  const problems: Array<{ name: string; message: string }> = [];
  const entries = Object.entries(variables as Record<string, unknown>);
  if (entries.length > VARIABLE_LIMITS.maxVariables)
    problems.push({ name: '(variables)', message: `at most ${VARIABLE_LIMITS.maxVariables} variables at once` });
  for (const [name, value] of entries) {
    if (!NAME.test(name))
      problems.push({ name, message: 'a name starts with a letter or _ and has only letters, digits and _' });
    else if (depthOf(value) > VARIABLE_LIMITS.maxDepth)
      problems.push({ name, message: `nests deeper than ${VARIABLE_LIMITS.maxDepth} levels` });
    else if (!isJson(value)) problems.push({ name, message: 'is not a JSON value' });
  }
  if (problems.length === 0 && Buffer.byteLength(JSON.stringify(variables)) > VARIABLE_LIMITS.maxBytes) {
    problems.push({ name: '(variables)', message: `larger than ${VARIABLE_LIMITS.maxBytes / 1024} KB` });
  }
  if (problems.length > 0) throw new InvalidVariablesError(problems);
  return variables as Record<string, unknown>;
}

// helpers

function depthOf(value: unknown, depth = 0): number {
  if (depth > VARIABLE_LIMITS.maxDepth) return depth;
  if (value && typeof value === 'object') {
    let max = depth + 1;
    for (const child of Object.values(value)) max = Math.max(max, depthOf(child, depth + 1));
    return max;
  }
  return depth;
}

function isJson(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJson);
  if (typeof value === 'object')
    return Object.getPrototypeOf(value) === Object.prototype && Object.values(value).every(isJson);
  return false;
}
