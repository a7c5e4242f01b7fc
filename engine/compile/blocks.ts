/**
 * Split/join blocks: a parallel or inclusive gateway with several outgoing flows becomes a parallel
 * state with one region per flow; the regions end where the branches meet (the gateway's immediate
 * post-dominator, which must be a joining gateway of the same kind) or, with no join, at end events.
 */
import type { FlowNode } from '../bpmn/model.js';
import type { StateConfig, TransitionConfig } from './machine-config.js';
import { type Compilation, type Group, groupStates } from './compile.js';
import { reach } from './graph.js';
import { effect, entered, left, ref, stateKey } from './names.js';

/** A parallel or inclusive gateway that forks tokens. */
export function isSplit(node: FlowNode): boolean {
  return (node.type === 'parallelGateway' || node.type === 'inclusiveGateway') && node.outgoing.length > 1;
}

/** Removes the block's regions from `group` and returns the block's states (keyed by the split's id). */
export function carveBlock(c: Compilation, split: FlowNode, group: Group): Record<string, StateConfig> {
  const join = findJoin(c, split);
  const flows = split.outgoing.map((id) => c.model.flows[id]);
  const regions = flows.map((flow) => ({
    flow,
    nodes: flow.targetId === join ? [] : reach(c.model, [flow.targetId], join).filter((id) => !isTerminate(c.node(id))),
  }));
  if (!checkRegions(c, split, join, regions, group)) return {};
  for (const region of regions) for (const id of region.nodes) group.members.delete(id);
  if (join) c.joinsUsed.add(join);
  const key = stateKey(split.id);
  const regionStates: Record<string, StateConfig> = {};
  for (const { flow, nodes } of regions) {
    const regionKey = `${key}__${stateKey(flow.id)}`;
    const sub: Group = {
      scopeId: group.scopeId,
      kind: 'region',
      members: new Set(nodes),
      entries: nodes.slice(0, 1),
      join,
      regionFinal: join ? `${regionKey}__joined` : null,
      idle: group.kind === 'path' ? group.idle : null,
    };
    const states = groupStates(c, sub);
    if (join) states[`${regionKey}__joined`] = { id: `${regionKey}__joined`, type: 'final' };
    let first = flow.targetId === join ? `${regionKey}__joined` : stateKey(flow.targetId);
    if (flow.targetId !== join && isTerminate(c.node(flow.targetId))) {
      // a branch that goes straight to a terminate end event leaves the block at once
      first = `${regionKey}__terminate`;
      states[first] = { id: first, always: [{ target: ref(flow.targetId) }] };
    }
    regionStates[regionKey] =
      split.type === 'inclusiveGateway'
        ? inclusiveRegion(
            regionKey,
            split,
            flow.id,
            flows.map((f) => f.id),
            first,
            states,
            c,
          )
        : { id: regionKey, initial: first, states };
  }
  const onDone = afterBlock(c, split, join, group);
  const fork: StateConfig = { type: 'parallel', states: regionStates, onDone: [onDone.transition] };
  const block: Record<string, StateConfig> =
    split.type === 'inclusiveGateway'
      ? inclusiveBlock(
          c,
          split,
          flows.map((f) => f.id),
          fork,
        )
      : { [key]: { ...fork, id: key, entry: [entered(split), left(split)] } };
  return { ...block, ...onDone.states };
}

// helpers

/** Terminate end events are states of their scope, reachable from any depth. */
function isTerminate(node: FlowNode): boolean {
  return node.type === 'endEvent' && node.event?.kind === 'terminate';
}

function findJoin(c: Compilation, split: FlowNode): string | null {
  const candidate = c.ipdom(split);
  if (!candidate) return null;
  const node = c.node(candidate);
  if (node.type === split.type && node.incoming.length > 1) return candidate;
  return null;
}

function checkRegions(
  c: Compilation,
  split: FlowNode,
  join: string | null,
  regions: Array<{ nodes: string[] }>,
  group: Group,
): boolean {
  const before = c.misfits.length;
  const owner = new Map<string, number>();
  regionLoop: for (const [i, region] of regions.entries()) {
    for (const id of region.nodes) {
      if (id === split.id) {
        c.fail(
          split,
          `is reached again from its own branch through '${regions[i].nodes[0]}'; loop back to a gateway before the split instead`,
        );
        continue regionLoop;
      }
      if (owner.has(id) && owner.get(id) !== i) {
        c.fail(
          split,
          `has branches that meet at '${id}' before ${join ? `the joining gateway '${join}'` : 'any joining gateway'}; join them with one ${split.type === 'parallelGateway' ? 'parallel' : 'inclusive'} gateway`,
        );
        continue regionLoop;
      }
      owner.set(id, i);
      if (!group.members.has(id) && group.join !== id) {
        c.fail(
          split,
          `has a branch that leaves its enclosing block at '${id}'; every branch must end at the joining gateway`,
        );
        continue regionLoop;
      }
    }
  }
  if (c.misfits.length > before) return false;
  const inside = new Set([split.id, ...owner.keys()]);
  for (const id of owner.keys()) {
    const node = c.node(id);
    const outside = node.incoming.map((f) => c.model.flows[f]?.sourceId).find((s) => s && !inside.has(s));
    if (outside) {
      c.fail(
        split,
        `has a branch element '${id}' that is also entered from '${outside}', outside the block; route that flow through the split`,
      );
      return false;
    }
  }
  if (join) {
    const stray = c
      .node(join)
      .incoming.map((f) => c.model.flows[f]?.sourceId)
      .find((s) => s && !inside.has(s));
    if (stray) {
      c.fail(split, `joins at '${join}', which is also entered from '${stray}' outside the block`);
      return false;
    }
  }
  return true;
}

/** Where a block goes when every region has finished: on past the join, or to the group's end. */
function afterBlock(
  c: Compilation,
  split: FlowNode,
  join: string | null,
  group: Group,
): { transition: TransitionConfig; states: Record<string, StateConfig> } {
  if (join && join !== group.join) return { transition: { target: c.targetFor(join, group) }, states: {} };
  if (join && join === group.join) return { transition: { target: `#${group.regionFinal}` }, states: {} };
  const endKey = `${stateKey(split.id)}__end`;
  if (group.kind === 'path') {
    return { transition: { target: `#${group.idle}` }, states: {} };
  }
  return { transition: { target: `#${endKey}` }, states: { [endKey]: { id: endKey, type: 'final' } } };
}

function inclusiveBlock(
  c: Compilation,
  split: FlowNode,
  flowIds: string[],
  fork: StateConfig,
): Record<string, StateConfig> {
  const key = stateKey(split.id);
  const conditions = flowIds
    .filter((id) => id !== split.defaultFlow)
    .map((id) => c.model.flows[id].condition ?? 'true');
  const incidentKey = `${key}__incident`;
  const check: TransitionConfig[] = [
    { target: `#${key}__fork`, guard: split.defaultFlow ? undefined : { type: 'svc.any', params: { conditions } } },
  ];
  if (!split.defaultFlow) check.push({ target: `#${incidentKey}` });
  c.activeStates[incidentKey] = split.id;
  return {
    [key]: {
      id: key,
      initial: `${key}__check`,
      entry: [entered(split)],
      states: {
        [`${key}__check`]: { id: `${key}__check`, always: check },
        [`${key}__fork`]: { ...fork, id: `${key}__fork`, entry: [left(split)] },
        [incidentKey]: {
          id: incidentKey,
          entry: [
            effect({
              kind: 'incident.raise',
              elementId: split.id,
              code: 'NO_MATCHING_FLOW',
              message: `no outgoing flow of inclusive gateway '${split.id}' matched and it has no default flow`,
              conditions,
            }),
          ],
          exit: [effect({ kind: 'incident.resolve', elementId: split.id })],
          on: {
            'incident.retry': [
              {
                guard: { type: 'svc.is', params: { id: split.id } },
                target: `#${key}`,
                actions: [{ type: 'svc.merge', params: { elementId: split.id, outputs: [] } }],
              },
            ],
          },
        },
      },
    },
  };
}

function inclusiveRegion(
  regionKey: string,
  split: FlowNode,
  flowId: string,
  flowIds: string[],
  first: string,
  states: Record<string, StateConfig>,
  c: Compilation,
): StateConfig {
  const skipped = `${regionKey}__skipped`;
  const others = flowIds.filter((id) => id !== split.defaultFlow).map((id) => c.model.flows[id].condition ?? 'true');
  const guard =
    flowId === split.defaultFlow
      ? { type: 'svc.noneOf', params: { conditions: others } }
      : { type: 'svc.cond', params: { expression: c.model.flows[flowId].condition ?? 'true' } };
  return {
    id: regionKey,
    initial: `${regionKey}__choose`,
    states: {
      [`${regionKey}__choose`]: {
        id: `${regionKey}__choose`,
        always: [{ guard, target: `#${first}` }, { target: `#${skipped}` }],
      },
      [skipped]: { id: skipped, type: 'final' },
      ...states,
    },
  };
}
