/** Small builders for BPMN test models: readable ids, no diagram interchange. */

const NS =
  'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:svc="https://svcflow.dev/schema/bpmn/1.0"';

type Attrs = Record<string, string | number | boolean | undefined>;

/** A whole document with one executable process and any extra root elements (messages, errors). */
export function definitions(processId: string, body: string[], roots: string[] = []): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${NS} id="Definitions_${processId}" targetNamespace="https://svcflow.dev/test">
  ${roots.join('\n  ')}
  <bpmn:process id="${processId}" isExecutable="true">
    ${body.join('\n    ')}
  </bpmn:process>
</bpmn:definitions>`;
}

export const start = (id: string) => `<bpmn:startEvent id="${id}" />`;
export const end = (id: string) => `<bpmn:endEvent id="${id}" />`;
export const terminateEnd = (id: string) =>
  `<bpmn:endEvent id="${id}"><bpmn:terminateEventDefinition /></bpmn:endEvent>`;
export const errorEnd = (id: string, errorRef: string) =>
  `<bpmn:endEvent id="${id}"><bpmn:errorEventDefinition errorRef="${errorRef}" /></bpmn:endEvent>`;
export const escalationEnd = (id: string, ref: string) =>
  `<bpmn:endEvent id="${id}"><bpmn:escalationEventDefinition escalationRef="${ref}" /></bpmn:endEvent>`;
export const escalationThrow = (id: string, ref: string) =>
  `<bpmn:intermediateThrowEvent id="${id}"><bpmn:escalationEventDefinition escalationRef="${ref}" /></bpmn:intermediateThrowEvent>`;
export const task = (id: string) => `<bpmn:task id="${id}" />`;
export const manualTask = (id: string) => `<bpmn:manualTask id="${id}" />`;

export function userTask(
  id: string,
  opts: { assignee?: string; groups?: string; formKey?: string; priority?: string; due?: string; ext?: string } = {},
): string {
  const ext = [
    opts.assignee || opts.groups
      ? `<zeebe:assignmentDefinition${attrs({ assignee: opts.assignee, candidateGroups: opts.groups })} />`
      : '',
    opts.formKey ? `<zeebe:formDefinition formKey="${opts.formKey}" />` : '',
    opts.priority ? `<zeebe:priorityDefinition priority="${esc(opts.priority)}" />` : '',
    opts.due ? `<zeebe:taskSchedule dueDate="${esc(opts.due)}" />` : '',
    opts.ext ?? '',
  ].join('');
  return `<bpmn:userTask id="${id}" name="${id}">${ext ? `<bpmn:extensionElements>${ext}</bpmn:extensionElements>` : ''}</bpmn:userTask>`;
}

export function serviceTask(id: string, type: string, ext = ''): string {
  return `<bpmn:serviceTask id="${id}"><bpmn:extensionElements><zeebe:taskDefinition type="${type}" />${ext}</bpmn:extensionElements></bpmn:serviceTask>`;
}

export function scriptTask(id: string, expression: string, resultVariable?: string): string {
  return `<bpmn:scriptTask id="${id}"><bpmn:extensionElements><zeebe:script expression="${esc(expression)}"${resultVariable ? ` resultVariable="${resultVariable}"` : ''} /></bpmn:extensionElements></bpmn:scriptTask>`;
}

export const gateway = (
  kind: 'exclusive' | 'parallel' | 'inclusive' | 'eventBased',
  id: string,
  defaultFlow?: string,
) => `<bpmn:${kind}Gateway id="${id}"${defaultFlow ? ` default="${defaultFlow}"` : ''} />`;

export function timerCatch(id: string, kind: 'duration' | 'date' | 'cycle', value: string): string {
  return `<bpmn:intermediateCatchEvent id="${id}">${timerDef(kind, value)}</bpmn:intermediateCatchEvent>`;
}

export function messageCatch(id: string, messageRef: string): string {
  return `<bpmn:intermediateCatchEvent id="${id}"><bpmn:messageEventDefinition messageRef="${messageRef}" /></bpmn:intermediateCatchEvent>`;
}

export function receiveTask(id: string, messageRef: string): string {
  return `<bpmn:receiveTask id="${id}" messageRef="${messageRef}" />`;
}

export function message(id: string, name: string, correlationKey?: string): string {
  return `<bpmn:message id="${id}" name="${name}">${correlationKey ? `<bpmn:extensionElements><zeebe:subscription correlationKey="${esc(correlationKey)}" /></bpmn:extensionElements>` : ''}</bpmn:message>`;
}

export const error = (id: string, code: string) => `<bpmn:error id="${id}" errorCode="${code}" />`;
export const escalation = (id: string, code: string) => `<bpmn:escalation id="${id}" escalationCode="${code}" />`;

export function boundary(
  id: string,
  attachedTo: string,
  def: {
    timer?: [kind: 'duration' | 'date' | 'cycle', value: string];
    message?: string;
    error?: string | null;
    escalation?: string | null;
  },
  interrupting = true,
): string {
  let body = '';
  if (def.timer) body = timerDef(def.timer[0], def.timer[1]);
  if (def.message) body = `<bpmn:messageEventDefinition messageRef="${def.message}" />`;
  if (def.error !== undefined)
    body = def.error ? `<bpmn:errorEventDefinition errorRef="${def.error}" />` : '<bpmn:errorEventDefinition />';
  if (def.escalation !== undefined)
    body = def.escalation
      ? `<bpmn:escalationEventDefinition escalationRef="${def.escalation}" />`
      : '<bpmn:escalationEventDefinition />';
  return `<bpmn:boundaryEvent id="${id}" attachedToRef="${attachedTo}" cancelActivity="${interrupting}">${body}</bpmn:boundaryEvent>`;
}

export function subProcess(id: string, children: string[], ext = ''): string {
  return `<bpmn:subProcess id="${id}">${ext ? `<bpmn:extensionElements>${ext}</bpmn:extensionElements>` : ''}${children.join('')}</bpmn:subProcess>`;
}

/** A sequence flow `Flow_<from>_<to>`; `condition` is FEEL (without '='). */
export function flow(from: string, to: string, condition?: string, id = `Flow_${from}_${to}`): string {
  const cond =
    condition === undefined
      ? ''
      : `<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">=${esc(condition)}</bpmn:conditionExpression>`;
  return `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}">${cond}</bpmn:sequenceFlow>`;
}

/** Flows along a chain of ids: chain('S', 'A', 'E') = S→A, A→E. */
export function chain(...ids: string[]): string[] {
  return ids.slice(1).map((to, i) => flow(ids[i], to));
}

export function sla(target: string, extra: Attrs = {}): string {
  return `<svc:sla${attrs({ target, ...extra })} />`;
}

// helpers

function timerDef(kind: string, value: string): string {
  const tag = kind === 'duration' ? 'timeDuration' : kind === 'date' ? 'timeDate' : 'timeCycle';
  return `<bpmn:timerEventDefinition><bpmn:${tag} xsi:type="bpmn:tFormalExpression" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">${esc(value)}</bpmn:${tag}></bpmn:timerEventDefinition>`;
}

function attrs(values: Attrs): string {
  return Object.entries(values)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${esc(String(v))}"`)
    .join('');
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
