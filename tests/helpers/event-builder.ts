/** Builders for signal, message-start and timer-start test models (beside bpmn-builder.ts). */

export const signal = (id: string, name: string) => `<bpmn:signal id="${id}" name="${name}" />`;

export function signalCatch(id: string, signalRef: string, outputs = ''): string {
  return `<bpmn:intermediateCatchEvent id="${id}">${outputs}<bpmn:signalEventDefinition signalRef="${signalRef}" /></bpmn:intermediateCatchEvent>`;
}

/** An intermediate throw (or end event with `end`), with optional extension elements (zeebe:ioMapping) and camunda:in on the definition. */
export function signalThrow(
  id: string,
  signalRef: string,
  opts: { end?: boolean; ext?: string; camundaIn?: string } = {},
): string {
  const tag = opts.end ? 'endEvent' : 'intermediateThrowEvent';
  const ext = opts.ext ? `<bpmn:extensionElements>${opts.ext}</bpmn:extensionElements>` : '';
  const def = opts.camundaIn
    ? `<bpmn:signalEventDefinition signalRef="${signalRef}"><bpmn:extensionElements>${opts.camundaIn}</bpmn:extensionElements></bpmn:signalEventDefinition>`
    : `<bpmn:signalEventDefinition signalRef="${signalRef}" />`;
  return `<bpmn:${tag} id="${id}">${ext}${def}</bpmn:${tag}>`;
}

export function signalBoundary(id: string, attachedTo: string, signalRef: string, interrupting = true): string {
  return `<bpmn:boundaryEvent id="${id}" attachedToRef="${attachedTo}" cancelActivity="${interrupting}"><bpmn:signalEventDefinition signalRef="${signalRef}" /></bpmn:boundaryEvent>`;
}

export function signalStart(id: string, signalRef: string, ext = ''): string {
  return `<bpmn:startEvent id="${id}">${ext ? `<bpmn:extensionElements>${ext}</bpmn:extensionElements>` : ''}<bpmn:signalEventDefinition signalRef="${signalRef}" /></bpmn:startEvent>`;
}

export function messageStart(id: string, messageRef: string, ext = ''): string {
  return `<bpmn:startEvent id="${id}">${ext ? `<bpmn:extensionElements>${ext}</bpmn:extensionElements>` : ''}<bpmn:messageEventDefinition messageRef="${messageRef}" /></bpmn:startEvent>`;
}

export function timerStart(id: string, kind: 'duration' | 'date' | 'cycle', value: string): string {
  const tag = kind === 'duration' ? 'timeDuration' : kind === 'date' ? 'timeDate' : 'timeCycle';
  return `<bpmn:startEvent id="${id}"><bpmn:timerEventDefinition><bpmn:${tag} xsi:type="bpmn:tFormalExpression" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">${value}</bpmn:${tag}></bpmn:timerEventDefinition></bpmn:startEvent>`;
}

/** zeebe:ioMapping with inputs and outputs given as [source, target] pairs (sources are FEEL, written with '='). */
export function ioMapping(inputs: Array<[string, string]>, outputs: Array<[string, string]> = []): string {
  return `<zeebe:ioMapping>${inputs.map(([s, t]) => `<zeebe:input source="${s}" target="${t}" />`).join('')}${outputs.map(([s, t]) => `<zeebe:output source="${s}" target="${t}" />`).join('')}</zeebe:ioMapping>`;
}

export function linkThrow(id: string, name: string): string {
  return `<bpmn:intermediateThrowEvent id="${id}"><bpmn:linkEventDefinition name="${name}" /></bpmn:intermediateThrowEvent>`;
}

export function linkCatch(id: string, name: string): string {
  return `<bpmn:intermediateCatchEvent id="${id}"><bpmn:linkEventDefinition name="${name}" /></bpmn:intermediateCatchEvent>`;
}
