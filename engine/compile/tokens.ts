/**
 * Token regions: a scope whose flow graph is not made of nested split/join blocks runs the spec's token
 * game. The scope's body is a parallel state with one *station* per node: the station waits in
 * `<id>__ready` until its node may take a token from the marking, then runs the node's ordinary state
 * (compiled by compileNode), whose outgoing transitions go back to `<id>__ready` and put tokens on flows.
 * The scope is done when no token is left in it.
 */
import type { FlowNode } from '../bpmn/model.js';
import type { ActionConfig, GuardConfig, StateConfig, TransitionConfig } from './machine-config.js';
import type { Compilation, Group } from './compile.js';
import { compileNode } from './nodes.js';
import { atNode, type Upstream } from './marking.js';
import { describeNode, effect, isElement, stateKey } from './names.js';

type States = Record<string, StateConfig>;

/** The body of a scope compiled as one token region. */
export function tokenBody(c: Compilation, scopeId: string, start: FlowNode, starts: FlowNode[] = [start]): StateConfig {
  const key = stateKey(scopeId);
  const stations: States = {};
  for (const id of c.scopeNodes(scopeId)) {
    const node = c.node(id);
    stations[`${stateKey(id)}__station`] = station(c, node);
  }
  return {
    id: `${key}__body`,
    type: 'parallel',
    states: stations,
    entry: [
      {
        type: 'svc.mark',
        params: { scope: scopeId, start: start.id, ...(starts.length > 1 ? { starts: starts.map((s) => s.id) } : {}) },
      },
    ],
    exit: [{ type: 'svc.unmark', params: { scope: scopeId } }],
    always: [{ guard: { type: 'svc.scopeIdle', params: { scope: scopeId } }, target: `#${key}__done` }],
  };
}

/** The transition that ends the node's run and puts its token on `flows` (none: the token is consumed). */
export function toFlows(group: Group, flows: string[], keep = false): { target?: string; actions: ActionConfig[] } {
  const put: ActionConfig = {
    type: 'svc.put',
    params: {
      scope: group.scopeId,
      from: group.station!,
      flows,
      ...(keep ? { keep } : times(group)),
      ...(group.adHoc && !keep ? { ended: true } : {}),
    },
  };
  return keep ? { actions: [put] } : { target: `#${readyKey(group.station!)}`, actions: [put] };
}

/** The token of a node's boundary event: placed at the boundary event, interrupting or not. */
export function toBoundary(group: Group, boundary: FlowNode): { target?: string; actions: ActionConfig[] } {
  return toFlows(group, [atNode(boundary.id)], !boundary.cancelActivity);
}

/**
 * An activity's, event's or gateway's split inside a token region: unconditional flows all get a
 * token (parallel), conditional ones when their condition holds, the default flow when none holds
 * (inclusive); no flow at all is an incident at the node.
 */
export function splitStates(
  c: Compilation,
  node: FlowNode,
  group: Group,
): { target?: string; actions: ActionConfig[]; states: States } {
  const key = `${stateKey(node.id)}__split`;
  const flows = node.outgoing.map((id) => c.model.flows[id]);
  const parallel = node.type === 'parallelGateway';
  const choices = flows.map((f) => ({
    id: f.id,
    condition: parallel || f.id === node.defaultFlow ? null : f.condition,
  }));
  const conditions = choices.filter((f) => f.condition !== null && f.id !== node.defaultFlow).map((f) => f.condition!);
  const unconditional = choices.some((f) => f.condition === null && f.id !== node.defaultFlow);
  const put: ActionConfig = {
    type: 'svc.putSplit',
    params: {
      scope: group.scopeId,
      from: group.station!,
      flows: choices,
      defaultFlow: parallel ? null : node.defaultFlow,
      ...times(group),
      ...(group.adHoc ? { ended: true } : {}),
    },
  };
  const ready = `#${readyKey(group.station!)}`;
  if (conditions.length === 0) return { ...toFlows(group, node.outgoing), states: {} };
  const incidentKey = `${key}__incident`;
  const always: TransitionConfig[] = [
    { guard: { type: 'svc.invalid', params: { conditions } }, target: `#${incidentKey}` },
  ];
  const anyHolds: GuardConfig | undefined =
    unconditional || node.defaultFlow ? undefined : { type: 'svc.any', params: { conditions } };
  always.push({ guard: anyHolds, target: ready, actions: [put] }, { target: `#${incidentKey}` });
  c.activeStates[incidentKey] = node.id;
  return {
    target: `#${key}`,
    actions: [],
    states: {
      [key]: { id: key, always },
      [incidentKey]: {
        id: incidentKey,
        entry: [
          effect({
            kind: 'incident.raise',
            elementId: node.id,
            code: 'NO_MATCHING_FLOW',
            message: `no outgoing flow of ${describeNode(node)} matched and it has no default flow`,
            conditions,
          }),
        ],
        exit: [effect({ kind: 'incident.resolve', elementId: node.id })],
        on: {
          'incident.retry': [
            {
              guard: isElement(node.id),
              target: `#${key}`,
              actions: [{ type: 'svc.merge', params: { elementId: node.id, outputs: [] } }],
            },
          ],
        },
      },
    },
  };
}

// helpers

/** An activity's completionQuantity, as put parameters. */
function times(group: Group): { times?: number } {
  return group.completion && group.completion !== 1 ? { times: group.completion } : {};
}

function readyKey(nodeId: string): string {
  return `${stateKey(nodeId)}__ready`;
}

/**
 * One node's station: ready, then the node's own states. A terminate end event's station goes straight to the
 * scope's final state. In an ad-hoc sub-process every element also takes the tokens placed at it (activations).
 */
export function station(c: Compilation, node: FlowNode): StateConfig {
  const adHoc = !!c.model.nodes[node.scopeId]?.adHoc;
  const group: Group = {
    scopeId: node.scopeId,
    kind: 'token',
    members: new Set([node.id]),
    entries: [node.id],
    join: null,
    regionFinal: null,
    idle: null,
    station: node.id,
    completion: node.completionQuantity ?? 1,
    ...(adHoc ? { adHoc } : {}),
  };
  const flows = [
    ...node.incoming,
    ...(node.type === 'startEvent' || node.type === 'boundaryEvent' || adHoc ? [atNode(node.id)] : []),
  ];
  if (node.type === 'complexGateway') return complexStation(c, node, group);
  const terminate = node.type === 'endEvent' && node.event?.kind === 'terminate';
  const take = {
    type: 'svc.take',
    params: {
      scope: node.scopeId,
      node: node.id,
      flows,
      mode: takesEach(node) ? 'each' : 'count',
      count: node.startQuantity ?? 1,
    },
  };
  if ((node.startQuantity ?? 1) === 1 && !takesEach(node))
    group.concurrent = { guard: readyGuard(c, node, flows), take };
  const states = terminate ? {} : compileNode(c, node, group);
  const ready: StateConfig = {
    id: readyKey(node.id),
    always: [{ guard: readyGuard(c, node, flows), target: `#${stateKey(node.id)}`, actions: [take] }],
  };
  return { initial: readyKey(node.id), states: { [readyKey(node.id)]: ready, ...states } };
}

/**
 * A complex gateway's station (BPMN 2.0 §13.3.5). Waiting for start, it activates when some incoming flow holds a
 * token and its activation condition holds: it takes one token from each such flow and splits like an inclusive
 * gateway. It then waits for reset: the wave's tokens on the other incoming flows are taken without firing, until
 * each of those flows has given one or can no longer get one; tokens of the next wave wait meanwhile.
 */
function complexStation(c: Compilation, node: FlowNode, group: Group): StateConfig {
  const ready = readyKey(node.id);
  const incidentKey = `${stateKey(node.id)}__activation`;
  const params = { scope: node.scopeId, node: node.id, flows: node.incoming, upstream: upstreamOf(c, node) };
  // one incoming flow: a token activates it (the spec's condition is about which tokens to synchronise)
  const condition = node.activationCondition ?? 'true';
  c.activeStates[incidentKey] = node.id;
  return {
    initial: ready,
    states: {
      [ready]: {
        id: ready,
        always: [
          { guard: { type: 'svc.complexResets', params }, actions: [{ type: 'svc.complexReset', params }] },
          { guard: { type: 'svc.complexInvalid', params: { ...params, condition } }, target: `#${incidentKey}` },
          {
            guard: { type: 'svc.complexActivates', params: { ...params, condition } },
            target: `#${stateKey(node.id)}`,
            actions: [{ type: 'svc.complexActivate', params }],
          },
        ],
      },
      [incidentKey]: {
        id: incidentKey,
        entry: [
          effect({
            kind: 'incident.raise',
            elementId: node.id,
            code: 'CONDITION_FAILED',
            message: `the activation condition "${condition}" of ${describeNode(node)} gave no true or false`,
          }),
        ],
        exit: [effect({ kind: 'incident.resolve', elementId: node.id })],
        on: { 'incident.retry': [{ guard: isElement(node.id), target: `#${ready}` }] },
      },
      ...compileNode(c, node, group),
    },
  };
}

function takesEach(node: FlowNode): boolean {
  return (node.type === 'parallelGateway' || node.type === 'inclusiveGateway') && node.incoming.length > 1;
}

function readyGuard(c: Compilation, node: FlowNode, flows: string[]): GuardConfig {
  if (node.type === 'parallelGateway' && node.incoming.length > 1)
    return { type: 'svc.markedAll', params: { scope: node.scopeId, flows } };
  if (node.type === 'inclusiveGateway' && node.incoming.length > 1) {
    return { type: 'svc.inclusiveReady', params: { scope: node.scopeId, flows, upstream: upstreamOf(c, node) } };
  }
  if ((node.startQuantity ?? 1) > 1)
    return { type: 'svc.markedCount', params: { scope: node.scopeId, flows, count: node.startQuantity } };
  return { type: 'svc.marked', params: { scope: node.scopeId, flows } };
}

/**
 * For each incoming flow of an inclusive join: the nodes and flows from which a token could reach it
 * without passing the join (backwards over flows and from boundary events to their activities).
 */
function upstreamOf(c: Compilation, join: FlowNode): Record<string, Upstream> {
  const result: Record<string, Upstream> = {};
  for (const flowId of join.incoming) {
    const nodes = new Set<string>();
    const queue = [c.model.flows[flowId].sourceId].filter((id) => id !== join.id);
    for (const id of queue) nodes.add(id);
    for (let head = 0; head < queue.length; head++) {
      for (const prev of predecessors(c, c.node(queue[head]))) {
        if (prev === join.id || nodes.has(prev)) continue;
        nodes.add(prev);
        queue.push(prev);
      }
    }
    const flows = [...nodes].flatMap((id) => [...c.node(id).incoming, atNode(id)]);
    result[flowId] = { nodes: [...nodes], flows };
  }
  return result;
}

function predecessors(c: Compilation, node: FlowNode): string[] {
  const prev = node.incoming
    .map((f) => c.model.flows[f]?.sourceId)
    .filter((id): id is string => !!id && !!c.model.nodes[id]);
  if (node.type === 'boundaryEvent' && node.attachedTo) prev.push(node.attachedTo);
  return prev;
}
