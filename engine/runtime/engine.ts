/**
 * The engine facade: deploy, start, work tasks, correlate messages, run jobs, fire timers.
 * Every state change goes through runStep; the API and CLI use only this class.
 */
import { EventEmitter } from 'node:events';
import type { EngineEvent } from '../compile/index.js';
import type { DefinitionRow, HistoryRow, IncidentRow, InstanceRow, InstanceStatus, JobRow, Page, Paging, Store, TaskRow, TaskStatus, Visibility } from '../store/index.js';
import { systemClock, type Clock } from './clock.js';
import { DefinitionRegistry, type DeployedDefinition } from './definitions.js';
import type { EffectHooks, EngineNotification } from './effect-executor.js';
import { DefinitionNotFoundError, IncidentNotFoundError, InstanceNotFoundError, TaskClaimedError, TaskNotFoundError, TaskNotOpenError } from './errors.js';
import { checkFormData, noForms, type FormsPort } from './forms/index.js';
import { JobService, type JobHandler } from './jobs.js';
import { MessageBuffer, type Published } from './messages/message-buffer.js';
import { Scheduler } from './scheduler.js';
import { mayStart, StartForbiddenError, type Starter } from './starters.js';
import { runStep, startInstance, type StepDeps, type StepOptions, type StepResult } from './step.js';
import { checkVariables } from './variables.js';

export interface EngineOptions {
  store: Store;
  clock?: Clock;
  /** Identifies this node in timer and job locks. */
  nodeId?: string;
  hooks?: EffectHooks;
  /** Where start and task forms are found; every start and completion is checked against its form (default: no forms). */
  forms?: FormsPort;
  logger?: { info(o: unknown, m?: string): void; warn(o: unknown, m?: string): void; error(o: unknown, m?: string): void };
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
}

/** A process a person may start, as the tasklist's "New case" lists it. */
export interface StartableProcess {
  definitionId: string;
  definitionKey: string;
  name: string | null;
  version: number;
  startFormKey: string | null;
}

export class Engine {
  readonly store: Store;
  readonly clock: Clock;
  readonly definitions: DefinitionRegistry;
  readonly events = new EventEmitter();
  readonly jobs: JobService;
  readonly scheduler: Scheduler;
  readonly nodeId: string;
  readonly forms: FormsPort;
  private readonly deps: StepDeps;
  private readonly messages: MessageBuffer;

  constructor(options: EngineOptions) {
    this.store = options.store;
    this.clock = options.clock ?? systemClock;
    this.nodeId = options.nodeId ?? `node-${process.pid}`;
    this.forms = options.forms ?? noForms;
    this.events.setMaxListeners(1000);
    this.definitions = new DefinitionRegistry(this.store, this.clock);
    this.deps = {
      store: this.store, registry: this.definitions, clock: this.clock, hooks: options.hooks ?? {},
      publish: (notes) => this.publish(notes),
    };
    this.jobs = new JobService(this.deps, options.logger);
    this.scheduler = new Scheduler(this.deps, this.jobs, this.nodeId, options.logger);
    this.messages = new MessageBuffer(this.deps);
    this.scheduler.addSource(() => this.messages.deliverBuffered());
  }

  /** Lets other services (the SLA clock) own some effects. */
  setHooks(hooks: EffectHooks): void {
    Object.assign(this.deps.hooks, hooks);
  }

  deploy(xml: string, by: string | null = null): Promise<DeployedDefinition[]> {
    return this.definitions.deploy(xml, by);
  }

  listDefinitions(filter: { key?: string; latestOnly?: boolean } & Paging): Promise<Page<Omit<DefinitionRow, 'xml'>>> {
    return this.store.definitions.list(filter);
  }

  /** A deployed version with its XML. */
  async getDefinition(id: string): Promise<DefinitionRow> {
    const row = await this.store.definitions.get(id);
    if (!row) throw new DefinitionNotFoundError(id);
    return row;
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
  async startInstance(input: { definitionKey?: string; definitionId?: string; variables?: unknown; businessKey?: string | null; by?: string | null; starter?: Starter }): Promise<InstanceView> {
    const variables = checkVariables(input.variables);
    const def = input.definitionId ? await this.definitions.load(input.definitionId) : await this.definitions.latest(input.definitionKey ?? '');
    if (input.starter && !mayStart(def.compiled.starters, input.starter)) throw new StartForbiddenError(def.row.key, input.starter.id);
    await checkFormData(this.forms, this.store, {
      formKey: def.compiled.startFormKey, owner: { definitionId: def.row.id, definitionKey: def.row.key },
      data: variables, variables: {}, now: this.clock.now().toISOString(),
    });
    const { instance } = await this.settle(await startInstance(this.deps, def, { variables, businessKey: input.businessKey ?? null, by: input.by ?? null }));
    return toView(instance);
  }

  /** The latest version of every process this person may start, with its start form. */
  async startableProcesses(starter: Starter): Promise<StartableProcess[]> {
    const latest = await this.store.definitions.list({ latestOnly: true, offset: 0, limit: 1000 });
    const startable: StartableProcess[] = [];
    for (const row of latest.items) {
      const def = await this.definitions.load(row.id);
      if (!mayStart(def.compiled.starters, starter)) continue;
      startable.push({ definitionId: row.id, definitionKey: row.key, name: row.name, version: row.version, startFormKey: def.compiled.startFormKey });
    }
    return startable;
  }

  async getInstance(id: string): Promise<InstanceView> {
    const row = await this.store.instances.get(id);
    if (!row) throw new InstanceNotFoundError(id);
    return toView(row);
  }

  async listInstances(filter: { definitionKey?: string; status?: InstanceStatus; businessKey?: string; visibleTo?: Visibility } & Paging): Promise<Page<InstanceView>> {
    const page = await this.store.instances.list(filter);
    return { items: page.items.map(toView), total: page.total };
  }

  async history(id: string): Promise<HistoryRow[]> {
    await this.getInstance(id);
    return this.store.history.list(id);
  }

  async cancelInstance(id: string, by: string | null = null): Promise<InstanceView> {
    return toView((await runStep(this.deps, id, { type: 'instance.cancel' }, { by })).instance);
  }

  /** Sends an event to an instance (tests, tools and the SLA clock, whose `before` records the breach in the same transaction). */
  async send(instanceId: string, event: EngineEvent, by: string | null = null, options: Omit<StepOptions, 'by'> = {}): Promise<InstanceView> {
    return toView((await this.settle(await runStep(this.deps, instanceId, event, { ...options, by }))).instance);
  }

  listTasks(filter: { assignee?: string; candidateUser?: string; candidateGroups?: string[]; instanceId?: string; definitionKey?: string; status?: TaskStatus; visibleTo?: Visibility } & Paging): Promise<Page<TaskRow>> {
    return this.store.tasks.list(filter);
  }

  async getTask(id: string): Promise<TaskRow> {
    const task = await this.store.tasks.get(id);
    if (!task) throw new TaskNotFoundError(id);
    return task;
  }

  /** Assigns an open task to a user; claiming a task someone else holds is refused unless `force` (a supervisor's reassignment). */
  async claimTask(id: string, userId: string, options: { force?: boolean; by?: string | null } = {}): Promise<TaskRow> {
    return this.store.transaction(async (tx) => {
      const task = await openTask(tx.tasks, id);
      if (task.assignee && task.assignee !== userId && !options.force) throw new TaskClaimedError(id, task.assignee);
      await tx.tasks.update(id, { assignee: userId });
      const now = this.clock.now().toISOString();
      await tx.history.append([{ instanceId: task.instanceId, elementId: task.elementId, elementType: 'userTask', event: options.force ? 'task.assigned' : 'task.claimed', at: now, by: options.by ?? userId, details: { taskId: id, assignee: userId } }]);
      this.publish([{ type: 'task.assigned', instanceId: task.instanceId, definitionKey: task.definitionKey, elementId: task.elementId, taskId: id, at: now, data: { assignee: userId } }]);
      return { ...task, assignee: userId };
    });
  }

  async unclaimTask(id: string, by: string | null = null): Promise<TaskRow> {
    return this.store.transaction(async (tx) => {
      const task = await openTask(tx.tasks, id);
      await tx.tasks.update(id, { assignee: null });
      const now = this.clock.now().toISOString();
      await tx.history.append([{ instanceId: task.instanceId, elementId: task.elementId, elementType: 'userTask', event: 'task.unclaimed', at: now, by, details: { taskId: id } }]);
      this.publish([{ type: 'task.assigned', instanceId: task.instanceId, definitionKey: task.definitionKey, elementId: task.elementId, taskId: id, at: now, data: { assignee: null } }]);
      return { ...task, assignee: null };
    });
  }

  /** Completes an open task with variables that satisfy its form; a task completed twice answers TaskNotOpenError. */
  async completeTask(id: string, variables: unknown, by: string | null = null): Promise<InstanceView> {
    const vars = checkVariables(variables);
    const task = await this.getTask(id);
    await this.checkTaskForm(task, vars);
    const { instance } = await this.settleAfter(runStep(this.deps, task.instanceId, { type: 'task.completed', elementId: task.elementId, variables: vars, by }, {
      by,
      before: async (tx) => {
        const status = await tx.tasks.statusOf(id);
        if (status !== 'open') throw status === null ? new TaskNotFoundError(id) : new TaskNotOpenError(id, status);
        await tx.tasks.update(id, { status: 'completed', endedAt: this.clock.now().toISOString(), completedBy: by });
      },
    }));
    this.publish([{ type: 'task.completed', instanceId: task.instanceId, definitionKey: task.definitionKey, elementId: task.elementId, taskId: id, at: this.clock.now().toISOString(), data: { by } }]);
    return toView(instance);
  }

  /**
   * Delivers a message to the oldest matching subscription (or to all with `all`). Nobody waiting: with a
   * time to live the message is buffered and delivered when a subscription opens, else MessageNotCorrelatedError.
   * A repeated `messageId` is acknowledged and ignored.
   */
  async correlateMessage(input: { name: string; correlationKey?: string | null; variables?: unknown; all?: boolean; by?: string | null; timeToLiveMs?: number; messageId?: string | null }): Promise<Published> {
    const variables = checkVariables(input.variables);
    return this.messages.publish({
      name: input.name, correlationKey: input.correlationKey ?? null, variables, timeToLiveMs: input.timeToLiveMs ?? 0,
      messageId: input.messageId ?? null, all: input.all ?? false, by: input.by ?? null,
    });
  }

  listIncidents(filter: { instanceId?: string; status?: 'open' | 'resolved'; definitionKey?: string } & Paging): Promise<Page<IncidentRow>> {
    return this.store.incidents.list(filter);
  }

  /** Resolves an incident: a failed job gets its retries back; a failed expression is evaluated again (with new variables if given). */
  async retryIncident(id: string, input: { variables?: unknown; retries?: number; by?: string | null } = {}): Promise<IncidentRow> {
    const variables = checkVariables(input.variables);
    const incident = await this.store.incidents.get(id);
    if (!incident || incident.status !== 'open') throw new IncidentNotFoundError(id);
    if (incident.jobId) await this.jobs.retry(incident, input.retries ?? 1, variables, input.by ?? null);
    else await runStep(this.deps, incident.instanceId, { type: 'incident.retry', elementId: incident.elementId, variables }, { by: input.by ?? null });
    return (await this.store.incidents.get(id))!;
  }

  registerHandler(type: string, handler: JobHandler): void {
    this.jobs.registerHandler(type, handler);
  }

  listJobs(filter: { instanceId?: string; status?: JobRow['status']; type?: string } & Paging): Promise<Page<JobRow>> {
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
    return this.scheduler.stop();
  }

  // A step that opened a message subscription may take a buffered message at once.
  private async settle(result: StepResult): Promise<StepResult> {
    if (!result.effects.some((effect) => effect.type === 'message.subscribe')) return result;
    if ((await this.messages.deliverBuffered()) === 0) return result;
    const instance = await this.store.instances.get(result.instance.id);
    return instance ? { ...result, instance } : result;
  }

  private async settleAfter(step: Promise<StepResult>): Promise<StepResult> {
    return this.settle(await step);
  }

  // A task no longer open is refused in the step (TASK_NOT_OPEN), not by its form.
  private async checkTaskForm(task: TaskRow, data: Record<string, unknown>): Promise<void> {
    if (task.status !== 'open' || !task.formKey) return;
    const instance = await this.getInstance(task.instanceId);
    await checkFormData(this.forms, this.store, {
      formKey: task.formKey, owner: { definitionId: instance.definitionId, definitionKey: instance.definitionKey },
      data, variables: { ...instance.variables, ...task.inputs }, now: this.clock.now().toISOString(), instanceStartedAt: instance.startedAt,
    });
  }

  private publish(notes: EngineNotification[]): void {
    for (const note of notes) this.events.emit('notification', note);
  }
}

/** What the API shows of an instance. */
export function toView(row: InstanceRow): InstanceView {
  return {
    id: row.id, definitionId: row.definitionId, definitionKey: row.definitionKey, businessKey: row.businessKey, status: row.status,
    activeElements: row.activeElements, variables: row.variables, startedAt: row.startedAt, endedAt: row.endedAt,
  };
}

// helpers

async function openTask(tasks: Store['tasks'], id: string): Promise<TaskRow> {
  const task = await tasks.get(id);
  if (!task) throw new TaskNotFoundError(id);
  if (task.status !== 'open') throw new TaskNotOpenError(id, task.status);
  return task;
}
