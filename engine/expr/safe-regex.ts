/**
 * Regular expressions from models, forms and FEEL run on the JavaScript engine, which backtracks: a
 * nested quantifier such as `^(a+)+$` takes exponential time on a near-miss. A pattern is accepted only
 * when safe-regex2 finds no star height above one and at most 25 repetitions; anything else is refused
 * (at deploy where the pattern is written in the model or form, as an evaluation error otherwise).
 */
import safeRegex from 'safe-regex2';

/** Longest pattern accepted. */
export const MAX_PATTERN_LENGTH = 1000;

/** Why the pattern may not run, or null when it is safe. */
export function unsafePatternReason(pattern: string): string | null {
  if (pattern.length > MAX_PATTERN_LENGTH) return `the pattern is longer than ${MAX_PATTERN_LENGTH} characters`;
  try {
    new RegExp(pattern, 'u');
  } catch {
    try {
      new RegExp(pattern);
    } catch {
      return `'${pattern}' is not a valid regular expression`;
    }
  }
  if (!safeRegex(pattern, { limit: 25 }))
    return `the pattern '${pattern}' nests repetitions (like (a+)+) and could take exponential time; svcflow refuses it — write it without a quantifier inside a quantified group`;
  return null;
}

/** A RegExp for a safe pattern; throws with the reason for an unsafe or invalid one. */
export function safeRegExp(pattern: string, flags = ''): RegExp {
  const reason = unsafePatternReason(pattern);
  if (reason) throw new Error(reason);
  try {
    return new RegExp(pattern, `u${flags}`);
  } catch {
    return new RegExp(pattern, flags);
  }
}

/** FEEL's regex functions (matches, replace, split) on safe patterns only, to shadow feelin's built-ins. */
export const SAFE_REGEX_FUNCTIONS = {
  matches: (input: unknown, pattern: unknown, flags?: unknown) => {
    if (typeof input !== 'string' || typeof pattern !== 'string') return null;
    return safeRegExp(pattern, feelFlags(flags)).test(input);
  },
  replace: (input: unknown, pattern: unknown, replacement: unknown, flags?: unknown) => {
    if (typeof input !== 'string' || typeof pattern !== 'string' || typeof replacement !== 'string') return null;
    return input.replace(safeRegExp(pattern, `g${feelFlags(flags)}`), replacement.replace(/\$0/g, '$$&'));
  },
  split: (input: unknown, delimiter: unknown) => {
    if (typeof input !== 'string' || typeof delimiter !== 'string') return null;
    return input.split(safeRegExp(delimiter));
  },
};

// FEEL flags: s, m, i, x (x is not in JavaScript: dropped); anything else is ignored.
function feelFlags(flags: unknown): string {
  return typeof flags === 'string' ? [...new Set(flags.replace(/[^smi]/g, ''))].join('') : '';
}
