/**
 * The engine facade: deploy, start, work tasks, correlate messages, run jobs, fire timers.
 * Every state change goes through runStep; the API and CLI use only this class.
 */
import { EventEmitter } from 'node:events';
import { MESSAGE_JOB_TYPE, type CompiledProcess, type EngineEvent } from '../compile/index.js';
import { durationToMillis } from '../expr/index.js';
import type {
  DecisionRow,
  DefinitionRow,
  GroupUnit,
  HistoryRow,
  IncidentRow,
  InstanceRow,
  InstanceStatus,
  InstanceSummary,
  JobRow,
  Page,
  KeysetPaging,
  Paging,
  Store,
  StoreTx,
  TaskRow,
  Visibility,
} from '../store/index.js';
import { TaskCompletionRefusedError } from '../store/index.js';
import {
  canSeeTask,
  checkAssignee,
  checkInstanceVisible,
  checkTaskAction,
  holdsRole,
  type Principal,
} from './identity/access.js';
import { GroupNotFoundError, UserNotFoundError } from './identity/user-errors.js';
import { systemClock, type Clock } from './clock.js';
import { NEUTRAL_CONFIG, type EngineConfig } from './engine-config.js';
import { installFeelBudget } from './step/feel-budget.js';
import { IDEMPOTENCY_LEASE_MS } from './step/idempotency.js';
import {
  DefinitionRegistry,
  type DeployedDefinition,
  type DeploymentFile,
  type DeploymentMeta,
  type DeploymentOutcome,
} from './definitions.js';
import { DeploymentService } from './deployments.js';
import { TaskComments } from './task-comments.js';
import type { DecisionRef, EvaluatedDecision } from './decisions.js';
import { DecisionNotFoundError } from './decision-errors.js';
import { EffectRegistry, type EngineNotification } from './step/effect-executor.js';
import { followTaskPriorities } from './step/task-priorities.js';
import type { SettledHandler, StepExtension } from './step/extension.js';
import {
  DefinitionDeletedError,
  DefinitionNotFoundError,
  IncidentNotFoundError,
  InstanceNotActiveError,
  InstanceNotFoundError,
  InstanceSuspendedError,
  MessageAmbiguousError,
  NotActivatableError,
  MessageNotCorrelatedError,
  TaskChangedError,
  TaskClaimedError,
  ForbiddenError,
  TaskNotFoundError,
  TaskNotOpenError,
  CalledInstanceCancelError,
  StartEventUnknownError,
} from './errors.js';
import { checkFormData, storedForms, type FormsPort } from './forms/index.js';
import type { FormSchema } from './forms/form-validation.js';
import { inGroup } from './step/group-commit.js';
import { JobService, type JobHandler } from './step/jobs.js';
import { describeSelection, selectSubscriptions, type MessageSelection } from './messages/message-selection.js';
import { MessageBuffer, type Published } from './messages/message-buffer.js';
import { DEFAULT_TIMER_LEASE_MS, Scheduler } from './step/scheduler.js';
import { mayStart, StartForbiddenError, type Starter } from './identity/starters.js';
import { recordAssignment } from './notify/inbox.js';
import { runStep, startInstance, type StepDeps, type StepOptions, type StepResult } from './step/step.js';
import { activationOf } from './step/activation.js';
import { SignalFanout, type SignalOutcome } from './signals/signal-fanout.js';
import { startByMessage } from './signals/message-starts.js';
import { TimerStarts } from './signals/timer-starts.js';
import { checkInstanceVariables, checkVariables } from './variables.js';
import { CaseService } from './cases/index.js';

export interface EngineOptions {
  store: Store;
  clock?: Clock;
  /** The installation's configuration (the server reads it from a file); default: NEUTRAL_CONFIG, knowing nobody. */
  config?: EngineConfig;
  /** Identifies this node in timer and job locks. */
  nodeId?: string;
  /** Where start and task forms are found; every start and completion is checked against its form (default: the forms deployed in the store). */
  forms?: FormsPort;
  /** Lock of in-process jobs (renewed while a handler runs) and lease of claimed timers: a dead node's work is taken over after it. Default 60 s each. */
  jobLockMs?: number;
  timerLeaseMs?: number;
  /** Due timers claimed and fired per transaction (group commit); 1 gives each timer a transaction of its own. Default 200. */
  timerBatch?: number;
  /** Timer batches fired side by side, each on a connection of its own (PostgreSQL; default 4 there, 1 on SQLite). */
  timerWorkers?: number;
  /** How long a request with an Idempotency-Key may stay unanswered before a retry takes its key over (default 60 s). */
  idempotencyLeaseMs?: number;
  /** Largest case attachment in bytes (default 5 MB). */
  attachmentMaxBytes?: number;
  /** Time limit of one FEEL evaluation (default 1 s; 0: none); one that runs longer fails its step into an incident. Process-wide. */
  feelBudgetMs?: number;
  logger?: {
    info(o: unknown, m?: string): void;
    warn(o: unknown, m?: string): void;
    error(o: unknown, m?: string): void;
  };
}

/** The steps of one group commit (Engine.group): each send is a unit of the group's transaction. */
export interface StepGroup {
  /** A step like Engine.send, undone alone when it throws. */
  send(
    instanceId: string,
    event: EngineEvent,
    by: string | null,
    options?: Omit<StepOptions, 'by'>,
  ): Promise<InstanceView>;
  /** Other writes as a unit of the group. */
  unit: GroupUnit;
  /** The group's own transaction, outside any unit (claiming its work): a throw there fails the group. */
  tx: StoreTx;
  /** Announces after the group's commit. */
  publish(notes: EngineNotification[]): void;
}

export interface InstanceView {
  id: string;
  definitionId: string;
  definitionKey: string;
  businessKey: string | null;
  status: InstanceStatus;
  activeElements: string[];
  variables: Record<string, unknown>;
  startedAt: string;
  endedAt: string | null;
  /** The instance whose call activity started this one; null when nobody called it. */
  parentInstanceId: string | null;
  /** The top of the call chain: the instance's own id when nobody called it. */
  rootInstanceId: string;
  /** The parent's call activity that started this instance; null when nobody called it. */
  callActivityId: string | null;
  /** Suspended: nothing moves it on until it is resumed (POST /api/instances/{id}/resume). */
  suspended: boolean;
}

/** A process a person may start, as the tasklist's "New case" lists it. */
export interface StartableProcess {
  definitionId: string;
  definitionKey: string;
  name: string | null;
  version: number;
  startFormKey: string | null;
}

/** Work done inside a step's transaction, seeing the instance as the step leaves it (e.g. storing an idempotent answer). */
export type WithinStep = (tx: StoreTx, instance: InstanceView) => Promise<void>;

export class Engine {
  readonly store: Store;
  readonly idempotencyLeaseMs: number;
  readonly clock: Clock;
  /** What the installation told the engine about its processes: groups, demo users, all-seeing groups. */
  readonly config: EngineConfig;
  readonly definitions: DefinitionRegistry;
  readonly events = new EventEmitter();
  readonly jobs: JobService;
  readonly deployments: DeploymentService;
  readonly comments: TaskComments;
  readonly cases: CaseService;
  readonly scheduler: Scheduler;
  readonly nodeId: string;
  readonly forms: FormsPort;
  private readonly deps: StepDeps;
  private readonly messages: MessageBuffer;
  readonly signals: SignalFanout;

  constructor(options: EngineOptions) {
    this.store = options.store;
    this.clock = options.clock ?? systemClock;
    this.config = options.config ?? NEUTRAL_CONFIG;
    this.nodeId = options.nodeId ?? `node-${process.pid}`;
    this.forms = options.forms ?? storedForms(options.store);
    this.idempotencyLeaseMs = options.idempotencyLeaseMs ?? IDEMPOTENCY_LEASE_MS;
    installFeelBudget(options.feelBudgetMs);
    this.events.setMaxListeners(1000);
    this.definitions = new DefinitionRegistry(this.store, this.clock, this.config.zone);
    this.deps = {
      store: this.store,
      registry: this.definitions,
      clock: this.clock,
      zone: this.config.zone,
      effects: new EffectRegistry(),
      settled: [],
      publish: (notes) => this.publish(notes),
    };
    this.jobs = new JobService(this.deps, options.logger, options.jobLockMs);
    this.deployments = new DeploymentService(this.deps, this.definitions);
    this.comments = new TaskComments(this.store, this.clock);
    this.cases = new CaseService(this.store, this.clock, (id, by) => this.cancelInstance(id, by), {
      attachmentMaxBytes: options.attachmentMaxBytes,
      search: this.config.caseSearch,
    });
    // every step keeps the case's search words current, whichever entry point caused it
    this.extend({ settled: (run, instance) => this.cases.index(run.tx, instance) });
    this.extend({ settled: followTaskPriorities });
    this.scheduler = new Scheduler(
      this.deps,
      this.jobs,
      this.nodeId,
      options.logger,
      options.timerLeaseMs,
      options.timerBatch,
      options.timerWorkers,
    );
    this.messages = new MessageBuffer(this.deps);
    this.scheduler.addSource(() => this.messages.deliverBuffered());
    this.signals = new SignalFanout(this.deps, this.nodeId, options.logger, options.timerLeaseMs);
    this.scheduler.addSource(() => this.signals.deliverPending());
    const timerStarts = new TimerStarts(
      this.deps,
      this.nodeId,
      options.timerLeaseMs ?? DEFAULT_TIMER_LEASE_MS,
      options.logger,
    );
    this.scheduler.addSource(() => timerStarts.fireDue());
    // messages sent inside the engine (send elements without a job type) are delivered by the engine's own worker
    this.jobs.registerHandler(MESSAGE_JOB_TYPE, async ({ job }) => {
      await this.correlateMessage({ ...sentMessageOf(job.inputs), by: null });
    });
  }

  /**
   * Attaches a service (the SLA clock, the KPI facts, notification delivery, reports): its effect handlers,
   * its work inside every step (`settled` handlers run in the order they were attached), its due work and
   * its deploy checks. The one seam through which anything is added to the step.
   */
  extend(extension: StepExtension): void {
    if (extension.effects) this.deps.effects.use(extension.effects);
    if (extension.settled) this.deps.settled.push(extension.settled);
    if (extension.due) this.scheduler.addSource(extension.due);
    if (extension.deployCheck) this.definitions.checks.push(extension.deployCheck);
  }

  /**
   * Deploys BPMN: one document, or several files as one all-or-nothing unit (one transaction, each file
   * compiled once). Every entry point (/api, /engine-rest, /v2, the CLI, the server's processes/) deploys here.
   */
  deploy(
    source: string | DeploymentFile[],
    by: string | null = null,
    meta: DeploymentMeta = {},
  ): Promise<DeployedDefinition[]> {
    return this.definitions.deploy(
      typeof source === 'string' ? [{ name: 'process.bpmn', xml: source }] : source,
      by,
      meta,
    );
  }

  /** Like deploy, with DMN files (their decisions stored in the same transaction) and both kinds reported. */
  deployResources(
    source: string | DeploymentFile[],
    by: string | null = null,
    meta: DeploymentMeta = {},
  ): Promise<DeploymentOutcome> {
    return this.definitions.deployResources(
      typeof source === 'string' ? [{ name: 'process.bpmn', xml: source }] : source,
      by,
      meta,
    );
  }

  /** Evaluates a deployed decision (latest version unless the reference says otherwise) on variables; every API's evaluate comes here. */
  evaluateDecision(ref: DecisionRef, variables: Record<string, unknown>): Promise<EvaluatedDecision> {
    checkVariables(variables);
    return this.definitions.decisions.evaluate(ref, variables, this.clock.now().toISOString());
  }

  listDecisions(filter: { key?: string; latestOnly?: boolean } & Paging): Promise<Page<Omit<DecisionRow, 'xml'>>> {
    return this.store.decisions.list(filter);
  }

  /** A deployed decision version with its DMN document. */
  async getDecision(id: string): Promise<DecisionRow> {
    const row = await this.store.decisions.get(id);
    if (!row) throw new DecisionNotFoundError(id);
    return row;
  }

  listDefinitions(filter: { key?: string; latestOnly?: boolean } & Paging): Promise<Page<Omit<DefinitionRow, 'xml'>>> {
    return this.store.definitions.list(filter);
  }

  /** A deployed version with its XML. */
  /** The extension properties (`camunda:properties`) of one element of a deployed version (empty when it has none). */
  extensionPropertiesOf(definitionId: string, elementId: string): Promise<Record<string, string>> {
    return this.jobs.propertiesOf(definitionId, elementId);
  }

  async getDefinition(id: string): Promise<DefinitionRow> {
    const row = await this.store.definitions.get(id);
    if (!row) throw new DefinitionNotFoundError(id);
    return row;
  }

  /** The form a task shows: the version its instance's definition was deployed with; null when it has none. */
  async taskForm(taskId: string): Promise<{ formKey: string; schema: FormSchema; version: number | null } | null> {
    const task = await this.getTask(taskId);
    if (!task.formKey) return null;
    const instance = await this.store.instances.get(task.instanceId);
    if (!instance) return null;
    const owner = { definitionId: instance.definitionId, definitionKey: instance.definitionKey };
    const schema = await this.forms.formOf(task.formKey, owner);
    if (!schema) return null;
    const stored = await this.forms.versionOf?.(task.formKey, owner);
    return { formKey: task.formKey, schema, version: stored?.version ?? null };
  }

  /** The start event's form of a definition version (as deployed with it); null when it has none. */
  async startForm(definitionId: string): Promise<{ formKey: string; schema: FormSchema } | null> {
    const { row, compiled } = await this.definitions.load(definitionId);
    if (!compiled.startFormKey) return null;
    const schema = await this.forms.formOf(compiled.startFormKey, { definitionId: row.id, definitionKey: row.key });
    return schema ? { formKey: compiled.startFormKey, schema } : null;
  }

  /** The latest deployed version of a form key (what the designer edits); null when none was deployed. */
  async latestForm(formKey: string): Promise<{ id: string; version: number; schema: FormSchema } | null> {
    const row = await this.store.forms.latestByKey(formKey);
    return row ? { id: row.id, version: row.version, schema: JSON.parse(row.schema) as FormSchema } : null;
  }

  /** true when the database answers. */
  ping(): Promise<boolean> {
    return this.store.ping().catch(() => false);
  }

  /**
   * Starts an instance of the latest version of a key (or of an exact definition id). A `starter` (a
   * person starting through the API) must be one of the process's candidate starters; the variables
   * must satisfy the start event's form.
   */
  /** Starts an instance; `within` runs inside the start's transaction with the instance as it is after the first step. */
  async startInstance(input: {
    definitionKey?: string;
    definitionId?: string;
    variables?: unknown;
    businessKey?: string | null;
    by?: string | null;
    starter?: Starter;
    within?: WithinStep;
    /** The start event to start at (any start event of the process's top level); default: the none start event. */
    startEventId?: string;
  }): Promise<InstanceView> {
    const variables = checkVariables(input.variables);
    const def = input.definitionId
      ? await this.definitions.load(input.definitionId)
      : await this.definitions.latest(input.definitionKey ?? '');
    if (def.row.deletedAt) throw new DefinitionDeletedError(def.row.id);
    const startEvent = chosenStart(def.compiled, input.startEventId, def.row.id);
    if (input.starter && !mayStart(def.compiled.starters, input.starter))
      throw new StartForbiddenError(def.row.key, input.starter.id);
    await checkFormData(this.forms, this.store, {
      formKey: startEvent ? (startEvent.formKey ?? null) : def.compiled.startFormKey,
      owner: { definitionId: def.row.id, definitionKey: def.row.key },
      data: variables,
      variables: {},
      now: this.clock.now().toISOString(),
    });
    const { instance } = await this.settle(
      await startInstance(this.deps, def, {
        variables,
        businessKey: input.businessKey ?? null,
        by: input.by ?? null,
        ...(startEvent ? { startEvent: startEvent.elementId } : {}),
        concluded: withinStep(input.within),
      }),
    );
    return toView(instance);
  }

  /** The latest version of every process this person may start, with its start form. */
  async startableProcesses(starter: Starter): Promise<StartableProcess[]> {
    const latest = await this.store.definitions.list({ latestOnly: true, offset: 0, limit: 1000 });
    const startable: StartableProcess[] = [];
    for (const row of latest.items) {
      const def = await this.definitions.load(row.id);
      if (!mayStart(def.compiled.starters, starter)) continue;
      startable.push({
        definitionId: row.id,
        definitionKey: row.key,
        name: row.name,
        version: row.version,
        startFormKey: def.compiled.startFormKey,
      });
    }
    return startable;
  }

  async getInstance(id: string): Promise<InstanceView> {
    const row = await this.store.instances.get(id);
    if (!row) throw new InstanceNotFoundError(id);
    return toView(row);
  }

  /** The business key and definition of each existing instance among the ids, read in one statement. */
  instanceSummaries(ids: string[]): Promise<Map<string, InstanceSummary>> {
    return ids.length === 0 ? Promise.resolve(new Map()) : this.store.instances.summaries(ids);
  }

  async listInstances(
    filter: {
      definitionKey?: string;
      status?: InstanceStatus;
      businessKey?: string;
      startedAfter?: string;
      /** Only the instances this instance's call activities started. */
      parentInstanceId?: string;
      visibleTo?: Visibility;
    } & KeysetPaging,
  ): Promise<Page<InstanceView>> {
    const page = await this.store.instances.list(filter);
    return { ...page, items: page.items.map(toView) };
  }

  async history(id: string): Promise<HistoryRow[]> {
    await this.getInstance(id);
    return this.store.history.list(id);
  }

  /**
   * Suspends a running instance (Camunda 7's suspension): until it is resumed no step runs in it but its
   * cancellation, its tasks are not claimed, assigned or completed (INSTANCE_SUSPENDED), workers are not handed
   * its jobs, its timers and SLA checks wait (and fire once it is resumed when due), messages are not correlated
   * to it and signals pass it by. Suspending a suspended instance changes nothing; instances it called are not
   * suspended with it (as in Camunda).
   */
  async suspendInstance(id: string, by: string | null = null): Promise<InstanceView> {
    return this.setSuspension(id, true, by);
  }

  /** Resumes a suspended instance (Camunda 7's activation): what came due meanwhile runs on the next tick. */
  async resumeInstance(id: string, by: string | null = null): Promise<InstanceView> {
    const view = await this.setSuspension(id, false, by);
    // workers waiting (long polling) for its job types are handed its jobs now
    const pending = await this.store.jobs.list({ instanceId: id, status: 'pending', offset: 0, limit: 100 });
    for (const type of new Set(pending.items.map((job) => job.type))) this.jobs.waiters.notify(type);
    return view;
  }

  async cancelInstance(id: string, by: string | null = null): Promise<InstanceView> {
    await refuseCalledCancel(this.store, id);
    return toView((await runStep(this.deps, id, { type: 'instance.cancel' }, { by })).instance);
  }

  /**
   * Runs inner elements of a running ad-hoc sub-process now (case work where a person picks the next step): each
   * gets a token, an element already running runs once more beside itself. All ids must belong to one ad-hoc
   * sub-process the instance is in; otherwise nothing happens and NotActivatableError says why.
   */
  async activateElements(instanceId: string, elementIds: string[], by: string | null = null): Promise<InstanceView> {
    const instance = await this.getInstance(instanceId);
    if (instance.status !== 'active' && instance.status !== 'incident')
      throw new InstanceNotActiveError(instanceId, instance.status);
    const { compiled } = await this.definitions.load(instance.definitionId);
    const owners = [...new Set(elementIds.map((id) => adHocOwner(compiled.adHoc ?? {}, id)))];
    const refuse = (reason: string) => new NotActivatableError(elementIds, instanceId, reason);
    if (elementIds.length === 0) throw refuse('name at least one element');
    if (owners.includes(null)) throw refuse('they are not all elements of an ad-hoc sub-process of its process');
    if (owners.length > 1) throw refuse('they belong to different ad-hoc sub-processes; activate one at a time');
    if (!instance.activeElements.includes(owners[0]!))
      throw refuse(`the ad-hoc sub-process '${owners[0]}' is not running in it now`);
    return this.send(instanceId, { type: 'adhoc.activate', elementId: owners[0]!, elements: elementIds }, by);
  }

  /** Sends an event to an instance (tests, tools and the SLA clock, whose precondition records the breach in the same transaction). */
  async send(
    instanceId: string,
    event: EngineEvent,
    by: string | null = null,
    options: Omit<StepOptions, 'by'> = {},
  ): Promise<InstanceView> {
    return toView((await this.settle(await runStep(this.deps, instanceId, event, { ...options, by }))).instance);
  }

  /**
   * Group commit for due work (SLA checks): fn's steps and units share one transaction, each undone alone
   * when it throws; what they announce is published once the group committed.
   */
  group<T>(fn: (steps: StepGroup) => Promise<T>): Promise<T> {
    return inGroup(this.deps, (deps, unit, tx) =>
      fn({
        unit,
        tx,
        send: async (instanceId, event, by, options = {}) =>
          toView((await runStep(deps, instanceId, event, { ...options, by })).instance),
        publish: (notes) => deps.publish(notes),
      }),
    );
  }

  listTasks(filter: Parameters<Store['tasks']['list']>[0]): Promise<Page<TaskRow>> {
    return this.store.tasks.list(filter);
  }

  async getTask(id: string): Promise<TaskRow> {
    const task = await this.store.tasks.get(id);
    if (!task) throw new TaskNotFoundError(id);
    return task;
  }

  /**
   * Gives an open task to a user by the rules of who may: the caller must see the task, staff claim only
   * for themselves and never take over, and a task given to someone else goes to an existing, enabled
   * user who may work it. `force` takes the task over from its current assignee (a supervisor's
   * reassignment). A null caller is the engine itself (CLI, tools): no rule but the task's state applies.
   */
  async assignTask(
    id: string,
    assignee: string,
    actor: Principal | null,
    options: { force?: boolean } = {},
  ): Promise<TaskRow> {
    const task = await this.getTask(id);
    if (actor) checkTaskAction(actor, task, 'claim', { userId: assignee, force: options.force });
    await checkAssignee(this.store, actor, task, assignee);
    return this.claimTask(id, assignee, { force: options.force, by: actor?.id ?? null });
  }

  /** Gives an open task back to its candidates; staff only a task they hold. */
  async releaseTask(id: string, actor: Principal | null): Promise<TaskRow> {
    if (actor) checkTaskAction(actor, await this.getTask(id), 'unclaim');
    return this.unclaimTask(id, actor?.id ?? null);
  }

  /**
   * Writes process variables of an instance from outside, in one step (Camunda 7's process-instance variables):
   * `variables` are set, then `deletions` removed; the step's history names who did it. With an open incident too,
   * so the variables a failed expression needs can be set before its retry.
   */
  async setInstanceVariables(
    instanceId: string,
    change: { variables?: unknown; deletions?: readonly string[] },
    actor: Principal | null,
  ): Promise<InstanceView> {
    const vars = checkVariables(change.variables);
    if (actor) await checkInstanceVisible(this.store, actor, instanceId);
    const row = await this.store.instances.get(instanceId);
    if (!row) throw new InstanceNotFoundError(instanceId);
    const deletions = [...new Set(change.deletions ?? [])];
    return this.send(
      instanceId,
      { type: 'variables.set', elementId: row.definitionKey, variables: vars, deletions },
      actor?.id ?? null,
      { preconditions: [async (_tx, current) => checkInstanceVariables(current.variables, vars)] },
    );
  }

  /**
   * Writes process variables through an open task, in one step (Camunda 7 task variables without a local
   * scope belong to the process instance): `variables` are set, then `deletions` removed. The rule is the
   * one that completes the task, only who may work it; a task the caller cannot see does not exist for them.
   */
  async setTaskVariables(
    id: string,
    change: { variables?: unknown; deletions?: readonly string[] },
    actor: Principal | null,
  ): Promise<InstanceView> {
    const vars = checkVariables(change.variables);
    const task = await this.visibleTask(id, actor);
    if (actor) checkTaskAction(actor, task, 'complete');
    const deletions = [...new Set(change.deletions ?? [])];
    return this.send(
      task.instanceId,
      { type: 'variables.set', elementId: task.elementId, variables: vars, deletions },
      actor?.id ?? null,
      {
        preconditions: [
          async (tx, row) => {
            checkInstanceVariables(row.variables, vars);
            const status = await tx.tasks.statusOf(id);
            if (status === null) throw new TaskNotFoundError(id);
            if (status !== 'open') throw new TaskNotOpenError(id, status);
          },
        ],
      },
    );
  }

  /**
   * Offers an open task to one more candidate user or group, or takes a candidate away; the tasklist's
   * visibility follows the task's candidates. A supervisor's change (a null actor is the engine itself);
   * a user named by a user who is not an admin must exist, as for assignTask.
   */
  async changeTaskCandidate(
    id: string,
    change: { kind: 'user' | 'group'; id: string; remove?: boolean },
    actor: Principal | null,
  ): Promise<TaskRow> {
    await this.visibleTask(id, actor);
    if (actor && !holdsRole(actor, ['supervisor']))
      throw new ForbiddenError(`only a supervisor changes whom task '${id}' is offered to`);
    const { kind, id: value } = change;
    const named = !actor || actor.kind !== 'user' || actor.roles.includes('admin');
    if (!change.remove && !named) {
      if (kind === 'user' && !(await this.store.users.get(value))) throw new UserNotFoundError(value);
      if (kind === 'group' && !(await this.store.users.getGroup(value))) throw new GroupNotFoundError(value);
    }
    return this.committed(async (tx, notes) => {
      const open = await openTask(tx.tasks, id, tx.instances);
      const key = kind === 'user' ? 'candidateUsers' : 'candidateGroups';
      const next = change.remove ? open[key].filter((v) => v !== value) : [...new Set([...open[key], value])];
      await tx.tasks.update(id, { [key]: next });
      const now = this.clock.now().toISOString();
      await tx.history.append([
        {
          instanceId: open.instanceId,
          elementId: open.elementId,
          elementType: 'userTask',
          event: change.remove ? 'task.candidate.removed' : 'task.candidate.added',
          at: now,
          by: actor?.id ?? null,
          details: { taskId: id, [kind === 'user' ? 'userId' : 'groupId']: value },
        },
      ]);
      notes.push({
        type: 'task.candidates',
        instanceId: open.instanceId,
        definitionKey: open.definitionKey,
        elementId: open.elementId,
        taskId: id,
        at: now,
        data: { candidateUsers: open.candidateUsers, candidateGroups: open.candidateGroups, [key]: next },
      });
      return { ...open, [key]: next };
    });
  }

  /** The task, or TaskNotFoundError when the caller may not see it (its existence is not told). */
  private async visibleTask(id: string, actor: Principal | null): Promise<TaskRow> {
    const task = await this.getTask(id);
    if (actor && !canSeeTask(actor, task)) throw new TaskNotFoundError(id);
    return task;
  }

  /**
   * Assigns an open task to a user without the caller's rules (use assignTask for a caller's request);
   * claiming a task someone else holds is refused unless `force`. The assignee is compare-and-set, so of
   * two concurrent claims exactly one wins and the other is TASK_ALREADY_CLAIMED.
   */
  async claimTask(id: string, userId: string, options: { force?: boolean; by?: string | null } = {}): Promise<TaskRow> {
    return this.committed(async (tx, notes) => {
      const task = await openTask(tx.tasks, id, tx.instances);
      if (task.assignee && task.assignee !== userId && !options.force) throw new TaskClaimedError(id, task.assignee);
      if (!(await tx.tasks.assign(id, task.assignee, userId))) await throwChanged(tx.tasks, id, userId);
      const now = this.clock.now().toISOString();
      await tx.history.append([
        {
          instanceId: task.instanceId,
          elementId: task.elementId,
          elementType: 'userTask',
          event: options.force ? 'task.assigned' : 'task.claimed',
          at: now,
          by: options.by ?? userId,
          details: { taskId: id, assignee: userId },
        },
      ]);
      notes.push({
        type: 'task.assigned',
        instanceId: task.instanceId,
        definitionKey: task.definitionKey,
        elementId: task.elementId,
        taskId: id,
        at: now,
        data: { assignee: userId },
      });
      // work given by someone else reaches the assignee's inbox
      notes.push(...(await recordAssignment(tx, task, userId, options.by ?? null, now)));
      return { ...task, assignee: userId };
    });
  }

  async unclaimTask(id: string, by: string | null = null): Promise<TaskRow> {
    return this.committed(async (tx, notes) => {
      const task = await openTask(tx.tasks, id, tx.instances);
      if (!(await tx.tasks.assign(id, task.assignee, null))) await throwChanged(tx.tasks, id, null);
      const now = this.clock.now().toISOString();
      await tx.history.append([
        {
          instanceId: task.instanceId,
          elementId: task.elementId,
          elementType: 'userTask',
          event: 'task.unclaimed',
          at: now,
          by,
          details: { taskId: id },
        },
      ]);
      notes.push({
        type: 'task.assigned',
        instanceId: task.instanceId,
        definitionKey: task.definitionKey,
        elementId: task.elementId,
        taskId: id,
        at: now,
        data: { assignee: null },
      });
      return { ...task, assignee: null };
    });
  }

  /**
   * Runs fn in one transaction and publishes the notifications it collected only after the commit: the
   * one way engine code outside a step announces a change (a rolled-back change is never announced).
   */
  async committed<T>(fn: (tx: StoreTx, notes: EngineNotification[]) => Promise<T>): Promise<T> {
    const notes: EngineNotification[] = [];
    const result = await this.store.transaction((tx) => fn(tx, notes));
    this.publish(notes);
    return result;
  }

  /** Completes an open task with variables that satisfy its form; a task completed twice answers TaskNotOpenError. */
  /**
   * Completes a task; `within` runs inside the step's transaction with the instance as it is after the step.
   * `read` is the task as the caller has just read it (to check who may complete it), so it is not read twice;
   * whether it is still open is decided inside the step either way.
   */
  async completeTask(
    id: string,
    variables: unknown,
    by: string | null = null,
    within?: WithinStep,
    read?: TaskRow,
  ): Promise<InstanceView> {
    const vars = checkVariables(variables);
    const task = read?.id === id ? read : await this.getTask(id);
    await this.checkTaskForm(task, vars);
    const { instance } = await this.settleAfter(
      runStep(
        this.deps,
        task.instanceId,
        { type: 'task.completed', elementId: task.elementId, ...activationOf(task), variables: vars, by },
        {
          by,
          // the variable cap is checked on the row the step reads, so a completion reads the instance once
          preconditions: [
            async (tx, row) => {
              checkInstanceVariables(row.variables, vars);
              if (await tx.tasks.complete(id, by, this.clock.now().toISOString())) return;
              const status = await tx.tasks.statusOf(id);
              throw status === null ? new TaskNotFoundError(id) : new TaskNotOpenError(id, status);
            },
          ],
          concluded: withinStep(within),
        },
      ).catch((error: unknown) => this.refusedCompletion(error, id)),
    );
    this.publish([
      {
        type: 'task.completed',
        instanceId: task.instanceId,
        definitionKey: task.definitionKey,
        elementId: task.elementId,
        taskId: id,
        at: this.clock.now().toISOString(),
        data: { by },
      },
    ]);
    return toView(instance);
  }

  /**
   * Delivers a message to the oldest matching subscription (or to all with `all`). Nobody waiting: with a
   * time to live the message is buffered and delivered when a subscription opens, else MessageNotCorrelatedError.
   * A repeated `messageId` is acknowledged and ignored.
   */
  async correlateMessage(input: {
    name: string;
    correlationKey?: string | null;
    variables?: unknown;
    all?: boolean;
    by?: string | null;
    timeToLive?: string;
    timeToLiveMs?: number;
    messageId?: string | null;
  }): Promise<Published> {
    const variables = checkVariables(input.variables);
    const timeToLiveMs = input.timeToLive ? durationToMillis(input.timeToLive) : (input.timeToLiveMs ?? 0);
    return this.messages.publish({
      name: input.name,
      correlationKey: input.correlationKey ?? null,
      variables,
      timeToLiveMs,
      messageId: input.messageId ?? null,
      all: input.all ?? false,
      by: input.by ?? null,
    });
  }

  /**
   * Camunda 7 correlation: delivers a message to the waiting instances the selection matches; without `all`
   * exactly one must match (MessageAmbiguousError otherwise), and none is MessageNotCorrelatedError.
   */
  async correlateMessageWhere(
    input: MessageSelection & { variables?: unknown; localVariables?: unknown; all?: boolean; by?: string | null },
  ): Promise<{ instanceIds: string[]; started: boolean }> {
    const variables = checkVariables(input.variables);
    const locals = input.localVariables === undefined ? undefined : checkVariables(input.localVariables);
    const matches = await selectSubscriptions(this.store, input);
    if (matches.length === 0) {
      // nobody waits: a message start event starts an instance (with the business key), unless one instance was named
      const listening = input.instanceId
        ? 0
        : (await this.store.startEvents.listening('message', input.name, null, 2)).length;
      if (!input.all && listening > 1)
        throw new MessageAmbiguousError(input.name, listening, 'several process definitions start by this message');
      const started =
        listening === 0
          ? []
          : (
              await startByMessage(this.deps, {
                name: input.name,
                correlationKey: null,
                variables,
                businessKey: input.businessKey ?? null,
                by: input.by ?? null,
              })
            ).instanceIds;
      if (started.length > 0) return { instanceIds: started, started: true };
      throw new MessageNotCorrelatedError(input.name, null);
    }
    if (!input.all && matches.length > 1)
      throw new MessageAmbiguousError(input.name, matches.length, describeSelection(input));
    const instanceIds: string[] = [];
    for (const sub of matches) {
      await runStep(
        this.deps,
        sub.instanceId,
        {
          type: 'message.received',
          elementId: sub.elementId,
          ...activationOf(sub),
          variables,
          ...(locals ? { localVariables: locals } : {}),
        },
        { by: input.by ?? null },
      );
      instanceIds.push(sub.instanceId);
    }
    return { instanceIds, started: false };
  }

  /**
   * Broadcasts a signal to every definition and instance listening for it: starts an instance of each
   * definition with a signal start event for the name, and reaches every instance waiting for it (catch
   * events, boundaries, event-based gateways), with the variables. Up to `budget` receivers are reached
   * before this answers; the scheduler delivers to the rest (`complete: false`). Every entry point
   * (/api/signals, /engine-rest/signal, /v2/signals/broadcast, signal throw events) goes through the same fan-out.
   */
  async broadcastSignal(input: {
    name: string;
    variables?: unknown;
    by?: string | null;
    budget?: number;
  }): Promise<SignalOutcome> {
    const variables = checkVariables(input.variables);
    return this.signals.broadcast({ name: input.name, variables, by: input.by ?? null }, input.budget);
  }

  listIncidents(
    filter: {
      instanceId?: string;
      status?: 'open' | 'resolved';
      definitionKey?: string;
      visibleTo?: Visibility;
    } & Paging,
  ): Promise<Page<IncidentRow>> {
    return this.store.incidents.list(filter);
  }

  /** Resolves an incident: a failed job gets its retries back; a failed expression is evaluated again (with new variables if given). */
  async retryIncident(
    id: string,
    input: { variables?: unknown; retries?: number; by?: string | null; actor?: Principal | null } = {},
  ): Promise<IncidentRow> {
    const variables = checkVariables(input.variables);
    const incident = await this.store.incidents.get(id);
    if (!incident || incident.status !== 'open') throw new IncidentNotFoundError(id);
    if (input.actor !== undefined) await checkInstanceVisible(this.store, input.actor, incident.instanceId);
    // a calling instance's incident stands for its called instance's: retrying it retries the root cause
    if (incident.rootCauseIncidentId) {
      await this.retryIncident(incident.rootCauseIncidentId, input);
      return (await this.store.incidents.get(id))!;
    }
    // the machine decides: a job's own incident gives the job its retries back, any other re-enters the element
    await runStep(
      this.deps,
      incident.instanceId,
      {
        type: 'incident.retry',
        elementId: incident.triggerId ?? incident.elementId,
        variables,
        retries: input.retries ?? 1,
      },
      { jobId: incident.jobId, by: input.by ?? null },
    );
    // a job given its retries back is work again: long-polling workers of its type wake
    const job = incident.jobId ? await this.store.jobs.get(incident.jobId) : undefined;
    if (job?.status === 'pending') this.jobs.waiters.notify(job.type);
    return (await this.store.incidents.get(id))!;
  }

  registerHandler(type: string, handler: JobHandler): void {
    this.jobs.registerHandler(type, handler);
  }

  listJobs(filter: Parameters<Store['jobs']['list']>[0]): Promise<Page<JobRow>> {
    return this.store.jobs.list(filter);
  }

  /** Fires every due timer, runs every due in-process job and fires due SLA checks (when attached); the server calls it on a timer, tests after moving the clock. */
  tick(): Promise<{ timers: number; jobs: number; checks: number }> {
    return this.scheduler.tick();
  }

  start(pollMs = 250): void {
    this.scheduler.start(pollMs);
  }

  stop(): Promise<void> {
    this.jobs.waiters.releaseAll();
    return this.scheduler.stop();
  }

  // A step that opened a message subscription may take a buffered message at once; one that threw a signal delivers it.
  private async setSuspension(id: string, suspended: boolean, by: string | null): Promise<InstanceView> {
    const row = await this.committed(async (tx, notes) => {
      const current = await tx.instances.get(id);
      if (!current) throw new InstanceNotFoundError(id);
      if (current.status === 'completed' || current.status === 'terminated')
        throw new InstanceNotActiveError(id, current.status);
      if ((current.suspended ?? false) === suspended) return current;
      if (!(await tx.instances.setSuspended(id, suspended))) throw new InstanceNotActiveError(id, current.status);
      const now = this.clock.now().toISOString();
      const event = suspended ? 'instance.suspended' : 'instance.resumed';
      await tx.history.append([
        { instanceId: id, elementId: null, elementType: null, event, at: now, by, details: {} },
      ]);
      notes.push({ type: event, instanceId: id, definitionKey: current.definitionKey, at: now });
      return { ...current, suspended, version: current.version + 1 };
    });
    return toView(row);
  }

  private async settle(result: StepResult): Promise<StepResult> {
    const threw =
      result.effects.some((effect) => effect.type === 'signal.throw') && (await this.signals.deliverPending()) > 0;
    if (!result.effects.some((effect) => effect.type === 'message.subscribe') && !threw) return result;
    if ((await this.messages.deliverBuffered()) === 0 && !threw) return result;
    const instance = await this.store.instances.get(result.instance.id);
    return instance ? { ...result, instance } : result;
  }

  /** A completion the step's statement refused (the task was no longer open) answers as the step's own check does. */
  private async refusedCompletion(error: unknown, id: string): Promise<never> {
    if (!(error instanceof TaskCompletionRefusedError)) throw error;
    const status = await this.store.tasks.statusOf(id);
    throw status === null ? new TaskNotFoundError(id) : new TaskNotOpenError(id, status);
  }

  private async settleAfter(step: Promise<StepResult>): Promise<StepResult> {
    return this.settle(await step);
  }

  // A task no longer open is refused in the step (TASK_NOT_OPEN), not by its form.
  private async checkTaskForm(task: TaskRow, data: Record<string, unknown>): Promise<void> {
    if (task.status !== 'open' || !task.formKey) return;
    const instance = await this.getInstance(task.instanceId);
    await checkFormData(this.forms, this.store, {
      formKey: task.formKey,
      owner: { definitionId: instance.definitionId, definitionKey: instance.definitionKey },
      data,
      variables: { ...instance.variables, ...task.inputs },
      now: this.clock.now().toISOString(),
      instanceStartedAt: instance.startedAt,
      instanceId: instance.id,
    });
  }

  /** Announces committed changes to live listeners (the event stream); call only after the commit. */
  publish(notes: EngineNotification[]): void {
    for (const note of notes) {
      if (note.type === 'job.created' || note.type === 'job.released')
        this.jobs.waiters.notify(String(note.data?.jobType));
      this.events.emit('notification', note);
    }
  }
}

/** What the API shows of an instance. */
export function toView(row: InstanceRow): InstanceView {
  return {
    id: row.id,
    definitionId: row.definitionId,
    definitionKey: row.definitionKey,
    businessKey: row.businessKey,
    status: row.status,
    activeElements: row.activeElements,
    variables: row.variables,
    startedAt: row.startedAt,
    endedAt: row.endedAt,
    parentInstanceId: row.parentInstanceId ?? null,
    rootInstanceId: row.rootInstanceId ?? row.id,
    callActivityId: row.callerElementId ?? null,
    suspended: row.suspended ?? false,
  };
}

// helpers

/** A caller's `within` as the command's concluded work: it sees the instance as all the steps it caused left it. */
function withinStep(within: WithinStep | undefined): SettledHandler[] {
  return within ? [({ tx }, row) => within(tx, toView(row))] : [];
}

/** A running called instance is cancelled only with its parent (or its call activity), never alone. */
async function refuseCalledCancel(store: Store, id: string): Promise<void> {
  const row = await store.instances.get(id);
  if (!row?.parentInstanceId || (row.status !== 'active' && row.status !== 'incident')) return;
  const parent = await store.instances.get(row.parentInstanceId);
  if (parent && (parent.status === 'active' || parent.status === 'incident'))
    throw new CalledInstanceCancelError(id, row.parentInstanceId);
}

/** The message a send job carries (planned by the machine as `{ message: { name, correlationKey, variables } }`). */
function sentMessageOf(inputs: Record<string, unknown>): {
  name: string;
  correlationKey: string | null;
  variables: Record<string, unknown>;
} {
  const message = inputs.message;
  if (typeof message !== 'object' || message === null) throw new Error('the send job carries no message');
  const { name, correlationKey, variables } = message as Record<string, unknown>;
  if (typeof name !== 'string') throw new Error("the send job's message has no name");
  return {
    name,
    correlationKey: typeof correlationKey === 'string' ? correlationKey : null,
    variables: typeof variables === 'object' && variables !== null ? { ...variables } : {},
  };
}

// The compare-and-set lost: someone else changed the task between our read and our write.
async function throwChanged(tasks: Store['tasks'], id: string, wanted: string | null): Promise<never> {
  const now = await openTask(tasks, id);
  if (now.assignee !== null && now.assignee !== wanted) throw new TaskClaimedError(id, now.assignee);
  throw new TaskChangedError(id);
}

async function openTask(tasks: Store['tasks'], id: string, instances?: Store['instances']): Promise<TaskRow> {
  const task = await tasks.get(id);
  if (!task) throw new TaskNotFoundError(id);
  if (task.status !== 'open') throw new TaskNotOpenError(id, task.status);
  // a task of a suspended instance is suspended with it: it is not claimed, released or re-offered
  if (instances && (await instances.get(task.instanceId))?.suspended) throw new InstanceSuspendedError(task.instanceId);
  return task;
}

/** The ad-hoc sub-process an element belongs to, or null. */
function adHocOwner(adHoc: Record<string, string[]>, elementId: string): string | null {
  return Object.entries(adHoc).find(([, inner]) => inner.includes(elementId))?.[0] ?? null;
}

/**
 * The start event a start names: one of the process's top-level start events (none, message, signal or
 * timer: each starts the instance at its own place); undefined: the none start event.
 */
function chosenStart(
  compiled: CompiledProcess,
  startEventId: string | undefined,
  definitionId: string,
): CompiledProcess['starts'][number] | undefined {
  if (startEventId === undefined) return undefined;
  // a multiple start event is started at by its first trigger's one-definition start event
  const owners = compiled.elementOwners ?? {};
  const start =
    compiled.starts.find((s) => s.elementId === startEventId) ??
    compiled.starts.find((s) => owners[s.elementId] === startEventId);
  if (!start || owners[startEventId])
    throw new StartEventUnknownError(
      [...new Set(compiled.starts.map((s) => owners[s.elementId] ?? s.elementId))],
      startEventId,
      definitionId,
    );
  return start;
}
