/** Runtime errors: small classes with readonly context and a stable code; they know no HTTP. */

export abstract class EngineError extends Error {
  abstract readonly code: string;
  /** Extra fields for the problem document. */
  details(): Record<string, unknown> {
    return {};
  }
}

export class DefinitionNotFoundError extends EngineError {
  readonly code = 'DEFINITION_NOT_FOUND';
  constructor(readonly ref: string) {
    super(`no process definition '${ref}' is deployed`);
  }
}

/** A plain start needs a none start event; processes started by a message, a signal or an instantiating element have none. */
export class NoneStartEventMissingError extends EngineError {
  readonly code = 'NO_NONE_START_EVENT';
  constructor(readonly definitionId: string) {
    super(
      `process definition '${definitionId}' has no none start event, so it cannot be started directly; it starts by its message, signal or timer start event: publish the message (POST /api/messages) or broadcast the signal (POST /api/signals)`,
    );
  }
}

/** A start naming a start event the process does not have at its top level. */
export class StartEventUnknownError extends EngineError {
  readonly code = 'START_EVENT_UNKNOWN';
  constructor(
    readonly startEvents: string[],
    readonly startEventId: string,
    readonly definitionId: string,
  ) {
    super(
      `process definition '${definitionId}' has no start event '${startEventId}' at its top level; its start events are ${
        startEvents.length > 0 ? startEvents.map((id) => `'${id}'`).join(', ') : 'none'
      }`,
    );
  }

  override details(): Record<string, unknown> {
    return { elementId: this.startEventId, startEvents: this.startEvents };
  }
}

export class InstanceNotFoundError extends EngineError {
  readonly code = 'INSTANCE_NOT_FOUND';
  constructor(readonly instanceId: string) {
    super(`process instance '${instanceId}' does not exist`);
  }
}

export class InstanceNotActiveError extends EngineError {
  readonly code = 'INSTANCE_NOT_ACTIVE';
  constructor(
    readonly instanceId: string,
    readonly status: string,
  ) {
    super(`process instance '${instanceId}' is ${status}; it can no longer change`);
  }
}

/** A command that would move a suspended instance on (Camunda 7: "... is suspended"); its cancellation still runs. */
export class InstanceSuspendedError extends EngineError {
  readonly code = 'INSTANCE_SUSPENDED';
  constructor(readonly instanceId: string) {
    super(`process instance '${instanceId}' is suspended; activate it first`);
  }
}

/** An activation of elements that are not inner elements of one running ad-hoc sub-process of the instance. */
export class NotActivatableError extends EngineError {
  readonly code = 'ELEMENT_NOT_ACTIVATABLE';
  constructor(
    readonly elementIds: string[],
    readonly instanceId: string,
    readonly reason: string,
  ) {
    super(
      `cannot activate ${elementIds.map((id) => `'${id}'`).join(', ')} in process instance '${instanceId}': ${reason}`,
    );
  }

  override details(): Record<string, unknown> {
    return { elementIds: this.elementIds };
  }
}

export class TaskNotFoundError extends EngineError {
  readonly code = 'TASK_NOT_FOUND';
  constructor(readonly taskId: string) {
    super(`task '${taskId}' does not exist`);
  }
}

export class TaskNotOpenError extends EngineError {
  readonly code = 'TASK_NOT_OPEN';
  constructor(
    readonly taskId: string,
    readonly status: string,
  ) {
    super(`task '${taskId}' is ${status}; only open tasks can be claimed or completed`);
  }
}

export class TaskClaimedError extends EngineError {
  readonly code = 'TASK_ALREADY_CLAIMED';
  constructor(
    readonly taskId: string,
    readonly assignee: string,
  ) {
    super(`task '${taskId}' is already claimed by '${assignee}'`);
  }
}

export class JobNotFoundError extends EngineError {
  readonly code = 'JOB_NOT_FOUND';
  constructor(readonly jobId: string) {
    super(`job '${jobId}' does not exist`);
  }
}

export class JobNotLockedError extends EngineError {
  readonly code = 'JOB_NOT_LOCKED';
  constructor(
    readonly jobId: string,
    readonly workerId: string,
  ) {
    super(`job '${jobId}' is not locked by worker '${workerId}' (it may have expired, completed or been cancelled)`);
  }
}

export class JobLockedError extends EngineError {
  readonly code = 'JOB_LOCKED';
  constructor(
    readonly jobId: string,
    readonly workerId: string,
  ) {
    super(`job '${jobId}' is locked by worker '${workerId}'; wait for its lock to end or ask that worker to unlock it`);
  }
}

export class JobNotActiveError extends EngineError {
  readonly code = 'JOB_NOT_ACTIVE';
  constructor(
    readonly jobId: string,
    readonly status: string,
  ) {
    super(`job '${jobId}' is ${status}; only a pending or locked job can be locked or unlocked`);
  }
}

/** Camunda 7: a correlation that is not `all` must match exactly one waiting execution. */
export class MessageAmbiguousError extends EngineError {
  readonly code = 'MESSAGE_AMBIGUOUS';
  constructor(
    readonly messageName: string,
    readonly matches: number,
    readonly selection: string,
  ) {
    super(
      `Cannot correlate a message with name '${messageName}' to a single execution. ${matches} executions match the correlation keys: CorrelationSet [${selection}]`,
    );
  }
  details() {
    return { messageName: this.messageName, matches: this.matches };
  }
}

export class MessageNotCorrelatedError extends EngineError {
  readonly code = 'MESSAGE_NOT_CORRELATED';
  constructor(
    readonly messageName: string,
    readonly correlationKey: string | null,
  ) {
    super(
      `no process instance is waiting for message '${messageName}'${correlationKey === null ? '' : ` with correlation key '${correlationKey}'`}`,
    );
  }
  details() {
    return { messageName: this.messageName, correlationKey: this.correlationKey };
  }
}

export class IncidentNotFoundError extends EngineError {
  readonly code = 'INCIDENT_NOT_FOUND';
  constructor(readonly incidentId: string) {
    super(`incident '${incidentId}' does not exist or is already resolved`);
  }
}

export class InvalidVariablesError extends EngineError {
  readonly code = 'INVALID_VARIABLES';
  constructor(readonly problems: Array<{ name: string; message: string }>) {
    super(`variables are not valid: ${problems.map((p) => `${p.name}: ${p.message}`).join('; ')}`);
  }
  details() {
    return { fields: this.problems };
  }
}

/** The caller may not see or do this; the message says why. */
export class ForbiddenError extends EngineError {
  readonly code = 'FORBIDDEN';
}

/** The task cannot be given to this user: disabled, or neither a candidate user nor in a candidate group. */
export class AssigneeNotCandidateError extends EngineError {
  readonly code = 'ASSIGNEE_NOT_CANDIDATE';
  constructor(
    readonly taskId: string,
    readonly assignee: string,
    reason: string,
  ) {
    super(reason);
  }
}

/** The task changed between reading and writing it (a concurrent claim or unclaim); retry. */
export class TaskChangedError extends EngineError {
  readonly code = 'VERSION_CONFLICT';
  constructor(readonly taskId: string) {
    super(`task '${taskId}' was changed by someone else at the same moment; read it again and retry`);
  }
}

export class DeploymentNotFoundError extends EngineError {
  readonly code = 'DEPLOYMENT_NOT_FOUND';
  constructor(readonly deploymentId: string) {
    super(`no deployment '${deploymentId}' exists`);
  }
}

/** Camunda 7: a deployment whose versions have running instances is deleted only with `cascade`. */
export class DeploymentInUseError extends EngineError {
  readonly code = 'DEPLOYMENT_IN_USE';
  constructor(
    readonly deploymentId: string,
    readonly running: number,
  ) {
    super(
      `Deletion of deployment '${deploymentId}' without cascading failed: ${running} running process instance(s) use its process definitions; delete with cascade=true to cancel them first`,
    );
  }
  details() {
    return { deploymentId: this.deploymentId, running: this.running };
  }
}

/** A version whose deployment was deleted is not started any more. */
export class DefinitionDeletedError extends EngineError {
  readonly code = 'DEFINITION_DELETED';
  constructor(readonly definitionId: string) {
    super(
      `process definition '${definitionId}' was deleted with its deployment; start the latest version of its key instead`,
    );
  }
}

/** A called instance ends with its call activity: cancelling it alone would leave its parent waiting for ever. */
export class CalledInstanceCancelError extends EngineError {
  readonly code = 'INSTANCE_IS_CALLED';
  constructor(
    readonly instanceId: string,
    readonly parentInstanceId: string,
  ) {
    super(
      `process instance '${instanceId}' was started by a call activity of instance '${parentInstanceId}'; cancel that instance (or interrupt its call activity) instead`,
    );
  }

  override details(): Record<string, unknown> {
    return { parentInstanceId: this.parentInstanceId };
  }
}

/**
 * A Camunda 7 listener failed in a step that is refused whole rather than made an incident: a task's
 * completion (Camunda rolls the complete call back; the task stays open) or an instance's start.
 */
export class ListenerFailedError extends EngineError {
  readonly code = 'LISTENER_FAILED';
  constructor(
    readonly elementId: string,
    readonly expression: string,
    reason: string,
  ) {
    super(`${reason}; nothing was applied`);
  }
  override details(): Record<string, unknown> {
    return { elementId: this.elementId, expression: this.expression };
  }
}
