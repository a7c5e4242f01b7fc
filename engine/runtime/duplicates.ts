/**
 * Duplicate detection at intake (issue 14, "Opening a case"): before a case starts, the cases of the same
 * process and the same customer opened within a window whose description reads alike. Advisory: the agent
 * decides to proceed or to record the new case as a duplicate of one of them.
 */
import { durationToMillis } from '../expr/index.js';
import type { InstanceStatus, Visibility } from '../store/index.js';
import type { Engine } from './engine.js';

/** One earlier case that may be the same complaint. */
export interface DuplicateMatch {
  instanceId: string;
  businessKey: string | null;
  status: InstanceStatus;
  startedAt: string;
  /** 0–1: how alike the two descriptions read (character bigrams of the normalised texts). */
  similarity: number;
  /** The earlier case's description, shortened. */
  text: string;
}

export interface DuplicateOptions {
  /** How far back to look, ISO 8601 (default P7D; SVCFLOW_DUPLICATE_WINDOW). */
  window?: string;
  /** The least similarity that counts (default 0.4). */
  threshold?: number;
  /** Variables that name the customer; one equal value is the same customer. */
  customerFields?: string[];
  /** The variable that holds the description. */
  textField?: string;
}

const DEFAULTS = { window: 'P7D', threshold: 0.4 };
const PAGE = 200;
const MAX_PAGES = 10;
const EXCERPT = 160;

/** The cases of `definitionKey` that `variables` may duplicate, most alike first; only those `visibleTo` may see. */
export async function findDuplicates(
  engine: Engine,
  input: { definitionKey: string; variables: Record<string, unknown>; visibleTo?: Visibility },
  options: DuplicateOptions = {},
): Promise<DuplicateMatch[]> {
  // the fields compared: the caller's, else the installation's (config caseSearch.duplicates; none: no duplicates)
  const settings = { ...DEFAULTS, ...engine.config.caseSearch.duplicates, ...withoutUndefined(options) };
  if (settings.textField === null) return [];
  const textField = settings.textField;
  const text = stringOf(input.variables[textField]);
  const customer = settings.customerFields
    .map((field) => [field, normaliseValue(input.variables[field])] as const)
    .filter(([, value]) => value);
  if (!text || customer.length === 0) return [];
  const since = new Date(engine.clock.now().getTime() - durationToMillis(settings.window)).toISOString();
  const matches: DuplicateMatch[] = [];
  let cursor: string | undefined;
  // Newest first, so the walk stops at the window's start; bounded so a flood of cases cannot stall intake.
  for (let page = 0; page < MAX_PAGES; page++) {
    const found = await engine.listInstances({
      definitionKey: input.definitionKey,
      visibleTo: input.visibleTo,
      startedAfter: since,
      limit: PAGE,
      offset: 0,
      cursor,
    });
    for (const instance of found.items) {
      const vars = instance.variables ?? {};
      if (!customer.some(([field, value]) => normaliseValue(vars[field]) === value)) continue;
      const similarity = textSimilarity(text, stringOf(vars[textField]));
      if (similarity < settings.threshold) continue;
      matches.push({
        instanceId: instance.id,
        businessKey: instance.businessKey,
        status: instance.status,
        startedAt: instance.startedAt,
        similarity: Math.round(similarity * 100) / 100,
        text: excerpt(stringOf(vars[textField])),
      });
    }
    if (!found.nextCursor) break;
    cursor = found.nextCursor;
  }
  return matches.sort((a, b) => b.similarity - a.similarity || b.startedAt.localeCompare(a.startedAt));
}

/** Sørensen–Dice similarity of the two texts' character bigrams after normalising (works for Chinese and English alike). */
export function textSimilarity(a: string, b: string): number {
  const left = bigrams(normaliseText(a));
  const right = bigrams(normaliseText(b));
  if (left.size === 0 || right.size === 0) return 0;
  let shared = 0;
  for (const [gram, count] of left) shared += Math.min(count, right.get(gram) ?? 0);
  const total = [...left.values(), ...right.values()].reduce((sum, n) => sum + n, 0);
  return (2 * shared) / total;
}

/** Full-width to half-width, lower case, letters and digits only. */
export function normaliseText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

// helpers

function bigrams(text: string): Map<string, number> {
  const grams = new Map<string, number>();
  const chars = [...text];
  if (chars.length === 1) grams.set(chars[0], 1);
  for (let i = 0; i < chars.length - 1; i++) {
    const gram = chars[i] + chars[i + 1];
    grams.set(gram, (grams.get(gram) ?? 0) + 1);
  }
  return grams;
}

function normaliseValue(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number'
    ? String(value)
        .normalize('NFKC')
        .trim()
        .toLowerCase()
        .replace(/[\s-]+/g, '')
    : '';
}

function stringOf(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function excerpt(text: string): string {
  return text.length > EXCERPT ? `${text.slice(0, EXCERPT - 1)}…` : text;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
