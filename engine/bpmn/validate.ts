/** Structural validation of a BpmnDocument: every problem, each naming its element and how to fix it. */
import { problemAbout, type Describable } from './describe.js';
import type { BpmnDocument, FlowNode, ProcessModel, SequenceFlow } from './model.js';
import type { Problem } from './problems.js';
import { own } from './records.js';
import { checkExpressions, type CheckExpression } from './validate-expressions.js';
import { checkNode } from './validate-nodes.js';
import { checkSpecRules } from './validate-spec.js';
import { checkConditionalEvents, checkEventSubProcesses } from './validate-event-subprocesses.js';

export interface ValidateOptions {
  /** Checks one FEEL expression (without its leading '='); returns an error description, or null when valid. */
  checkExpression?: CheckExpression;
}

/** Returns every structural problem of the document's processes; reads nothing but its arguments. */
export function validateModel(doc: BpmnDocument, options: ValidateOptions = {}): Problem[] {
  return doc.processes.flatMap((process) => [
    ...checkScopes(process),
    ...Object.values(process.flows).flatMap((flow) => checkFlow(flow, process)),
    ...Object.values(process.nodes).flatMap((node) => checkNode(node, process)),
    ...checkSpecRules(process),
    ...checkEventSubProcesses(process),
    ...checkConditionalEvents(process),
    ...(options.checkExpression ? checkExpressions(process, options.checkExpression) : []),
  ]);
}

// helpers

/**
 * BPMN 2.0 §10.5.2. A process may start by a none start event, a message or signal start event, or
 * (without start events) at its elements without incoming flows (an instantiating receive task or
 * event-based gateway): all deploy; a plain start needs the none start event (checked when starting).
 * A sub-process starts only by a none start event.
 */
function checkScopes(process: ProcessModel): Problem[] {
  const processScope: Describable = { id: process.id, type: 'process', name: process.name };
  const subProcesses = process.scopes
    .map((id) => own(process.nodes, id))
    // an event sub-process starts at its trigger, an ad-hoc one at the elements it activates
    .filter((node): node is FlowNode => node !== undefined && !node.triggeredByEvent && !node.adHoc);
  return [
    ...checkProcessStarts(processScope, process),
    ...subProcesses.flatMap((scope) => checkSubProcessStarts(scope, process)),
  ];
}

function checkProcessStarts(scope: Describable, process: ProcessModel): Problem[] {
  const starts = startsOf(scope, process);
  const problems: Problem[] = [];
  const plain = starts.filter((node) => (node.event?.kind ?? 'none') === 'none');
  if (plain.length > 1) {
    const ids = plain.map((node) => `'${node.id}'`).join(', ');
    problems.push(
      problemAbout(
        'MULTIPLE_START_EVENTS',
        scope,
        `has ${plain.length} none start events (${ids}); svcflow does not run processes with more than one none start event yet, keep exactly one`,
      ),
    );
  }
  const entries = Object.values(process.nodes).filter(
    (node) => node.scopeId === scope.id && node.incoming.length === 0 && node.type !== 'boundaryEvent',
  );
  if (starts.length === 0 && entries.length === 0) {
    problems.push(
      problemAbout(
        'NO_START_EVENT',
        scope,
        'has no start event and no element without incoming flows, so nothing can start it; add a none start event',
      ),
    );
  }
  return problems;
}

function checkSubProcessStarts(scope: FlowNode, process: ProcessModel): Problem[] {
  const starts = startsOf(scope, process);
  const triggered = starts.filter((node) => (node.event?.kind ?? 'none') !== 'none');
  const problems = triggered.map((node) =>
    problemAbout(
      'START_EVENT_INVALID',
      node,
      'has a trigger, and the model is invalid because a sub-process may only start with a none start event (BPMN 2.0 §10.5.2); remove the trigger',
    ),
  );
  const plain = starts.filter((node) => !triggered.includes(node));
  if (plain.length === 0) {
    problems.push(
      problemAbout(
        'NO_START_EVENT',
        scope,
        'has no none start event; svcflow does not run sub-processes without one yet, add exactly one none start event',
      ),
    );
  } else if (plain.length > 1) {
    const ids = plain.map((node) => `'${node.id}'`).join(', ');
    problems.push(
      problemAbout(
        'MULTIPLE_START_EVENTS',
        scope,
        `has ${plain.length} none start events (${ids}); svcflow does not run sub-processes with more than one yet, keep exactly one`,
      ),
    );
  }
  return problems;
}

function startsOf(scope: Describable, process: ProcessModel): FlowNode[] {
  return Object.values(process.nodes).filter((node) => node.type === 'startEvent' && node.scopeId === scope.id);
}

function checkFlow(flow: SequenceFlow, process: ProcessModel): Problem[] {
  const subject = { id: flow.id, type: 'sequenceFlow', name: flow.name };
  const source = own(process.nodes, flow.sourceId);
  const target = own(process.nodes, flow.targetId);
  const problems: Problem[] = [];
  if (!source)
    problems.push(
      problemAbout(
        'FLOW_SOURCE_MISSING',
        subject,
        `${missingEnd('starts at', flow.sourceId, process)}; connect it to an existing element`,
      ),
    );
  if (!target)
    problems.push(
      problemAbout(
        'FLOW_TARGET_MISSING',
        subject,
        `${missingEnd('leads to', flow.targetId, process)}; connect it to an existing element`,
      ),
    );
  if (source && target && source.scopeId !== target.scopeId) {
    problems.push(
      problemAbout(
        'FLOW_CROSSES_SCOPE',
        subject,
        `connects '${source.id}' in ${scopeName(source.scopeId, process)} with '${target.id}' in ${scopeName(target.scopeId, process)}; ` +
          'sequence flows cannot cross a sub-process boundary, connect to the sub-process itself',
      ),
    );
  }
  return problems;
}

function missingEnd(verb: string, id: string, process: ProcessModel): string {
  return id
    ? `${verb} '${id}', which is not an element of process '${process.id}'`
    : `has no ${verb === 'starts at' ? 'source' : 'target'}`;
}

function scopeName(scopeId: string, process: ProcessModel): string {
  return scopeId === process.id ? `process '${scopeId}'` : `sub-process '${scopeId}'`;
}
