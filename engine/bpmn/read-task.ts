/** Reads task configuration in both flavours: Camunda 7 (`camunda:` attributes) and Camunda 8 (`zeebe:` elements). */
import type { ModdleElement } from 'bpmn-moddle';
import { attr, extensionOf, extensionsOf, splitList, text, withoutEquals } from './moddle/access.js';
import type { Assignment, FlowNode, Mapping } from './model.js';
import { eventDefinitionsOf } from './read-events.js';

const DEFAULT_RETRIES = 3;

/** The job fields of an element that is not backed by a job. */
export const NO_JOB: Pick<FlowNode, 'jobType' | 'jobRetries'> = { jobType: null, jobRetries: DEFAULT_RETRIES };

/** Who may work on a user task, its priority and dates; zeebe settings win over camunda ones. */
export function readAssignment(task: ModdleElement): Assignment {
  const zeebe = extensionOf(task, 'zeebe:AssignmentDefinition');
  const schedule = extensionOf(task, 'zeebe:TaskSchedule');
  return {
    assignee: attr(zeebe, 'assignee') ?? attr(task, 'camunda:assignee'),
    candidateUsers: splitList(attr(zeebe, 'candidateUsers') ?? attr(task, 'camunda:candidateUsers')),
    candidateGroups: splitList(attr(zeebe, 'candidateGroups') ?? attr(task, 'camunda:candidateGroups')),
    priority: attr(extensionOf(task, 'zeebe:PriorityDefinition'), 'priority') ?? attr(task, 'camunda:priority'),
    dueDate: attr(schedule, 'dueDate') ?? attr(task, 'camunda:dueDate'),
    followUpDate: attr(schedule, 'followUpDate') ?? attr(task, 'camunda:followUpDate'),
  };
}

/**
 * The form of a user task: zeebe formKey or formId, else camunda:formKey or camunda:formRef. Camunda 7's link to a
 * form of the same deployment, `camunda-forms:deployment:review.form`, names the form file: read as `review`.
 */
export function readFormKey(task: ModdleElement): string | null {
  const form = extensionOf(task, 'zeebe:FormDefinition');
  const key =
    attr(form, 'formKey') ?? attr(form, 'formId') ?? attr(task, 'camunda:formKey') ?? attr(task, 'camunda:formRef');
  const inDeployment = key?.match(/^camunda-forms:deployment:(?:.*\/)?([^/]+)\.form$/);
  return inDeployment ? inDeployment[1] : key;
}

/** Camunda 7's external tasks, and Flowable's external worker tasks (read in the camunda namespace). */
export const EXTERNAL_TYPES = new Set(['external', 'external-worker']);

/** The job type and retries of a job-backed element: `zeebe:taskDefinition`, or a Camunda 7 external task topic. */
export function readJob(element: ModdleElement): Pick<FlowNode, 'jobType' | 'jobRetries'> {
  const definition = extensionOf(element, 'zeebe:TaskDefinition');
  const external = [element, ...eventDefinitionsOf(element)].find((holder: ModdleElement) =>
    EXTERNAL_TYPES.has(attr(holder, 'camunda:type') ?? ''),
  );
  const jobType = attr(definition, 'type') ?? attr(external, 'camunda:topic');
  return { jobType, jobRetries: parseRetries(attr(definition, 'retries')) };
}

/** A FEEL script: `zeebe:script`, or a `bpmn:script` body whose format is FEEL; null when there is none. */
export function readScript(task: ModdleElement): FlowNode['script'] {
  const zeebe = extensionOf(task, 'zeebe:Script');
  const zeebeExpression = attr(zeebe, 'expression');
  if (zeebeExpression)
    return { expression: withoutEquals(zeebeExpression), resultVariable: attr(zeebe, 'resultVariable') };
  const body = text(task.script);
  if (!body || !isFeelFormat(task.scriptFormat)) return null;
  return { expression: withoutEquals(body), resultVariable: attr(task, 'camunda:resultVariable') };
}

/** True for the script formats this engine runs: FEEL, in any letter case. */
export function isFeelFormat(format: unknown): boolean {
  return typeof format === 'string' && format.trim().toLowerCase() === 'feel';
}

/** Input and output mappings from `zeebe:ioMapping` and `camunda:inputOutput`, in document order. */
export function readMappings(element: ModdleElement): Pick<FlowNode, 'inputs' | 'outputs'> {
  const zeebe = extensionOf(element, 'zeebe:IoMapping');
  const camunda = extensionOf(element, 'camunda:InputOutput');
  return {
    inputs: [...zeebeMappings(zeebe?.inputParameters), ...camundaMappings(camunda?.inputParameters)],
    outputs: [...zeebeMappings(zeebe?.outputParameters), ...camundaMappings(camunda?.outputParameters)],
  };
}

/** Free-form properties from `camunda:properties` and `zeebe:properties`. */
export function readProperties(element: ModdleElement): Record<string, string> {
  const entries = [
    ...extensionsOf(element, 'camunda:Properties').flatMap((p): ModdleElement[] => p.values ?? []),
    ...extensionsOf(element, 'zeebe:Properties').flatMap((p): ModdleElement[] => p.properties ?? []),
  ];
  return Object.fromEntries(
    entries.filter((p) => text(p.name)).map((p) => [text(p.name)!, typeof p.value === 'string' ? p.value : '']),
  );
}

/** `zeebe:taskHeaders` as key → value, in document order; a later header with the same key wins, as in Zeebe. */
export function readHeaders(element: ModdleElement): Record<string, string> {
  const headers = extensionsOf(element, 'zeebe:TaskHeaders').flatMap((h): ModdleElement[] => h.values ?? []);
  return Object.fromEntries(
    headers.filter((h) => text(h.key)).map((h) => [text(h.key)!, typeof h.value === 'string' ? h.value : '']),
  );
}

/** The text of the first `bpmn:documentation`, or null. */
export function readDocumentation(element: ModdleElement): string | null {
  return text(element.documentation?.[0]?.text);
}

// helpers

/** Zeebe sources are FEEL when they start with '='; anything else is a static value, i.e. a FEEL string literal. */
function zeebeMappings(parameters: ModdleElement[] | undefined): Mapping[] {
  return (parameters ?? [])
    .filter((p) => text(p.target))
    .map((p) => ({ source: sourceOf(text(p.source)), target: p.target.trim() }));
}

/** Camunda 7 values are JUEL (`${…}`, kept for the expression layer) or literal text (a FEEL string literal). */
function camundaMappings(parameters: ModdleElement[] | undefined): Mapping[] {
  return (parameters ?? [])
    .filter((p) => text(p.name))
    .map((p) => ({ source: camundaSource(p.value), target: text(p.name)! }));
}

function sourceOf(value: string | null): string {
  if (value === null) return 'null';
  return value.startsWith('=') ? withoutEquals(value) : feelString(value);
}

function camundaSource(value: unknown): string {
  if (typeof value !== 'string' || value === '') return 'null';
  return /[$#]\{/.test(value) ? value.trim() : feelString(value);
}

function feelString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function parseRetries(value: string | null): number {
  const retries = value === null ? NaN : Number(value);
  return Number.isInteger(retries) && retries >= 0 ? retries : DEFAULT_RETRIES;
}
