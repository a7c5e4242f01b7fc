/**
 * A call activity: a wait state whose entry starts the called process as a child instance (`call.start`,
 * carrying what the call passes in) and whose exit cancels it (`call.cancel`: a completed child is left
 * alone by the runtime). The child's end comes back as `call.completed` with the variables its out rules
 * pass (mapped by the runtime with `callResult`), its uncaught errors and escalations as `error.thrown` /
 * `escalation.thrown` at the call activity, so boundary events on it catch them; a call that cannot start
 * is `call.failed`, an incident a retry re-enters.
 */
import type { CalledElement, FlowNode } from '../bpmn/model.js';
import { evaluateMappings, resolveValue } from '../expr/index.js';
import type { Compilation, Group } from './compile.js';
import type { StateConfig } from './machine-config.js';
import { and, effect, isElement, stateKey } from './names.js';
import { waitFor } from './nodes.js';

type Vars = Record<string, unknown>;

/** Compiles a call activity into its wait state. */
export function callActivity(c: Compilation, node: FlowNode, group: Group): Record<string, StateConfig> {
  if (!node.call) {
    c.refuse(node, 'a call activity without a called process');
    return {};
  }
  const multi = !!node.multiInstance;
  const forget = { type: 'svc.callRetried', params: { elementId: node.id } };
  // the runtime maps what the child passes back; the merge takes it whole
  const states = waitFor(
    c,
    { ...node, outputs: [] },
    group,
    'call.completed',
    [effect({ kind: 'call.start', elementId: node.id, call: node.call, inputs: node.inputs })],
    // a call that could not start is left with its incident resolved (a boundary, a terminate end, a retry)
    [
      effect({ kind: 'call.cancel', elementId: node.id }),
      ...(multi ? [forget] : [effect({ kind: 'incident.resolve', elementId: node.id })]),
    ],
  );
  const state = states[stateKey(node.id)];
  const on = (state.on ??= {});
  (on['call.failed'] ??= []).push({
    guard: isElement(node.id),
    actions: [
      effect({ kind: 'call.incident', elementId: node.id }),
      ...(multi ? [{ type: 'svc.callFailed', params: { elementId: node.id } }] : []),
    ],
  });
  // a multi-instance call activity's retry starts again only the instances whose child could not start
  if (multi)
    (on['incident.retry'] ??= []).unshift({
      guard: and(isElement(node.id), { type: 'svc.callsFailed', params: { id: node.id } }),
      actions: [
        { type: 'svc.merge', params: { elementId: node.id, outputs: [] } },
        effect({ kind: 'incident.resolve', elementId: node.id }),
        effect({ kind: 'call.start', elementId: node.id, call: node.call, inputs: node.inputs, retry: true }),
        forget,
      ],
    });
  return states;
}

/**
 * What goes into the child: Camunda 8 every variable the call activity sees (its input mappings over the
 * process variables) unless `propagateAllParentVariables` is false (then only the input mappings);
 * Camunda 7 only what `camunda:in` names (`variables="all"`, `source`, `sourceExpression`; `local`: the call
 * activity's own input-mapped variables), nothing without them.
 */
export function callInput(
  call: CalledElement,
  variables: Vars,
  locals: Vars,
): { variables: Vars; businessKey: string | null; error: string | null } {
  if (call.flavour === 'camunda8')
    return {
      variables: call.propagateAllParentVariables ? { ...variables, ...locals } : { ...locals },
      businessKey: null,
      error: null,
    };
  const passed = bindingsOf(call.ins, { ...variables, ...locals }, locals);
  if (passed.error) return { variables: {}, businessKey: null, error: passed.error };
  const key = call.businessKey === null ? null : resolveValue(call.businessKey, { ...variables, ...locals });
  if (key?.error) return { variables: {}, businessKey: null, error: `the business key failed: ${key.error}` };
  const businessKey = key?.value === null || key?.value === undefined ? null : String(key.value);
  return { variables: passed.values, businessKey, error: null };
}

/**
 * What comes back from a completed child: Camunda 8 every child variable (unless
 * `propagateAllChildVariables` is false) plus the output mappings evaluated over them; Camunda 7 only what
 * `camunda:out` names, nothing without it.
 */
export function callResult(
  call: CalledElement,
  outputs: FlowNode['outputs'],
  child: Vars,
): { values: Vars; error: string | null } {
  if (call.flavour === 'camunda8') {
    const mapped = evaluateMappings(outputs, child);
    if (mapped.error) return { values: {}, error: mapped.error };
    return { values: { ...(call.propagateAllChildVariables ? child : {}), ...mapped.values }, error: null };
  }
  return bindingsOf(call.outs, child, child);
}

// helpers

function bindingsOf(
  bindings: CalledElement['ins'],
  variables: Vars,
  locals: Vars,
): { values: Vars; error: string | null } {
  let values: Vars = {};
  for (const b of bindings) {
    const from = b.local ? locals : variables;
    if (b.all) {
      values = { ...values, ...from };
      continue;
    }
    if (!b.target) continue;
    if (b.source !== null) {
      values[b.target] = from[b.source] ?? null;
      continue;
    }
    const result = resolveValue(b.expression, from);
    if (result.error) return { values: {}, error: `sourceExpression "${b.expression}" failed: ${result.error}` };
    values[b.target] = result.value ?? null;
  }
  return { values, error: null };
}
