/** Builds one ProcessModel from a moddle `bpmn:Process`: nodes of every scope, flows, and their links. */
import type { ModdleElement } from 'bpmn-moddle';
import { attr, extensionOf, refId, report, text, withoutEquals, type ReadContext } from './moddle/access.js';
import type { ProcessModel, SequenceFlow } from './model.js';
import { readInstantiation } from './read-instantiate.js';
import { readNode } from './read-node.js';
import { readListeners } from './read-listeners.js';
import { readCompensation } from './read-compensation.js';
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
    versionTag: attr(process, 'camunda:versionTag') ?? attr(extensionOf(process, 'zeebe:VersionTag'), 'value'),
  };
  const listeners = readListeners(process, 'process', ctx);
  if (listeners.length > 0) model.listeners = listeners;
  if (!model.id) report(ctx, 'ID_INVALID', process, 'has no id; give the process a unique id');
  collectScope(process, model.id, model, ctx);
  joinLinks(model, ctx);
  linkFlows(model);
  linkBoundaryEvents(model);
  readCompensation(process, model, ctx);
  readInstantiation(process, model, ctx);
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
  const listeners = readListeners(element, 'flow', ctx);
  return {
    ...(listeners.length > 0 ? { listeners } : {}),
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
    report(
      ctx,
      'UNSUPPORTED_ELEMENT',
      flow,
      `has a condition in the language '${language}'; only FEEL conditions (or Camunda 7 \${…} expressions) are supported`,
    );
  }
  return withoutEquals(body);
}

/**
 * BPMN 2.0 §10.5.6: a link throw event continues at the one link catch event of the same name in its
 * scope; they are joined by a synthetic sequence flow `<throw>__link`. A throw without exactly one such
 * catch, a throw with outgoing flows or a catch with incoming ones is invalid.
 */
function joinLinks(model: ProcessModel, ctx: ReadContext): void {
  const nodes = Object.values(model.nodes).filter((n) => n.event?.kind === 'link');
  const invalid = (id: string, type: string, why: string) =>
    ctx.problems.push({
      code: 'EVENT_DEFINITION_INVALID',
      elementId: id,
      elementType: type,
      message: `link event '${id}' ${why}`,
    });
  const flows = Object.values(model.flows);
  for (const node of nodes) {
    const name = node.event?.kind === 'link' ? node.event.linkName : '';
    if (node.type === 'intermediateCatchEvent') {
      if (flows.some((f) => f.targetId === node.id))
        invalid(
          node.id,
          'bpmn:IntermediateCatchEvent',
          'has incoming sequence flows, and the model is invalid because a link catch event is entered only by its link throw events (BPMN 2.0 §10.5.6)',
        );
      continue;
    }
    const catches = nodes.filter(
      (c) =>
        c.type === 'intermediateCatchEvent' &&
        c.scopeId === node.scopeId &&
        c.event?.kind === 'link' &&
        c.event.linkName === name,
    );
    if (flows.some((f) => f.sourceId === node.id))
      invalid(
        node.id,
        'bpmn:IntermediateThrowEvent',
        'has outgoing sequence flows, and the model is invalid because a link throw event continues only at its link catch event (BPMN 2.0 §10.5.6)',
      );
    else if (catches.length !== 1)
      invalid(
        node.id,
        'bpmn:IntermediateThrowEvent',
        `throws the link '${name}', and the model is invalid because its scope has ${catches.length} link catch events of that name; it needs exactly one (BPMN 2.0 §10.5.6)`,
      );
    else
      model.flows[`${node.id}__link`] = {
        id: `${node.id}__link`,
        name: null,
        sourceId: node.id,
        targetId: catches[0].id,
        condition: null,
      };
  }
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
