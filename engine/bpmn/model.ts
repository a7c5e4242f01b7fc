/**
 * The ProcessModel: a typed, moddle-free picture of one executable BPMN process.
 * engine/bpmn produces it; engine/compile consumes it. Plain JSON-able data.
 */

export type NodeType =
  | 'startEvent'
  | 'endEvent'
  | 'intermediateCatchEvent'
  | 'intermediateThrowEvent'
  | 'boundaryEvent'
  | 'task'
  | 'userTask'
  | 'manualTask'
  | 'serviceTask'
  | 'sendTask'
  | 'receiveTask'
  | 'scriptTask'
  | 'businessRuleTask'
  | 'exclusiveGateway'
  | 'parallelGateway'
  | 'inclusiveGateway'
  | 'complexGateway'
  | 'eventBasedGateway'
  | 'subProcess'
  | 'callActivity';

/** The event definition an event carries; `none` when it has none. */
export type EventDefinition =
  | { kind: 'none' }
  | { kind: 'terminate' }
  | { kind: 'timer'; timer: TimerDefinition }
  | { kind: 'message'; messageName: string; correlationKey: string | null }
  | { kind: 'error'; errorCode: string | null }
  | { kind: 'escalation'; escalationCode: string | null }
  /**
   * A broadcast signal, caught (start, intermediate, boundary) or thrown (intermediate, end). `passed` is what
   * a throw sends besides its input mappings: Camunda 7 `camunda:in` on the definition (`all` = every variable).
   */
  | { kind: 'signal'; signalName: string; passed?: SignalPassing }
  /**
   * A condition (FEEL, or a Camunda 7 `${…}` expression, without a leading '=') that fires the event when it
   * turns true; `variableName` (Camunda 7) restricts that to changes of these variables, `variableEvents` to
   * these kinds of change (create, update, delete).
   */
  | { kind: 'conditional'; condition: string; variableNames: string[]; variableEvents: string[] }
  /** A link throw continues at the link catch of the same name in its scope (a synthetic flow joins them). */
  | { kind: 'link'; linkName: string }
  /**
   * A compensation throw (intermediate or end) compensates the completed activities of its scope, or only
   * `activityRef`; a compensation boundary event names its handler (`isForCompensation`, by association).
   */
  | { kind: 'compensation'; activityRef: string | null; waitForCompletion: boolean; handler?: string | null }
  /** A cancel end event inside a transaction, or the cancel boundary event of a transaction. */
  | { kind: 'cancel' };

/** Camunda 7 `camunda:in` on a signal throw: every variable, and/or single variables (source → target). */
export interface SignalPassing {
  all: boolean;
  mappings: Mapping[];
}

/** A timer: value is an ISO 8601 literal or a FEEL expression starting with '='. */
export interface TimerDefinition {
  type: 'duration' | 'date' | 'cycle';
  value: string;
  /** Set when the definition holds more than one of timeDate, timeDuration and timeCycle: refused at deploy. */
  several?: Array<'date' | 'duration' | 'cycle'>;
}

/** One variable mapping: `target` receives the value of the FEEL expression `source`. */
export interface Mapping {
  source: string;
  target: string;
}

export interface Assignment {
  /** A literal user id or a FEEL expression starting with '='. */
  assignee: string | null;
  candidateUsers: string[];
  candidateGroups: string[];
  /** A literal or a FEEL expression starting with '='. */
  priority: string | null;
  /** ISO date or duration, or a FEEL expression starting with '='. */
  dueDate: string | null;
  followUpDate: string | null;
}

/** An SLA declared with `svc:sla` on a user task, sub-process or process. */
export interface SlaDeclaration {
  /** ISO 8601 duration or a FEEL expression starting with '=' evaluating to one. */
  target: string;
  /** Fractions of the target at which a warning fires, ascending, each in (0, 1). */
  warnAt: number[];
  /** Business calendar id; null means the default calendar. */
  calendar: string | null;
  /** Element ids (or named states) during which the clock is paused. */
  pauseWhile: string[];
  /** Escalation codes thrown at the element on warning and breach. */
  warningCode: string;
  breachCode: string;
}

/** The DMN decision a business rule task evaluates, and where its result goes. */
export interface DecisionCall {
  /** The decision id (its key among deployed decisions). */
  decisionId: string;
  binding: 'latest' | 'version' | 'versionTag';
  version: number | null;
  versionTag: string | null;
  resultVariable: string | null;
  /** Camunda 7 `mapDecisionResult` of the result list; null: the DMN value itself (Camunda 8). */
  mapping: 'singleEntry' | 'singleResult' | 'collectEntries' | 'resultList' | null;
}

/**
 * What a call activity calls and what it passes (engine/bpmn/read-call.ts). `flavour` says whose rules the
 * variables follow: Camunda 7 passes only what `camunda:in`/`camunda:out` name; Camunda 8 passes every
 * variable both ways unless `propagateAllParentVariables`/`propagateAllChildVariables` say false.
 */
export interface CalledElement {
  flavour: 'camunda7' | 'camunda8';
  /** The called process key, or a FEEL expression starting with '=' (Camunda 8). */
  processId: string;
  binding: 'latest' | 'deployment' | 'version' | 'versionTag';
  version: number | null;
  versionTag: string | null;
  /** Camunda 7 `camunda:in`: every variable (`variables="all"`), single ones, the business key (an expression). */
  ins: CallBinding[];
  /** Camunda 7 `camunda:out`, evaluated over the child's variables. */
  outs: CallBinding[];
  /** Camunda 7 `camunda:in businessKey`: a FEEL/JUEL expression or literal; null: the child gets none. */
  businessKey: string | null;
  /** Camunda 8: every parent variable goes in (default true); else only the input mappings. */
  propagateAllParentVariables: boolean;
  /** Camunda 8: every child variable comes out (default true); else only the output mappings. */
  propagateAllChildVariables: boolean;
}

/** One `camunda:in`/`camunda:out`: `all` (variables="all"), or `target` ← a variable (`source`) or an expression. */
export interface CallBinding {
  all: boolean;
  /** A variable name (`source`), or null when `expression` is given. */
  source: string | null;
  /** `sourceExpression`, as written (JUEL `${…}` or FEEL). */
  expression: string | null;
  target: string | null;
  /** `local="true"`: only the call activity's own (input-mapped) variables. */
  local: boolean;
}

/** Multi-instance characteristics (BPMN multiInstanceLoopCharacteristics); expressions are FEEL or Camunda 7 `${…}` as written. */
export interface MultiInstance {
  sequential: boolean;
  /** loopCardinality: how many instances, when no collection is given. */
  cardinality: string | null;
  /** The input collection (camunda:collection, zeebe inputCollection): one instance per item. */
  collection: string | null;
  /** The local variable each instance holds its item in (camunda:elementVariable, zeebe inputElement). */
  elementVariable: string | null;
  /** Ends the activity early, cancelling the instances still running. */
  completionCondition: string | null;
  /** Camunda 8: the variable that receives each instance's `outputElement`, in input order. */
  outputCollection: string | null;
  outputElement: string | null;
  /** A standard loop (bpmn:standardLoopCharacteristics): runs again while `condition` holds, sequentially. */
  standard?: StandardLoop;
}

export interface StandardLoop {
  /** loopCondition: the activity runs again while it holds; null: until loopMaximum. */
  condition: string | null;
  /** Evaluate the condition before each run (while) instead of after it (do-while). */
  testBefore: boolean;
  /** At most this many runs; null: no limit. */
  maximum: number | null;
}

/**
 * A Camunda 7 listener svcflow runs (engine/bpmn/read-listeners.ts): at `event`, `expression` is evaluated over
 * the element's variables. `variable` set: a translated `execution.setVariable('variable', …)` whose value is the
 * expression (JUEL `${…}`, kept as written). `variable` null: a FEEL script whose result, when it is a context,
 * sets each of its entries as a process variable (any other result is discarded, as Camunda discards a script
 * listener's return value).
 */
export interface Listener {
  event: ListenerEvent;
  expression: string;
  variable: string | null;
  /** The listener's `expression` attribute as written (an incident names it); absent for a script. */
  source?: string;
}

/** Execution listener events (start, end; take on flows) and the task listener events svcflow runs. */
export type ListenerEvent = 'start' | 'end' | 'take' | 'create' | 'complete';

export interface FlowNode {
  id: string;
  type: NodeType;
  name: string | null;
  /** The id of the enclosing scope: the process id or a sub-process id. */
  scopeId: string;
  incoming: string[];
  outgoing: string[];
  /** The flow taken when no condition matches (exclusive and inclusive gateways). */
  defaultFlow: string | null;
  event: EventDefinition | null;
  /**
   * Complex gateways: the FEEL (or Camunda 7 `${…}`) condition, without a leading '=', that activates the gateway
   * once enough of its incoming flows hold a token; it sees `activationCount` (incoming flows holding a token) and
   * `activationCounts` (tokens per incoming flow id). Null: the gateway has no condition (allowed with one incoming flow).
   */
  activationCondition?: string | null;
  /** Ad-hoc sub-processes only: which inner elements run, and when it is done. */
  adHoc?: AdHocSpec;
  /**
   * A multiple (any one of `events` fires it) or parallel multiple (all of them must occur) catch event, or a
   * multiple throw event (all are thrown, in document order). `event` is then the first of `events`.
   */
  multiple?: { parallel: boolean; events: EventDefinition[] };
  /**
   * Compiler-made only: one trigger of a parallel multiple boundary event `owner`, which fires when this one
   * occurs after every other of `parts` has (engine/compile/multiple-events.ts).
   */
  allOf?: { owner: string; parts: string[] };
  /** Gateways: the modelled `gatewayDirection` (BPMN 2.0 §10.6), when it is not `Unspecified`. */
  gatewayDirection?: 'Converging' | 'Diverging' | 'Mixed';
  /** Boundary events only. */
  attachedTo: string | null;
  /** Boundary events: `cancelActivity`; start events of event sub-processes: `isInterrupting`; true elsewhere. */
  cancelActivity: boolean;
  /** Sub-processes: an event sub-process (`triggeredByEvent`), started by its start event's trigger. */
  triggeredByEvent?: boolean;
  /** Boundary events attached to this activity, in document order. */
  boundaryEvents: string[];
  /** User tasks. */
  assignment: Assignment | null;
  formKey: string | null;
  /**
   * `latest` (Camunda 7 `camunda:formRefBinding="latest"`): the task shows the latest deployed version of its form;
   * otherwise the version deployed with the process version (Camunda's `deployment` binding).
   */
  formBinding?: 'latest';
  /** Service and send tasks (and message throw events with a task definition): the job type. */
  jobType: string | null;
  jobRetries: number;
  /** Script tasks: a FEEL expression (without leading '=') and its result variable. */
  script: { expression: string; resultVariable: string | null } | null;
  /** Business rule tasks: the DMN decision they evaluate. */
  decision?: DecisionCall | null;
  /** Call activities: the process they call and what they pass. */
  call?: CalledElement | null;
  inputs: Mapping[];
  outputs: Mapping[];
  sla: SlaDeclaration | null;
  documentation: string | null;
  /** Free-form extension properties (camunda:properties / zeebe:properties). */
  properties: Record<string, string>;
  /** `zeebe:taskHeaders`: static key/value pairs handed to the worker of a job (its custom headers) and shown on user tasks. */
  headers: Record<string, string>;
  /** Multi-instance activities: how their instances are made and end. */
  multiInstance?: MultiInstance;
  /** A compensation handler (`isForCompensation`): run only when its activity is compensated. */
  isForCompensation?: boolean;
  /** A transaction sub-process (`bpmn:transaction`): a cancel end event inside it compensates and cancels it. */
  transaction?: boolean;
  /** Camunda 7 execution listeners (start, end) and, on user tasks, task listeners (create, complete), in document order. */
  listeners?: Listener[];
  /** Activities: tokens needed to start (BPMN startQuantity); absent means 1. */
  startQuantity?: number;
  /** Activities: tokens put on each outgoing flow on completion (BPMN completionQuantity); absent means 1. */
  completionQuantity?: number;
}

export interface SequenceFlow {
  id: string;
  name: string | null;
  sourceId: string;
  targetId: string;
  /** FEEL condition without the leading '='; null when unconditional. */
  condition: string | null;
  /** Camunda 7 execution listeners on the flow (event take), in document order. */
  listeners?: Listener[];
}

export interface ProcessModel {
  id: string;
  name: string | null;
  /** Every flow node of the process and its sub-processes, by id. */
  nodes: Record<string, FlowNode>;
  flows: Record<string, SequenceFlow>;
  /** Sub-process ids (each is also a node). The process itself is the root scope, id === this.id. */
  scopes: string[];
  sla: SlaDeclaration | null;
  /** `svc:businessKey`: the variable that holds an instance's business key, generated when absent as
   * `PREFIX-yyyyMMdd-nnnn` (period day) or `PREFIX-yyyy-nnnn` (period year). */
  businessKey: BusinessKeyDeclaration | null;
  /** Who may start instances (`camunda:candidateStarterGroups/Users`, or `svc:candidateStarters`); null: everyone allowed to start processes. */
  starters: StarterDeclaration | null;
  documentation: string | null;
  /** Camunda 7 execution listeners of the process itself (event start). */
  listeners?: Listener[];
  /** Camunda 7 `camunda:versionTag` on the process: what a call activity's versionTag binding looks for. */
  versionTag?: string | null;
}

export interface StarterDeclaration {
  groups: string[];
  users: string[];
}

export interface BusinessKeyDeclaration {
  variable: string;
  prefix: string;
  period: 'day' | 'year';
}

/** All executable processes found in one BPMN document. */
export interface BpmnDocument {
  /** The `definitions` id, or null. */
  id: string | null;
  processes: ProcessModel[];
}

/**
 * An ad-hoc sub-process (BPMN 2.0 §10.3.5, Camunda 8 semantics): its inner elements wait to be activated — by
 * `activeElements` on entry, or through the API — and may run any number of times. It completes when
 * `completionCondition` holds after an inner element ended (cancelling what still runs when `cancelRemaining`), or
 * without one once every activated element has ended.
 */
export interface AdHocSpec {
  /** FEEL (without '=') giving the list of inner element ids to activate on entry; null: none. */
  activeElements: string | null;
  /** FEEL or a Camunda 7 `${…}` condition; null: done when nothing runs any more. */
  completionCondition: string | null;
  cancelRemaining: boolean;
}
