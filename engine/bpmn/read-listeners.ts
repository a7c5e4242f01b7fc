/**
 * Camunda 7 `camunda:executionListener` and `camunda:taskListener` (Flowable's and Activiti's read as
 * Camunda's) → Listener. svcflow runs a small set and refuses the rest at deploy, naming the element:
 * - bodies: an inline `camunda:script scriptFormat="feel"`, or `expression="${execution.setVariable('x', …)}"`
 *   (task listeners also `task.setVariable`) whose value is JUEL the expression layer translates (checked with
 *   the process's other expressions, so an untranslatable value is refused naming the element and the expression);
 * - events: start and end on flow nodes, take on sequence flows, start and end on the process; create and complete
 *   for task listeners on user tasks; start and end on the process.
 * Java (`camunda:class`, `delegateExpression`, any other method call), other script formats, script
 * resources and field injections have no meaning outside a Java engine and are refused.
 */
import type { ModdleElement } from 'bpmn-moddle';
import { attr, extensionsOf, report, text, type ReadContext } from './moddle/access.js';
import type { Listener, ListenerEvent } from './model.js';
import { isFeelFormat } from './read-task.js';

/** Where listeners sit: which events each kind of listener may have there. */
export type ListenerSite = 'node' | 'userTask' | 'flow' | 'process';

const EXECUTION_EVENTS: Record<ListenerSite, ListenerEvent[]> = {
  node: ['start', 'end'],
  userTask: ['start', 'end'],
  flow: ['take'],
  process: ['start', 'end'],
};
const TASK_EVENTS: ListenerEvent[] = ['create', 'complete'];

const JUEL = /^[$#]\{([\s\S]*)\}$/;
// `execution.setVariable('name', value)`: the only call a listener expression may make
const SET_VARIABLE = /^\s*(execution|task)\.setVariable\(\s*(['"])([A-Za-z_][\w]*)\2\s*,([\s\S]+)\)\s*$/;

/** The listeners of an element in document order (execution listeners first); every other form is reported. */
export function readListeners(element: ModdleElement, site: ListenerSite, ctx: ReadContext): Listener[] {
  const listeners: Listener[] = [];
  for (const listener of extensionsOf(element, 'camunda:ExecutionListener')) {
    const read = readOne(listener, 'executionListener', EXECUTION_EVENTS[site], site === 'flow' ? 'take' : null);
    if (typeof read === 'string') report(ctx, 'UNSUPPORTED_ELEMENT', element, read);
    else listeners.push(read);
  }
  for (const listener of extensionsOf(element, 'camunda:TaskListener')) {
    const read =
      site === 'userTask'
        ? readOne(listener, 'taskListener', TASK_EVENTS, null)
        : 'has a camunda:taskListener, which only user tasks may have';
    if (typeof read === 'string') report(ctx, 'UNSUPPORTED_ELEMENT', element, read);
    else listeners.push(read);
  }
  return listeners;
}

// helpers

/** One listener, or why it cannot run (a phrase that follows the element's description). */
function readOne(
  listener: ModdleElement,
  kind: 'executionListener' | 'taskListener',
  events: ListenerEvent[],
  fallback: ListenerEvent | null,
): Listener | string {
  const name = `camunda:${kind}`;
  const event = text(listener.event) ?? fallback;
  if (event === null) return `has a ${name} without an event; say which event it listens to (${events.join(', ')})`;
  if (!(events as string[]).includes(event))
    return `has a ${name} on the event '${event}'; not supported yet: svcflow runs ${kind === 'taskListener' ? 'task' : 'execution'} listeners here only on ${events.join(', ')}`;
  const body = bodyOf(listener, name);
  return typeof body === 'string' ? body : { event: event as ListenerEvent, ...body };
}

function bodyOf(listener: ModdleElement, name: string): Pick<Listener, 'expression' | 'variable' | 'source'> | string {
  if (attr(listener, 'class'))
    return `has a ${name} with camunda:class="${attr(listener, 'class')}"; Java listeners are not supported yet, use a FEEL script`;
  if (attr(listener, 'delegateExpression'))
    return `has a ${name} with delegateExpression="${attr(listener, 'delegateExpression')}"; Java listeners are not supported yet, use a FEEL script`;
  if ((listener.fields ?? []).length > 0)
    return `has a ${name} with field injections (camunda:field); not supported yet, use a FEEL script`;
  const expression = attr(listener, 'expression');
  if (expression) return expressionBody(expression, name, listener.$type === 'camunda:TaskListener');
  const script = listener.script as ModdleElement | undefined;
  if (script) return scriptBody(script, name);
  return `has a ${name} with neither a script nor an expression; give it a FEEL script`;
}

function expressionBody(
  expression: string,
  name: string,
  onTask: boolean,
): Pick<Listener, 'expression' | 'variable' | 'source'> | string {
  const refusal = `has a ${name} with expression="${expression}"; not supported yet: svcflow runs only ${
    onTask ? "${task.setVariable('name', value)} or " : ''
  }\${execution.setVariable('name', value)} with a JUEL value it can translate, or a FEEL script`;
  const body = JUEL.exec(expression.trim())?.[1];
  const call = body === undefined ? null : SET_VARIABLE.exec(body);
  if (!call || (call[1] === 'task' && !onTask)) return refusal;
  return { expression: `\${${call[4].trim()}}`, variable: call[3], source: expression.trim() };
}

function scriptBody(script: ModdleElement, name: string): Pick<Listener, 'expression' | 'variable'> | string {
  const format = text(script.scriptFormat) ?? '';
  if (!isFeelFormat(format))
    return `has a ${name} with a script in '${format || 'no format'}'; not supported yet: svcflow runs scripts only in FEEL (scriptFormat="feel")`;
  if (attr(script, 'resource'))
    return `has a ${name} with an external script resource ("${attr(script, 'resource')}"); not supported yet, write the FEEL script inline`;
  const body = text(script.value);
  if (!body) return `has a ${name} with an empty script`;
  return { expression: body.startsWith('=') ? body.slice(1).trim() : body, variable: null };
}
