/** Reads an activity's multi-instance characteristics (Camunda 7 and Camunda 8 forms) into the model. */
import type { ModdleElement } from 'bpmn-moddle';
import { attr, extensionOf, text } from './moddle/access.js';
import type { MultiInstance, NodeType } from './model.js';

/** The activity kinds that run as multi-instance; others are refused at deploy. */
const MULTI_INSTANCE_TYPES: NodeType[] = [
  'userTask',
  'serviceTask',
  'sendTask',
  'receiveTask',
  'scriptTask',
  'businessRuleTask',
  'task',
  'manualTask',
  'subProcess',
  'callActivity',
];

/** The multi-instance characteristics of an element, or null when it has none. */
export function readMultiInstance(element: ModdleElement): MultiInstance | null {
  const loop: ModdleElement | undefined = element.loopCharacteristics;
  if (loop?.$type === 'bpmn:StandardLoopCharacteristics') {
    const maximum =
      typeof loop.loopMaximum === 'number'
        ? loop.loopMaximum
        : loop.loopMaximum === undefined
          ? null
          : Number(loop.loopMaximum);
    const standard = {
      condition: text(loop.loopCondition?.body),
      testBefore: loop.testBefore === true,
      maximum: maximum === null || Number.isNaN(maximum) ? null : maximum,
    };
    return {
      sequential: true,
      cardinality: null,
      collection: null,
      elementVariable: null,
      completionCondition: null,
      outputCollection: null,
      outputElement: null,
      standard,
    };
  }
  if (loop?.$type !== 'bpmn:MultiInstanceLoopCharacteristics') return null;
  const zeebe = extensionOf(loop, 'zeebe:LoopCharacteristics');
  return {
    sequential: loop.isSequential === true,
    cardinality: text(loop.loopCardinality?.body),
    collection: attr(zeebe, 'inputCollection') ?? attr(loop, 'camunda:collection'),
    elementVariable: attr(zeebe, 'inputElement') ?? attr(loop, 'camunda:elementVariable'),
    completionCondition: text(loop.completionCondition?.body),
    outputCollection: attr(zeebe, 'outputCollection'),
    outputElement: attr(zeebe, 'outputElement'),
  };
}

/** Why a multi-instance element cannot run here, or null when it can. */
export function multiInstanceReason(element: ModdleElement, type: NodeType): string | null {
  const mi = readMultiInstance(element);
  if (!mi) return null;
  // a parallel multi-instance sub-process runs when nothing inside waits (engine/compile/multi-instance.ts, parallelSubProcessReason)
  if (!MULTI_INSTANCE_TYPES.includes(type)) {
    const kind = `${type} activities`;
    if (mi.standard) return `has standard loop characteristics; svcflow does not run standard loops on ${kind} yet`;
    return `is a multi-instance activity of this kind; svcflow does not run multi-instance ${kind} yet`;
  }
  if (mi.standard) {
    if (!mi.standard.condition && mi.standard.maximum === null)
      return 'has a standard loop with neither a loop condition nor a loop maximum; it would never end, add one';
    return null;
  }
  if (!mi.collection && !mi.cardinality)
    return 'is multi-instance without a loop cardinality or an input collection; the model is invalid because a multi-instance activity needs one of them (BPMN 2.0 §10.3.8)';
  if (mi.outputCollection && !mi.outputElement)
    return 'has an output collection without an output element; name the output element (zeebe:loopCharacteristics outputElement)';
  return null;
}
