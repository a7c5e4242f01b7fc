/**
 * Camunda 8's FEEL extension functions that feelin does not have (feelin already brings `string join`,
 * `sort`, `distinct values`, the context functions and the temporal ones). They are context functions,
 * so a process variable of the same name still wins, and their names are known to the parser, so
 * names with spaces (`get or else`) parse. `random number()` and `uuid()` read randomness, which this pure
 * layer has none of: feel.ts answers them from FeelOptions.random, like now() from the clock.
 */
type Fn = ((...args: unknown[]) => unknown) & { $args?: string[] };

/** Thrown by `assert` when its condition fails: the evaluation fails (an incident at run time). */
export class FeelAssertionError extends Error {}

/** name → function, as feelin calls context functions (plain values in, a plain value out). */
export const FEEL_EXTENSIONS: Record<string, Fn> = {
  'is defined': (value) => value !== null && value !== undefined,
  'get or else': (value, fallback) => value ?? fallback ?? null,
  assert: (value, condition, cause) => {
    if (condition !== true)
      throw new FeelAssertionError(
        typeof cause === 'string' ? cause : `the assertion on ${JSON.stringify(value)} failed`,
      );
    return value;
  },
  'is empty': (list) => (Array.isArray(list) ? list.length === 0 : null),
  'duplicate values': (list) => (Array.isArray(list) ? duplicates(list) : null),
  partition: (list, size) => (Array.isArray(list) && typeof size === 'number' && size > 0 ? chunks(list, size) : null),
  'to json': (value) => JSON.stringify(value ?? null),
  'from json': (text) => (typeof text === 'string' ? parseJson(text) : null),
  trim: (text) => (typeof text === 'string' ? text.trim() : null),
  'is blank': (text) => (typeof text === 'string' ? text.trim() === '' : null),
};

// feelin reads parameter names from `$args` (compiled code may not keep them readable).
const PARAMS: Record<string, string[]> = {
  'is defined': ['value'],
  'get or else': ['value', 'default'],
  assert: ['value', 'condition', 'cause'],
  'is empty': ['list'],
  'duplicate values': ['list'],
  partition: ['list', 'size'],
  'to json': ['value'],
  'from json': ['json'],
  trim: ['string'],
  'is blank': ['string'],
};
for (const [name, fn] of Object.entries(FEEL_EXTENSIONS)) fn.$args = PARAMS[name];

/** The extension names, for the parser's context (it reads names with spaces from it). */
export const FEEL_EXTENSION_NAMES: Record<string, true> = Object.fromEntries(
  [...Object.keys(FEEL_EXTENSIONS), 'random number', 'uuid'].map((name) => [name, true]),
);

// helpers

function duplicates(list: unknown[]): unknown[] {
  const seen: string[] = [];
  const twice: unknown[] = [];
  for (const item of list) {
    const key = JSON.stringify(item);
    if (seen.includes(key) && !twice.some((t) => JSON.stringify(t) === key)) twice.push(item);
    seen.push(key);
  }
  return twice;
}

function chunks(list: unknown[], size: number): unknown[][] {
  const out: unknown[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
