/**
 * ProcessModel → xstate machine config. Scopes become compound states, split/join blocks parallel
 * states, non-interrupting boundary paths extra regions of their scope. Pure: reads no clock.
 */
import type { FlowNode, ProcessModel } from '../bpmn/model.js';
import { problem, type Problem } from '../bpmn/problems.js';
import type { ActionConfig, CompiledProcess, StateConfig, TransitionConfig } from './machine-config.js';
import { EXIT, postDominators, reach } from './graph.js';
import { and, bpmnType, describeNode, effect, ref, stateKey, stateIn } from './names.js';
import { carveBlock, isSplit } from './blocks.js';
import { compileNode } from './nodes.js';
import { niQueue, niTrigger } from './boundary-events.js';
import { messagesOf } from './messages.js';
import { toFlows, tokenBody } from './tokens.js';
import { adHocBody } from './ad-hoc.js';
import type { ConcurrentTake } from './activations.js';
import { startChooser, startTriggersOf } from './signals.js';
import {
  compensationRegion,
  liftCompensationEventSubProcesses,
  outsideFlow,
  usesCompensation,
} from './compensation.js';
import { expandEventSubProcesses, hideSynthetic } from './event-subprocesses.js';
import { conditionalsOf } from './conditions.js';
import { isExpression } from '../expr/index.js';
import { expandMultipleEvents } from './multiple-events.js';
import { listen, refuseUnplaceable, weaveListeners } from './listeners.js';
import { invalidCycles } from './timer-cycles.js';

/** Where a group of nodes lives and what its flows mean when they leave it. */
export interface Group {
  scopeId: string;
  kind: 'main' | 'region' | 'path' | 'token';
  /** Nodes compiled as states of this group; shrinks as blocks carve out their regions. */
  members: Set<string>;
  /** Entry node ids, for ordering. */
  entries: string[];
  /** Region of a block with a join: flows into `join` go to the region's final state `regionFinal`. */
  join: string | null;
  regionFinal: string | null;
  /** Non-interrupting boundary path: its ends go back to the idle state. */
  idle: string | null;
  /** Token region: the node whose station is being compiled, and the tokens it puts on each flow it leaves by. */
  station?: string;
  completion?: number;
  /** Token region: how the station's wait state takes one more token while it runs (one activation per token). */
  concurrent?: ConcurrentTake;
  /** The station of an element of an ad-hoc sub-process: each end counts for its completion condition. */
  adHoc?: boolean;
}

/** Shared state of one compilation: the model, what was found wrong, and per-scope analysis. */
export class Compilation {
  readonly problems: Problem[] = [];
  readonly activeStates: Record<string, string> = {};
  readonly joinsUsed = new Set<string>();
  readonly pausers = new Map<string, string[]>();
  private readonly ipdoms = new Map<string, Map<string, string>>();
  /** The synthetic scope holding the process's own elements when it has event sub-processes. */
  rootBody: string | null = null;
  /** Synthetic elements of the event sub-process rewrite (their scopes are not scopes of compensation). */
  hidden: ReadonlySet<string> = new Set();
  /** Compensation event sub-processes, run as the compensation handlers of their sub-processes. */
  compensationEventSubProcesses: ReadonlySet<string> = new Set();

  /** `unstructured`: the scopes found not to be nested blocks, compiled as token regions (shared with probes). */
  constructor(
    readonly model: ProcessModel,
    readonly unstructured = new Set<string>(),
  ) {
    for (const owner of [
      model.sla ? model.id : null,
      ...Object.values(model.nodes)
        .filter((n) => n.sla)
        .map((n) => n.id),
    ]) {
      const sla = owner === model.id ? model.sla : owner ? model.nodes[owner].sla : null;
      for (const pauser of sla?.pauseWhile ?? [])
        this.pausers.set(pauser, [...(this.pausers.get(pauser) ?? []), owner!]);
    }
  }

  node(id: string): FlowNode {
    return this.model.nodes[id];
  }

  /** Shapes the block compiler cannot express, by element: they make the scope a token region, never a problem. */
  readonly misfits: Array<{ elementId: string; reason: string }> = [];

  /** A shape nested blocks cannot express: the scope is compiled as a token region instead. */
  fail(node: FlowNode, message: string): void {
    this.misfits.push({ elementId: node.id, reason: `${describeNode(node)} ${message}` });
  }

  /** An element svcflow cannot run: refused at deploy. */
  refuse(node: FlowNode, message: string): void {
    this.problems.push(
      problem(
        'UNSUPPORTED_ELEMENT',
        node.id,
        bpmnType(node),
        `${describeNode(node)}: svcflow does not run ${message} yet`,
      ),
    );
  }

  /** Immediate post-dominator of a node within its scope; null when its branches only end. */
  ipdom(node: FlowNode): string | null {
    let map = this.ipdoms.get(node.scopeId);
    if (!map) {
      map = postDominators(this.model, this.scopeNodes(node.scopeId));
      this.ipdoms.set(node.scopeId, map);
    }
    const result = map.get(node.id);
    return !result || result === EXIT ? null : result;
  }

  /** The nodes of a scope's flow (compensation handlers and their boundary events stand outside it). */
  scopeNodes(scopeId: string): string[] {
    return Object.values(this.model.nodes)
      .filter((n) => n.scopeId === scopeId && !outsideFlow(n))
      .map((n) => n.id);
  }

  /** A compilation that tries a scope as nested blocks; adopted when it succeeds. */
  probe(): Compilation {
    const probe = new Compilation(this.model, this.unstructured);
    probe.rootBody = this.rootBody;
    probe.hidden = this.hidden;
    probe.compensationEventSubProcesses = this.compensationEventSubProcesses;
    return probe;
  }

  adopt(probe: Compilation): void {
    this.problems.push(...probe.problems);
    Object.assign(this.activeStates, probe.activeStates);
    for (const id of probe.joinsUsed) this.joinsUsed.add(id);
  }

  /** How a token leaves a node of `group` along `flowId`: a transition to the target's state, or a put on the flow. */
  leave(flowId: string, group: Group): { target?: string; actions: ActionConfig[] } {
    const take = listen(flowId, 'take', this.model.flows[flowId]?.listeners);
    if (group.kind === 'token') {
      const moved = toFlows(group, [flowId]);
      return { ...moved, actions: [...take, ...moved.actions] };
    }
    return { target: this.targetFor(this.model.flows[flowId].targetId, group), actions: take };
  }

  /** The '#id' target a flow into `targetId` takes from inside `group`. */
  targetFor(targetId: string, group: Group): string {
    if (group.join && targetId === group.join) return `#${group.regionFinal}`;
    return ref(targetId);
  }
}

/** Compiles one executable process into a serialisable machine config; reads no clock. */
export function compileProcess(source: ProcessModel): { compiled: CompiledProcess | null; problems: Problem[] } {
  const { model, lifted } = liftCompensationEventSubProcesses(source);
  const multiple = expandMultipleEvents(model);
  const expanded = expandEventSubProcesses(multiple.model);
  for (const id of multiple.hidden) expanded.hidden.add(id);
  expanded.retyped = multiple.retyped;
  const c = new Compilation(expanded.model, new Set(expanded.tokenScopes));
  c.compensationEventSubProcesses = new Set(lifted);
  c.rootBody = expanded.rootBody;
  c.hidden = expanded.hidden;
  for (const r of [...multiple.refusals, ...expanded.refusals]) c.refuse(r.node, r.message);
  refuseUnplaceable(c);
  c.problems.push(...invalidCycles(model));
  const scope = compileScope(c, model.id);
  const unwoven: StateConfig = {
    id: stateKey(model.id),
    initial: usesCompensation(c) ? `${stateKey(model.id)}__run` : `${stateKey(model.id)}__scope`,
    entry: model.sla ? [effect({ kind: 'sla.start', elementId: model.id, sla: model.sla })] : [],
    states: {
      ...withCompensation(c, `${stateKey(model.id)}__scope`, {
        ...scope,
        onDone: [{ target: `#${stateKey(model.id)}__completed` }],
      }),
      [`${stateKey(model.id)}__completed`]: { id: `${stateKey(model.id)}__completed`, type: 'final' },
      [`${stateKey(model.id)}__cancelled`]: { id: `${stateKey(model.id)}__cancelled`, type: 'final' },
    },
    on: {
      'instance.cancel': [{ target: `#${stateKey(model.id)}__cancelled` }],
      'error.thrown': [
        // a child's error handed up after its call activity (or that instance of it) was left in the same
        // transaction (another child's error interrupted it): the child is being cancelled, nothing to raise
        ...staleCalls(source),
        {
          actions: [
            effect({ kind: 'incident.raise', elementId: model.id, code: 'UNHANDLED_ERROR', message: '' }),
            effect({ kind: 'call.uncaught', elementId: model.id, uncaught: 'error' }),
          ],
        },
      ],
      // BPMN: an escalation nobody catches is not an error; a called instance still hands it to its call activity
      'escalation.thrown': [
        { actions: [effect({ kind: 'call.uncaught', elementId: model.id, uncaught: 'escalation' })] },
      ],
    },
  };
  const root = weaveListeners(c, unwoven);
  if (c.problems.length > 0) return { compiled: null, problems: c.problems };
  // the elements as modelled: no compiler-made boundary event of a compensation event sub-process
  const nodes = Object.values(source.nodes);
  const elementTypes = Object.fromEntries(nodes.map((n) => [n.id, n.type]));
  const elementNames = Object.fromEntries(nodes.filter((n) => n.name).map((n) => [n.id, n.name!]));
  const elementScopes = Object.fromEntries(nodes.map((n) => [n.id, n.scopeId]));
  const elementHeaders = Object.fromEntries(
    nodes.filter((n) => Object.keys(n.headers ?? {}).length > 0).map((n) => [n.id, n.headers]),
  );
  const elementProperties = Object.fromEntries(
    nodes.filter((n) => Object.keys(n.properties ?? {}).length > 0).map((n) => [n.id, n.properties]),
  );
  const slas = [
    ...(model.sla ? [{ elementId: model.id, elementType: 'process', sla: model.sla }] : []),
    ...nodes.filter((n) => n.sla).map((n) => ({ elementId: n.id, elementType: n.type, sla: n.sla! })),
  ];
  return {
    compiled: {
      processId: model.id,
      name: model.name,
      config: hideSynthetic(root, expanded),
      activeStates: Object.fromEntries(
        Object.entries(c.activeStates)
          .map(([key, id]): [string, string] => [key, multiple.owners.get(id) ?? id])
          .filter(([, id]) => !expanded.hidden.has(id)),
      ),
      joinFlows: joinFlowsOf(model),
      ...(multiple.owners.size > 0 ? { elementOwners: Object.fromEntries(multiple.owners) } : {}),
      elementTypes,
      elementNames,
      elementHeaders,
      elementProperties,
      elementScopes,
      slas,
      // a plain start fills in the none start event's form (else, with only triggered starts, the first one's)
      startFormKey:
        (
          nodes.find(
            (n) => n.type === 'startEvent' && n.scopeId === model.id && (n.event?.kind ?? 'none') === 'none',
          ) ?? nodes.find((n) => n.type === 'startEvent' && n.scopeId === model.id)
        )?.formKey ?? null,
      formKeys: [...new Set(nodes.flatMap((n) => (n.formKey ? [n.formKey] : [])))].sort(),
      latestFormKeys: [
        ...new Set(nodes.flatMap((n) => (n.formKey && n.formBinding === 'latest' ? [n.formKey] : []))),
      ].sort(),
      noneStartEvent:
        nodes.find((n) => n.type === 'startEvent' && n.scopeId === model.id && (n.event?.kind ?? 'none') === 'none')
          ?.id ?? null,
      businessKey: model.businessKey ?? null,
      messages: messagesOf(multiple.model),
      // a multiple start event is started at by its one-definition start events
      starts: startTriggersOf(multiple.model),
      starters: model.starters ?? null,
      decisions: nodes.flatMap((n) => (n.decision ? [n.decision] : [])),
      calls: Object.fromEntries(nodes.flatMap((n) => (n.call ? [[n.id, n.call]] : []))),
      callOutputs: Object.fromEntries(nodes.flatMap((n) => (n.call ? [[n.id, n.outputs]] : []))),
      ...adHocField(model),
      versionTag: model.versionTag ?? null,
      ...conditionalsField(expanded.model),
      taskPriorities: taskPrioritiesOf(nodes),
    },
    problems: [],
  };
}

/** User tasks whose priority is an expression, by id: the runtime re-evaluates them while the task is open. */
function taskPrioritiesOf(nodes: FlowNode[]): Record<string, string> {
  return Object.fromEntries(
    nodes.flatMap((n) => {
      const priority = n.type === 'userTask' ? n.assignment?.priority : null;
      return priority && isExpression(priority) ? [[n.id, priority]] : [];
    }),
  );
}

/** The ad-hoc sub-processes and their inner elements, when the process has any. */
function adHocField(model: ProcessModel): Pick<CompiledProcess, 'adHoc'> {
  const scopes = Object.values(model.nodes).filter((n) => n.adHoc);
  if (scopes.length === 0) return {};
  const inner = (id: string) => Object.values(model.nodes).filter((n) => n.scopeId === id && !outsideFlow(n));
  return { adHoc: Object.fromEntries(scopes.map((s) => [s.id, inner(s.id).map((n) => n.id)])) };
}

/**
 * Lays out one scope (the process or a sub-process): its body (the main flow, plus one region per
 * non-interrupting boundary path), its terminate end events and its `__done` final state.
 */
export function compileScope(c: Compilation, scopeId: string): StateConfig {
  const key = stateKey(scopeId);
  const nodes = c.scopeNodes(scopeId).map((id) => c.node(id));
  // a plain start enters the none start event; a process with only triggered starts compiles from one of them
  const start =
    nodes.find((n) => n.type === 'startEvent' && (n.event?.kind ?? 'none') === 'none') ??
    nodes.find((n) => n.type === 'startEvent');
  // the process may start at any of its start events (message, signal, timer); a sub-process only at its none start
  const starts =
    scopeId === c.model.id || scopeId === c.rootBody
      ? nodes.filter((n) => n.type === 'startEvent')
      : start
        ? [start]
        : [];
  const terminates = nodes.filter((n) => n.type === 'endEvent' && n.event?.kind === 'terminate');
  const paths = nodes.filter((n) => n.type === 'boundaryEvent' && !n.cancelActivity);
  const states: Record<string, StateConfig> = {};
  for (const t of terminates) {
    states[stateKey(t.id)] = {
      id: stateKey(t.id),
      type: 'final',
      entry: [
        effect({ kind: 'element.entered', elementId: t.id, elementType: t.type }),
        effect({ kind: 'instance.terminate', elementId: t.id }),
        effect({ kind: 'element.left', elementId: t.id, elementType: t.type }),
      ],
    };
  }
  states[`${key}__done`] = { id: `${key}__done`, type: 'final' };
  const adHoc = c.model.nodes[scopeId]?.adHoc;
  if (adHoc) {
    c.unstructured.add(scopeId);
    return { initial: `${key}__body`, states: { ...states, [`${key}__body`]: adHocBody(c, scopeId, adHoc) } };
  }
  if (!start) return { initial: `${key}__done`, states };
  if (needsTokens(c, scopeId)) c.unstructured.add(scopeId);
  if (!c.unstructured.has(scopeId)) {
    const probe = c.probe();
    const body = blockBody(probe, scopeId, start, starts, terminates, paths);
    if (!probe.misfits.some((m) => c.model.nodes[m.elementId]?.scopeId === scopeId)) {
      c.adopt(probe);
      return { initial: `${key}__body`, states: { ...states, [`${key}__body`]: body } };
    }
    c.unstructured.add(scopeId);
  }
  return { initial: `${key}__body`, states: { ...states, [`${key}__body`]: tokenBody(c, scopeId, start, starts) } };
}

/** A scope's body as nested split/join blocks, with one region per non-interrupting boundary path. */
function blockBody(
  c: Compilation,
  scopeId: string,
  start: FlowNode,
  starts: FlowNode[],
  terminates: FlowNode[],
  paths: FlowNode[],
): StateConfig {
  const key = stateKey(scopeId);
  const excluded = new Set(terminates.map((t) => t.id));
  const mainGroup = makeGroup(
    c,
    scopeId,
    'main',
    starts.map((s) => s.id),
    excluded,
  );
  const pathGroups = paths.map((b) => makeGroup(c, scopeId, 'path', [b.id], excluded, `${stateKey(b.id)}__idle`));
  checkDisjoint(c, mainGroup, pathGroups);
  const main = groupStates(c, mainGroup);
  let initial = stateKey(start.id);
  if (starts.length > 1) {
    main[`${key}__entry`] = startChooser(key, starts, start);
    initial = `${key}__entry`;
  }
  checkJoins(c, scopeId);
  if (pathGroups.length === 0)
    return { id: `${key}__body`, initial, states: main, onDone: [{ target: `#${key}__done` }] };
  return parallelBody(c, key, initial, main, pathGroups);
}

/** Compiles the members of a group into sibling states, carving split/join blocks out as it goes. */
export function groupStates(c: Compilation, group: Group): Record<string, StateConfig> {
  const states: Record<string, StateConfig> = {};
  const order = reach(c.model, group.entries, null, group.members);
  for (const id of order) {
    if (!group.members.has(id)) continue;
    const node = c.node(id);
    Object.assign(states, isSplit(node) ? carveBlock(c, node, group) : compileNode(c, node, group));
  }
  return states;
}

// helpers

/** The process scope, beside the region that runs compensation handlers when the process has any. */
function withCompensation(c: Compilation, key: string, scope: StateConfig): Record<string, StateConfig> {
  if (!usesCompensation(c)) return { [key]: scope };
  const run = `${stateKey(c.model.id)}__run`;
  return { [run]: { id: run, type: 'parallel', states: { [key]: scope, [`${run}__comp`]: compensationRegion(c) } } };
}

function conditionalsField(model: ProcessModel): Pick<CompiledProcess, 'conditionals'> {
  const conditionals = conditionalsOf(model);
  return conditionals.length > 0 ? { conditionals } : {};
}

/** The flows into parallel, inclusive and complex joins, by flow id (tokens waiting there show the join as active). */
function joinFlowsOf(model: ProcessModel): Record<string, string> {
  const joins = Object.values(model.nodes).filter(
    (n) =>
      (n.type === 'parallelGateway' || n.type === 'inclusiveGateway' || n.type === 'complexGateway') &&
      n.incoming.length > 1,
  );
  return Object.fromEntries(joins.flatMap((j) => j.incoming.map((f) => [f, j.id])));
}

function makeGroup(
  c: Compilation,
  scopeId: string,
  kind: Group['kind'],
  entries: string[],
  excluded: Set<string>,
  idle: string | null = null,
): Group {
  const members = new Set(reach(c.model, entries).filter((id) => !excluded.has(id)));
  return { scopeId, kind, members, entries, join: null, regionFinal: null, idle };
}

function checkDisjoint(c: Compilation, main: Group, paths: Group[]): void {
  const owner = new Map<string, string>();
  for (const id of main.members) owner.set(id, 'the main flow');
  for (const path of paths) {
    for (const id of path.members) {
      const other = owner.get(id);
      if (other)
        c.fail(
          c.node(path.entries[0]),
          `is non-interrupting, and its path reaches '${id}', which ${other === 'the main flow' ? 'the main flow' : `the path of '${other}'`} also reaches; end the path with its own end event`,
        );
      else owner.set(id, path.entries[0]);
    }
    for (const id of path.members) if (owner.get(id) !== path.entries[0]) path.members.delete(id);
  }
}

/**
 * The scope's body with one region per non-interrupting boundary path. A firing while the path is
 * still busy is queued and runs when the path is back at idle; the scope completes when the main flow
 * has ended, every path is idle and nothing is queued.
 */
function parallelBody(
  c: Compilation,
  key: string,
  initial: string,
  main: Record<string, StateConfig>,
  paths: Group[],
): StateConfig {
  const regions: Record<string, StateConfig> = {
    [`${key}__main`]: { id: `${key}__main`, initial, states: main },
  };
  const mainEnds = Object.entries(main)
    .filter(([, s]) => s.type === 'final')
    .map(([k]) => k);
  const boundaries = paths.map((p) => p.entries[0]);
  for (const path of paths) {
    const boundary = c.node(path.entries[0]);
    const idle: StateConfig = {
      id: path.idle!,
      on: niTrigger(c, boundary),
      always: [
        {
          guard: { type: 'svc.pending', params: { id: boundary.id } },
          target: ref(boundary.id),
          actions: [{ type: 'svc.dequeue', params: { id: boundary.id } }],
        },
      ],
    };
    regions[`${path.idle!.replace(/__idle$/, '')}__path`] = {
      initial: path.idle!,
      states: { [path.idle!]: idle, ...groupStates(c, path) },
      on: niQueue(c, boundary),
    };
  }
  const always: TransitionConfig[] = mainEnds.map((end) => ({
    target: `#${key}__done`,
    guard: and(stateIn(end), ...paths.map((p) => stateIn(p.idle!)), {
      type: 'svc.nonePending',
      params: { ids: boundaries },
    }),
  }));
  return { id: `${key}__body`, type: 'parallel', states: regions, always };
}

/**
 * Shapes that are token regions at first sight, without a probe: token cardinality other than 1, a complex
 * gateway, and an implicit split (an activity or event with several outgoing flows).
 */
function needsTokens(c: Compilation, scopeId: string): boolean {
  return c.scopeNodes(scopeId).some((id) => {
    const node = c.node(id);
    if ((node.startQuantity ?? 1) !== 1 || (node.completionQuantity ?? 1) !== 1) return true;
    // a complex gateway keeps per-wave state over the marking
    if (node.type === 'complexGateway') return true;
    return node.outgoing.length > 1 && !node.type.endsWith('Gateway');
  });
}

function checkJoins(c: Compilation, scopeId: string): void {
  for (const node of c.scopeNodes(scopeId).map((id) => c.node(id))) {
    const isJoin = (node.type === 'parallelGateway' || node.type === 'inclusiveGateway') && node.incoming.length > 1;
    if (isJoin && !c.joinsUsed.has(node.id)) {
      c.fail(
        node,
        `joins ${node.incoming.length} flows, but no ${node.type === 'parallelGateway' ? 'parallel' : 'inclusive'} gateway splits into a block that ends here; use an exclusive gateway to merge alternative paths`,
      );
    }
  }
}

/** The transition that drops an error handed up by a child whose call activity is no longer running. */
function staleCalls(model: ProcessModel): TransitionConfig[] {
  const ids = Object.values(model.nodes)
    .filter((n) => n.type === 'callActivity')
    .map((n) => n.id);
  return ids.length > 0 ? [{ guard: { type: 'svc.staleCall', params: { ids } } }] : [];
}
