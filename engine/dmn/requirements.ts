/** The decision requirement graph: every required decision exists in the document, and none requires itself. */
import type { DecisionModel } from './model.js';
import { type DmnProblem, describeDmn, dmnProblem } from './problems.js';

/** Problems of the requirement graph: a required decision that is not in the document, a cycle. */
export function checkRequirements(decisions: Record<string, DecisionModel>): DmnProblem[] {
  const problems: DmnProblem[] = [];
  for (const d of Object.values(decisions)) {
    for (const required of d.requiredDecisions) {
      if (!decisions[required])
        problems.push(
          dmnProblem(
            'REFERENCE_MISSING',
            d.id,
            'dmn:Decision',
            `${describeDmn('dmn:Decision', d.id)} requires the decision '${required}', which is not in the document (or cannot be run)`,
          ),
        );
    }
  }
  const cycle = findCycle(decisions);
  if (cycle)
    problems.push(
      dmnProblem(
        'DECISION_INVALID',
        cycle[0],
        'dmn:Decision',
        `the decisions ${cycle.map((id) => `'${id}'`).join(' → ')} require each other in a cycle; a decision cannot depend on its own result`,
      ),
    );
  return problems;
}

/** The decisions to evaluate for `id`, required ones first, each once. */
export function evaluationOrder(decisions: Record<string, DecisionModel>, id: string): string[] {
  const order: string[] = [];
  const visit = (current: string): void => {
    if (order.includes(current) || !decisions[current]) return;
    for (const required of decisions[current].requiredDecisions) visit(required);
    order.push(current);
  };
  visit(id);
  return order;
}

// helpers

function findCycle(decisions: Record<string, DecisionModel>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (id: string): string[] | null => {
    if (state.get(id) === 'done' || !decisions[id]) return null;
    if (state.get(id) === 'open') return [...path.slice(path.indexOf(id)), id];
    state.set(id, 'open');
    path.push(id);
    for (const required of decisions[id].requiredDecisions) {
      const found = visit(required);
      if (found) return found;
    }
    path.pop();
    state.set(id, 'done');
    return null;
  };
  for (const id of Object.keys(decisions)) {
    const found = visit(id);
    if (found) return found;
  }
  return null;
}
