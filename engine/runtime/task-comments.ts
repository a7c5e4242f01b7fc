/**
 * Comments on tasks (Camunda 7's task comments): kept in the instance's history as `task.commented`, so
 * the audit trail shows them in order with everything else; a comment changes no state of the instance.
 */
import type { HistoryRow, Store, TaskRow } from '../store/index.js';
import type { Clock } from './clock.js';
import { TaskNotFoundError } from './errors.js';
import { newId } from './definitions.js';

export interface TaskComment {
  id: string;
  taskId: string;
  instanceId: string;
  userId: string | null;
  time: string;
  message: string;
}

const MAX_MESSAGE = 4000;

export class TaskComments {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /** Adds a comment to a task (open or ended) under the caller's name. */
  async add(task: TaskRow, message: string, by: string | null): Promise<TaskComment> {
    const comment: TaskComment = {
      id: newId(),
      taskId: task.id,
      instanceId: task.instanceId,
      userId: by,
      time: this.clock.now().toISOString(),
      message: message.slice(0, MAX_MESSAGE),
    };
    await this.store.history.append([
      {
        instanceId: task.instanceId,
        elementId: task.elementId,
        elementType: 'userTask',
        event: 'task.commented',
        at: comment.time,
        by,
        details: { commentId: comment.id, taskId: task.id, message: comment.message },
      },
    ]);
    return comment;
  }

  /** A task's comments, oldest first. */
  async list(task: TaskRow): Promise<TaskComment[]> {
    return (await this.store.history.list(task.instanceId))
      .filter((row) => row.event === 'task.commented' && row.details?.taskId === task.id)
      .map(toComment);
  }

  async get(task: TaskRow, commentId: string): Promise<TaskComment> {
    const found = (await this.list(task)).find((c) => c.id === commentId);
    if (!found) throw new TaskNotFoundError(`${task.id}/comment/${commentId}`);
    return found;
  }
}

function toComment(row: HistoryRow): TaskComment {
  const details = row.details as { commentId: string; taskId: string; message: string };
  return {
    id: details.commentId,
    taskId: details.taskId,
    instanceId: row.instanceId,
    userId: row.by,
    time: row.at,
    message: details.message,
  };
}
