/**
 * Ad-hoc sub-processes (BPMN 2.0 §10.3.5, Camunda 8 semantics) as token regions without a start: on entry
 * the elements named by `activeElements` get a token each (an expression that is not a list of inner element
 * ids is an incident at the sub-process); `adhoc.activate` (POST /api/instances/{id}/activate) gives more
 * elements a token at any time, an element already running then runs once more beside itself. Each element's
 * station runs it as in any token region; a path ends where its flows end. The sub-process completes when its
 * completion condition holds after an inner element ended — cancelling what still runs, unless
 * `cancelRemainingInstances` is false, then once nothing runs — or, without a condition, once something ran
 * and nothing runs any more. Activated by nothing, it waits.
 */
import type { AdHocSpec } from '../bpmn/model.js';
import { evaluateCondition, evaluateFeel } from '../expr/index.js';
import type { Compilation } from './compile.js';
import type { StateConfig } from './machine-config.js';
import { type Args, assignTo } from './machine-types.js';
import { atNode, isEmpty, markingOf, type ScopeMarking } from './marking.js';
import { describeNode, effect, isElement, stateKey } from './names.js';
import { station } from './tokens.js';

interface AdHocParams {
  scope: string;
  elements: string[];
}

export const adHocGuards = {
  'svc.adHocInvalid': ({ context }: Args, p: AdHocParams & { expression: string | null }) =>
    p.expression !== null && activeElementsOf(p.expression, context, p.elements).error !== null,
  'svc.adHocDone': (
    { context }: Args,
    p: { scope: string; condition: string | null; cancelRemaining: boolean },
  ): boolean => {
    const marking = markingOf(context, p.scope);
    if ((marking.ended ?? 0) === 0) return false;
    if (p.condition === null) return isEmpty(marking);
    if (evaluateCondition(p.condition, context.variables).value !== true) return false;
    return p.cancelRemaining || isEmpty(marking);
  },
};

export const adHocActions = {
  'svc.adHocMark': assignTo(({ context }: Args, p: AdHocParams & { expression: string | null }) => {
    const ids = p.expression === null ? [] : (activeElementsOf(p.expression, context, p.elements).ids ?? []);
    return { marking: { ...context.marking, [p.scope]: withTokens({ next: 1, flows: {}, busy: {} }, ids) } };
  }),
  // the engine checks the ids before it sends the event (Engine.activateElements); unknown ones are not placed
  'svc.adHocActivate': assignTo(({ context, event }: Args, p: AdHocParams) => {
    const ids = ((event.elements as string[] | undefined) ?? []).filter((id) => p.elements.includes(id));
    return { marking: { ...context.marking, [p.scope]: withTokens(markingOf(context, p.scope), ids) } };
  }),
};

/** The body of an ad-hoc sub-process: entering (the active elements), its incident, and the running region. */
export function adHocBody(c: Compilation, scopeId: string, spec: AdHocSpec): StateConfig {
  const key = stateKey(scopeId);
  const elements = c.scopeNodes(scopeId);
  const enter = `${key}__adhoc`;
  const incident = `${key}__adhoc__incident`;
  const running = `${key}__adhoc__running`;
  const params = { scope: scopeId, elements, expression: spec.activeElements };
  c.activeStates[incident] = scopeId;
  const stations: Record<string, StateConfig> = {};
  for (const id of elements) stations[`${stateKey(id)}__station`] = station(c, c.node(id));
  return {
    id: `${key}__body`,
    initial: enter,
    exit: [{ type: 'svc.unmark', params: { scope: scopeId } }],
    states: {
      [enter]: {
        id: enter,
        always: [
          { guard: { type: 'svc.adHocInvalid', params }, target: `#${incident}` },
          { target: `#${running}`, actions: [{ type: 'svc.adHocMark', params }] },
        ],
      },
      [incident]: {
        id: incident,
        entry: [
          effect({
            kind: 'incident.raise',
            elementId: scopeId,
            code: 'EXPRESSION_FAILED',
            message: `the active elements "${spec.activeElements}" of ${describeNode(c.node(scopeId))} are not a list of its element ids`,
          }),
        ],
        exit: [effect({ kind: 'incident.resolve', elementId: scopeId })],
        // a retry may bring the variables the expression needs
        on: {
          'incident.retry': [
            {
              guard: isElement(scopeId),
              target: `#${enter}`,
              actions: [{ type: 'svc.merge', params: { elementId: scopeId, outputs: [] } }],
            },
          ],
        },
      },
      [running]: {
        id: running,
        type: 'parallel',
        states: stations,
        on: {
          'adhoc.activate': [
            {
              guard: isElement(scopeId),
              actions: [{ type: 'svc.adHocActivate', params: { scope: scopeId, elements } }],
            },
          ],
        },
        always: [
          {
            guard: {
              type: 'svc.adHocDone',
              params: { scope: scopeId, condition: spec.completionCondition, cancelRemaining: spec.cancelRemaining },
            },
            target: `#${key}__done`,
          },
        ],
      },
    },
  };
}

// helpers

/** The inner element ids the expression names, or why it names none. */
function activeElementsOf(
  expression: string,
  context: Args['context'],
  elements: string[],
): { ids: string[] | null; error: string | null } {
  const result = evaluateFeel(expression, context.variables);
  if (result.error) return { ids: null, error: result.error };
  const value = result.value ?? [];
  if (!Array.isArray(value) || value.some((id) => typeof id !== 'string' || !elements.includes(id)))
    return { ids: null, error: 'not a list of inner element ids' };
  return { ids: value as string[], error: null };
}

function withTokens(marking: ScopeMarking, ids: string[]): ScopeMarking {
  const flows = { ...marking.flows };
  let next = marking.next;
  for (const id of ids) flows[atNode(id)] = [...(flows[atNode(id)] ?? []), next++];
  return { ...marking, flows, next };
}
