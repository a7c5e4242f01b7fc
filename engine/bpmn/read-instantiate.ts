/**
 * BPMN 2.0 §13.2.6: a process may be started by a receive task or an event-based gateway marked
 * `instantiate="true"` (with no incoming flows) instead of a start event. svcflow reads such an element as
 * the start event it stands for, so the one message/signal start rule applies: a receive task becomes a
 * message start event with its id (its output mappings apply as a start's); an exclusive instantiating
 * gateway is dropped and each of its message or signal targets becomes a start event with its own id, so
 * the first message starts the instance at that branch.
 */
import type { ModdleElement } from 'bpmn-moddle';
import { report, type ReadContext } from './moddle/access.js';
import type { FlowNode, ProcessModel } from './model.js';
import { own } from './records.js';

/** Rewrites the process's instantiating receive tasks and event-based gateways as start events. */
export function readInstantiation(process: ModdleElement, model: ProcessModel, ctx: ReadContext): void {
  for (const element of (process.flowElements ?? []) as ModdleElement[]) {
    const node = element.id ? own(model.nodes, element.id) : undefined;
    if (!node) continue;
    if (element.$type === 'bpmn:EventBasedGateway' && element.eventGatewayType === 'Parallel')
      report(
        ctx,
        'UNSUPPORTED_ELEMENT',
        element,
        'is a parallel event-based gateway (all of its events start one instance); svcflow does not run it yet, use an exclusive one',
      );
    else if (element.instantiate !== true) continue;
    else if (node.incoming.length > 0)
      report(
        ctx,
        'EVENT_DEFINITION_INVALID',
        element,
        'instantiates the process but has incoming sequence flows; the model is invalid because an instantiating element must have none (BPMN 2.0 §13.2.6)',
      );
    else if (node.type === 'receiveTask') asStart(node, element, ctx);
    else if (node.type === 'eventBasedGateway') startAtTargets(node, element, model, ctx);
  }
}

// helpers

function asStart(node: FlowNode, element: ModdleElement, ctx: ReadContext): void {
  if (node.boundaryEvents.length > 0 || node.multiInstance || node.sla) {
    report(
      ctx,
      'UNSUPPORTED_ELEMENT',
      element,
      'instantiates the process and also has boundary events, multi-instance or an SLA; svcflow does not run that yet, put them on the next activity',
    );
    return;
  }
  node.type = 'startEvent';
}

function startAtTargets(gateway: FlowNode, element: ModdleElement, model: ProcessModel, ctx: ReadContext): void {
  const targets = gateway.outgoing.map((id) => own(model.nodes, own(model.flows, id)?.targetId ?? ''));
  const startable = (n: FlowNode | undefined) =>
    n !== undefined &&
    n.incoming.length === 1 &&
    n.boundaryEvents.length === 0 &&
    ((n.type === 'intermediateCatchEvent' && (n.event?.kind === 'message' || n.event?.kind === 'signal')) ||
      (n.type === 'receiveTask' && !n.multiInstance && !n.sla));
  if (!targets.every(startable)) {
    report(
      ctx,
      'UNSUPPORTED_ELEMENT',
      element,
      'instantiates the process at targets that are not all message or signal catch events or receive tasks entered only from it; svcflow does not run timer or conditional targets of an instantiating gateway yet',
    );
    return;
  }
  for (const flowId of gateway.outgoing) {
    const target = own(model.nodes, own(model.flows, flowId)?.targetId ?? '')!;
    target.type = 'startEvent';
    target.incoming = [];
    delete model.flows[flowId];
  }
  delete model.nodes[gateway.id];
}
