/**
 * The storage contract the runtime relies on. Implemented with knex over SQLite (default)
 * and PostgreSQL; every method of a repository runs inside the transaction it was handed.
 * Timestamps are ISO 8601 strings in UTC (e.g. '2026-11-23T09:00:00.000Z').
 */
import type {
  MessageStartKeyRepository,
  SignalRepository,
  StartEventRepository,
  StartTimerRepository,
} from './signal-types.js';
import type { InsightRepository } from './insight.js';
import type { CaseRepository } from './cases.js';
import type { FormRepository } from './forms.js';
import type { CalendarRepository, SlaRepository } from './sla-types.js';
import type { UserRepository, Visibility } from './user-types.js';

export type * from './sla-types.js';
export type * from './user-types.js';

export type InstanceStatus = 'active' | 'completed' | 'terminated' | 'incident';
export type TaskStatus = 'open' | 'completed' | 'cancelled';
export type JobStatus = 'pending' | 'locked' | 'failed' | 'completed' | 'cancelled';

export interface DefinitionRow {
  id: string; // `${key}:${version}`
  key: string; // the BPMN process id
  version: number; // 1, 2, … per key
  name: string | null;
  hash: string; // sha256 of the XML; redeploying the same XML returns the existing row
  xml: string;
  deployedAt: string;
  deployedBy: string | null;
  /** The deployment that brought this version (a row of `deployments`). */
  deploymentId?: string | null;
  /** Set when its deployment was deleted: no longer listed or started; its instances' history still reads it. */
  deletedAt?: string | null;
}

/** Files deployed together (Camunda's deployment); deleting it deletes its definition versions. */
export interface DeploymentRow {
  id: string;
  name: string | null;
  source: string | null;
  deployedAt: string;
  deployedBy: string | null;
  deletedAt: string | null;
}

/** One version of a deployed DMN decision; `xml` is its whole DMN document. */
export interface DecisionRow {
  id: string; // `${key}:${version}`
  key: string; // the DMN decision id
  version: number;
  name: string | null;
  versionTag: string | null;
  hash: string; // sha256 of the document; redeploying the same document keeps the version
  resource: string; // the deployment file name
  xml: string;
  deployedAt: string;
  deployedBy: string | null;
}

export interface DecisionRepository {
  insert(row: DecisionRow): Promise<void>;
  get(id: string): Promise<DecisionRow | null>;
  latestByKey(key: string): Promise<DecisionRow | null>;
  byKeyAndVersion(key: string, version: number): Promise<DecisionRow | null>;
  /** Newest version with this Camunda 7 version tag. */
  latestByVersionTag(key: string, versionTag: string): Promise<DecisionRow | null>;
  /** By key, newest version first. */
  list(filter: { key?: string; latestOnly?: boolean } & Paging): Promise<Page<Omit<DecisionRow, 'xml'>>>;
}

export interface InstanceRow {
  id: string;
  definitionId: string;
  definitionKey: string;
  businessKey: string | null;
  status: InstanceStatus;
  /** The persisted xstate snapshot (JSON-serialisable). */
  snapshot: unknown;
  variables: Record<string, unknown>;
  activeElements: string[];
  version: number; // optimistic concurrency: incremented by every save
  startedAt: string;
  endedAt: string | null;
  startedBy: string | null;
  /** The instance whose call activity started this one; null (or absent) when nobody called it. */
  parentInstanceId?: string | null;
  /** The top of the call chain; null (or absent) on an instance nobody called (its own root). */
  rootInstanceId?: string | null;
  /** The call activity of the parent that started this instance, and that activity's activation. */
  callerElementId?: string | null;
  callerActivationId?: string | null;
  /** Suspended (Camunda 7's suspension state): no step runs in it but its cancellation; false when absent. */
  suspended?: boolean;
}

export interface TaskRow {
  id: string;
  instanceId: string;
  definitionKey: string;
  elementId: string;
  /** The element's activation this row belongs to; null on rows from before activations. */
  activationId?: string | null;
  name: string | null;
  status: TaskStatus;
  assignee: string | null;
  candidateUsers: string[];
  candidateGroups: string[];
  priority: number;
  due: string | null;
  followUp: string | null;
  formKey: string | null;
  inputs: Record<string, unknown>;
  createdAt: string;
  endedAt: string | null;
  completedBy: string | null;
}

export interface TimerRow {
  id: string;
  instanceId: string;
  elementId: string;
  /** The element's activation this row belongs to; null on rows from before activations. */
  activationId?: string | null;
  due: string;
  /** Cycle timers: remaining repetitions (null = unbounded) and ISO interval. */
  repeat: { remaining: number | null; interval: string } | null;
  lockedBy: string | null;
  lockedUntil: string | null;
}

export interface JobRow {
  id: string;
  instanceId: string;
  definitionKey: string;
  elementId: string;
  /** The element's activation this row belongs to; null on rows from before activations. */
  activationId?: string | null;
  type: string;
  status: JobStatus;
  retries: number;
  /** Earliest time the job may be fetched (retry backoff). */
  due: string;
  inputs: Record<string, unknown>;
  workerId: string | null;
  lockedUntil: string | null;
  errorMessage: string | null;
  createdAt: string;
}

export interface SubscriptionRow {
  id: string;
  instanceId: string;
  elementId: string;
  /** The element's activation this row belongs to; null on rows from before activations. */
  activationId?: string | null;
  messageName: string;
  correlationKey: string | null;
  createdAt: string;
}

export interface IncidentRow {
  id: string;
  instanceId: string;
  definitionKey: string;
  elementId: string;
  code: string; // IncidentCode
  message: string;
  jobId: string | null;
  status: 'open' | 'resolved';
  createdAt: string;
  resolvedAt: string | null;
  /** On a calling instance's incident at its call activity: the called instance's incident below it. */
  causeIncidentId?: string | null;
  /** On a calling instance's incident: the incident at the bottom of the call chain that caused it. */
  rootCauseIncidentId?: string | null;
  /** Raised at one trigger of a multiple event (`elementId`): the compiler-made element standing for it, which a retry re-enters. */
  triggerId?: string | null;
}

export interface HistoryRow {
  id?: number; // assigned by the store, ascending
  instanceId: string;
  elementId: string | null;
  elementType: string | null;
  event: string; // 'instance.started', 'element.entered', 'task.completed', …
  at: string;
  by: string | null;
  details: Record<string, unknown> | null;
}

/** One page of a list: `total` when it was asked for, `nextCursor` on lists paged by key (null on the last page). */
export interface Page<T> {
  items: T[];
  total?: number;
  nextCursor?: string | null;
}
export interface Paging {
  offset?: number;
  limit?: number;
}
/** Paging of the lists read in index order: `cursor` (a page's nextCursor) continues after it, instead of
 * `offset`; `withTotal: false` skips counting every match (the store counts unless told not to). */
export interface KeysetPaging extends Paging {
  cursor?: string;
  withTotal?: boolean;
}

export interface DefinitionRepository {
  insert(row: DefinitionRow): Promise<void>;
  get(id: string): Promise<DefinitionRow | null>;
  /** The latest version that is not deleted. */
  latestByKey(key: string): Promise<DefinitionRow | null>;
  /** The highest version number ever given to a key, deleted ones included (0 when none). */
  maxVersion(key: string): Promise<number>;
  byKeyAndHash(key: string, hash: string): Promise<DefinitionRow | null>;
  /** Without xml and without deleted versions. Latest version first within a key; filter by key or deployment. */
  list(
    filter: { key?: string; latestOnly?: boolean; deploymentId?: string } & Paging,
  ): Promise<Page<Omit<DefinitionRow, 'xml'>>>;
  /** Marks every version of a deployment deleted. */
  markDeleted(deploymentId: string, at: string): Promise<void>;
}

export interface DeploymentRepository {
  insert(row: DeploymentRow): Promise<void>;
  get(id: string): Promise<DeploymentRow | null>;
  /** The deployments that are not deleted, newest first. */
  list(filter: { name?: string } & Paging): Promise<Page<DeploymentRow>>;
  markDeleted(id: string, at: string): Promise<void>;
  /** The hash of the content last deployed from a shipped process file, or null (deploy-changed-only). */
  fileHash(file: string): Promise<string | null>;
  /** Records the content now deployed from a shipped process file. */
  recordFile(file: string, hash: string, at: string): Promise<void>;
}

/** Counts over running instances, their failed jobs and open incidents, per definition version or per element of one. */
export interface StatisticsRepository {
  /** Running (active or incident) instances per definition version. */
  runningByDefinition(definitionIds?: string[]): Promise<Array<{ definitionId: string; count: number }>>;
  /** Failed jobs (no retries left) of running instances per definition version. */
  failedJobsByDefinition(definitionIds?: string[]): Promise<Array<{ definitionId: string; count: number }>>;
  /** Open incidents per definition version and incident code. */
  incidentsByDefinition(
    definitionIds?: string[],
  ): Promise<Array<{ definitionId: string; code: string; count: number }>>;
  /** Per element of one version: running instances at it, its failed jobs and open incidents by code. */
  activities(definitionId: string): Promise<{
    instances: Array<{ elementId: string; count: number }>;
    failedJobs: Array<{ elementId: string; count: number }>;
    incidents: Array<{ elementId: string; code: string; count: number }>;
  }>;
  /** Ids of running instances of the given versions, oldest first. */
  runningIds(definitionIds: string[], limit: number): Promise<string[]>;
}

/** The few columns of an instance a list shows beside its tasks. */
export interface InstanceSummary {
  businessKey: string | null;
  definitionId: string;
  /** The instance is suspended (its tasks with it). */
  suspended: boolean;
}

export interface InstanceRepository {
  insert(row: InstanceRow): Promise<void>;
  get(id: string): Promise<InstanceRow | null>;
  /** Writes snapshot, variables, activeElements, status, endedAt and version = expectedVersion + 1,
   * only if the stored version still equals expectedVersion; otherwise throws VersionConflictError.
   * `history` is appended with it (one statement on PostgreSQL); call it inside a transaction. */
  save(row: InstanceRow, expectedVersion: number, history?: HistoryRow[]): Promise<void>;
  /** The running (active or incident) instances a call activity of `parentId` started, oldest first;
   * only those of `elementId` (and its `activationId`) when given. */
  runningChildren(parentId: string, elementId?: string, activationId?: string): Promise<InstanceRow[]>;
  /** Suspends or activates a running (active or incident) instance, bumping its version so a step in flight
   * on it conflicts; false when no running instance has that id. */
  setSuspended(id: string, suspended: boolean): Promise<boolean>;
  /** The business key and definition of each of these instances that exists (what a task list shows beside a task). */
  summaries(ids: string[]): Promise<Map<string, InstanceSummary>>;
  /** visibleTo limits the list to instances holding a task the user may see. */
  /** startedAfter keeps instances started at or after that ISO instant. */
  list(
    filter: {
      definitionKey?: string;
      definitionId?: string;
      status?: InstanceStatus;
      statuses?: InstanceStatus[];
      businessKey?: string;
      startedAfter?: string;
      parentInstanceId?: string;
      /** Only suspended (true) or only not suspended (false) instances. */
      suspended?: boolean;
      visibleTo?: Visibility;
    } & KeysetPaging,
  ): Promise<Page<InstanceRow>>;
}

export interface TaskRepository {
  insert(row: TaskRow): Promise<void>;
  get(id: string): Promise<TaskRow | null>;
  /** Only the status (a cheap check inside a step). */
  statusOf(id: string): Promise<TaskStatus | null>;
  openByElement(instanceId: string, elementId: string, activationId?: string): Promise<TaskRow | null>;
  update(
    id: string,
    patch: Partial<
      Pick<
        TaskRow,
        'status' | 'assignee' | 'endedAt' | 'completedBy' | 'due' | 'priority' | 'candidateGroups' | 'candidateUsers'
      >
    >,
  ): Promise<void>;
  /**
   * Sets the assignee of an open task only if it is still `expected` (compare-and-set, one statement):
   * false when the task changed meanwhile, so of two concurrent claims exactly one wins on every database.
   */
  assign(id: string, expected: string | null, assignee: string | null): Promise<boolean>;
  /**
   * Marks an open task completed (compare-and-set on status): false when it was no longer open. Inside a
   * PostgreSQL step transaction the write is deferred to the step's statement: it answers true and the
   * transaction fails with TaskCompletionRefusedError when the task was no longer open.
   */
  complete(id: string, completedBy: string | null, endedAt: string): Promise<boolean>;
  /** Cancels every open task of an instance. */
  cancelOpenByInstance(instanceId: string, at: string): Promise<void>;
  /** Sorted by due (nulls last), then priority (high first), then createdAt. candidateGroups matches any of them. */
  /** visibleTo keeps tasks assigned to, completed by or offered to the user or one of their groups. */
  list(
    filter: {
      assignee?: string /** true: only tasks nobody holds; false: only held ones. */;
      unassigned?: boolean;
      candidateUser?: string;
      candidateGroups?: string[];
      instanceId?: string;
      definitionKey?: string;
      status?: TaskStatus;
      visibleTo?: Visibility;
    } & KeysetPaging,
  ): Promise<Page<TaskRow>>;
}

export interface TimerRepository {
  insert(row: TimerRow): Promise<void>;
  deleteByElement(instanceId: string, elementId: string, activationId?: string): Promise<void>;
  deleteByInstance(instanceId: string): Promise<void>;
  get(id: string): Promise<TimerRow | null>;
  update(id: string, patch: Partial<Pick<TimerRow, 'due' | 'repeat' | 'lockedBy' | 'lockedUntil'>>): Promise<void>;
  delete(id: string): Promise<void>;
  /** Claims up to `limit` timers with due <= now whose lock is free or expired: sets lockedBy/lockedUntil.
   * On PostgreSQL with FOR UPDATE SKIP LOCKED, so two nodes never claim the same timer. */
  claimDue(now: string, owner: string, lockUntil: string, limit: number): Promise<TimerRow[]>;
  /** Earliest due among timers, or null (for the scheduler's sleep). */
  nextDue(): Promise<string | null>;
}

/** Narrows which jobs fetchAndLock may lock, by their instance (every given field must match). */
export interface JobLockFilter {
  definitionIds?: string[];
  definitionKeys?: string[];
  businessKey?: string;
  instanceIds?: string[];
}

export interface JobRepository {
  insert(row: JobRow): Promise<void>;
  get(id: string): Promise<JobRow | null>;
  activeByElement(instanceId: string, elementId: string, activationId?: string): Promise<JobRow | null>;
  update(
    id: string,
    patch: Partial<Pick<JobRow, 'status' | 'retries' | 'due' | 'workerId' | 'lockedUntil' | 'errorMessage'>>,
  ): Promise<void>;
  cancelByElement(instanceId: string, elementId: string, activationId?: string): Promise<void>;
  cancelByInstance(instanceId: string): Promise<void>;
  /** Locks up to `limit` jobs of the given types that are pending (or locked with an expired lock) and due.
   * FOR UPDATE SKIP LOCKED on PostgreSQL. */
  fetchAndLock(
    types: string[],
    workerId: string,
    now: string,
    lockUntil: string,
    limit: number,
    filter?: JobLockFilter,
  ): Promise<JobRow[]>;
  nextDue(types?: string[]): Promise<string | null>;
  /** Extends the lock of a job still locked by the worker (work in progress); false when it is no longer theirs. */
  renewLock(id: string, workerId: string, lockUntil: string): Promise<boolean>;
  list(
    filter: {
      instanceId?: string;
      status?: JobStatus;
      statuses?: JobStatus[];
      type?: string;
      elementId?: string;
      workerId?: string;
      visibleTo?: Visibility;
    } & Paging,
  ): Promise<Page<JobRow>>;
}

export interface SubscriptionRepository {
  insert(row: SubscriptionRow): Promise<void>;
  deleteByElement(instanceId: string, elementId: string, activationId?: string): Promise<void>;
  deleteByInstance(instanceId: string): Promise<void>;
  /** Oldest first. */
  find(messageName: string, correlationKey: string | null): Promise<SubscriptionRow[]>;
  /** Every subscription to a message name, whatever its correlation key; oldest first. */
  findByName(messageName: string): Promise<SubscriptionRow[]>;
}

export interface IncidentRepository {
  insert(row: IncidentRow): Promise<void>;
  get(id: string): Promise<IncidentRow | null>;
  resolve(id: string, at: string): Promise<void>;
  /** Resolves the open incidents at an element as the machine names it (a multiple event's trigger by its own id). */
  resolveByElement(instanceId: string, elementId: string, at: string): Promise<void>;
  resolveOpenByInstance(instanceId: string, at: string): Promise<void>;
  openCount(instanceId: string): Promise<number>;
  /** The open incidents of an instance, oldest first (at most 500). */
  openOf(instanceId: string): Promise<IncidentRow[]>;
  /** The open incidents of an instance caused by an incident of a called instance, at one element, oldest first. */
  openCausedAt(instanceId: string, elementId: string): Promise<IncidentRow[]>;
  /** visibleTo keeps incidents of instances holding a task the user may see. */
  list(
    filter: {
      instanceId?: string;
      status?: 'open' | 'resolved';
      definitionKey?: string;
      visibleTo?: Visibility;
    } & Paging,
  ): Promise<Page<IncidentRow>>;
}

export interface HistoryRepository {
  append(rows: HistoryRow[]): Promise<void>;
  /** Ordered by id ascending. */
  list(instanceId: string): Promise<HistoryRow[]>;
}

/** What a built-in job handler did: a notification to a customer or to staff, a survey, a CRM or billing record. */
export interface NotificationRow {
  id: string;
  /** The job type that produced it: notify.customer, notify.staff, survey.send, crm.update, billing.invoice, schedule.propose. */
  kind: string;
  instanceId: string;
  definitionKey: string;
  elementId: string;
  toUser: string | null;
  toGroup: string | null;
  channel: string | null;
  template: string | null;
  payload: Record<string, unknown>;
  createdAt: string;
}

export interface NotificationRepository {
  insert(row: NotificationRow): Promise<void>;
  /** Inserts the row unless one with its id exists (a job attempt run again); true when inserted. */
  insertOnce(row: NotificationRow): Promise<boolean>;
  /** Newest first. With user and groups: addressed to the user or to any of the groups. */
  list(
    filter: { user?: string; groups?: string[]; instanceId?: string; kind?: string; visibleTo?: Visibility } & Paging,
  ): Promise<Page<NotificationRow>>;
  /** Of these notification ids, those the user has read. */
  readBy(userId: string, ids: string[]): Promise<Set<string>>;
  /** Marks the notifications read by the user (again: no change). */
  markRead(userId: string, ids: string[], at: string): Promise<void>;
}

/** A published message: buffered until a subscription takes it or its time to live ends. */
export interface MessageRow {
  id: string;
  name: string;
  correlationKey: string | null;
  variables: Record<string, unknown>;
  /** The publisher's id; a second publish with it is acknowledged and ignored. */
  messageId: string | null;
  status: 'buffered' | 'delivered';
  instanceId: string | null;
  publishedAt: string;
  expiresAt: string;
  deliveredAt: string | null;
}

export interface MessageRepository {
  insert(row: MessageRow): Promise<void>;
  byMessageId(messageId: string): Promise<MessageRow | null>;
  /** Buffered messages still alive at `now`, oldest first. */
  buffered(now: string, limit: number): Promise<MessageRow[]>;
  /** Marks a buffered message delivered to an instance; false when it was not buffered any more. */
  markDelivered(id: string, instanceId: string, at: string): Promise<boolean>;
}

/** One notification sent (or to be sent) through one channel. */
export interface DeliveryRow {
  id: string;
  notificationId: string;
  instanceId: string;
  channel: string;
  recipient: string;
  template: string | null;
  subject: string;
  body: string;
  data: Record<string, unknown>;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string | null;
  sentAt: string | null;
  createdAt: string;
}

/** A survey link sent to a customer: the message its answer is published as, and the answer once given. */
export interface SurveyLinkRow {
  id: string;
  instanceId: string;
  messageName: string;
  correlationKey: string;
  expiresAt: string;
  score: number | null;
  comment: string | null;
  answeredAt: string | null;
}

export interface DeliveryRepository {
  /** Inserts the delivery unless one with its id exists (a job attempt run again enqueues the same ids). */
  insert(row: DeliveryRow): Promise<void>;
  /** Pending deliveries whose next attempt is due at `now`, oldest first. */
  due(now: string, limit: number): Promise<DeliveryRow[]>;
  /**
   * Takes a due delivery for one attempt: moves its next attempt from `dueAt` to `leaseUntil` (compare-and-set),
   * so no other node sends it meanwhile and a node dying mid-send leaves it due again after the lease.
   */
  claim(id: string, dueAt: string, leaseUntil: string): Promise<boolean>;
  update(
    id: string,
    patch: Partial<Pick<DeliveryRow, 'status' | 'attempts' | 'lastError' | 'nextAttemptAt' | 'sentAt'>>,
  ): Promise<void>;
  /** Newest first. */
  list(filter: { status?: DeliveryRow['status']; instanceId?: string } & Paging): Promise<Page<DeliveryRow>>;
  insertSurveyLink(link: SurveyLinkRow): Promise<void>;
  surveyLink(id: string): Promise<SurveyLinkRow | null>;
  /** Records the answer given through a survey link; false when that link was answered already. */
  answerSurvey(id: string, answer: { score: number; comment: string | null; answeredAt: string }): Promise<boolean>;
}

export interface SequenceRepository {
  /** The counter's next value (1, 2, …); inside a transaction. */
  next(name: string): Promise<number>;
}

/** The first answer to a request sent with an Idempotency-Key, per scope (route), owner (caller) and key. */
export interface IdempotencyRecord {
  scope: string;
  owner: string;
  key: string;
  /** sha256 of what makes two requests the same (method, route, parameters, body). */
  fingerprint: string;
  /** Who holds the key while the first request runs. */
  reservation: string;
  /** null while the first request runs. */
  statusCode: number | null;
  response: unknown;
  createdAt: string;
}

export interface IdempotencyRepository {
  get(scope: string, owner: string, key: string): Promise<IdempotencyRecord | null>;
  /**
   * Inserts the record unless the key exists; true when this call reserved it. An unanswered reservation made
   * before `staleBefore` (its request died with its node) is taken over by this one.
   */
  reserve(record: IdempotencyRecord, staleBefore?: string): Promise<boolean>;
  /** Stores the first answer of a key still held by `reservation`; false when another request took the key over. */
  finish(
    scope: string,
    owner: string,
    key: string,
    reservation: string,
    statusCode: number,
    response: unknown,
  ): Promise<boolean>;
  /** Forgets a key still unanswered and held by `reservation` (its first request failed, so a retry runs again). */
  release(scope: string, owner: string, key: string, reservation: string): Promise<void>;
  /** Deletes records created before the instant; returns how many. */
  deleteBefore(at: string): Promise<number>;
}

export interface ExternalKeyRepository {
  /** The numeric key of one of our ids (created on first use; the same ever after). */
  keyOf(kind: string, ref: string): Promise<string>;
  /** The id behind a numeric key of that kind, or null. */
  refOf(kind: string, key: string): Promise<string | null>;
}

/** Everything a step may touch, bound to one transaction. */
export interface StoreTx {
  definitions: DefinitionRepository;
  decisions: DecisionRepository;
  instances: InstanceRepository;
  tasks: TaskRepository;
  timers: TimerRepository;
  jobs: JobRepository;
  subscriptions: SubscriptionRepository;
  incidents: IncidentRepository;
  history: HistoryRepository;
  sla: SlaRepository;
  calendars: CalendarRepository;
  users: UserRepository;
  notifications: NotificationRepository;
  sequences: SequenceRepository;
  messages: MessageRepository;
  deliveries: DeliveryRepository;
  idempotency: IdempotencyRepository;
  insight: InsightRepository;
  externalKeys: ExternalKeyRepository;
  deployments: DeploymentRepository;
  statistics: StatisticsRepository;
  signals: SignalRepository;
  startEvents: StartEventRepository;
  messageStartKeys: MessageStartKeyRepository;
  startTimers: StartTimerRepository;
  cases: CaseRepository;
  forms: FormRepository;
}

/** One all-or-nothing unit of a group commit (a savepoint inside the group's transaction). */
export type GroupUnit = <R>(work: (tx: StoreTx) => Promise<R>) => Promise<R>;

export interface Store extends StoreTx {
  readonly dialect: 'sqlite' | 'postgres';
  /** Runs fn in one database transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  /**
   * Group commit: runs fn in one database transaction in which each `unit` is a savepoint, so a unit
   * that throws is undone alone (its error goes to its caller) while the units that resolved commit
   * together when fn resolves. Nothing commits when fn throws. `tx` writes outside any unit (a claim of
   * the group's work): when it throws, the group fails.
   */
  group<T>(fn: (unit: GroupUnit, tx: StoreTx) => Promise<T>): Promise<T>;
  /** Applies pending migrations from migrations/. */
  migrate(): Promise<void>;
  /** true when the database answers. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** A list cursor that no page of this list handed out. */
export class InvalidCursorError extends Error {
  readonly code = 'CURSOR_INVALID';
  constructor(readonly cursor: string) {
    super(`cursor '${cursor.slice(0, 40)}' is not a nextCursor of this list; start again without a cursor`);
    this.name = 'InvalidCursorError';
  }
}

/**
 * A task completion the step's statement refused because the task was no longer open when it ran (PostgreSQL:
 * the completion goes out with the step's other writes, so `tasks.complete` answers before it is checked).
 */
export class TaskCompletionRefusedError extends Error {
  readonly code = 'TASK_COMPLETION_REFUSED';
  constructor(readonly taskId: string) {
    super(`task '${taskId}' was not open when its completion was written`);
    this.name = 'TaskCompletionRefusedError';
  }
}

export class VersionConflictError extends Error {
  readonly code = 'VERSION_CONFLICT';
  constructor(
    readonly instanceId: string,
    readonly expected: number,
  ) {
    super(`instance '${instanceId}' was changed by another step (expected version ${expected}); retry`);
    this.name = 'VersionConflictError';
  }
}
