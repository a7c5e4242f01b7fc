/**
 * Literal timer cycles are read at deploy the way the runtime reads them when it arms the timer, so a cycle that
 * is neither an ISO 8601 repeating interval nor a cron expression is refused naming its element instead of
 * becoming an incident the first time a case reaches it. (Expressions are evaluated when the timer is armed.)
 */
import type { ProcessModel } from '../bpmn/model.js';
import { problem, type Problem } from '../bpmn/problems.js';
import { computeTimer, isExpression } from '../expr/index.js';
import { bpmnType, describeNode } from './names.js';

// only the value's shape is judged, so any fixed instant does
const SHAPE_CHECK_INSTANT = '2000-01-03T00:00:00.000Z';

export function invalidCycles(model: ProcessModel): Problem[] {
  return Object.values(model.nodes).flatMap((node) => {
    const timer = node.event?.kind === 'timer' ? node.event.timer : null;
    const value = timer?.value.trim() ?? '';
    if (!timer || timer.type !== 'cycle' || value === '' || isExpression(value)) return [];
    const outcome = computeTimer(timer, {}, SHAPE_CHECK_INSTANT);
    if (!('error' in outcome)) return [];
    return [
      problem(
        'TIMER_INVALID',
        node.id,
        bpmnType(node),
        `${describeNode(node)} has the timer cycle "${value}", which is neither an ISO 8601 repeating interval (e.g. R3/PT1H) nor a cron expression (e.g. 0 0 9 * * ?): ${outcome.error}`,
      ),
    ];
  });
}
