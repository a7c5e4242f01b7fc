/**
 * Ad-hoc sub-processes as Camunda 8 models them: `zeebe:adHoc activeElementsCollection`, the BPMN
 * `completionCondition` and `cancelRemainingInstances`. What svcflow cannot run is refused, never ignored.
 */
import type { ModdleElement } from 'bpmn-moddle';
import { attr, extensionOf, text, withoutEquals } from './moddle/access.js';
import type { AdHocSpec } from './model.js';

/** The ad-hoc settings of a `bpmn:AdHocSubProcess`. */
export function readAdHoc(element: ModdleElement): AdHocSpec {
  const collection = attr(extensionOf(element, 'zeebe:AdHoc'), 'activeElementsCollection');
  const condition = text(element.completionCondition?.body);
  return {
    activeElements: collection ? withoutEquals(collection) : null,
    completionCondition: condition ? withoutEquals(condition) : null,
    cancelRemaining: element.cancelRemainingInstances !== false,
  };
}

/** Why an ad-hoc sub-process cannot run here, or null. */
export function adHocReason(element: ModdleElement): string | null {
  if (element.$type !== 'bpmn:AdHocSubProcess') return null;
  if (element.ordering === 'Sequential')
    return 'is an ad-hoc sub-process with sequential ordering; svcflow does not run those yet (it runs parallel ones)';
  if (extensionOf(element, 'zeebe:TaskDefinition'))
    return 'is an ad-hoc sub-process handled by a job worker (zeebe:taskDefinition); svcflow does not run those yet, activate its elements through the API';
  const language = text(element.completionCondition?.language);
  if (language && !/feel|juel/i.test(language))
    return `has a completion condition in the language '${language}'; svcflow does not run it yet, write it in FEEL`;
  if (element.loopCharacteristics)
    return 'is a repeated ad-hoc sub-process; svcflow does not run loops or multi-instance on ad-hoc sub-processes yet';
  return null;
}

/** Whether an ad-hoc sub-process holds no activity, so that nothing could ever run in it (Camunda 8's rule). */
export function isEmptyAdHoc(element: ModdleElement): boolean {
  if (element.$type !== 'bpmn:AdHocSubProcess') return false;
  const children = (element.flowElements ?? []) as ModdleElement[];
  return !children.some((child) => /Task$|SubProcess$|CallActivity$|Transaction$/.test(child.$type));
}

/** The start and end events inside an ad-hoc sub-process, which the model may not have (BPMN 2.0 §10.3.5). */
export function misplacedEvents(element: ModdleElement): ModdleElement[] {
  if (element.$type !== 'bpmn:AdHocSubProcess') return [];
  return ((element.flowElements ?? []) as ModdleElement[]).filter(
    (child) => child.$type === 'bpmn:StartEvent' || child.$type === 'bpmn:EndEvent',
  );
}
