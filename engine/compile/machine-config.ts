/** The JSON shape of a compiled machine: an xstate v5 config with named, parameterised guards and actions. */
import type { ConditionalEvent } from './conditions.js';
import type {
  Assignment,
  BusinessKeyDeclaration,
  CalledElement,
  DecisionCall,
  Mapping,
  SignalPassing,
  SlaDeclaration,
  StarterDeclaration,
  TimerDefinition,
} from '../bpmn/model.js';
import type { IncidentCode } from './effects.js';
import type { ProcessMessages } from './messages.js';
import type { StartTrigger } from './signals.js';

export interface GuardConfig {
  type: string;
  params?: Record<string, unknown>;
}

export interface ActionConfig {
  type: string;
  params?: Record<string, unknown>;
}

export interface TransitionConfig {
  target?: string;
  guard?: GuardConfig;
  actions?: ActionConfig[];
  reenter?: boolean;
}

export interface StateConfig {
  id?: string;
  type?: 'parallel' | 'final';
  initial?: string;
  states?: Record<string, StateConfig>;
  entry?: ActionConfig[];
  exit?: ActionConfig[];
  on?: Record<string, TransitionConfig[]>;
  always?: TransitionConfig[];
  onDone?: TransitionConfig[];
}

/**
 * Which activation an effect belongs to: `owner`'s newest (default: the element's own; a boundary
 * event's effects belong to its activity's activation). Cancels go to every activation of the owner,
 * or with `only: 'event'` to the one the event names.
 */
export interface ActivationScope {
  owner?: string;
  only?: 'event';
}

/** What `svc.effect` actions carry: an effect with its expressions not yet evaluated. */
export type EffectSpec = ActivationScope &
  (
    | { kind: 'element.entered' | 'element.left'; elementId: string; elementType: string }
    | {
        kind: 'task.create';
        elementId: string;
        name: string | null;
        assignment: Assignment;
        formKey: string | null;
        inputs: Mapping[];
      }
    | {
        kind:
          | 'task.cancel'
          | 'job.cancel'
          | 'timer.cancel'
          | 'message.unsubscribe'
          | 'signal.unsubscribe'
          | 'incident.resolve'
          | 'sla.stop'
          | 'sla.cancel';
        elementId: string;
      }
    | {
        kind: 'job.create';
        elementId: string;
        jobType: string;
        retries: number;
        inputs: Mapping[] /** a message sent inside the engine */;
        message?: { name: string; correlationKey: string | null };
      }
    | { kind: 'job.fail'; elementId: string; jobType: string }
    | { kind: 'job.retry'; elementId: string }
    | { kind: 'timer.schedule'; elementId: string; timer: TimerDefinition }
    | { kind: 'message.subscribe'; elementId: string; messageName: string; correlationKey: string | null }
    | { kind: 'signal.subscribe'; elementId: string; signalName: string }
    | { kind: 'signal.throw'; elementId: string; signalName: string; inputs: Mapping[]; passed: SignalPassing | null }
    | { kind: 'sla.start'; elementId: string; sla: SlaDeclaration }
    | { kind: 'sla.pause' | 'sla.resume'; elementId: string; reason: string }
    | { kind: 'incident.raise'; elementId: string; code: IncidentCode; message: string; conditions?: string[] }
    | { kind: 'script.check'; elementId: string; expression: string }
    | { kind: 'decision.check'; elementId: string; call: DecisionCall }
    | { kind: 'instance.terminate'; elementId: string }
    | { kind: 'call.start'; elementId: string; call: CalledElement; inputs: Mapping[]; retry?: true }
    | { kind: 'call.cancel'; elementId: string }
    | { kind: 'call.incident'; elementId: string }
    | { kind: 'call.uncaught'; elementId: string; uncaught: 'error' | 'escalation' }
  );

/** A compiled definition: the machine config plus what the runtime needs to read snapshots. */
export interface CompiledProcess {
  processId: string;
  name: string | null;
  config: StateConfig;
  /** State key → BPMN element id, for the states that count as active elements while at rest. */
  activeStates: Record<string, string>;
  /** Sequence flow id → the join it enters: a token waiting there at rest makes the join an active element. */
  joinFlows?: Record<string, string>;
  /** BPMN element id → its type, for history and display. */
  elementTypes: Record<string, string>;
  /** BPMN element id → the id of the scope it sits in (the process or a sub-process). */
  elementScopes: Record<string, string>;
  /**
   * Compiler-made element id → the BPMN element it stands for (a multiple event's one-definition catches and
   * throws): their subscriptions, timers and signal subscriptions are keyed by the internal id, and what the
   * engine records and shows names the BPMN element.
   */
  elementOwners?: Record<string, string>;
  /** BPMN element id → its name, where it has one. */
  elementNames: Record<string, string>;
  /** BPMN element id → its `zeebe:taskHeaders`, for the elements that have any (a job's custom headers). */
  elementHeaders?: Record<string, Record<string, string>>;
  /** BPMN element id → its `camunda:properties`/`zeebe:properties`, for the elements that have any. */
  elementProperties?: Record<string, Record<string, string>>;
  /** Where the business key lives and how a missing one is generated. */
  businessKey: BusinessKeyDeclaration | null;
  /** Who may start instances; null: anyone allowed to start processes. */
  starters: StarterDeclaration | null;
  /** The form of the process's start event, shown when a person starts an instance. */
  startFormKey: string | null;
  /** Every form key its user tasks and start events name, sorted (bound to form versions at deploy). */
  formKeys?: string[];
  /** The form keys named with the `latest` binding: not bound at deploy, the latest version is shown. */
  latestFormKeys?: string[];
  /** The process's none start event, which a plain start enters; null when only messages, signals or instantiating elements start it. */
  noneStartEvent: string | null;
  /** Every SLA declared in the process (on the process itself, sub-processes and user tasks). */
  slas: Array<{ elementId: string; elementType: string; sla: SlaDeclaration }>;
  /** The start events of the process and their triggers: the runtime starts instances at message, signal and timer starts. */
  starts: StartTrigger[];
  /** What the process receives and what it sends inside the engine (checked at deploy). */
  messages: ProcessMessages;
  /** The decisions its business rule tasks evaluate: the runtime resolves them before each step. */
  decisions?: DecisionCall[];
  /** Call activity id → what it calls and passes: the runtime maps a completed child's variables with it. */
  calls?: Record<string, CalledElement>;
  /** Call activity id → its output mappings (Camunda 8 `zeebe:output`), applied to a completed child's variables. */
  callOutputs?: Record<string, Mapping[]>;
  /** Ad-hoc sub-processes: their inner elements, which the API may activate while the sub-process runs. */
  adHoc?: Record<string, string[]>;
  /** The process's version tag (Camunda 7 `camunda:versionTag`, Camunda 8 `zeebe:versionTag`), if any. */
  versionTag?: string | null;
  /** Its conditional events, which the machine door evaluates after every transition (conditions.ts). */
  conditionals?: ConditionalEvent[];
  /** User task id → its priority expression: an open task's priority follows the variables it reads. */
  taskPriorities?: Record<string, string>;
}
