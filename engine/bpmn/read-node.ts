/** Reads one flow element into a FlowNode, or reports why it cannot run here. */
import type { ModdleElement } from 'bpmn-moddle';
import {
  attr,
  extensionOf,
  extensionsOf,
  refId,
  report,
  text,
  withoutEquals,
  type ReadContext,
} from './moddle/access.js';
import type { EventDefinition, FlowNode, NodeType } from './model.js';
import {
  eventDefinitionsOf,
  eventKindOf,
  readEventDefinition,
  readMessageRef,
  readMultiple,
  unsupportedEventReason,
} from './read-events.js';
import { adHocReason, isEmptyAdHoc, misplacedEvents, readAdHoc } from './read-adhoc.js';
import { readCall } from './read-call.js';
import { readListeners } from './read-listeners.js';
import { readDecisionCall } from './read-decision-call.js';
import { readSla } from './read-sla.js';
import { multiInstanceReason, readMultiInstance } from './read-loop.js';
import { isUnsafeKey } from './records.js';
import {
  EXTERNAL_TYPES,
  isFeelFormat,
  NO_JOB,
  readAssignment,
  readDocumentation,
  readFormKey,
  readJob,
  readHeaders,
  readMappings,
  readProperties,
  readScript,
} from './read-task.js';

const NODE_TYPES: Record<string, NodeType> = {
  'bpmn:StartEvent': 'startEvent',
  'bpmn:EndEvent': 'endEvent',
  'bpmn:BoundaryEvent': 'boundaryEvent',
  'bpmn:IntermediateCatchEvent': 'intermediateCatchEvent',
  'bpmn:IntermediateThrowEvent': 'intermediateThrowEvent',
  'bpmn:Task': 'task',
  'bpmn:UserTask': 'userTask',
  'bpmn:ManualTask': 'manualTask',
  'bpmn:ServiceTask': 'serviceTask',
  'bpmn:SendTask': 'sendTask',
  'bpmn:ReceiveTask': 'receiveTask',
  'bpmn:ScriptTask': 'scriptTask',
  'bpmn:BusinessRuleTask': 'businessRuleTask',
  'bpmn:ExclusiveGateway': 'exclusiveGateway',
  'bpmn:ParallelGateway': 'parallelGateway',
  'bpmn:InclusiveGateway': 'inclusiveGateway',
  'bpmn:ComplexGateway': 'complexGateway',
  'bpmn:EventBasedGateway': 'eventBasedGateway',
  'bpmn:SubProcess': 'subProcess',
  'bpmn:CallActivity': 'callActivity',
  'bpmn:Transaction': 'subProcess',
  'bpmn:AdHocSubProcess': 'subProcess',
};

const UNSUPPORTED_TYPES: Record<string, string> = {};

/** Flow elements that carry no behaviour of their own. */
const PASSIVE_TYPES = new Set([
  'bpmn:SequenceFlow',
  'bpmn:DataObject',
  'bpmn:DataObjectReference',
  'bpmn:DataStoreReference',
]);

/** The event kinds each event type may carry; others are invalid BPMN or not supported. */
const ALLOWED_EVENTS: Partial<Record<NodeType, EventDefinition['kind'][]>> = {
  startEvent: ['none', 'timer', 'message', 'signal'],
  intermediateCatchEvent: ['timer', 'message', 'signal', 'link', 'conditional'],
  intermediateThrowEvent: ['none', 'message', 'escalation', 'signal', 'link', 'compensation'],
  endEvent: ['none', 'terminate', 'error', 'escalation', 'message', 'signal', 'compensation', 'cancel'],
  boundaryEvent: ['none', 'timer', 'message', 'error', 'escalation', 'signal', 'conditional', 'compensation', 'cancel'],
};

/** The FlowNode for a flow element in a scope; null for passive elements and for unsupported ones (reported). */
export function readNode(element: ModdleElement, scopeId: string, ctx: ReadContext): FlowNode | null {
  if (PASSIVE_TYPES.has(element.$type)) return null;
  const type = NODE_TYPES[element.$type];
  const invalid = type ? invalidEventReason(element, type) : null;
  if (invalid) {
    report(ctx, 'EVENT_DEFINITION_INVALID', element, invalid);
    return null;
  }
  const reason = type
    ? unsupportedReason(element, type)
    : (UNSUPPORTED_TYPES[element.$type] ?? 'cannot run here: svcflow does not run this element type yet');
  if (reason) {
    report(ctx, 'UNSUPPORTED_ELEMENT', element, reason);
    return null;
  }
  if (isEmptyAdHoc(element))
    report(
      ctx,
      'NO_START_EVENT',
      element,
      'is an ad-hoc sub-process without an activity, so nothing could ever run in it; add the activities it offers',
    );
  for (const event of misplacedEvents(element))
    report(
      ctx,
      event.$type === 'bpmn:StartEvent' ? 'START_EVENT_INVALID' : 'FLOW_INVALID',
      event,
      'is inside an ad-hoc sub-process, and the model is invalid because an ad-hoc sub-process has no start or end events (BPMN 2.0 §10.3.5); its elements wait to be activated, and a path ends at its last element',
    );
  if (!text(element.id) || isUnsafeKey(element.id!)) {
    report(ctx, 'ID_INVALID', element, 'has no usable id; give every element a unique id');
    return null;
  }
  return createNode(element, type, scopeId, ctx);
}

// helpers

function createNode(element: ModdleElement, type: NodeType, scopeId: string, ctx: ReadContext): FlowNode {
  const isBoundary = type === 'boundaryEvent';
  return {
    id: element.id!,
    type,
    name: text(element.name),
    scopeId,
    incoming: [],
    outgoing: [],
    defaultFlow: refId(ctx, element, 'default'),
    event: eventOf(element, type, ctx),
    ...multipleOf(element, type, ctx),
    ...gatewayDirectionOf(element),
    ...(type === 'complexGateway' ? { activationCondition: readActivationCondition(element) } : {}),
    ...(element.$type === 'bpmn:AdHocSubProcess' ? { adHoc: readAdHoc(element) } : {}),
    attachedTo: isBoundary ? refId(ctx, element, 'attachedToRef') : null,
    cancelActivity: isBoundary
      ? element.cancelActivity !== false
      : type === 'startEvent'
        ? element.isInterrupting !== false
        : true,
    ...(type === 'subProcess' && element.triggeredByEvent ? { triggeredByEvent: true } : {}),
    boundaryEvents: [],
    assignment: type === 'userTask' ? readAssignment(element) : null,
    formKey: type === 'userTask' || type === 'startEvent' ? readFormKey(element) : null,
    ...(attr(element, 'camunda:formRef') && attr(element, 'camunda:formRefBinding') === 'latest'
      ? { formBinding: 'latest' as const }
      : {}),
    ...(isJobBacked(element, type) ? readJob(element) : NO_JOB),
    script: type === 'scriptTask' ? readScript(element) : null,
    ...(type === 'businessRuleTask' ? { decision: readDecisionCall(element, ctx) } : {}),
    ...(type === 'callActivity' ? { call: readCall(element, ctx) } : {}),
    ...readMappings(element),
    sla: readSla(element, ctx),
    documentation: readDocumentation(element),
    properties: readProperties(element),
    headers: readHeaders(element),
    ...readQuantities(element, ctx),
    ...listenersOf(element, type, ctx),
    ...multiInstanceOf(element),
    ...(element.isForCompensation ? { isForCompensation: true } : {}),
    ...(element.$type === 'bpmn:Transaction' ? { transaction: true } : {}),
  };
}

/** Camunda 7 listeners, when the element has any; a multi-instance activity's are refused (per instance or per body?). */
function listenersOf(element: ModdleElement, type: NodeType, ctx: ReadContext): Pick<FlowNode, 'listeners'> {
  const listeners = readListeners(element, type === 'userTask' ? 'userTask' : 'node', ctx);
  if (listeners.length === 0) return {};
  if (readMultiInstance(element)) {
    report(ctx, 'UNSUPPORTED_ELEMENT', element, 'is multi-instance and has listeners; not supported yet');
    return {};
  }
  return { listeners };
}

function multiInstanceOf(element: ModdleElement): Pick<FlowNode, 'multiInstance'> {
  const mi = readMultiInstance(element);
  return mi ? { multiInstance: mi } : {};
}

/** startQuantity / completionQuantity when not 1; a value below 1 breaks the spec and is reported. */
function readQuantities(
  element: ModdleElement,
  ctx: ReadContext,
): Pick<FlowNode, 'startQuantity' | 'completionQuantity'> {
  const out: Pick<FlowNode, 'startQuantity' | 'completionQuantity'> = {};
  for (const key of ['startQuantity', 'completionQuantity'] as const) {
    const value = element[key] === undefined ? 1 : Number(element[key]);
    if (!Number.isInteger(value) || value < 1)
      report(
        ctx,
        'UNSUPPORTED_ELEMENT',
        element,
        `has ${key}="${String(element[key])}"; the model is invalid because it must be a whole number of at least 1`,
      );
    else if (value !== 1) out[key] = value;
  }
  return out;
}

function eventOf(element: ModdleElement, type: NodeType, ctx: ReadContext): EventDefinition | null {
  if (type === 'receiveTask' || (type === 'sendTask' && element.messageRef)) return readMessageRef(element);
  return type in ALLOWED_EVENTS ? readEventDefinition(element, ctx) : null;
}

function multipleOf(element: ModdleElement, type: NodeType, ctx: ReadContext): Pick<FlowNode, 'multiple'> {
  const multiple = type in ALLOWED_EVENTS ? readMultiple(element, ctx) : null;
  return multiple ? { multiple } : {};
}

/** Start events of an event sub-process may also be triggered by an error or an escalation (BPMN 2.0 §10.5.2). */
function allowedEvents(element: ModdleElement, type: NodeType): string[] | undefined {
  if (type === 'startEvent' && isInEventSubProcess(element))
    return [
      ...(ALLOWED_EVENTS.startEvent ?? []),
      'error',
      'escalation',
      'conditional',
      // compensation of a sub-process runs its compensation event sub-process; compensating a whole process
      // (from the call activity that called it) is not run yet
      ...(isSubProcess(element.$parent?.$parent) ? ['compensation'] : []),
    ];
  return ALLOWED_EVENTS[type];
}

function isSubProcess(element: ModdleElement | undefined): boolean {
  return element?.$type === 'bpmn:SubProcess' || element?.$type === 'bpmn:Transaction';
}

function specEvents(element: ModdleElement, type: NodeType): string[] | undefined {
  if (type === 'startEvent' && isInEventSubProcess(element))
    return [...(SPEC_EVENTS.startEvent ?? []), 'error', 'escalation', 'compensation'];
  return SPEC_EVENTS[type];
}

function isInEventSubProcess(element: ModdleElement): boolean {
  return element.$parent?.$type === 'bpmn:SubProcess' && element.$parent.triggeredByEvent === true;
}

function gatewayDirectionOf(element: ModdleElement): Pick<FlowNode, 'gatewayDirection'> {
  const direction = text(element.gatewayDirection);
  return direction === 'Converging' || direction === 'Diverging' || direction === 'Mixed'
    ? { gatewayDirection: direction }
    : {};
}

/** BPMN 2.0 §10.5 (tables 10.84–10.93): the event definitions each kind of event may carry. */
const SPEC_EVENTS: Partial<Record<NodeType, string[]>> = {
  startEvent: ['none', 'message', 'timer', 'conditional', 'signal'],
  intermediateCatchEvent: ['message', 'timer', 'conditional', 'link', 'signal'],
  intermediateThrowEvent: ['none', 'message', 'escalation', 'compensation', 'link', 'signal'],
  endEvent: ['none', 'message', 'error', 'escalation', 'cancel', 'compensation', 'signal', 'terminate'],
  boundaryEvent: ['message', 'timer', 'error', 'escalation', 'cancel', 'compensation', 'conditional', 'signal'],
};

/** Why the spec forbids this event's definition here (e.g. a timer on an end event), or null. */
function invalidEventReason(element: ModdleElement, type: NodeType): string | null {
  const allowed = specEvents(element, type);
  const definitions = eventDefinitionsOf(element);
  if (!allowed || definitions.length > 1) return null;
  const kind = definitions[0] ? definitionKind(definitions[0].$type) : 'none';
  // a boundary event without a definition is reported with its fix by the boundary checks
  if (kind === null || allowed.includes(kind) || (type === 'boundaryEvent' && kind === 'none')) return null;
  return `has ${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind} event definition, and the model is invalid because ${/^[aeiou]/.test(NODE_LABEL[type] ?? '') ? 'an' : 'a'} ${NODE_LABEL[type]} cannot have one (BPMN 2.0 §10.5); allowed: ${allowed.join(', ')}`;
}

const NODE_LABEL: Partial<Record<NodeType, string>> = {
  startEvent: 'start event',
  intermediateCatchEvent: 'intermediate catch event',
  intermediateThrowEvent: 'intermediate throw event',
  endEvent: 'end event',
  boundaryEvent: 'boundary event',
};

/** 'bpmn:TimerEventDefinition' → 'timer'; 'bpmn:CompensateEventDefinition' → 'compensation'. */
function definitionKind(type: string): string | null {
  const name = /^bpmn:(\w+)EventDefinition$/.exec(type)?.[1];
  if (!name) return null;
  return name === 'Compensate' ? 'compensation' : name.toLowerCase();
}

/** Service and send tasks are jobs; so are message throw events, which may or may not name a job type. */
function isJobBacked(element: ModdleElement, type: NodeType): boolean {
  if (type === 'serviceTask' || type === 'sendTask') return true;
  const throwsMessage = eventDefinitionsOf(element)[0]?.$type === 'bpmn:MessageEventDefinition';
  return (type === 'intermediateThrowEvent' || type === 'endEvent') && throwsMessage;
}

function unsupportedReason(element: ModdleElement, type: NodeType): string | null {
  return (
    activationReason(element, type) ??
    eventSubProcessReason(element) ??
    adHocReason(element) ??
    loopReason(element) ??
    eventReason(element, type) ??
    implementationReason(element, type) ??
    parameterReason(element) ??
    formReason(element)
  );
}

/** A complex gateway's activation condition, without its '='; null when it has none. */
function readActivationCondition(element: ModdleElement): string | null {
  const body = text(element.activationCondition?.body);
  return body ? withoutEquals(body) : null;
}

/** An activation condition svcflow cannot evaluate is refused, never ignored. */
function activationReason(element: ModdleElement, type: NodeType): string | null {
  if (type !== 'complexGateway') return null;
  const language = text(element.activationCondition?.language);
  if (language && !/feel|juel/i.test(language))
    return `has an activation condition in the language '${language}'; svcflow does not run it yet, write it in FEEL (or a Camunda 7 \${…} expression)`;
  return null;
}

/** Event sub-processes run in the process, in sub-processes and in each other; repeated ones not yet. */
function eventSubProcessReason(element: ModdleElement): string | null {
  if (element.$type !== 'bpmn:SubProcess' || !element.triggeredByEvent) return null;
  if (element.loopCharacteristics)
    return 'is an event sub-process with loop characteristics; svcflow does not run repeated event sub-processes yet';
  return null;
}

/** Camunda 8's external forms are links the tasklist opens; svcflow shows only the forms it holds. */
/** A form key svcflow can look up: a deployed form's id (letters, digits, dashes, underscores). */
const FORM_KEY = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;

function formReason(element: ModdleElement): string | null {
  const key = readFormKey(element);
  if (key !== null && !FORM_KEY.test(key))
    return `links the form '${key}', which is no deployed form-js form; svcflow does not show embedded, app or external forms yet, deploy a .form with the process and link it by its id (camunda:formRef or zeebe:formDefinition formId)`;
  const binding = attr(element, 'camunda:formRefBinding');
  if (attr(element, 'camunda:formRef') && binding && binding !== 'latest' && binding !== 'deployment')
    return `binds its form with camunda:formRefBinding '${binding}'; svcflow does not run this binding yet, use deployment or latest`;
  const form = extensionOf(element, 'zeebe:FormDefinition');
  const external = attr(form, 'externalReference');
  if (!external || attr(form, 'formId') || attr(form, 'formKey')) return null;
  return `links the external form '${external}' (zeebe:formDefinition externalReference); svcflow does not show external forms yet, link a deployed form with formId`;
}

function loopReason(element: ModdleElement): string | null {
  const loop: string | undefined = element.loopCharacteristics?.$type;
  if (loop === 'bpmn:MultiInstanceLoopCharacteristics') return multiInstanceReason(element, NODE_TYPES[element.$type]);
  if (loop === 'bpmn:StandardLoopCharacteristics') return multiInstanceReason(element, NODE_TYPES[element.$type]);
  if (loop)
    return 'has loop characteristics svcflow does not know; svcflow does not run them yet, model the loop with an exclusive gateway';
  return null;
}

function eventReason(element: ModdleElement, type: NodeType): string | null {
  const allowed = allowedEvents(element, type);
  if (!allowed) return null;
  const unsupported = unsupportedEventReason(element);
  if (unsupported) return unsupported;
  const kind = eventKindOf(element);
  if (kind === null) return `uses a ${eventDefinitionsOf(element)[0].$type} definition; svcflow does not run it yet`;
  if (allowed.includes(kind)) return null;
  return `has ${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind} event definition; svcflow does not run ${kind} events here yet`;
}

/** Camunda 7 Java delegates, expressions and external script resources cannot run in a JavaScript engine. */
function implementationReason(element: ModdleElement, type: NodeType): string | null {
  if ((type === 'serviceTask' || type === 'sendTask') && !extensionOf(element, 'zeebe:TaskDefinition')) {
    const delegate = ['class', 'expression', 'delegateExpression'].find((name) => attr(element, `camunda:${name}`));
    if (delegate)
      return `uses camunda:${delegate}; svcflow does not run Java delegates or expressions, use an external task (camunda:type="external" with camunda:topic)`;
    const kind = attr(element, 'camunda:type');
    if (kind && !EXTERNAL_TYPES.has(kind))
      return `is a '${kind}' task (camunda:type); svcflow does not run ${kind} tasks yet, use an external task (camunda:type="external" with camunda:topic)`;
  }
  if (type !== 'scriptTask' || extensionOf(element, 'zeebe:Script')) return null;
  if (attr(element, 'camunda:resource'))
    return 'loads its script from a resource; svcflow does not run external scripts yet, write the FEEL script inline';
  const format = text(element.scriptFormat);
  return format && !isFeelFormat(format)
    ? `has script format '${format}'; svcflow does not run '${format}' scripts yet; use FEEL`
    : null;
}

function parameterReason(element: ModdleElement): string | null {
  const parameters: ModdleElement[] = extensionsOf(element, 'camunda:InputOutput').flatMap((io) => [
    ...(io.inputParameters ?? []),
    ...(io.outputParameters ?? []),
  ]);
  const structured = parameters.find((p) => p.definition);
  if (!structured) return null;
  return `has the input/output parameter '${structured.name}' defined as ${structured.definition.$type}; svcflow does not run structured parameters yet, use expressions or text values`;
}
