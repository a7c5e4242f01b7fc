/** Per-node structural checks: reachability, gateways, boundary events, timers, messages, jobs and scripts. */
import { describeElement, problemAbout } from './describe.js';
import type { FlowNode, NodeType, ProcessModel, TimerDefinition } from './model.js';
import type { Problem } from './problems.js';
import { own } from './records.js';

const ACTIVITIES = new Set<NodeType>([
  'task',
  'userTask',
  'manualTask',
  'serviceTask',
  'sendTask',
  'receiveTask',
  'scriptTask',
  'businessRuleTask',
  'subProcess',
  'callActivity',
]);
const GATEWAYS = new Set<NodeType>([
  'exclusiveGateway',
  'parallelGateway',
  'inclusiveGateway',
  'complexGateway',
  'eventBasedGateway',
]);
const MESSAGE_RECEIVERS = new Set<NodeType>(['startEvent', 'intermediateCatchEvent', 'boundaryEvent', 'receiveTask']);

/** Every structural problem of one node within its process; each definition of a multiple event is checked. */
export function checkNode(node: FlowNode, process: ProcessModel): Problem[] {
  const others = (node.multiple?.events ?? []).slice(1).map((event) => ({ ...node, event }));
  return [...checkOne(node, process), ...others.flatMap((n) => checkDefinition(n))];
}

/** The checks of one event definition of a multiple event. */
function checkDefinition(node: FlowNode): Problem[] {
  return [
    node.event?.kind === 'timer' ? checkTimer(node, node.event.timer) : null,
    checkMessageName(node),
    node.event?.kind === 'signal' && node.event.signalName.trim() === ''
      ? problemAbout(
          'SIGNAL_NAME_MISSING',
          node,
          'refers to no signal or to a signal without a name; select a signal and give it a name',
        )
      : null,
  ].filter((problem): problem is Problem => problem !== null);
}

function checkOne(node: FlowNode, process: ProcessModel): Problem[] {
  return [
    checkIncoming(node, process),
    ...(GATEWAYS.has(node.type) ? checkGateway(node, process) : []),
    node.type === 'boundaryEvent' ? checkBoundary(node, process) : null,
    node.event?.kind === 'timer' ? checkTimer(node, node.event.timer) : null,
    checkMessageName(node),
    node.event?.kind === 'signal' && node.event.signalName.trim() === ''
      ? problemAbout(
          'SIGNAL_NAME_MISSING',
          node,
          'refers to no signal or to a signal without a name; select a signal and give it a name',
        )
      : null,
    checkJob(node),
    node.type === 'scriptTask' && !node.script
      ? problemAbout(
          'SCRIPT_INVALID',
          node,
          'has no FEEL script; write it as a FEEL expression (zeebe:script, or scriptFormat="feel")',
        )
      : null,
  ].filter((problem): problem is Problem => problem !== null);
}

/** Activities and intermediate events without an outgoing flow end their path implicitly; no incoming flow is an error. */
function checkIncoming(node: FlowNode, process: ProcessModel): Problem | null {
  if (node.type === 'startEvent' || node.type === 'boundaryEvent' || node.incoming.length > 0) return null;
  // a compensation handler is started by compensation, never by a token (BPMN 2.0 §10.5.4)
  if (node.isForCompensation) return null;
  if (node.triggeredByEvent) return null; // an event sub-process is started by its trigger
  if (process.nodes[node.scopeId]?.adHoc) return null; // an ad-hoc sub-process's elements wait to be activated
  // BPMN 2.0 §10.5.2: without start events, a process is instantiated at its elements without incoming flows
  if (
    node.scopeId === process.id &&
    !Object.values(process.nodes).some((n) => n.type === 'startEvent' && n.scopeId === process.id)
  )
    return null;
  return problemAbout(
    'NO_INCOMING_FLOW',
    node,
    'has no incoming sequence flow, so it can never be reached; connect it or remove it',
  );
}

function checkGateway(node: FlowNode, process: ProcessModel): Problem[] {
  if (node.outgoing.length === 0)
    return [problemAbout('GATEWAY_NO_OUTGOING', node, 'has no outgoing flow; connect it to the next step')];
  if (node.type === 'eventBasedGateway') return checkEventGateway(node, process);
  if (!['exclusiveGateway', 'inclusiveGateway', 'complexGateway'].includes(node.type)) return [];
  if (node.defaultFlow && !node.outgoing.includes(node.defaultFlow)) {
    return [
      problemAbout(
        'GATEWAY_NO_DEFAULT',
        node,
        `has the default flow '${node.defaultFlow}', which is not one of its outgoing flows; mark one of its outgoing flows as default`,
      ),
    ];
  }
  return node.type === 'exclusiveGateway' ? checkExclusiveConditions(node, process) : [];
}

/** An exclusive gateway with several outgoing flows must be able to choose: conditions everywhere but the default. */
function checkExclusiveConditions(node: FlowNode, process: ProcessModel): Problem[] {
  if (node.outgoing.length < 2) return [];
  const unconditioned = node.outgoing.filter((id) => id !== node.defaultFlow && !own(process.flows, id)?.condition);
  if (unconditioned.length === 0) return [];
  const count = `${unconditioned.length} outgoing flow${unconditioned.length === 1 ? '' : 's'} without a condition`;
  return [
    problemAbout(
      'GATEWAY_NO_DEFAULT',
      node,
      node.defaultFlow
        ? `has ${count} besides its default flow '${node.defaultFlow}'; add conditions to ${unconditioned.map((id) => `'${id}'`).join(', ')}`
        : `has ${count} and no default flow; add conditions or mark one as default`,
    ),
  ];
}

/** BPMN 2.0 §10.6.6: an event-based gateway is followed by the events that race, or receive tasks. */
function checkEventGateway(node: FlowNode, process: ProcessModel): Problem[] {
  if (node.outgoing.length < 2) {
    return [
      problemAbout(
        'EVENT_GATEWAY_TARGET',
        node,
        'has only one outgoing flow; an event-based gateway needs at least two events to wait for',
      ),
    ];
  }
  return node.outgoing
    .map((id) => own(process.nodes, own(process.flows, id)?.targetId))
    .filter((target): target is FlowNode => target !== undefined && !isRacingEvent(target))
    .map((target) =>
      problemAbout(
        'EVENT_GATEWAY_TARGET',
        node,
        `leads to ${describeElement(target)}; an event-based gateway may only lead to timer, message, signal or conditional intermediate catch events and receive tasks`,
      ),
    );
}

function isRacingEvent(node: FlowNode): boolean {
  if (node.type === 'receiveTask') return true;
  return (
    node.type === 'intermediateCatchEvent' &&
    (node.event?.kind === 'timer' ||
      node.event?.kind === 'message' ||
      node.event?.kind === 'signal' ||
      node.event?.kind === 'conditional')
  );
}

function checkBoundary(node: FlowNode, process: ProcessModel): Problem | null {
  const activity = own(process.nodes, node.attachedTo);
  const fault = !node.attachedTo
    ? 'is not attached to an activity; attach it to a task or sub-process'
    : !activity
      ? `is attached to '${node.attachedTo}', which does not exist; attach it to a task or sub-process`
      : !ACTIVITIES.has(activity.type)
        ? `is attached to '${activity.id}', which is not an activity; attach it to a task or sub-process`
        : (node.event?.kind ?? 'none') === 'none'
          ? 'has no event definition; give it a timer, message, signal, error or escalation trigger'
          : node.event?.kind === 'error' && !node.cancelActivity
            ? 'is non-interrupting, but error boundary events always interrupt; make it interrupting'
            : null;
  return fault ? problemAbout('BOUNDARY_INVALID', node, fault) : null;
}

/** Literal timers get a light shape check; expressions (FEEL '=', JUEL '${') are left to the expression layer. */
function checkTimer(node: FlowNode, timer: TimerDefinition): Problem | null {
  // a timer runs on one of its three forms; taking one and dropping the others would fire at the wrong time
  if (timer.several)
    return problemAbout(
      'TIMER_INVALID',
      node,
      `has a timer with ${timer.several.map((t) => `a time${t[0].toUpperCase()}${t.slice(1)}`).join(' and ')}; a timer has exactly one of timeDate, timeDuration and timeCycle`,
    );
  // an intermediate catch event is passed once; a cycle there would silently fire only once
  if (node.type === 'intermediateCatchEvent' && timer.type === 'cycle') {
    return problemAbout(
      'UNSUPPORTED_ELEMENT',
      node,
      'has a timer cycle; svcflow does not run timer cycles on intermediate catch events yet (the event is passed once), use a duration or a date, or a non-interrupting boundary timer for repetitions',
    );
  }
  const value = timer.value.trim();
  if (value === '')
    return problemAbout(
      'TIMER_INVALID',
      node,
      `has a timer ${timer.type} without a value; set an ISO 8601 ${timer.type} (e.g. PT1H) or a FEEL expression`,
    );
  if (isExpression(value)) return null;
  if (timer.type === 'duration' && !/^-?P/i.test(value)) {
    return problemAbout(
      'TIMER_INVALID',
      node,
      `has the timer duration "${value}", which is not an ISO 8601 duration; use e.g. PT4H or P2D`,
    );
  }
  if (timer.type === 'date' && !/^\d{4}-\d{2}-\d{2}/.test(value)) {
    return problemAbout(
      'TIMER_INVALID',
      node,
      `has the timer date "${value}", which is not an ISO 8601 date-time; use e.g. 2025-01-31T09:00:00Z`,
    );
  }
  return null;
}

function checkMessageName(node: FlowNode): Problem | null {
  if (!MESSAGE_RECEIVERS.has(node.type) || node.event?.kind !== 'message' || node.event.messageName.trim() !== '')
    return null;
  return problemAbout(
    'MESSAGE_NAME_MISSING',
    node,
    'waits for a message without a name; select a message and give it a name',
  );
}

const JOB_TYPE_HINT =
  'set the task definition type (Camunda 8: zeebe:taskDefinition) or an external task topic (Camunda 7: camunda:type="external" camunda:topic)';

/**
 * Service tasks are jobs. Send tasks and message throw and end events are jobs with a job type; without
 * one they send their message inside the engine, so they need a named message (whether anyone receives
 * it is checked at deploy, against the deployed processes).
 */
function checkJob(node: FlowNode): Problem | null {
  if (node.jobType) return null;
  if (node.type === 'serviceTask') return problemAbout('JOB_TYPE_MISSING', node, `has no job type; ${JOB_TYPE_HINT}`);
  if (!sendsMessage(node) || (node.event?.kind === 'message' && node.event.messageName.trim() !== '')) return null;
  return problemAbout(
    'JOB_TYPE_MISSING',
    node,
    `has no job type and no named message to send; select a message and give it a name, or ${JOB_TYPE_HINT}`,
  );
}

/** Send tasks and message intermediate throw and end events. */
export function sendsMessage(node: FlowNode): boolean {
  if (node.type === 'sendTask') return true;
  return (node.type === 'intermediateThrowEvent' || node.type === 'endEvent') && node.event?.kind === 'message';
}

function isExpression(value: string): boolean {
  return value.startsWith('=') || /^[$#]\{/.test(value);
}
