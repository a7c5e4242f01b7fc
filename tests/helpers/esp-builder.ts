/** Builders for event sub-processes and conditional events (beside bpmn-builder.ts and event-builder.ts). */

export type EspTrigger =
  | { timer: [kind: 'duration' | 'date' | 'cycle', value: string] }
  | { message: string }
  | { signal: string }
  | { error: string | null }
  | { escalation: string | null }
  | { condition: string; variableName?: string; variableEvents?: string };

/** An event sub-process whose start event `startId` has the trigger, followed by `children` (flows included). */
export function eventSubProcess(
  id: string,
  startId: string,
  trigger: EspTrigger,
  children: string[],
  interrupting = true,
): string {
  const start = `<bpmn:startEvent id="${startId}" isInterrupting="${interrupting}">${definitionOf(trigger)}</bpmn:startEvent>`;
  return `<bpmn:subProcess id="${id}" triggeredByEvent="true">${start}${children.join('')}</bpmn:subProcess>`;
}

/** The event definition of a trigger. */
export function definitionOf(trigger: EspTrigger): string {
  if ('timer' in trigger) {
    const [kind, value] = trigger.timer;
    const tag = kind === 'duration' ? 'timeDuration' : kind === 'date' ? 'timeDate' : 'timeCycle';
    return `<bpmn:timerEventDefinition><bpmn:${tag} xsi:type="bpmn:tFormalExpression" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">${value}</bpmn:${tag}></bpmn:timerEventDefinition>`;
  }
  if ('message' in trigger) return `<bpmn:messageEventDefinition messageRef="${trigger.message}" />`;
  if ('signal' in trigger) return `<bpmn:signalEventDefinition signalRef="${trigger.signal}" />`;
  if ('error' in trigger)
    return trigger.error
      ? `<bpmn:errorEventDefinition errorRef="${trigger.error}" />`
      : '<bpmn:errorEventDefinition />';
  if ('escalation' in trigger)
    return trigger.escalation
      ? `<bpmn:escalationEventDefinition escalationRef="${trigger.escalation}" />`
      : '<bpmn:escalationEventDefinition />';
  const filters = [
    trigger.variableName ? ` camunda:variableName="${trigger.variableName}"` : '',
    trigger.variableEvents ? ` camunda:variableEvents="${trigger.variableEvents}"` : '',
  ].join('');
  return `<bpmn:conditionalEventDefinition${filters}><bpmn:condition xsi:type="bpmn:tFormalExpression" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">${esc(trigger.condition)}</bpmn:condition></bpmn:conditionalEventDefinition>`;
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
