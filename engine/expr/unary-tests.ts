/**
 * FEEL unary tests (DMN input entries: `>= 18`, `"gold","silver"`, `[1..5]`, `-`, `not("x")`, `? > 3`)
 * through feelin: a syntax check with offsets and an evaluation against one input value that never
 * throws. The input value is `?` and, for Camunda 7 tables, also the input variable (`cellInput`).
 */
import { parseUnaryTests, unaryTest, type Warning } from 'feelin';
import { FEEL_EXTENSION_NAMES, FEEL_EXTENSIONS } from './feel-extensions.js';
import { SAFE_REGEX_FUNCTIONS } from './safe-regex.js';

/** The outcome of unary tests: true when the input satisfies them, null when they cannot be decided. */
export interface UnaryTestResult {
  value: boolean | null;
  error: string | null;
  /** Names of variables the tests refer to that are not set. */
  missing: string[];
  warnings: string[];
}

/**
 * Returns null when the text is valid FEEL unary tests, else `unexpected end at N` or `syntax error at N`. The
 * parser reads `>= = 3` as a comparison with a comparison, which no evaluation can answer: that is a syntax error too.
 */
export function checkUnaryTests(text: string): string | null {
  if (text.trim() === '') return 'the entry is empty; write - to match any value';
  const cursor = parseUnaryTests(text, FEEL_EXTENSION_NAMES, undefined).cursor();
  do {
    if (cursor.type.isError) {
      const atEnd = cursor.from >= text.trimEnd().length;
      return `${atEnd ? 'unexpected end' : 'syntax error'} at ${cursor.from}`;
    }
    if (cursor.type.name === 'SimplePositiveUnaryTest' && comparesAComparison(cursor.node))
      return `syntax error at ${cursor.node.firstChild!.nextSibling!.from}: a comparison needs a value after its operator`;
  } while (cursor.next());
  return null;
}

/** `< x` whose x is itself `< y`: feelin's grammar nests them, FEEL has no meaning for it. */
function comparesAComparison(node: { firstChild: SyntaxNodeLike | null }): boolean {
  const operator = node.firstChild;
  return operator?.type.name === 'CompareOp' && operator.nextSibling?.type.name === 'SimplePositiveUnaryTest';
}

interface SyntaxNodeLike {
  from: number;
  type: { name: string };
  nextSibling: SyntaxNodeLike | null;
}

/**
 * Tests `input` against unary tests; `variables` are what else the tests may name (other inputs,
 * process variables). Values are passed as they are (plain or feelin temporal values).
 */
export function evaluateUnaryTests(
  text: string,
  input: unknown,
  variables: Record<string, unknown>,
  inputVariable: string | null = null,
): UnaryTestResult {
  const context: Record<string, unknown> = { ...FEEL_EXTENSIONS, ...SAFE_REGEX_FUNCTIONS, ...variables, '?': input };
  if (inputVariable) context[inputVariable] = input;
  try {
    const result = unaryTest(text, context);
    const missing = missingNames(result.warnings);
    return {
      value: result.value,
      error: null,
      missing,
      warnings: result.warnings.map((w) => `${w.message} at ${w.position.from}`),
    };
  } catch (error) {
    const syntax = checkUnaryTests(text);
    return {
      value: null,
      error: syntax ?? `evaluation failed: ${error instanceof Error ? error.message : String(error)}`,
      missing: [],
      warnings: [],
    };
  }
}

/** The variable names of feelin's "Variable 'x' not found" warnings. */
export function missingNames(warnings: Warning[]): string[] {
  return warnings.filter((w) => w.type === 'NO_VARIABLE_FOUND').map((w) => /'([^']+)'/.exec(w.message)?.[1] ?? '?');
}
