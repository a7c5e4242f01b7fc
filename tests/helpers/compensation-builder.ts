/** Builders for compensation and transaction test models (beside bpmn-builder.ts). */

/** A compensation boundary event on `attachedTo` with the association to its handler. */
export function compensationBoundary(id: string, attachedTo: string, handler: string): string[] {
  return [
    `<bpmn:boundaryEvent id="${id}" attachedToRef="${attachedTo}"><bpmn:compensateEventDefinition /></bpmn:boundaryEvent>`,
    `<bpmn:association id="Assoc_${id}" associationDirection="One" sourceRef="${id}" targetRef="${handler}" />`,
  ];
}

/** A handler: a task marked for compensation (`user` makes it a user task, so it waits). */
export function handler(id: string, kind: 'task' | 'user' = 'task'): string {
  return kind === 'user'
    ? `<bpmn:userTask id="${id}" name="${id}" isForCompensation="true" />`
    : `<bpmn:task id="${id}" isForCompensation="true" />`;
}

/** The compensation boundary event `<id>_compensate` of activity `id` and its handler `Undo_<id>`. */
export function compensated(id: string, handlerKind: 'task' | 'user' = 'task'): string[] {
  return [...compensationBoundary(`${id}_compensate`, id, `Undo_${id}`), handler(`Undo_${id}`, handlerKind)];
}

/** An intermediate (or, with `end`, end) compensation throw event, for the whole scope or one activity. */
export function compensationThrow(
  id: string,
  opts: { activityRef?: string; end?: boolean; waitForCompletion?: boolean } = {},
): string {
  const tag = opts.end ? 'endEvent' : 'intermediateThrowEvent';
  const ref = opts.activityRef ? ` activityRef="${opts.activityRef}"` : '';
  const wait = opts.waitForCompletion === false ? ' waitForCompletion="false"' : '';
  return `<bpmn:${tag} id="${id}"><bpmn:compensateEventDefinition${ref}${wait} /></bpmn:${tag}>`;
}

export function transaction(id: string, children: string[]): string {
  return `<bpmn:transaction id="${id}">${children.join('')}</bpmn:transaction>`;
}

export const cancelEnd = (id: string) => `<bpmn:endEvent id="${id}"><bpmn:cancelEventDefinition /></bpmn:endEvent>`;

export const cancelBoundary = (id: string, attachedTo: string) =>
  `<bpmn:boundaryEvent id="${id}" attachedToRef="${attachedTo}"><bpmn:cancelEventDefinition /></bpmn:boundaryEvent>`;
