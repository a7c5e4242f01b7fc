/** engine/bpmn: reads and validates BPMN 2.0 XML into the ProcessModel IR. The only door other layers use. */
import svcDescriptor from './moddle/svc.json' with { type: 'json' };
import type { BpmnDocument } from './model.js';
import type { Problem } from './problems.js';
import { readBpmn, type ReadOptions } from './read.js';
import { own } from './records.js';
import { validateModel, type ValidateOptions } from './validate.js';

export { readBpmn, type ReadOptions, type ReadResult } from './read.js';
export { validateModel, type ValidateOptions } from './validate.js';
export { sendsMessage } from './validate-nodes.js';
export { describeElement, bpmnTypeOf, type Describable } from './describe.js';
export type { CheckExpression } from './validate-expressions.js';
export type * from './model.js';
export { ModelError, problem, type Problem, type ProblemCode } from './problems.js';

/** The moddle descriptor of the `svc:` extension (svc:sla), for bpmn-js and any other moddle user. */
export const svcModdleDescriptor = svcDescriptor;

/** Reads and validates in one go: the document (null when unreadable) and every problem of both passes. */
export async function loadBpmn(
  xml: string,
  options: ReadOptions & ValidateOptions = {},
): Promise<{ document: BpmnDocument | null; problems: Problem[] }> {
  const { document, problems } = await readBpmn(xml, options);
  if (!document) return { document, problems };
  const dropped = droppedIds(problems, document);
  const followUps = validateModel(document, options).filter((p) => !isFollowUp(p, document, dropped));
  return { document, problems: [...problems, ...followUps] };
}

// helpers

/** Elements the reader refused (unsupported, unusable id) and so left out of the model. */
function droppedIds(problems: Problem[], document: BpmnDocument): Set<string> {
  const refused = problems
    .filter((p) => p.code === 'UNSUPPORTED_ELEMENT' || p.code === 'ID_INVALID')
    .map((p) => p.elementId)
    .filter((id): id is string => id !== null);
  return new Set(refused.filter((id) => !document.processes.some((p) => own(p.nodes, id) || own(p.flows, id))));
}

/** A flow problem that only follows from an end the reader dropped, already reported. */
function isFollowUp(problem: Problem, document: BpmnDocument, dropped: Set<string>): boolean {
  if (problem.code !== 'FLOW_SOURCE_MISSING' && problem.code !== 'FLOW_TARGET_MISSING') return false;
  const flow = document.processes.map((p) => own(p.flows, problem.elementId)).find((f) => f !== undefined);
  return flow !== undefined && dropped.has(problem.code === 'FLOW_SOURCE_MISSING' ? flow.sourceId : flow.targetId);
}
