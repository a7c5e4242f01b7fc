/**
 * One flow node → its state (and helper states beside it). Wait states carry their effects on
 * entry and exit; everything else is transient and leaves through `always` in the same step.
 */
import type { FlowNode } from '../bpmn/model.js';
import { sendsMessage } from '../bpmn/validate-nodes.js';
import { MESSAGE_JOB_TYPE } from './messages.js';
import type { ActionConfig, StateConfig, TransitionConfig } from './machine-config.js';
import { type Compilation, type Group, compileScope } from './compile.js';
import { armBoundaries, armEvent, catcherOf, disarmEvent } from './boundary-events.js';
import { and, describeNode, effect, entered, isElement, left, merge, raise, ref, stateKey } from './names.js';
import { splitStates, toFlows } from './tokens.js';
import { activate, concurrentRuns, deactivateAll, many, ownedBy } from './activations.js';
import {
  type TransientRun,
  loopStates,
  parallelSubProcessReason,
  sideBySideReason,
  subProcessLoop,
  transientLoopStates,
} from './multi-instance.js';
import { businessRuleTask } from './business-rule-task.js';
import { callActivity } from './call-activity.js';
import { signalThrow, startOutputs } from './signals.js';
import { cancelBoundary, cancelEnd, compensationThrow, openScope, recordCompletion } from './compensation.js';

type States = Record<string, StateConfig>;

/** Compiles one node of a group into its state(s). */
export function compileNode(c: Compilation, node: FlowNode, group: Group): States {
  switch (node.type) {
    case 'task':
    case 'manualTask':
      return node.multiInstance
        ? eventlessLoop(c, node, group, { ok: null, actions: [], incident: null })
        : passThrough(c, node, group);
    case 'startEvent':
      return passThrough(c, node, group);
    case 'boundaryEvent':
      return node.event?.kind === 'cancel'
        ? cancelBoundary(c, node, next(c, node, group))
        : passThrough(c, node, group);
    case 'endEvent':
      if (node.event?.kind === 'cancel') return cancelEnd(c, node);
      if (node.event?.kind === 'compensation') return compensationThrow(c, node, group, next(c, node, group));
      return endEvent(c, node, group);
    case 'intermediateThrowEvent':
      if (node.event?.kind === 'compensation') return compensationThrow(c, node, group, next(c, node, group));
      return throwEvent(c, node, group);
    case 'intermediateCatchEvent':
      return afterEventGateway(c, node) || node.event?.kind === 'link'
        ? passThrough(c, node, group)
        : waitFor(c, node, group, eventOf(node), armEvent(node), disarmEvent(node));
    case 'receiveTask':
      return afterEventGateway(c, node)
        ? passThrough(c, node, group)
        : waitFor(c, node, group, 'message.received', armEvent(node), disarmEvent(node));
    case 'userTask':
      return waitFor(
        c,
        node,
        group,
        'task.completed',
        [
          effect({
            kind: 'task.create',
            elementId: node.id,
            name: node.name,
            assignment: node.assignment!,
            formKey: node.formKey,
            inputs: node.inputs,
          }),
        ],
        [effect({ kind: 'task.cancel', elementId: node.id })],
      );
    case 'serviceTask':
    case 'sendTask':
      return jobTask(c, node, group);
    case 'scriptTask':
      return scriptTask(c, node, group);
    case 'businessRuleTask':
      return businessRuleTask(c, node, group);
    case 'exclusiveGateway':
      return exclusiveGateway(c, node, group);
    case 'parallelGateway':
    case 'inclusiveGateway':
      return passThrough(c, node, group);
    case 'eventBasedGateway':
      return eventGateway(c, node, group);
    case 'complexGateway':
      return complexGateway(c, node, group);
    case 'subProcess':
      return subProcess(c, node, group);
    case 'callActivity':
      return callActivity(c, node, group);
    default:
      c.refuse(node, `the element type '${node.type}'`);
      return {};
  }
}

// helpers

function passThrough(c: Compilation, node: FlowNode, group: Group): States {
  const out = next(c, node, group);
  const outputs = node.type === 'startEvent' && node.scopeId === c.model.id ? startOutputs(node) : [];
  return {
    [stateKey(node.id)]: {
      id: stateKey(node.id),
      entry: [entered(node), ...outputs, ...pauses(c, node, 'sla.pause')],
      exit: [...pauses(c, node, 'sla.resume'), left(node)],
      always: [{ target: out.target, actions: out.actions }],
    },
    ...out.states,
  };
}

/** A wait state: arms effects on entry, leaves on `eventType` for this element (merging its variables). */
export function waitFor(
  c: Compilation,
  node: FlowNode,
  group: Group,
  eventType: string,
  arm: ActionConfig[],
  disarm: ActionConfig[],
  extra: Partial<StateConfig> = {},
): States {
  const key = stateKey(node.id);
  const boundaries = armBoundaries(c, node, group);
  const out = next(c, node, group);
  const slaStart = node.sla ? [effect({ kind: 'sla.start', elementId: node.id, sla: node.sla })] : [];
  const { slaStop, slaCancel } = slaEnds(node);
  const on: Record<string, TransitionConfig[]> = { ...boundaries.on };
  const completion =
    eventType === 'task.completed'
      ? { type: 'svc.merge', params: { elementId: node.id, outputs: node.outputs, submission: true } }
      : merge(node.id, node.outputs);
  if (eventType && !node.multiInstance)
    (on[eventType] ??= []).unshift({
      guard: isElement(node.id),
      target: out.target,
      actions: [...slaStop, completion, ...out.actions],
    });
  (on['incident.retry'] ??= []).push({
    guard: isElement(node.id),
    target: ref(node.id),
    reenter: true,
    actions: [merge(node.id, []), effect({ kind: 'incident.resolve', elementId: node.id })],
  });
  c.activeStates[key] = node.id;
  if (node.multiInstance) {
    c.activeStates[`${key}__loopIncident`] = node.id;
    // the boundary events belong to the body, not to one instance
    const body = `${node.id}__body`;
    return {
      ...loopStates({
        node,
        eventType,
        on,
        out,
        slaStop,
        completion,
        bodyEntry: [entered(node), ...pauses(c, node, 'sla.pause'), ...slaStart, ...ownedBy(body, boundaries.entry)],
        instanceStart: [...inputs(node), ...arm],
        bodyExit: [
          ...ownedBy(body, boundaries.exit),
          ...disarm,
          ...slaCancel,
          ...pauses(c, node, 'sla.resume'),
          { type: 'svc.clearLocals', params: { elementId: node.id } },
          deactivateAll(node.id),
          left(node),
        ],
      }),
      ...out.states,
    };
  }
  const start = [
    entered(node),
    ...inputs(node),
    ...pauses(c, node, 'sla.pause'),
    ...slaStart,
    ...arm,
    ...boundaries.entry,
  ];
  // one activation per token at once where nothing is kept per element (an SLA, a pause, a chooser after it)
  const concurrent =
    group.concurrent && eventType && !node.sla && !c.pausers.has(node.id) && Object.keys(out.states).length === 0
      ? concurrentRuns(
          { node, start, stop: boundaries.exit, disarm, left: left(node), completion: [completion], out: out.actions },
          group.concurrent,
          eventType,
          on,
          boundaries.on,
        )
      : undefined;
  if (concurrent) {
    // a retry of one of several activations arms the newest again instead of restarting them all
    on['incident.retry'].unshift({
      guard: and(isElement(node.id), many(node.id)),
      actions: [merge(node.id, []), effect({ kind: 'incident.resolve', elementId: node.id }), ...arm],
    });
  }
  return {
    [key]: {
      id: key,
      entry: [activate(node.id), ...start],
      exit: [
        ...boundaries.exit,
        ...disarm,
        ...slaCancel,
        ...pauses(c, node, 'sla.resume'),
        { type: 'svc.clearLocals', params: { elementId: node.id } },
        deactivateAll(node.id),
        left(node),
      ],
      on,
      ...(concurrent ? { always: concurrent } : {}),
      ...extra,
    },
    ...out.states,
  };
}

/**
 * A job's wait state. A failure is the machine event `job.failed`: with retries left the job is
 * retried later, without it is an incident at the element. Retrying an incident of the job itself
 * (its failure, or its BPMN error nobody caught) gives the same job its retries back.
 */
function jobTask(c: Compilation, node: FlowNode, group: Group): States {
  // without a job type a send element sends its message inside the engine, through the engine's own worker
  const message =
    !node.jobType && node.event?.kind === 'message'
      ? { name: node.event.messageName, correlationKey: node.event.correlationKey }
      : undefined;
  const jobType = node.jobType ?? (message ? MESSAGE_JOB_TYPE : '');
  const states = waitFor(
    c,
    node,
    group,
    'job.completed',
    [
      effect({
        kind: 'job.create',
        elementId: node.id,
        jobType,
        retries: node.jobRetries,
        inputs: node.inputs,
        ...(message ? { message } : {}),
      }),
    ],
    [effect({ kind: 'job.cancel', elementId: node.id })],
  );
  const on = states[stateKey(node.id)].on!;
  on['job.failed'] = [
    { guard: isElement(node.id), actions: [effect({ kind: 'job.fail', elementId: node.id, jobType })] },
  ];
  on['incident.retry'].unshift({
    guard: and(isElement(node.id), { type: 'svc.jobIncident', params: { id: node.id } }),
    actions: [
      merge(node.id, []),
      effect({ kind: 'job.retry', elementId: node.id }),
      effect({ kind: 'incident.resolve', elementId: node.id }),
    ],
  });
  return states;
}

function endEvent(c: Compilation, node: FlowNode, group: Group): States {
  const key = stateKey(node.id);
  const kind = node.event?.kind ?? 'none';
  if (kind === 'error') {
    const code = node.event?.kind === 'error' ? node.event.errorCode : null;
    const catcher = interruptingCatcher(c, node, 'error', code);
    // caught at once: nothing else in the scope moves on before the boundary interrupts it
    if (catcher)
      return { [key]: { id: key, entry: [entered(node)], exit: [left(node)], always: [{ target: ref(catcher.id) }] } };
    c.activeStates[key] = node.id;
    return {
      [key]: {
        id: key,
        entry: [entered(node), raise({ type: 'error.thrown', elementId: node.id, errorCode: code ?? '' })],
        exit: [left(node)],
      },
    };
  }
  if (node.jobType || sendsMessage(node)) return jobTask(c, node, group);
  const catcher =
    kind === 'escalation' ? interruptingCatcher(c, node, 'escalation', escalationCode(node) || null) : null;
  if (catcher)
    return { [key]: { id: key, entry: [entered(node)], exit: [left(node)], always: [{ target: ref(catcher.id) }] } };
  const throwing =
    kind === 'escalation'
      ? [raise({ type: 'escalation.thrown', elementId: node.id, escalationCode: escalationCode(node) })]
      : signalThrow(node);
  const entry = [entered(node), ...throwing, left(node)];
  if (group.kind === 'token') return { [key]: { id: key, entry, always: [toFlows(group, [])] } };
  if (group.kind === 'path') return { [key]: { id: key, entry, always: [{ target: `#${group.idle}` }] } };
  return { [key]: { id: key, type: 'final', entry } };
}

function throwEvent(c: Compilation, node: FlowNode, group: Group): States {
  if (node.jobType || sendsMessage(node)) return jobTask(c, node, group);
  const catcher =
    node.event?.kind === 'escalation' ? interruptingCatcher(c, node, 'escalation', escalationCode(node) || null) : null;
  if (catcher)
    return {
      [stateKey(node.id)]: {
        id: stateKey(node.id),
        entry: [entered(node)],
        exit: [left(node)],
        always: [{ target: ref(catcher.id) }],
      },
    };
  const out = next(c, node, group);
  const throwing =
    node.event?.kind === 'escalation'
      ? [raise({ type: 'escalation.thrown', elementId: node.id, escalationCode: escalationCode(node) })]
      : signalThrow(node);
  return {
    [stateKey(node.id)]: {
      id: stateKey(node.id),
      entry: [entered(node), ...throwing, left(node)],
      always: [{ target: out.target, actions: out.actions }],
    },
    ...out.states,
  };
}

function scriptTask(c: Compilation, node: FlowNode, group: Group): States {
  const key = stateKey(node.id);
  const script = node.script!;
  if (node.multiInstance)
    return eventlessLoop(c, node, group, {
      ok: { type: 'svc.scriptOk', params: { elementId: node.id, expression: script.expression } },
      actions: [
        {
          type: 'svc.script',
          params: {
            elementId: node.id,
            expression: script.expression,
            resultVariable: script.resultVariable,
            outputs: node.outputs,
          },
        },
      ],
      incident: { kind: 'script.check', elementId: node.id, expression: script.expression },
    });
  const out = next(c, node, group);
  const incidentKey = `${key}__incident`;
  return {
    [key]: {
      id: key,
      entry: [entered(node), ...inputs(node)],
      // exit actions run before a transition's: the locals are cleared after the script has read them
      exit: [left(node)],
      always: [
        {
          guard: { type: 'svc.scriptOk', params: { elementId: node.id, expression: script.expression } },
          target: out.target,
          actions: [
            {
              type: 'svc.script',
              params: {
                elementId: node.id,
                expression: script.expression,
                resultVariable: script.resultVariable,
                outputs: node.outputs,
              },
            },
            { type: 'svc.clearLocals', params: { elementId: node.id } },
            ...out.actions,
          ],
        },
        { target: `#${incidentKey}` },
      ],
    },
    ...incidentState(c, node, incidentKey, { kind: 'script.check', elementId: node.id, expression: script.expression }),
    ...out.states,
  };
}

function exclusiveGateway(c: Compilation, node: FlowNode, group: Group): States {
  const key = stateKey(node.id);
  if (node.outgoing.length <= 1) return passThrough(c, node, group);
  const flows = node.outgoing.map((id) => c.model.flows[id]);
  const conditional = flows.filter((f) => f.id !== node.defaultFlow);
  const conditions = conditional.map((f) => f.condition ?? 'true');
  const incidentKey = `${key}__incident`;
  const always: TransitionConfig[] = [
    { guard: { type: 'svc.invalid', params: { conditions } }, target: `#${incidentKey}` },
  ];
  always.push(
    ...conditional.map((f) => ({
      ...c.leave(f.id, group),
      guard: f.condition === null ? undefined : { type: 'svc.cond', params: { expression: f.condition } },
    })),
  );
  if (node.defaultFlow) always.push(c.leave(node.defaultFlow, group));
  always.push({ target: `#${incidentKey}` });
  return {
    [key]: { id: key, entry: [entered(node)], exit: [left(node)], always },
    ...incidentState(c, node, incidentKey, {
      kind: 'incident.raise',
      elementId: node.id,
      code: 'NO_MATCHING_FLOW',
      message: `no outgoing flow of ${describeNode(node)} matched and it has no default flow`,
      conditions,
    }),
  };
}

/** A complex gateway fires once per wave (its station in the token region decides when) and splits like an inclusive one. */
function complexGateway(c: Compilation, node: FlowNode, group: Group): States {
  if (node.incoming.length > 1 && !node.activationCondition)
    c.refuse(
      node,
      'complex gateways that join flows without an activationCondition; give it one (e.g. activationCount >= 2)',
    );
  return passThrough(c, node, group);
}

function eventGateway(c: Compilation, node: FlowNode, group: Group): States {
  const key = stateKey(node.id);
  const flows = node.outgoing
    .map((id) => c.model.flows[id])
    .filter((f) => c.node(f.targetId)?.event || c.node(f.targetId)?.type === 'receiveTask');
  const targets = flows.map((f) => c.node(f.targetId));
  const on: Record<string, TransitionConfig[]> = {};
  for (const f of flows) {
    const t = c.node(f.targetId);
    const out = c.leave(f.id, group);
    (on[eventOf(t)] ??= []).push({
      guard: isElement(t.id),
      target: out.target,
      actions: [merge(t.id, t.outputs), ...out.actions],
    });
  }
  // a target that could not be armed (its timer or correlation-key expression failed) is armed again on retry
  for (const t of targets)
    (on['incident.retry'] ??= []).push({
      guard: isElement(t.id),
      actions: [
        merge(t.id, []),
        effect({ kind: 'incident.resolve', elementId: t.id }),
        ...disarmEvent(t),
        ...armEvent(t),
      ],
    });
  c.activeStates[key] = node.id;
  return {
    [key]: {
      id: key,
      on,
      entry: [entered(node), ...targets.flatMap((t) => armEvent(t))],
      exit: [...targets.flatMap((t) => disarmEvent(t)), left(node)],
    },
  };
}

function subProcess(c: Compilation, node: FlowNode, group: Group): States {
  const key = stateKey(node.id);
  const scope = compileScope(c, node.id);
  const boundaries = armBoundaries(c, node, group);
  const out = next(c, node, group);
  const slaStart = node.sla ? [effect({ kind: 'sla.start', elementId: node.id, sla: node.sla })] : [];
  const { slaStop, slaCancel } = slaEnds(node);
  c.activeStates[key] = node.id;
  if (node.multiInstance) {
    c.activeStates[`${key}__loopIncident`] = node.id;
    const clash = sideBySideReason(c.model, node);
    if (clash) c.refuse(node, clash);
    const waits = parallelSubProcessReason(c.model, node);
    if (waits) c.refuse(node, waits);
    return {
      ...subProcessLoop(node, scope, {
        entry: [
          entered(node),
          ...pauses(c, node, 'sla.pause'),
          ...slaStart,
          ...ownedBy(`${node.id}__body`, boundaries.entry),
        ],
        exit: [
          ...ownedBy(`${node.id}__body`, boundaries.exit),
          ...slaCancel,
          ...pauses(c, node, 'sla.resume'),
          { type: 'svc.clearLocals', params: { elementId: node.id } },
        ],
        inputs: inputs(node),
        on: boundaries.on,
        out: { target: out.target, actions: [...slaStop, ...out.actions] },
        left: left(node),
      }),
      ...out.states,
    };
  }
  return {
    [key]: {
      ...scope,
      id: key,
      entry: [
        entered(node),
        ...openScope(c, node),
        ...inputs(node),
        ...pauses(c, node, 'sla.pause'),
        ...slaStart,
        ...boundaries.entry,
      ],
      exit: [
        ...boundaries.exit,
        ...slaCancel,
        ...pauses(c, node, 'sla.resume'),
        { type: 'svc.clearLocals', params: { elementId: node.id } },
        left(node),
      ],
      on: boundaries.on,
      onDone: [{ target: out.target, actions: [...slaStop, merge(node.id, node.outputs), ...out.actions] }],
    },
    ...out.states,
  };
}

/** A multi-instance eventless activity (script, business rule, none or manual task). */
export function eventlessLoop(c: Compilation, node: FlowNode, group: Group, run: TransientRun): States {
  const key = stateKey(node.id);
  const out = next(c, node, group);
  c.activeStates[`${key}__incident`] = node.id;
  c.activeStates[`${key}__loopIncident`] = node.id;
  return {
    ...transientLoopStates(node, run, {
      entry: [entered(node), ...pauses(c, node, 'sla.pause')],
      exit: [{ type: 'svc.clearLocals', params: { elementId: node.id } }, ...pauses(c, node, 'sla.resume'), left(node)],
      inputs: inputs(node),
      out,
    }),
    ...out.states,
  };
}

/** The incident state of a node: raises on entry, resolves on exit, re-enters the node on retry. */
export function incidentState(
  c: Compilation,
  node: FlowNode,
  incidentKey: string,
  spec: Parameters<typeof effect>[0],
): States {
  c.activeStates[incidentKey] = node.id;
  return {
    [incidentKey]: {
      id: incidentKey,
      entry: [effect(spec)],
      exit: [effect({ kind: 'incident.resolve', elementId: node.id })],
      on: { 'incident.retry': [{ guard: isElement(node.id), target: ref(node.id), actions: [merge(node.id, [])] }] },
    },
  };
}

/**
 * Where a node's token goes when the node is done: along its single outgoing flow, through a split
 * (several flows, token regions only), or to an implicit end when it has none.
 */
export function next(
  c: Compilation,
  node: FlowNode,
  group: Group,
): { target?: string; actions: ActionConfig[]; states: States } {
  // every completion of an activity leaves through here: it is recorded for compensation first
  const record = recordCompletion(c, node);
  const out = leaveNode(c, node, group);
  return record.length > 0 ? { ...out, actions: [...record, ...out.actions] } : out;
}

function leaveNode(
  c: Compilation,
  node: FlowNode,
  group: Group,
): { target?: string; actions: ActionConfig[]; states: States } {
  if (node.outgoing.length === 1) return { ...c.leave(node.outgoing[0], group), states: {} };
  if (group.kind === 'token')
    return node.outgoing.length > 1 ? splitStates(c, node, group) : { ...toFlows(group, []), states: {} };
  if (node.outgoing.length > 1 && node.type !== 'exclusiveGateway') {
    c.fail(node, `has ${node.outgoing.length} outgoing flows; split them with a gateway`);
  }
  if (group.kind === 'path') return { target: `#${group.idle}`, actions: [], states: {} };
  const endKey = `${stateKey(node.id)}__end`;
  return { target: `#${endKey}`, actions: [], states: { [endKey]: { id: endKey, type: 'final' } } };
}

/**
 * An SLA ends on exit as cancelled, unless the element completed normally: its completion transition
 * (which xstate runs after the exit actions) then says `sla.stop`, and the runtime keeps the stop.
 */
function slaEnds(node: FlowNode): { slaStop: ActionConfig[]; slaCancel: ActionConfig[] } {
  if (!node.sla) return { slaStop: [], slaCancel: [] };
  return {
    slaStop: [effect({ kind: 'sla.stop', elementId: node.id })],
    slaCancel: [effect({ kind: 'sla.cancel', elementId: node.id })],
  };
}

export function inputs(node: FlowNode): ActionConfig[] {
  return node.inputs.length > 0 ? [{ type: 'svc.inputs', params: { elementId: node.id, mappings: node.inputs } }] : [];
}

/** sla.pause / sla.resume for every SLA that names this element in its pauseWhile. */
function pauses(c: Compilation, node: FlowNode, kind: 'sla.pause' | 'sla.resume'): ActionConfig[] {
  return (c.pausers.get(node.id) ?? []).map((owner) => effect({ kind, elementId: owner, reason: node.id }));
}

function eventOf(node: FlowNode): string {
  if (node.type === 'receiveTask' || node.event?.kind === 'message') return 'message.received';
  if (node.event?.kind === 'signal') return 'signal.received';
  if (node.event?.kind === 'conditional') return 'condition.changed';
  return 'timer.fired';
}

function afterEventGateway(c: Compilation, node: FlowNode): boolean {
  return node.incoming.some((f) => c.node(c.model.flows[f]?.sourceId)?.type === 'eventBasedGateway');
}

/** The interrupting boundary that catches this throw, if one does (a non-interrupting one lets the flow go on). */
function interruptingCatcher(
  c: Compilation,
  node: FlowNode,
  kind: 'error' | 'escalation',
  code: string | null,
): FlowNode | null {
  const catcher = catcherOf(c, node, kind, code);
  // a token region moves tokens, not states: there the raised event reaches the boundary as before
  if (!catcher?.cancelActivity || c.unstructured.has(catcher.scopeId)) return null;
  return catcher;
}

function escalationCode(node: FlowNode): string {
  return node.event?.kind === 'escalation' ? (node.event.escalationCode ?? '') : '';
}
