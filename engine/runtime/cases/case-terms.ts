/**
 * The search words of a case: its business key, customer, phone, e-mail and description, normalised the
 * same way as a search (full width to half width, lower case). Latin words and digits are whole words;
 * Chinese (and other unspaced scripts) are indexed as character pairs, so any two-character run matches.
 */
import { createHash } from 'node:crypto';

/** The variables whose values are searchable, by role (config caseSearch). */
export interface SearchFields {
  customer: readonly string[];
  phone: readonly string[];
  email: readonly string[];
  text: readonly string[];
}

const MAX_TERMS = 300;
const MAX_TERM = 100;
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/** The words of a case and a digest of them (to skip rewriting unchanged words). */
export function caseTerms(
  businessKey: string | null,
  variables: Record<string, unknown>,
  fields: SearchFields,
): { terms: string[]; digest: string } {
  const terms = new Set<string>();
  const add = (words: string[]) => {
    for (const word of words) if (terms.size < MAX_TERMS && word.length <= MAX_TERM) terms.add(word);
  };
  if (businessKey) add(wordsOf(businessKey));
  for (const field of [...fields.customer, ...fields.email]) add(wordsOf(text(variables[field])));
  for (const field of fields.phone) {
    const digits = text(variables[field]).replace(/\D/g, '');
    if (digits) add([digits]);
  }
  for (const field of fields.text) add(wordsOf(text(variables[field])));
  const list = [...terms].sort();
  return { terms: list, digest: createHash('sha1').update(list.join('\n')).digest('hex') };
}

/** The terms a search text asks for: a phone number (digits with spaces, dashes, + or brackets) is one term. */
export function queryTerms(query: string): string[] {
  const trimmed = query.trim();
  if (/^[\d\s()+-]{5,}$/.test(trimmed)) return [trimmed.replace(/\D/g, '')];
  return [...new Set(wordsOf(trimmed))].filter((w) => w.length <= MAX_TERM);
}

/** Latin words and digit runs whole; unspaced scripts as overlapping character pairs (a lone character alone). */
export function wordsOf(value: string): string[] {
  const normal = value.normalize('NFKC').toLowerCase();
  const words: string[] = [];
  for (const run of normal.split(/[^\p{L}\p{N}]+/u)) {
    if (!run) continue;
    let latin = '';
    let han: string[] = [];
    const flush = () => {
      if (latin) words.push(latin);
      latin = '';
      if (han.length === 1) words.push(han[0]);
      for (let i = 0; i < han.length - 1; i++) words.push(han[i] + han[i + 1]);
      han = [];
    };
    for (const char of run) {
      if (UNSPACED.test(char)) {
        if (latin) {
          words.push(latin);
          latin = '';
        }
        han.push(char);
      } else {
        if (han.length > 0) {
          const pending = latin;
          latin = '';
          flush();
          latin = pending;
        }
        latin += char;
      }
    }
    flush();
  }
  return words;
}

function text(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}
