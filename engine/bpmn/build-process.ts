/** Builds one ProcessModel from a moddle `bpmn:Process`: nodes of every scope, flows, and their links. */
import type { ModdleElement } from 'bpmn-moddle';
import { refId, report, text, withoutEquals, type ReadContext } from './moddle/access.js';
import type { ProcessModel, SequenceFlow } from './model.js';
import { readNode } from './read-node.js';
import { readBusinessKey, readSla } from './read-sla.js';
import { readStarters } from './read-starters.js';
import { readDocumentation } from './read-task.js';
import { isUnsafeKey, own } from './records.js';

/** Condition languages this engine evaluates: FEEL, and Camunda 7 JUEL, which the expression layer converts. */
const CONDITION_LANGUAGE = /feel|juel/i;

/** Reads a process and its sub-processes into one flat ProcessModel; problems go to the context. */
export function buildProcess(process: ModdleElement, ctx: ReadContext): ProcessModel {
  const model: ProcessModel = {
    id: process.id ?? '',
    name: text(process.name),
    nodes: {},
    flows: {},
    scopes: [],
    sla: readSla(process, ctx),
    businessKey: readBusinessKey(process, ctx),
    starters: readStarters(process),
    documentation: readDocumentation(process),
  };
  if (!model.id) report(ctx, 'ID_INVALID', process, 'has no id; give the process a unique id');
  collectScope(process, model.id, model, ctx);
  linkFlows(model);
  linkBoundaryEvents(model);
  return model;
}

// helpers

function collectScope(container: ModdleElement, scopeId: string, model: ProcessModel, ctx: ReadContext): void {
  for (const element of (container.flowElements ?? []) as ModdleElement[]) {
    if (element.$type === 'bpmn:SequenceFlow') {
      addFlow(element, model, ctx);
      continue;
    }
    const node = readNode(element, scopeId, ctx);
    if (!node) continue;
    model.nodes[node.id] = node;
    if (node.type === 'subProcess') {
      model.scopes.push(node.id);
      collectScope(element, node.id, model, ctx);
    }
  }
}

function addFlow(element: ModdleElement, model: ProcessModel, ctx: ReadContext): void {
  if (!text(element.id) || isUnsafeKey(element.id!)) {
    report(ctx, 'ID_INVALID', element, 'has no usable id; give every element a unique id');
    return;
  }
  model.flows[element.id!] = readFlow(element, ctx);
}

function readFlow(element: ModdleElement, ctx: ReadContext): SequenceFlow {
  return {
    id: element.id!,
    name: text(element.name),
    sourceId: refId(ctx, element, 'sourceRef') ?? '',
    targetId: refId(ctx, element, 'targetRef') ?? '',
    condition: readCondition(element, ctx),
  };
}

/** The condition body without a leading '='; Camunda 7 `${…}` is kept as written. */
function readCondition(flow: ModdleElement, ctx: ReadContext): string | null {
  const expression: ModdleElement | undefined = flow.conditionExpression;
  const body = text(expression?.body);
  if (!expression || !body) return null;
  const language = text(expression.language);
  if (language && !CONDITION_LANGUAGE.test(language)) {
    report(ctx, 'UNSUPPORTED_ELEMENT', flow, `has a condition in the language '${language}'; only FEEL conditions (or Camunda 7 \${…} expressions) are supported`);
  }
  return withoutEquals(body);
}

/** Incoming and outgoing lists follow the flows' sourceRef/targetRef, in document order. */
function linkFlows(model: ProcessModel): void {
  for (const flow of Object.values(model.flows)) {
    own(model.nodes, flow.sourceId)?.outgoing.push(flow.id);
    own(model.nodes, flow.targetId)?.incoming.push(flow.id);
  }
}

function linkBoundaryEvents(model: ProcessModel): void {
  for (const node of Object.values(model.nodes)) {
    own(model.nodes, node.attachedTo)?.boundaryEvents.push(node.id);
  }
}
