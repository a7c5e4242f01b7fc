/** Reads event definitions (timer, message, error, escalation, terminate) into the IR. */
import type { ModdleElement } from 'bpmn-moddle';
import {
  attr,
  extensionOf,
  extensionsOf,
  isDangling,
  refId,
  report,
  text,
  withoutEquals,
  type ReadContext,
} from './moddle/access.js';
import type { EventDefinition, FlowNode, Mapping, SignalPassing, TimerDefinition } from './model.js';

const UNSUPPORTED_DEFINITIONS: Record<string, string> = {};

const KINDS: Record<string, EventDefinition['kind']> = {
  'bpmn:TerminateEventDefinition': 'terminate',
  'bpmn:TimerEventDefinition': 'timer',
  'bpmn:MessageEventDefinition': 'message',
  'bpmn:ErrorEventDefinition': 'error',
  'bpmn:EscalationEventDefinition': 'escalation',
  'bpmn:SignalEventDefinition': 'signal',
  'bpmn:LinkEventDefinition': 'link',
  'bpmn:CompensateEventDefinition': 'compensation',
  'bpmn:CancelEventDefinition': 'cancel',
  'bpmn:ConditionalEventDefinition': 'conditional',
};

const VARIABLE_EVENTS = new Set(['create', 'update', 'delete']);

/**
 * An event's definitions: nested ones and those it refers to with `eventDefinitionRef` (top-level
 * definitions shared by several events). BPMN 2.0 allows both; they mean the same.
 */
export function eventDefinitionsOf(element: ModdleElement): ModdleElement[] {
  const nested: ModdleElement[] = element.eventDefinitions ?? [];
  const referenced: ModdleElement[] = (element.eventDefinitionRef ?? []).filter(
    (d: ModdleElement | undefined) => d && typeof d === 'object' && d.$type,
  );
  return [...nested, ...referenced];
}

/** The definitions each event type may combine in a multiple event (svcflow runs these one by one). */
const MULTIPLE_KINDS: Record<string, string[]> = {
  'bpmn:StartEvent': ['message', 'timer', 'signal'],
  'bpmn:IntermediateCatchEvent': ['message', 'timer', 'signal', 'conditional'],
  'bpmn:BoundaryEvent': ['message', 'timer', 'signal', 'conditional'],
  'bpmn:IntermediateThrowEvent': ['signal', 'escalation'],
  'bpmn:EndEvent': ['signal', 'escalation'],
};

/** Why an event's definitions cannot run here, or null when they can. */
export function unsupportedEventReason(element: ModdleElement): string | null {
  const definitions = eventDefinitionsOf(element);
  if (definitions.length > 1) return unsupportedMultipleReason(element, definitions);
  return unsupportedDefinitionReason(definitions[0]);
}

function unsupportedDefinitionReason(definition: ModdleElement | undefined): string | null {
  if (definition?.$type === 'bpmn:SignalEventDefinition') return unsupportedSignalReason(definition);
  if (definition?.$type === 'bpmn:ConditionalEventDefinition') return unsupportedConditionReason(definition);
  const kind = definition ? UNSUPPORTED_DEFINITIONS[definition.$type] : undefined;
  return kind ? `uses a ${kind} event definition; svcflow does not run ${kind} events here yet` : null;
}

/** A multiple event runs when each of its definitions is one svcflow runs on its own at that kind of event. */
function unsupportedMultipleReason(element: ModdleElement, definitions: ModdleElement[]): string | null {
  const allowed = MULTIPLE_KINDS[element.$type] ?? [];
  const label = element.parallelMultiple ? 'parallel multiple' : 'multiple';
  const where = element.$type
    .replace(/^bpmn:/, '')
    .replace(/[A-Z]/g, (c: string, i: number) => `${i ? ' ' : ''}${c.toLowerCase()}`);
  // a multiple start event of the process starts it at any one of its triggers; in an event sub-process,
  // or waiting for all of them (parallel), it is not run yet
  const startHere =
    element.$type !== 'bpmn:StartEvent' || (!element.parallelMultiple && element.$parent?.$type === 'bpmn:Process');
  if (allowed.length === 0 || !startHere)
    return `is a ${label} ${where}; svcflow does not run ${label} events here yet, model one event per definition`;
  for (const definition of definitions) {
    const kind = KINDS[definition.$type] ?? definition.$type;
    if (!allowed.includes(kind))
      return `is a ${label} event with a ${kind} definition; svcflow does not run ${kind} definitions in ${label} ${where}s yet (it combines ${allowed.join(', ')})`;
    const own = unsupportedDefinitionReason(definition);
    if (own) return own;
  }
  return null;
}

function unsupportedConditionReason(definition: ModdleElement): string | null {
  const language = text(definition.condition?.language);
  if (language && !/feel|juel/i.test(language))
    return `has a condition in the language '${language}'; svcflow does not run it yet, write the condition in FEEL (or a Camunda 7 \${…} expression)`;
  const events = listOf(attr(definition, 'camunda:variableEvents'));
  const unknown = events.filter((e) => !VARIABLE_EVENTS.has(e));
  if (unknown.length > 0)
    return `filters on the variable events ${unknown.map((e) => `'${e}'`).join(', ')}; svcflow does not run them yet, use create, update or delete`;
  if (events.length > 0 && listOf(attr(definition, 'camunda:variableName')).length === 0)
    return 'filters on variable events without camunda:variableName; svcflow does not run variable events of every variable yet, name the variables';
  return null;
}

function listOf(value: string | null | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

function unsupportedSignalReason(definition: ModdleElement): string | null {
  const name = text(definition.signalRef?.name) ?? '';
  if (name.startsWith('=') || /[$#]\{/.test(name))
    return `refers to the signal '${name}', whose name is an expression; svcflow does not run signal names computed at run time yet, use a literal name`;
  const ins = extensionsOf(definition, 'camunda:In');
  if (ins.some((i) => attr(i, 'sourceExpression') || attr(i, 'local')))
    return 'passes variables with camunda:in sourceExpression or local; svcflow does not run those on signals yet, use camunda:in source/target or variables="all"';
  return null;
}

/** The kind of an event's first definition: `none` without one, null when it is of a kind the IR cannot hold. */
export function eventKindOf(element: ModdleElement): EventDefinition['kind'] | null {
  const definition: ModdleElement | undefined = eventDefinitionsOf(element)[0];
  return definition ? (KINDS[definition.$type] ?? null) : 'none';
}

/** The event definition of an event element; `none` when it has none. */
export function readEventDefinition(element: ModdleElement, ctx: ReadContext): EventDefinition {
  return readDefinition(element, eventDefinitionsOf(element)[0], ctx);
}

/** A multiple event's definitions, in document order; null for an event with at most one. */
export function readMultiple(element: ModdleElement, ctx: ReadContext): FlowNode['multiple'] | null {
  const definitions = eventDefinitionsOf(element);
  if (definitions.length < 2) return null;
  return {
    parallel: element.parallelMultiple === true,
    events: definitions.map((d) => readDefinition(element, d, ctx)),
  };
}

function readDefinition(
  element: ModdleElement,
  definition: ModdleElement | undefined,
  ctx: ReadContext,
): EventDefinition {
  switch (definition?.$type) {
    case undefined:
      return { kind: 'none' };
    case 'bpmn:TerminateEventDefinition':
      return { kind: 'terminate' };
    case 'bpmn:TimerEventDefinition':
      return { kind: 'timer', timer: readTimer(definition) };
    case 'bpmn:MessageEventDefinition':
      return readMessageRef(definition);
    case 'bpmn:ErrorEventDefinition':
      return { kind: 'error', errorCode: readCode(element, definition, 'errorRef', 'errorCode', ctx) };
    case 'bpmn:EscalationEventDefinition':
      return {
        kind: 'escalation',
        escalationCode: readCode(element, definition, 'escalationRef', 'escalationCode', ctx),
      };
    case 'bpmn:SignalEventDefinition':
      return readSignal(definition);
    case 'bpmn:LinkEventDefinition':
      return { kind: 'link', linkName: text(definition.name) ?? text(element.name) ?? '' };
    case 'bpmn:CompensateEventDefinition':
      return {
        kind: 'compensation',
        activityRef: refId(ctx, definition, 'activityRef'),
        waitForCompletion: definition.waitForCompletion !== false,
      };
    case 'bpmn:CancelEventDefinition':
      return { kind: 'cancel' };
    case 'bpmn:ConditionalEventDefinition':
      return {
        kind: 'conditional',
        condition: withoutEquals(text(definition.condition?.body) ?? ''),
        variableNames: listOf(attr(definition, 'camunda:variableName')),
        variableEvents: listOf(attr(definition, 'camunda:variableEvents')),
      };
    default:
      return { kind: 'none' };
  }
}

/** The message a message event definition or receive task refers to; an empty name when there is none. */
export function readMessageRef(holder: ModdleElement): EventDefinition {
  const message: ModdleElement | undefined = holder.messageRef;
  return {
    kind: 'message',
    messageName: text(message?.name) ?? '',
    correlationKey: message ? readCorrelationKey(message) : null,
  };
}

// helpers

/** A signal's name (the referenced signal's name; Camunda 8 takes it literally, a FEEL '=' name is evaluated) and what a throw passes. */
function readSignal(definition: ModdleElement): EventDefinition {
  const ins = extensionsOf(definition, 'camunda:In');
  const passed: SignalPassing = {
    all: ins.some((i) => attr(i, 'variables') === 'all'),
    mappings: ins.flatMap((i): Mapping[] => {
      const target = attr(i, 'target');
      const source = attr(i, 'source');
      return target && source ? [{ source, target }] : [];
    }),
  };
  const signal = { kind: 'signal' as const, signalName: text(definition.signalRef?.name) ?? '' };
  return passed.all || passed.mappings.length > 0 ? { ...signal, passed } : signal;
}

function readTimer(definition: ModdleElement): TimerDefinition {
  const given = (['date', 'duration', 'cycle'] as const).filter((type) => definition[TIMER_FIELDS[type]]);
  if (given.length > 1) return { ...readOneTimer(definition), several: given };
  return readOneTimer(definition);
}

const TIMER_FIELDS = { date: 'timeDate', duration: 'timeDuration', cycle: 'timeCycle' } as const;

function readOneTimer(definition: ModdleElement): TimerDefinition {
  if (definition.timeDate) return { type: 'date', value: bodyOf(definition.timeDate) };
  if (definition.timeCycle) return { type: 'cycle', value: bodyOf(definition.timeCycle) };
  return { type: 'duration', value: bodyOf(definition.timeDuration) };
}

function bodyOf(expression: ModdleElement | undefined): string {
  return text(expression?.body) ?? '';
}

/**
 * Camunda 8 keeps the key on the message (`zeebe:subscription correlationKey`). Camunda 7 has no modelled key;
 * by svcflow convention it may be given as a `camunda:property name="correlationKey"` on the message.
 */
function readCorrelationKey(message: ModdleElement): string | null {
  const subscription = attr(extensionOf(message, 'zeebe:Subscription'), 'correlationKey');
  if (subscription) return subscription;
  const properties = extensionsOf(message, 'camunda:Properties').flatMap((p): ModdleElement[] => p.values ?? []);
  return text(properties.find((p) => p.name === 'correlationKey')?.value);
}

/** An error or escalation code; null means "catch all", so a reference to nothing is reported, not swallowed. */
function readCode(
  event: ModdleElement,
  definition: ModdleElement,
  refName: string,
  codeName: string,
  ctx: ReadContext,
): string | null {
  if (isDangling(ctx, definition, refName)) {
    const kind = refName === 'errorRef' ? 'error' : 'escalation';
    report(
      ctx,
      'REFERENCE_MISSING',
      event,
      `refers to an ${kind} that is not defined in the document; select an existing ${kind} or define it`,
    );
  }
  return attr(definition[refName], codeName);
}
