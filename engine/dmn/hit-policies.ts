/**
 * DMN 1.3 hit policies over the matched rules of a decision table (8.2.11): which rules' outputs make
 * the result and in what order, and COLLECT's aggregations. A UNIQUE table with several matches, or
 * an ANY table whose matches disagree, is an error naming the rules: never a silent pick.
 */
import type { DecisionTableModel, TableOutput } from './model.js';

/** One matched rule's outputs by output name. */
export interface RuleResult {
  ruleId: string;
  outputs: Record<string, unknown>;
}

export type HitOutcome =
  | { ok: true; results: RuleResult[]; aggregated?: { value: unknown } }
  | { ok: false; error: string };

/** Applies the table's hit policy (and aggregation) to its matched rules, in rule order. */
export function applyHitPolicy(table: DecisionTableModel, matched: RuleResult[]): HitOutcome {
  switch (table.hitPolicy) {
    case 'UNIQUE':
      if (matched.length > 1)
        return {
          ok: false,
          error: `the UNIQUE table '${table.id}' matched ${matched.length} rules (${ids(matched)}); at most one may match`,
        };
      return { ok: true, results: matched };
    case 'ANY': {
      const differing = matched.find((m) => JSON.stringify(m.outputs) !== JSON.stringify(matched[0].outputs));
      if (differing)
        return {
          ok: false,
          error: `the ANY table '${table.id}' matched rules with different outputs ('${matched[0].ruleId}' and '${differing.ruleId}'); matching rules of an ANY table must agree`,
        };
      return { ok: true, results: matched.slice(0, 1) };
    }
    case 'FIRST':
      return { ok: true, results: matched.slice(0, 1) };
    case 'PRIORITY':
      return { ok: true, results: byPriority(table.outputs, matched).slice(0, 1) };
    case 'OUTPUT ORDER':
      return { ok: true, results: byPriority(table.outputs, matched) };
    case 'RULE ORDER':
      return { ok: true, results: matched };
    case 'COLLECT':
      return table.aggregation ? aggregate(table, matched) : { ok: true, results: matched };
  }
}

// helpers

/** Highest priority first: by the first output's listed values, then the next output's; rule order breaks ties. */
function byPriority(outputs: TableOutput[], matched: RuleResult[]): RuleResult[] {
  const rank = (r: RuleResult): number[] =>
    outputs
      .filter((o) => o.priorities)
      .map((o) => {
        const at = o.priorities!.findIndex((p) => JSON.stringify(p) === JSON.stringify(r.outputs[o.name]));
        return at < 0 ? Number.MAX_SAFE_INTEGER : at;
      });
  return matched
    .map((r, i) => ({ r, i, key: rank(r) }))
    .sort((a, b) => compareRanks(a.key, b.key) || a.i - b.i)
    .map((x) => x.r);
}

function compareRanks(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

function aggregate(table: DecisionTableModel, matched: RuleResult[]): HitOutcome {
  const name = table.outputs[0].name;
  const values = matched.map((m) => m.outputs[name]).filter((v) => v !== null && v !== undefined);
  if (table.aggregation === 'COUNT') return { ok: true, results: matched, aggregated: { value: values.length } };
  if (values.length === 0) return { ok: true, results: matched, aggregated: { value: null } };
  if (values.some((v) => typeof v !== 'number')) {
    if (table.aggregation === 'SUM' || values.some((v) => typeof v !== 'string')) {
      return {
        ok: false,
        error: `the COLLECT ${table.aggregation} table '${table.id}' got output values that are not numbers (${JSON.stringify(values)})`,
      };
    }
  }
  switch (table.aggregation) {
    case 'SUM':
      return { ok: true, results: matched, aggregated: { value: (values as number[]).reduce((a, b) => a + b, 0) } };
    case 'MIN':
      return {
        ok: true,
        results: matched,
        aggregated: { value: values.reduce((a, b) => ((b as number) < (a as number) ? b : a)) },
      };
    default:
      return {
        ok: true,
        results: matched,
        aggregated: { value: values.reduce((a, b) => ((b as number) > (a as number) ? b : a)) },
      };
  }
}

function ids(matched: RuleResult[]): string {
  return matched.map((m) => `'${m.ruleId}'`).join(', ');
}
