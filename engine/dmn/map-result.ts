/**
 * Camunda 7's `camunda:mapDecisionResult` of a business rule task: how a decision's result list becomes
 * the value of `camunda:resultVariable`. A result that does not fit the mapping (two rules for
 * `singleResult`, two outputs for `singleEntry`) is an error, as in Camunda 7.
 */
import type { DecisionResult } from './evaluate.js';

export type ResultMapping = 'singleEntry' | 'singleResult' | 'collectEntries' | 'resultList';

export const RESULT_MAPPINGS: ResultMapping[] = ['singleEntry', 'singleResult', 'collectEntries', 'resultList'];

/** The value a mapping makes of a decision result, or an error saying why the result does not fit. */
export function mapDecisionResult(
  result: Pick<DecisionResult, 'resultList'>,
  mapping: ResultMapping,
): { value: unknown } | { error: string } {
  const list = result.resultList;
  switch (mapping) {
    case 'resultList':
      return { value: list };
    case 'singleResult':
      if (list.length > 1)
        return {
          error: `the decision result has ${list.length} entries, but mapDecisionResult 'singleResult' takes at most one; use 'resultList' or 'collectEntries'`,
        };
      return { value: list[0] ?? null };
    case 'singleEntry': {
      if (list.length > 1)
        return {
          error: `the decision result has ${list.length} entries, but mapDecisionResult 'singleEntry' takes at most one; use 'collectEntries'`,
        };
      const wide = list.find((entry) => Object.keys(entry).length > 1);
      if (wide)
        return {
          error: `the decision result has ${Object.keys(wide).length} outputs, but mapDecisionResult 'singleEntry' takes one; use 'singleResult'`,
        };
      return { value: list.length === 0 ? null : (Object.values(list[0])[0] ?? null) };
    }
    case 'collectEntries': {
      const wide = list.find((entry) => Object.keys(entry).length > 1);
      if (wide)
        return {
          error: `the decision result has ${Object.keys(wide).length} outputs, but mapDecisionResult 'collectEntries' takes one per entry; use 'resultList'`,
        };
      return { value: list.map((entry) => Object.values(entry)[0] ?? null) };
    }
  }
}
