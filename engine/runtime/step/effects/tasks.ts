/** User task rows: created open, cancelled when their element is left without completing them. */
import { newId } from '../../definitions.js';
import type { EffectHandlers } from './registry.js';
import { note, record, type StepScope } from './run.js';

export const taskHandlers: Pick<EffectHandlers, 'task.create' | 'task.cancel'> = {
  'task.create': async (run, { task: t }) => {
    const { scope } = run;
    const id = newId();
    await run.tx.tasks.insert({
      id,
      instanceId: scope.instanceId,
      definitionKey: scope.definitionKey,
      elementId: t.elementId,
      name: t.name,
      status: 'open',
      assignee: t.assignee,
      candidateUsers: t.candidateUsers,
      candidateGroups: t.candidateGroups,
      priority: t.priority,
      due: t.due,
      followUp: t.followUp,
      formKey: t.formKey,
      inputs: t.inputs,
      createdAt: scope.now,
      endedAt: null,
      completedBy: null,
      activationId: t.activationId ?? null,
    });
    note(run, 'task.created', {
      elementId: t.elementId,
      taskId: id,
      data: { assignee: t.assignee, candidateGroups: t.candidateGroups },
    });
  },
  'task.cancel': async (run, effect) => {
    const { scope, tx } = run;
    if (completes(scope, effect.elementId, effect.activationId)) return;
    const task = await tx.tasks.openByElement(scope.instanceId, effect.elementId, effect.activationId);
    if (!task) return;
    await tx.tasks.update(task.id, { status: 'cancelled', endedAt: scope.now });
    record(run, effect.elementId, 'userTask', 'task.cancelled', { taskId: task.id });
    note(run, 'task.cancelled', { elementId: effect.elementId, taskId: task.id });
  },
};

/** The step completes this element's task (this activation's) itself: its exit cancels nothing there. */
function completes(scope: StepScope, elementId: string, activationId: string | undefined): boolean {
  if (scope.event?.type !== 'task.completed' || scope.event.elementId !== elementId) return false;
  return (
    activationId === undefined || scope.event.activationId === undefined || scope.event.activationId === activationId
  );
}
