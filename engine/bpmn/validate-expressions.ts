/** Hands every FEEL expression of a process to a caller-supplied checker and reports the ones it rejects. */
import { bpmnTypeOf, describeElement, type Describable } from './describe.js';
import type { EventDefinition, FlowNode, Listener, ProcessModel, SlaDeclaration } from './model.js';
import type { Problem } from './problems.js';

/** Checks one FEEL expression (without its leading '='); returns an error description, or null when valid. */
export type CheckExpression = (expression: string) => string | null;

/** One expression to check: where it sits (`condition of flow 'Flow_1'`), its element, and its text. */
interface ExpressionSite {
  place: string;
  element: Describable;
  expression: string;
}

/** Every FEEL expression of the process that the checker rejects, as FEEL_SYNTAX problems. */
export function checkExpressions(process: ProcessModel, check: CheckExpression): Problem[] {
  return sitesOf(process).flatMap((site) => {
    const error = safeCheck(check, site.expression);
    return error === null
      ? []
      : [
          {
            code: 'FEEL_SYNTAX' as const,
            elementId: site.element.id,
            elementType: bpmnTypeOf(site.element.type),
            message: `${site.place} is not valid FEEL: "${site.expression}" (${error})`,
          },
        ];
  });
}

// helpers

function sitesOf(process: ProcessModel): ExpressionSite[] {
  const processSubject: Describable = { id: process.id, type: 'process', name: process.name };
  return [
    ...Object.values(process.flows).flatMap((flow) => {
      const subject = { id: flow.id, type: 'sequenceFlow', name: flow.name };
      return [
        ...(flow.condition ? [site('condition', subject, flow.condition, true)] : []),
        ...listenerSites(subject, flow.listeners),
      ];
    }),
    ...listenerSites(processSubject, process.listeners),
    ...Object.values(process.nodes).flatMap(nodeSites),
    ...slaSites(processSubject, process.sla),
  ].filter((entry): entry is ExpressionSite => entry !== null);
}

function nodeSites(node: FlowNode): (ExpressionSite | null)[] {
  const assignment = node.assignment;
  const event = node.event;
  return [
    node.script ? site('script', node, node.script.expression, true) : null,
    node.activationCondition ? site('activation condition', node, node.activationCondition, true) : null,
    site('active elements collection', node, node.adHoc?.activeElements, true),
    site('completion condition', node, node.adHoc?.completionCondition, true),
    ...node.inputs.map((m) => site(`input mapping '${m.target}'`, node, m.source, true)),
    ...node.outputs.map((m) => site(`output mapping '${m.target}'`, node, m.source, true)),
    site('assignee', node, assignment?.assignee),
    ...(assignment?.candidateUsers ?? []).map((value) => site('candidate users', node, value)),
    ...(assignment?.candidateGroups ?? []).map((value) => site('candidate groups', node, value)),
    site('priority', node, assignment?.priority),
    site('due date', node, assignment?.dueDate),
    site('follow-up date', node, assignment?.followUpDate),
    site('job type', node, node.jobType),
    ...(node.multiple?.events ?? (event ? [event] : [])).flatMap((e) => eventSites(node, e)),
    ...slaSites(node, node.sla),
    ...listenerSites(node, node.listeners),
  ];
}

/** The expressions of one event definition (each definition of a multiple event). */
function eventSites(node: FlowNode, event: EventDefinition): (ExpressionSite | null)[] {
  return [
    event.kind === 'timer' ? site('timer', node, event.timer.value) : null,
    event.kind === 'message' ? site('message name', node, event.messageName) : null,
    event.kind === 'conditional' ? site('condition', node, event.condition, true) : null,
    event.kind === 'message' ? site('correlation key', node, event.correlationKey) : null,
  ];
}

function listenerSites(element: Describable, listeners: Listener[] | undefined): (ExpressionSite | null)[] {
  return (listeners ?? []).map((l) => site(`the ${l.event} listener`, element, l.expression, true));
}

function slaSites(element: Describable, sla: SlaDeclaration | null): (ExpressionSite | null)[] {
  return [site('SLA target', element, sla?.target)];
}

/**
 * `stored` marks fields kept without their '=' (conditions, scripts, mappings); the rest are FEEL only when they
 * start with '='. Stored fields that are one Camunda 7 `${…}` expression are checked through its translation; other
 * values holding `${…}` (templates in attributes) are left to the expression layer.
 */
function site(
  what: string,
  element: Describable,
  value: string | null | undefined,
  stored = false,
): ExpressionSite | null {
  if (!value) return null;
  // a whole JUEL condition, script or mapping is checked (the check translates it or names what it cannot)
  const wholeJuel = stored && /^\s*[$#]\{[\s\S]*\}\s*$/.test(value);
  if (/[$#]\{/.test(value) && !wholeJuel) return null;
  if (!stored && !value.startsWith('=')) return null;
  const expression = stored ? value : value.slice(1).trim();
  return { place: `${what} of ${describeElement(element)}`, element, expression };
}

function safeCheck(check: CheckExpression, expression: string): string | null {
  try {
    return check(expression);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
