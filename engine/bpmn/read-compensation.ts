/**
 * Compensation and transactions (BPMN 2.0 §10.5.4, §10.3.6 "Transaction"): a compensation boundary
 * event names its handler through an association; handlers stand outside the flow; a cancel end event
 * needs a transaction with a cancel boundary event around it. Problems go to the context, naming the element.
 */
import type { ModdleElement } from 'bpmn-moddle';
import type { ReadContext } from './moddle/access.js';
import type { FlowNode, ProcessModel } from './model.js';
import type { ProblemCode } from './problems.js';

/** Links each compensation boundary event to its handler and reports what the spec forbids or svcflow cannot run. */
export function readCompensation(process: ModdleElement, model: ProcessModel, ctx: ReadContext): void {
  const say = (node: FlowNode, code: ProblemCode, message: string) =>
    ctx.problems.push({ code, elementId: node.id, elementType: typeOf(node), message: `${label(node)} ${message}` });
  const associations = associationsOf(process);
  const nodes = Object.values(model.nodes);
  for (const node of nodes) {
    const event = node.event;
    if (node.type === 'boundaryEvent' && event?.kind === 'compensation') {
      const handler = associations.get(node.id)?.find((id) => model.nodes[id]?.isForCompensation) ?? null;
      event.handler = handler;
      if (!handler)
        say(
          node,
          'EVENT_DEFINITION_INVALID',
          'is a compensation boundary event without an association to an activity marked for compensation, and the model is invalid because it must name its handler (BPMN 2.0 §10.5.4); associate it with its handler',
        );
    }
    if (node.isForCompensation) checkHandler(node, nodes, say);
    // a compensation start event starts a compensation event sub-process; it throws nothing
    if (event?.kind === 'compensation' && node.type !== 'boundaryEvent' && node.type !== 'startEvent')
      checkThrow(node, model, say);
    if (event?.kind === 'cancel') checkCancel(node, model, say);
  }
}

// helpers

type Say = (node: FlowNode, code: ProblemCode, message: string) => void;

function checkHandler(node: FlowNode, nodes: FlowNode[], say: Say): void {
  if (node.incoming.length > 0 || node.outgoing.length > 0)
    say(
      node,
      'FLOW_INVALID',
      'is marked for compensation and has sequence flows, and the model is invalid because a compensation handler has no incoming or outgoing sequence flows (BPMN 2.0 §10.5.4); remove them',
    );
  if (node.multiInstance)
    say(node, 'UNSUPPORTED_ELEMENT', 'is a multi-instance compensation handler; svcflow does not run those yet');
  if (node.boundaryEvents.length > 0)
    say(node, 'UNSUPPORTED_ELEMENT', 'is a compensation handler with boundary events; svcflow does not run those yet');
  const users = nodes.filter((n) => n.event?.kind === 'compensation' && n.event.handler === node.id);
  if (users.length > 1)
    say(
      node,
      'UNSUPPORTED_ELEMENT',
      `is the compensation handler of ${users.length} boundary events; svcflow does not run shared handlers yet, give each activity its own handler`,
    );
}

function checkThrow(node: FlowNode, model: ProcessModel, say: Say): void {
  const event = node.event?.kind === 'compensation' ? node.event : null;
  if (!event) return;
  if (!event.waitForCompletion)
    say(
      node,
      'UNSUPPORTED_ELEMENT',
      'throws compensation with waitForCompletion="false"; svcflow does not run compensation without waiting yet (nor does Camunda 7), remove the attribute',
    );
  const repeated = enclosingScopes(node, model).find((scope) => scope.multiInstance);
  if (repeated)
    say(
      node,
      'UNSUPPORTED_ELEMENT',
      `throws compensation inside the multi-instance sub-process '${repeated.id}'; svcflow does not run compensation thrown inside one instance of a multi-instance sub-process yet`,
    );
  const target = event.activityRef ? model.nodes[event.activityRef] : null;
  if (event.activityRef && (!target || target.scopeId !== node.scopeId))
    say(
      node,
      'REFERENCE_INVALID',
      `compensates the activity '${event.activityRef}', and the model is invalid because activityRef must name an activity of the same scope (BPMN 2.0 §10.5.4); point it at a sibling activity`,
    );
  else if (target && !compensable(target, model))
    say(
      node,
      'REFERENCE_INVALID',
      `compensates the activity '${target.id}', which has no compensation boundary event and is not a sub-process; the model is invalid because nothing could be compensated (BPMN 2.0 §10.5.4)`,
    );
}

function checkCancel(node: FlowNode, model: ProcessModel, say: Say): void {
  const host = model.nodes[node.type === 'endEvent' ? node.scopeId : (node.attachedTo ?? '')];
  if (host?.transaction && host.multiInstance && node.type === 'boundaryEvent')
    say(
      node,
      'UNSUPPORTED_ELEMENT',
      `cancels the multi-instance transaction '${host.id}'; svcflow does not run those yet`,
    );
  if (node.type === 'endEvent') {
    const transaction = model.nodes[node.scopeId];
    if (!transaction?.transaction) {
      say(
        node,
        'EVENT_DEFINITION_INVALID',
        'is a cancel end event outside a transaction, and the model is invalid because a cancel end event may only be used in a transaction sub-process (BPMN 2.0 §10.5.5)',
      );
      return;
    }
    const boundaries = transaction.boundaryEvents.filter((id) => model.nodes[id]?.event?.kind === 'cancel');
    if (boundaries.length === 0)
      say(
        node,
        'EVENT_DEFINITION_INVALID',
        `is a cancel end event, and the model is invalid because its transaction '${transaction.id}' has no cancel boundary event to catch it; attach one`,
      );
    return;
  }
  const activity = node.attachedTo ? model.nodes[node.attachedTo] : null;
  if (activity && !activity.transaction)
    say(
      node,
      'EVENT_DEFINITION_INVALID',
      `is a cancel boundary event on '${activity.id}', and the model is invalid because cancel boundary events may only be attached to a transaction sub-process (BPMN 2.0 §10.5.5)`,
    );
  else if (activity && activity.boundaryEvents.filter((id) => model.nodes[id]?.event?.kind === 'cancel').length > 1)
    say(
      node,
      'EVENT_DEFINITION_INVALID',
      `is one of several cancel boundary events of '${activity.id}', and the model is invalid because a transaction has at most one (BPMN 2.0 §10.5.5)`,
    );
  else if (!node.cancelActivity)
    say(
      node,
      'EVENT_DEFINITION_INVALID',
      'is a non-interrupting cancel boundary event, and the model is invalid because a cancel boundary event always interrupts (BPMN 2.0 §10.5.5)',
    );
}

/** An activity that a compensation throw can compensate: it has a compensation boundary event, or it is a sub-process. */
export function compensable(node: FlowNode, model: ProcessModel): boolean {
  if (node.type === 'subProcess') return true;
  return node.boundaryEvents.some((id) => model.nodes[id]?.event?.kind === 'compensation');
}

function enclosingScopes(node: FlowNode, model: ProcessModel): FlowNode[] {
  const scopes: FlowNode[] = [];
  for (let scope = model.nodes[node.scopeId]; scope; scope = model.nodes[scope.scopeId]) scopes.push(scope);
  return scopes;
}

/** Source id → target ids of every association in the process and its sub-processes. */
function associationsOf(container: ModdleElement): Map<string, string[]> {
  const result = new Map<string, string[]>();
  const visit = (scope: ModdleElement) => {
    for (const artifact of (scope.artifacts ?? []) as ModdleElement[]) {
      if (artifact.$type !== 'bpmn:Association') continue;
      const source = artifact.sourceRef?.id;
      const target = artifact.targetRef?.id;
      if (!source || !target) continue;
      result.set(source, [...(result.get(source) ?? []), target]);
      result.set(target, [...(result.get(target) ?? []), source]);
    }
    for (const element of (scope.flowElements ?? []) as ModdleElement[]) if (element.flowElements) visit(element);
  };
  visit(container);
  return result;
}

function typeOf(node: FlowNode): string {
  if (node.transaction) return 'bpmn:Transaction';
  return `bpmn:${node.type[0].toUpperCase()}${node.type.slice(1)}`;
}

function label(node: FlowNode): string {
  const words = node.type.replace(/([A-Z])/g, ' $1').toLowerCase();
  return `${node.transaction ? 'transaction' : words} '${node.id}'`;
}
