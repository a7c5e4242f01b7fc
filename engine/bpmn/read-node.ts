/** Reads one flow element into a FlowNode, or reports why it cannot run here. */
import type { ModdleElement } from 'bpmn-moddle';
import { attr, extensionOf, extensionsOf, refId, report, text, type ReadContext } from './moddle/access.js';
import type { EventDefinition, FlowNode, NodeType } from './model.js';
import { eventKindOf, readEventDefinition, readMessageRef, unsupportedEventReason } from './read-events.js';
import { readSla } from './read-sla.js';
import { isUnsafeKey } from './records.js';
import { isFeelFormat, NO_JOB, readAssignment, readDocumentation, readFormKey, readJob, readMappings, readProperties, readScript } from './read-task.js';

const NODE_TYPES: Record<string, NodeType> = {
  'bpmn:StartEvent': 'startEvent', 'bpmn:EndEvent': 'endEvent', 'bpmn:BoundaryEvent': 'boundaryEvent',
  'bpmn:IntermediateCatchEvent': 'intermediateCatchEvent', 'bpmn:IntermediateThrowEvent': 'intermediateThrowEvent',
  'bpmn:Task': 'task', 'bpmn:UserTask': 'userTask', 'bpmn:ManualTask': 'manualTask', 'bpmn:ServiceTask': 'serviceTask',
  'bpmn:SendTask': 'sendTask', 'bpmn:ReceiveTask': 'receiveTask', 'bpmn:ScriptTask': 'scriptTask',
  'bpmn:ExclusiveGateway': 'exclusiveGateway', 'bpmn:ParallelGateway': 'parallelGateway',
  'bpmn:InclusiveGateway': 'inclusiveGateway', 'bpmn:EventBasedGateway': 'eventBasedGateway',
  'bpmn:SubProcess': 'subProcess',
};

const UNSUPPORTED_TYPES: Record<string, string> = {
  'bpmn:CallActivity': 'cannot run here: call activities are not supported; model the called process inline as a sub-process',
  'bpmn:BusinessRuleTask': 'cannot run here: business rule tasks are not supported; use a script task with FEEL or a service task',
  'bpmn:ComplexGateway': 'cannot run here: complex gateways are not supported; use exclusive, inclusive or parallel gateways',
  'bpmn:Transaction': 'cannot run here: transactions are not supported; use a sub-process',
  'bpmn:AdHocSubProcess': 'cannot run here: ad-hoc sub-processes are not supported; use a sub-process',
};

/** Flow elements that carry no behaviour of their own. */
const PASSIVE_TYPES = new Set([ 'bpmn:SequenceFlow', 'bpmn:DataObject', 'bpmn:DataObjectReference', 'bpmn:DataStoreReference' ]);

/** The event kinds each event type may carry; others are invalid BPMN or not supported. */
const ALLOWED_EVENTS: Partial<Record<NodeType, EventDefinition['kind'][]>> = {
  startEvent: [ 'none', 'timer', 'message' ],
  intermediateCatchEvent: [ 'timer', 'message' ],
  intermediateThrowEvent: [ 'none', 'message', 'escalation' ],
  endEvent: [ 'none', 'terminate', 'error', 'escalation', 'message' ],
  boundaryEvent: [ 'none', 'timer', 'message', 'error', 'escalation' ],
};

/** The FlowNode for a flow element in a scope; null for passive elements and for unsupported ones (reported). */
export function readNode(element: ModdleElement, scopeId: string, ctx: ReadContext): FlowNode | null {
  if (PASSIVE_TYPES.has(element.$type)) return null;
  const type = NODE_TYPES[element.$type];
  const reason = type ? unsupportedReason(element, type) : UNSUPPORTED_TYPES[element.$type] ?? 'cannot run here: this element type is not supported';
  if (reason) {
    report(ctx, 'UNSUPPORTED_ELEMENT', element, reason);
    return null;
  }
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
    attachedTo: isBoundary ? refId(ctx, element, 'attachedToRef') : null,
    cancelActivity: isBoundary ? element.cancelActivity !== false : true,
    boundaryEvents: [],
    assignment: type === 'userTask' ? readAssignment(element) : null,
    formKey: type === 'userTask' || type === 'startEvent' ? readFormKey(element) : null,
    ...(isJobBacked(element, type) ? readJob(element) : NO_JOB),
    script: type === 'scriptTask' ? readScript(element) : null,
    ...readMappings(element),
    sla: readSla(element, ctx),
    documentation: readDocumentation(element),
    properties: readProperties(element),
    ...readQuantities(element, ctx),
  };
}

/** startQuantity / completionQuantity when not 1; a value below 1 breaks the spec and is reported. */
function readQuantities(element: ModdleElement, ctx: ReadContext): Pick<FlowNode, 'startQuantity' | 'completionQuantity'> {
  const out: Pick<FlowNode, 'startQuantity' | 'completionQuantity'> = {};
  for (const key of ['startQuantity', 'completionQuantity'] as const) {
    const value = element[key] === undefined ? 1 : Number(element[key]);
    if (!Number.isInteger(value) || value < 1) report(ctx, 'UNSUPPORTED_ELEMENT', element, `has ${key}="${String(element[key])}"; the model is invalid because it must be a whole number of at least 1`);
    else if (value !== 1) out[key] = value;
  }
  return out;
}

function eventOf(element: ModdleElement, type: NodeType, ctx: ReadContext): EventDefinition | null {
  if (type === 'receiveTask') return readMessageRef(element);
  return type in ALLOWED_EVENTS ? readEventDefinition(element, ctx) : null;
}

/** Service and send tasks are jobs; so are message throw events, which may or may not name a job type. */
function isJobBacked(element: ModdleElement, type: NodeType): boolean {
  if (type === 'serviceTask' || type === 'sendTask') return true;
  const throwsMessage = element.eventDefinitions?.[0]?.$type === 'bpmn:MessageEventDefinition';
  return (type === 'intermediateThrowEvent' || type === 'endEvent') && throwsMessage;
}

function unsupportedReason(element: ModdleElement, type: NodeType): string | null {
  if (element.triggeredByEvent) return 'is an event sub-process; event sub-processes are not supported';
  return loopReason(element) ?? eventReason(element, type) ?? implementationReason(element, type) ?? parameterReason(element);
}

function loopReason(element: ModdleElement): string | null {
  const loop: string | undefined = element.loopCharacteristics?.$type;
  if (loop === 'bpmn:MultiInstanceLoopCharacteristics') return 'is a multi-instance activity; multi-instance loop characteristics are not supported';
  if (loop) return 'has standard loop characteristics; loops are not supported, model the loop with an exclusive gateway';
  if (element.isForCompensation) return 'is a compensation handler; compensation is not supported';
  return null;
}

function eventReason(element: ModdleElement, type: NodeType): string | null {
  const allowed = ALLOWED_EVENTS[type];
  if (!allowed) return null;
  const unsupported = unsupportedEventReason(element);
  if (unsupported) return unsupported;
  const kind = eventKindOf(element);
  if (kind === null) return `uses a ${element.eventDefinitions[0].$type} definition, which is not supported`;
  if (allowed.includes(kind)) return null;
  return kind === 'none'
    ? 'has no event definition; it must wait for a timer or a message'
    : `has ${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind} event definition, which this kind of event cannot have`;
}

/** Camunda 7 Java delegates, expressions and external script resources cannot run in a JavaScript engine. */
function implementationReason(element: ModdleElement, type: NodeType): string | null {
  if ((type === 'serviceTask' || type === 'sendTask') && !extensionOf(element, 'zeebe:TaskDefinition')) {
    const delegate = [ 'class', 'expression', 'delegateExpression' ].find((name) => attr(element, `camunda:${name}`));
    if (delegate) return `uses camunda:${delegate}; Java delegates and expressions are not supported, use an external task (camunda:type="external" with camunda:topic)`;
  }
  if (type !== 'scriptTask' || extensionOf(element, 'zeebe:Script')) return null;
  if (attr(element, 'camunda:resource')) return 'loads its script from a resource; external scripts are not supported, write the FEEL script inline';
  const format = text(element.scriptFormat);
  return format && !isFeelFormat(format) ? `has script format '${format}'; script format '${format}' is not supported; use FEEL` : null;
}

function parameterReason(element: ModdleElement): string | null {
  const parameters: ModdleElement[] = extensionsOf(element, 'camunda:InputOutput')
    .flatMap((io) => [ ...(io.inputParameters ?? []), ...(io.outputParameters ?? []) ]);
  const structured = parameters.find((p) => p.definition);
  if (!structured) return null;
  return `has the input/output parameter '${structured.name}' defined as ${structured.definition.$type}; only expressions and text values are supported`;
}
