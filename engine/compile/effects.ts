/**
 * The contract between the compiled machine (pure core) and the runtime (shell):
 * the effects a step asks for, and the events a machine accepts.
 */
import type { CalledElement, SlaDeclaration, TimerDefinition } from '../bpmn/model.js';
import type { Marking } from './marking.js';
import type { LoopState } from './multi-instance.js';
import type { CompensationBook } from './compensation.js';

export interface TaskSpec {
  elementId: string;
  name: string | null;
  assignee: string | null;
  candidateUsers: string[];
  candidateGroups: string[];
  priority: number;
  /** ISO instant, or null. */
  due: string | null;
  followUp: string | null;
  formKey: string | null;
  /** Values of the input mappings, shown to the person working the task. */
  inputs: Record<string, unknown>;
  /** The activation of the element this task belongs to (one per token or multi-instance iteration). */
  activationId?: string;
}

export type Effect =
  | { type: 'task.create'; task: TaskSpec }
  | { type: 'task.cancel'; elementId: string; activationId?: string }
  | {
      type: 'timer.schedule';
      elementId: string;
      timer: TimerDefinition;
      due: string;
      repeat: TimerRepeat | null;
      activationId?: string;
    }
  | { type: 'timer.cancel'; elementId: string; activationId?: string }
  | {
      type: 'message.subscribe';
      elementId: string;
      messageName: string;
      correlationKey: string | null;
      activationId?: string;
    }
  | { type: 'message.unsubscribe'; elementId: string; activationId?: string }
  | { type: 'signal.subscribe'; elementId: string; signalName: string; activationId?: string }
  | { type: 'signal.unsubscribe'; elementId: string; activationId?: string }
  /** Broadcasts a signal to every subscriber of every definition, with the variables the thrower passes. */
  | { type: 'signal.throw'; elementId: string; signalName: string; variables: Record<string, unknown> }
  | {
      type: 'job.create';
      elementId: string;
      jobType: string;
      retries: number;
      inputs: Record<string, unknown>;
      activationId?: string;
    }
  | { type: 'job.cancel'; elementId: string; activationId?: string }
  /** The element's job runs again from `due` with `retries` (its error message kept when given). */
  | { type: 'job.retry'; elementId: string; retries: number; due: string; errorMessage?: string; activationId?: string }
  /** The element's job has failed for good. */
  | { type: 'job.fail'; elementId: string; errorMessage: string; activationId?: string }
  | { type: 'sla.start'; elementId: string; sla: SlaDeclaration; target: string }
  | { type: 'sla.stop'; elementId: string }
  | { type: 'sla.cancel'; elementId: string }
  | { type: 'sla.pause'; elementId: string; reason: string }
  | { type: 'sla.resume'; elementId: string; reason: string }
  | { type: 'element.entered'; elementId: string; elementType: string }
  | { type: 'element.left'; elementId: string; elementType: string }
  | { type: 'incident.raise'; elementId: string; code: IncidentCode; message: string }
  | { type: 'incident.resolve'; elementId: string }
  /** Starts the called process as a child instance (engine/runtime/calls), with what the call passes in. */
  | {
      type: 'call.start';
      elementId: string;
      activationId?: string;
      processId: string;
      binding: CalledElement['binding'];
      version: number | null;
      versionTag: string | null;
      variables: Record<string, unknown>;
      businessKey: string | null;
    }
  /** Cancels the child instance(s) the call activity started, and their descendants, in the same transaction. */
  | { type: 'call.cancel'; elementId: string; activationId?: string }
  /** A BPMN error or escalation nobody in this instance caught: a called instance hands it to its call activity. */
  | {
      type: 'call.uncaught';
      elementId: string;
      kind: 'error' | 'escalation';
      code: string;
      message?: string;
      variables?: Record<string, unknown>;
    }
  | { type: 'instance.complete' }
  | { type: 'instance.terminate'; elementId: string };

export type EffectType = Effect['type'];
export type EffectOf<T extends EffectType> = Extract<Effect, { type: T }>;

/** Remaining repetitions of a cycle timer (null = unbounded) and its interval. */
export interface TimerRepeat {
  remaining: number | null;
  interval: string;
}

export type IncidentCode =
  | 'CONDITION_FAILED'
  | 'NO_MATCHING_FLOW'
  | 'EXPRESSION_FAILED'
  | 'UNHANDLED_ERROR'
  | 'JOB_FAILED'
  | 'STEP_FAILED'
  | 'DECISION_NOT_FOUND'
  | 'DECISION_FAILED'
  | 'CALLED_PROCESS_NOT_FOUND'
  /** A called instance (or one below it) has an open incident; raised and resolved by the runtime, never retried here. */
  | 'CALLED_INSTANCE_INCIDENT';

/** Events a compiled machine accepts (dotted past tense). */
export type EngineEvent =
  | {
      type: 'task.completed';
      elementId: string;
      activationId?: string;
      variables?: Record<string, unknown>;
      by?: string | null;
    }
  | {
      type: 'job.completed';
      elementId: string;
      activationId?: string;
      variables?: Record<string, unknown> /** Camunda 7 local variables: seen only by output mappings. */;
      localVariables?: Record<string, unknown>;
    }
  /** A worker's failure report; `retries` is what the job has left after it. */
  | {
      type: 'job.failed';
      elementId: string;
      activationId?: string;
      message: string;
      retries: number;
      retryBackoffMs: number;
    }
  | { type: 'timer.fired'; elementId: string; activationId?: string }
  | {
      type: 'message.received';
      elementId: string;
      activationId?: string;
      variables?: Record<string, unknown> /** Camunda 7 processVariablesLocal: seen only by output mappings. */;
      localVariables?: Record<string, unknown>;
    }
  | { type: 'signal.received'; elementId: string; activationId?: string; variables?: Record<string, unknown> }
  /** A conditional event's condition turned true (sent by the machine door after a step, engine/compile/conditions.ts). */
  | { type: 'condition.changed'; elementId: string }
  | {
      type: 'error.thrown';
      elementId: string;
      activationId?: string;
      errorCode: string;
      message?: string;
      variables?: Record<string, unknown>;
    }
  | {
      type: 'escalation.thrown';
      elementId: string;
      escalationCode: string /** 'sla': only the element's own boundaries catch it. */;
      source?: 'sla';
    }
  | {
      type: 'incident.retry';
      elementId: string;
      variables?: Record<string, unknown> /** for a job's incident: the retries it gets back (at least 1) */;
      retries?: number;
    }
  /** The called instance completed: `variables` are what the call activity's out rules pass back. */
  | { type: 'call.completed'; elementId: string; activationId?: string; variables?: Record<string, unknown> }
  /** The call could not start (no such process) or its results could not be mapped: an incident at the element. */
  | { type: 'call.failed'; elementId: string; activationId?: string; code: IncidentCode; message: string }
  /**
   * Whether the instances a call activity started have open incidents (the runtime keeps their incident
   * rows): the instance is in `incident` while any call activity says so. Nothing else happens.
   */
  | { type: 'call.incident'; elementId: string; open: boolean }
  /** Process variables written from outside at a waiting element (a task's variables): set, then deletions removed. */
  | { type: 'variables.set'; elementId: string; variables: Record<string, unknown>; deletions?: string[] }
  /** Inner elements of the ad-hoc sub-process `elementId` to run now (each once more when already running). */
  | { type: 'adhoc.activate'; elementId: string; elements: string[] }
  | { type: 'instance.cancel' };

export type EngineEventType = EngineEvent['type'];

/** The machine's context: process variables and per-element local values. */
export interface InstanceContext {
  variables: Record<string, unknown>;
  /** Input-mapping values of active elements, by element id. */
  locals: Record<string, Record<string, unknown>>;
  /** Non-interrupting boundary firings waiting for their busy path, by boundary id. */
  pending?: Record<string, number>;
  /** Open incidents, by element id: the instance is in `incident` while any is open. */
  incidents?: Record<string, IncidentCode>;
  /** The start event the instance was started at (message, signal or timer start); absent: the none start event. */
  startEvent?: string;
  /** Tokens of the scopes compiled as token regions, by scope id. */
  marking?: Marking;
  /** Running activations of wait states, by element id, oldest first (engine/compile/activations.ts). */
  activations?: Record<string, string[]>;
  /** The last activation id handed out in this instance. */
  seq?: number;
  /** Multi-instance bodies running, by element id (engine/compile/multi-instance.ts). */
  loops?: Record<string, LoopState>;
  /** Loop variables of multi-instance activations (item, loopCounter), by activation id. */
  loopVars?: Record<string, Record<string, unknown>>;
  /** Completed activities that may be compensated, and the handlers queued (engine/compile/compensation.ts). */
  compensation?: CompensationBook;
  /** Loop variables of the running instance of each multi-instance sub-process, outermost first: what its inside sees. */
  scopeVars?: Record<string, Record<string, unknown>>;
  /** Activations of multi-instance call activities whose child could not start, by element id (a retry starts them again). */
  callFailures?: Record<string, string[]>;
  /** Parallel multiple boundary events: the triggers that occurred while their activity runs, by event id. */
  allOf?: Record<string, string[]>;
  /** Armed conditional events: the condition's last value and the watched variables then (conditions.ts). */
  conditions?: Record<string, ConditionWatch>;
  /** Steps a listener failed, by the element of their incident: the event a retry replays (process-machine.ts). */
  stalled?: Record<string, Record<string, unknown>>;
}

export interface ConditionWatch {
  value: boolean;
  /** The watched variables' JSON when last evaluated; absent: not set. */
  seen: Record<string, string>;
}
