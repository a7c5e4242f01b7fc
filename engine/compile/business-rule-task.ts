/**
 * A business rule task: a transient state that evaluates its DMN decision (decision-env.ts) and leaves
 * with the result in its result variable, or rests in its incident state (DECISION_NOT_FOUND,
 * DECISION_FAILED) until a retry re-enters it.
 */
import type { FlowNode } from '../bpmn/model.js';
import type { Compilation, Group } from './compile.js';
import type { StateConfig } from './machine-config.js';
import { entered, left, stateKey } from './names.js';
import { eventlessLoop, incidentState, inputs, next } from './nodes.js';

/** Compiles a business rule task into its state and its incident state. */
export function businessRuleTask(c: Compilation, node: FlowNode, group: Group): Record<string, StateConfig> {
  const key = stateKey(node.id);
  const call = node.decision!;
  if (node.multiInstance)
    return eventlessLoop(c, node, group, {
      ok: { type: 'svc.decisionOk', params: { elementId: node.id, call } },
      actions: [{ type: 'svc.decide', params: { elementId: node.id, call, outputs: node.outputs } }],
      incident: { kind: 'decision.check', elementId: node.id, call },
    });
  const out = next(c, node, group);
  const incidentKey = `${key}__incident`;
  return {
    [key]: {
      id: key,
      entry: [entered(node), ...inputs(node)],
      // exit actions run before a transition's: the locals are cleared after the decision has read them
      exit: [left(node)],
      always: [
        {
          guard: { type: 'svc.decisionOk', params: { elementId: node.id, call } },
          target: out.target,
          actions: [
            { type: 'svc.decide', params: { elementId: node.id, call, outputs: node.outputs } },
            { type: 'svc.clearLocals', params: { elementId: node.id } },
            ...out.actions,
          ],
        },
        { target: `#${incidentKey}` },
      ],
    },
    ...incidentState(c, node, incidentKey, { kind: 'decision.check', elementId: node.id, call }),
    ...out.states,
  };
}
