/**
 * The rules of BPMN 2.0 that the XML schema cannot express, on the flow graph: gateways must split or
 * merge as their direction says, start events take no flow in and end events give none out, boundary
 * events only lead out, and conditions sit only where they can decide. Each says "the model is invalid
 * because …" and cites the spec.
 */
import { problemAbout } from './describe.js';
import type { FlowNode, ProcessModel, SequenceFlow } from './model.js';
import type { Problem } from './problems.js';
import { own } from './records.js';

const GATEWAYS = new Set([
  'exclusiveGateway',
  'parallelGateway',
  'inclusiveGateway',
  'complexGateway',
  'eventBasedGateway',
]);

/** Every violation of the spec's flow rules in one process. */
export function checkSpecRules(process: ProcessModel): Problem[] {
  return [
    ...Object.values(process.nodes).flatMap((node) => checkNodeRules(node)),
    ...Object.values(process.flows).flatMap((flow) => checkFlowRules(flow, process)),
  ];
}

// helpers

function checkNodeRules(node: FlowNode): Problem[] {
  const problems: Array<Problem | null> = [
    GATEWAYS.has(node.type) ? checkGatewayShape(node) : null,
    node.type === 'startEvent' && node.incoming.length > 0
      ? invalid(
          node,
          'has incoming sequence flows',
          'a start event cannot be the target of a sequence flow (BPMN 2.0 §10.5.2)',
          'remove them or use an intermediate event',
        )
      : null,
    node.type === 'endEvent' && node.outgoing.length > 0
      ? invalid(
          node,
          'has outgoing sequence flows',
          'an end event cannot be the source of a sequence flow (BPMN 2.0 §10.5.3)',
          'remove them or use an intermediate throw event',
        )
      : null,
    node.type === 'boundaryEvent' && node.incoming.length > 0
      ? invalid(
          node,
          'has incoming sequence flows',
          'a boundary event cannot be the target of a sequence flow (BPMN 2.0 §10.5.4)',
          'remove them',
        )
      : null,
    // a compensation boundary event leads to its handler by an association instead (checked in read-compensation.ts)
    node.type === 'boundaryEvent' && node.outgoing.length === 0 && node.event?.kind !== 'compensation'
      ? invalid(
          node,
          'has no outgoing sequence flow',
          'a boundary event must have at least one (BPMN 2.0 §10.5.4)',
          'connect it to what happens when it fires',
        )
      : null,
  ];
  return problems.filter((p): p is Problem => p !== null);
}

/** BPMN 2.0 §10.6: a gateway splits or merges; its `gatewayDirection` constrains how. */
function checkGatewayShape(node: FlowNode): Problem | null {
  const ins = node.incoming.length;
  const outs = node.outgoing.length;
  if (ins <= 1 && outs === 1) {
    return invalid(
      node,
      `has ${ins} incoming and one outgoing flow`,
      'a gateway must split or merge (BPMN 2.0 §10.6: multiple incoming or multiple outgoing flows)',
      'remove the gateway and connect the flow directly',
    );
  }
  const direction = node.gatewayDirection;
  if (direction === 'Converging' && outs > 1)
    return invalid(
      node,
      `is converging and has ${outs} outgoing flows`,
      'a converging gateway has at most one outgoing flow (BPMN 2.0 §10.6)',
      'mark it diverging or mixed',
    );
  if (direction === 'Diverging' && ins > 1)
    return invalid(
      node,
      `is diverging and has ${ins} incoming flows`,
      'a diverging gateway has at most one incoming flow (BPMN 2.0 §10.6)',
      'mark it converging or mixed',
    );
  if (direction === 'Mixed' && (ins < 2 || outs < 2))
    return invalid(
      node,
      'is mixed',
      'a mixed gateway has several incoming and several outgoing flows (BPMN 2.0 §10.6)',
      'mark it diverging or converging',
    );
  return null;
}

/** BPMN 2.0 §10.3 (SequenceFlow): no condition after a parallel or event-based gateway, and none on a default flow. */
function checkFlowRules(flow: SequenceFlow, process: ProcessModel): Problem[] {
  if (flow.condition === null) return [];
  const subject = { id: flow.id, type: 'sequenceFlow', name: flow.name };
  const source = own(process.nodes, flow.sourceId);
  if (source && (source.type === 'parallelGateway' || source.type === 'eventBasedGateway')) {
    return [
      invalid(
        subject,
        `has a condition and leaves ${source.type === 'parallelGateway' ? 'parallel' : 'event-based'} gateway '${source.id}'`,
        'a flow out of a parallel or event-based gateway cannot have a condition (BPMN 2.0 §10.3.1)',
        'remove the condition or use an exclusive or inclusive gateway',
      ),
    ];
  }
  if (source && source.defaultFlow === flow.id) {
    return [
      invalid(
        subject,
        `is the default flow of '${source.id}' and has a condition`,
        'a default flow is taken when no condition holds and cannot have one (BPMN 2.0 §10.3.1)',
        'remove the condition',
      ),
    ];
  }
  return [];
}

function invalid(
  element: { id: string; type: string; name?: string | null },
  what: string,
  because: string,
  fix: string,
): Problem {
  const code = GATEWAYS.has(element.type) ? 'GATEWAY_INVALID' : 'FLOW_INVALID';
  return problemAbout(code, element, `${what}, and the model is invalid because ${because}; ${fix}`);
}
