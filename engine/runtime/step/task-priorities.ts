/**
 * A user task whose priority is an expression keeps it current while it is open: after a step of a running
 * instance the expression is evaluated again in the task's own scope (the variables overlaid with its activation's
 * locals, as when it was created), and a changed value is written to the task. So a case made urgent mid-way (a
 * declared major incident, a re-classification) shows its open work as urgent at once, as its SLA rows do.
 * The open tasks are read only when the expression of an active element gives another value than before the
 * step, so a step that changes nothing the priorities read costs no query (and keeps PostgreSQL's held writes).
 */
import { toPriority } from '../../compile/index.js';
import { resolveValue } from '../../expr/index.js';
import type { HistoryRow, InstanceRow, TaskRow } from '../../store/index.js';
import type { StepRun } from './effects/run.js';

/** Open tasks one instance may hold at once, read per step; more than any real case has. */
const OPEN_TASKS = 500;

/** The engine's settled hook: re-evaluates the priority of the instance's open tasks that have an expression. */
export async function followTaskPriorities(run: StepRun, instance: InstanceRow): Promise<void> {
  if (instance.status === 'completed' || instance.status === 'terminated') return;
  const expressions = run.definition.compiled.taskPriorities ?? {};
  if (!instance.activeElements.some((id) => id in expressions && movedBy(run, instance, id, expressions[id]))) return;
  const open = await run.tx.tasks.list({ instanceId: instance.id, status: 'open', limit: OPEN_TASKS });
  const changes: HistoryRow[] = [];
  for (const task of open.items) {
    const expression = expressions[task.elementId];
    if (!expression) continue;
    const priority = evaluated(run, instance, task, expression);
    if (priority === null || priority === task.priority) continue;
    await run.tx.tasks.update(task.id, { priority });
    changes.push({
      instanceId: instance.id,
      elementId: task.elementId,
      elementType: 'userTask',
      event: 'task.priority-changed',
      at: run.scope.now,
      by: run.scope.by,
      details: { taskId: task.id, from: task.priority, to: priority },
    });
  }
  // the step's own history is written before its settled hooks run
  if (changes.length > 0) await run.tx.history.append(changes);
}

/** Whether the step changed what an element's priority expression gives over the process variables. */
function movedBy(run: StepRun, instance: InstanceRow, elementId: string, expression: string): boolean {
  if (run.previousSnapshot === null) return false;
  const { machine } = run.definition;
  const before = resolveValue(expression, machine.scopeAt(run.previousSnapshot, elementId));
  const after = resolveValue(expression, machine.scopeAt(instance.snapshot, elementId));
  return before.error !== after.error || toPriority(before.value) !== toPriority(after.value);
}

/** The expression's priority in the task's scope; null when it cannot be evaluated now (the task keeps its own). */
function evaluated(run: StepRun, instance: InstanceRow, task: TaskRow, expression: string): number | null {
  const scope = run.definition.machine.scopeAt(instance.snapshot, task.elementId, task.activationId ?? undefined);
  const result = resolveValue(expression, scope);
  return result.error ? null : toPriority(result.value);
}
