/**
 * BPMN 2.0 §10.2.5: an event sub-process has no incoming or outgoing sequence flows and no boundary events, and
 * starts by exactly one start event with a trigger; an error start event always interrupts.
 */
import { problemAbout } from './describe.js';
import type { FlowNode, ProcessModel } from './model.js';
import type { Problem } from './problems.js';

const SPEC = '(BPMN 2.0 §10.2.5)';

/** The problems of every event sub-process of the process. */
export function checkEventSubProcesses(process: ProcessModel): Problem[] {
  return Object.values(process.nodes)
    .filter((node) => node.type === 'subProcess' && node.triggeredByEvent)
    .flatMap((esp) => checkOne(esp, process));
}

function checkOne(esp: FlowNode, process: ProcessModel): Problem[] {
  const problems: Problem[] = [];
  if (esp.incoming.length > 0 || esp.outgoing.length > 0)
    problems.push(
      problemAbout(
        'FLOW_INVALID',
        esp,
        `has sequence flows, and the model is invalid because an event sub-process is started only by its start event's trigger ${SPEC}; remove the flows`,
      ),
    );
  if (esp.boundaryEvents.length > 0)
    problems.push(
      problemAbout(
        'BOUNDARY_INVALID',
        esp,
        `has boundary events, and the model is invalid because an event sub-process cannot have any ${SPEC}; model the event as another event sub-process`,
      ),
    );
  const starts = Object.values(process.nodes).filter((n) => n.type === 'startEvent' && n.scopeId === esp.id);
  if (starts.length !== 1) {
    problems.push(
      problemAbout(
        'START_EVENT_INVALID',
        esp,
        `has ${starts.length} start events, and the model is invalid because an event sub-process has exactly one, with a trigger ${SPEC}`,
      ),
    );
    return problems;
  }
  const start = starts[0];
  const kind = start.event?.kind ?? 'none';
  if (kind === 'none')
    problems.push(
      problemAbout(
        'START_EVENT_INVALID',
        start,
        `has no trigger, and the model is invalid because the start event of an event sub-process needs one ${SPEC}; add a timer, message, signal, error or escalation definition`,
      ),
    );
  if (kind === 'error' && !start.cancelActivity)
    problems.push(
      problemAbout(
        'START_EVENT_INVALID',
        start,
        `is non-interrupting, and the model is invalid because an error start event always interrupts ${SPEC}; set isInterrupting="true"`,
      ),
    );
  return problems;
}

/** A conditional event needs a condition (BPMN 2.0 §10.5.4, table 10.97). */
export function checkConditionalEvents(process: ProcessModel): Problem[] {
  return Object.values(process.nodes)
    .filter((node) => node.event?.kind === 'conditional' && node.event.condition.trim() === '')
    .map((node) =>
      problemAbout(
        'EVENT_DEFINITION_INVALID',
        node,
        'has no condition, and the model is invalid because a conditional event definition needs one (BPMN 2.0 §10.5.4); write the condition',
      ),
    );
}
