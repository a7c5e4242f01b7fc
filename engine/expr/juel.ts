/**
 * Converts the common subset of Camunda 7 JUEL (`${amount > 100 && priority == 'high'}`) to FEEL:
 * `==`/`eq` → `=`, `!=`/`ne` stay `!=`, `&&` → `and`, `||` → `or`, `!x`/`not x` → `not(x)`,
 * `lt gt le ge` → `< > <= >=`, single- or double-quoted strings → FEEL strings.
 * Variable reads through `execution` or `task` become the variable: `execution.getVariable('x')` → `x`,
 * `execution.hasVariable('x')` → `is defined(x)`. Every other form (`a ? b : c`, `empty x`, other method
 * calls, `instanceof`) is refused by juelProblem, so the model is refused at deploy.
 */

const JUEL = /^[$#]\{([\s\S]*)\}$/;
const SYMBOLS: [string, string][] = [
  ['==', '='],
  ['!=', '!='],
  ['&&', 'and'],
  ['||', 'or'],
];
const WORD = /[\w$]+/y;
const WORDS: Record<string, string> = { eq: '=', ne: '!=', lt: '<', gt: '>', le: '<=', ge: '>=' };
// `execution.getVariable('name')` and its kin, with the name as a string literal.
const VARIABLE_CALL =
  /^(execution|task)\.(getVariable|getVariableLocal|hasVariable|hasVariableLocal)\(\s*(['"])([A-Za-z_][\w]*)\3\s*\)/;
const CALL = /[\w$]\s*\(/;

/** Why a JUEL body cannot be translated to FEEL (null when it can): names the first unsupported form. */
export function juelProblem(body: string): string | null {
  const code = withoutStrings(juelToFeel(body));
  if (/\?/.test(code)) return 'the conditional operator `a ? b : c` is not supported; use FEEL `if a then b else c`';
  if (/\bempty\b/.test(code)) return '`empty` is not supported; use FEEL `x = null` or `count(x) = 0`';
  if (/\binstanceof\b/.test(code)) return '`instanceof` is not supported';
  const call = CALL.exec(code.replace(/\b(is defined|not)\(/g, ''));
  if (call)
    return 'method and function calls are not supported (only execution.getVariable and execution.hasVariable with a quoted name)';
  return null;
}

/** The text between `${` (or `#{`) and `}` when the whole trimmed input is a JUEL expression, else null. */
export function juelBody(text: string): string | null {
  const match = JUEL.exec(text.trim());
  return match === null ? null : match[1];
}

/** Rewrites a JUEL expression body as FEEL; text outside the supported subset is copied unchanged. */
export function juelToFeel(body: string): string {
  let out = '';
  let i = 0;
  while (i < body.length) {
    const c = body[i];
    const symbol = SYMBOLS.find(([juel]) => body.startsWith(juel, i));
    if (c === '"' || c === "'") {
      const end = stringEnd(body, i);
      out += end > body.length ? body.slice(i) : feelString(body.slice(i + 1, end - 1));
      i = end;
    } else if (symbol !== undefined) {
      out = emit(out, symbol[1], body[i + 2]);
      i += 2;
    } else if (c === '!' || wordAt(body, i) === 'not') {
      const start = c === '!' ? i + 1 : i + 3;
      const end = operandEnd(body, start);
      out += `not(${juelToFeel(unwrapGroup(body.slice(start, end).trim())).trim()})`;
      i = end;
    } else if (VARIABLE_CALL.test(body.slice(i))) {
      const [call, , method, , name] = VARIABLE_CALL.exec(body.slice(i))!;
      out += method.startsWith('has') ? `is defined(${name})` : name;
      i += call.length;
    } else if (/[\w$]/.test(c)) {
      const word = wordAt(body, i);
      out = Object.hasOwn(WORDS, word) ? emit(out, WORDS[word], body[i + word.length]) : out + word;
      i += word.length;
    } else {
      out += c;
      i += 1;
    }
  }
  return out;
}

// helpers

// Blanks out FEEL string literals, so checks look only at code.
function withoutStrings(feel: string): string {
  return feel.replace(/"(?:[^"\\]|\\.)*"/g, '""');
}

function emit(out: string, token: string, next: string | undefined): string {
  const before = out === '' || /\s$/.test(out) ? '' : ' ';
  const after = next === undefined || /\s/.test(next) ? '' : ' ';
  return `${out}${before}${token}${after}`;
}

function feelString(juelContent: string): string {
  const text = juelContent.replace(/\\(.)/g, '$1');
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Index just past the closing quote; past the end when the string is unterminated. */
function stringEnd(body: string, start: number): number {
  const quote = body[start];
  for (let j = start + 1; j < body.length; j++) {
    if (body[j] === '\\') {
      j++;
    } else if (body[j] === quote) {
      return j + 1;
    }
  }
  return body.length + 1;
}

function groupEnd(body: string, start: number): number {
  let depth = 0;
  for (let j = start; j < body.length; j++) {
    const c = body[j];
    if (c === '"' || c === "'") {
      j = stringEnd(body, j) - 1;
    } else if (c === '(' || c === '[') {
      depth++;
    } else if ((c === ')' || c === ']') && --depth === 0) {
      return j + 1;
    }
  }
  return body.length;
}

/** The end of the operand of a negation: a group, string, literal or property path with calls. */
function operandEnd(body: string, start: number): number {
  let j = start;
  while (/\s/.test(body[j] ?? '')) j++;
  if (body[j] === '!') return operandEnd(body, j + 1);
  if (wordAt(body, j) === 'not') return operandEnd(body, j + 3);
  if (body[j] === '"' || body[j] === "'") return Math.min(stringEnd(body, j), body.length);
  if (body[j] === '(') j = groupEnd(body, j);
  else while (/[\w$.]/.test(body[j] ?? '')) j++;
  while (body[j] === '(' || body[j] === '[' || (body[j] === '.' && isWordStart(body[j + 1] ?? ''))) {
    j = body[j] === '.' ? j + 1 + wordAt(body, j + 1).length : groupEnd(body, j);
  }
  return j;
}

function unwrapGroup(operand: string): string {
  return operand.startsWith('(') && groupEnd(operand, 0) === operand.length ? operand.slice(1, -1) : operand;
}

function isWordStart(c: string): boolean {
  return /[A-Za-z_$]/.test(c);
}

/** The identifier, keyword or number starting at `i` (the main loop only stops at token starts). */
function wordAt(body: string, i: number): string {
  WORD.lastIndex = i;
  return WORD.exec(body)?.[0] ?? '';
}
