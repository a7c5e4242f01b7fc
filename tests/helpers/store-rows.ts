import { randomUUID } from 'node:crypto';
import type {
  DefinitionRow,
  IncidentRow,
  InstanceRow,
  JobRow,
  Store,
  SubscriptionRow,
  TaskRow,
  TimerRow,
} from '../../engine/store/index.js';

/** A fixed instant tests count from. */
export const T0 = '2026-11-23T09:00:00.000Z';

/** T0 plus the given minutes, as an ISO string. */
export function at(minutes: number): string {
  return new Date(Date.parse(T0) + minutes * 60_000).toISOString();
}

/** A short unique id with a readable prefix. */
export function uid(prefix: string): string {
  return `${prefix}_${randomUUID().slice(0, 8)}`;
}

/** A definition row with a unique key. */
export function aDefinition(over: Partial<DefinitionRow> = {}): DefinitionRow {
  const key = over.key ?? uid('Process');
  const version = over.version ?? 1;
  return {
    id: `${key}:${version}`,
    key,
    version,
    name: 'Complaint handling',
    hash: 'a'.repeat(64),
    xml: '<definitions/>',
    deployedAt: T0,
    deployedBy: 'owner',
    ...over,
  };
}

/** An active instance row of the given definition. */
export function anInstance(definition: DefinitionRow, over: Partial<InstanceRow> = {}): InstanceRow {
  return {
    id: uid('inst'),
    definitionId: definition.id,
    definitionKey: definition.key,
    businessKey: null,
    status: 'active',
    snapshot: { value: 'Task_review', context: {} },
    variables: {},
    activeElements: ['Task_review'],
    version: 0,
    startedAt: T0,
    endedAt: null,
    startedBy: 'ann',
    parentInstanceId: null,
    rootInstanceId: null,
    callerElementId: null,
    callerActivationId: null,
    ...over,
  };
}

/** Inserts a fresh definition and one instance of it. */
export async function seedInstance(store: Store, over: Partial<InstanceRow> = {}): Promise<InstanceRow> {
  const definition = aDefinition();
  await store.definitions.insert(definition);
  const instance = anInstance(definition, over);
  await store.instances.insert(instance);
  return instance;
}

/** An open task row of the instance. */
export function aTask(instance: InstanceRow, over: Partial<TaskRow> = {}): TaskRow {
  return {
    id: uid('task'),
    instanceId: instance.id,
    definitionKey: instance.definitionKey,
    elementId: 'Task_review',
    name: 'Review complaint',
    status: 'open',
    assignee: null,
    candidateUsers: [],
    candidateGroups: [],
    priority: 50,
    due: null,
    followUp: null,
    formKey: null,
    inputs: {},
    createdAt: T0,
    endedAt: null,
    completedBy: null,
    activationId: null,
    ...over,
  };
}

/** An unlocked timer row of the instance. */
export function aTimer(instance: InstanceRow, over: Partial<TimerRow> = {}): TimerRow {
  return {
    id: uid('timer'),
    instanceId: instance.id,
    elementId: 'Timer_wait',
    activationId: null,
    due: T0,
    repeat: null,
    lockedBy: null,
    lockedUntil: null,
    ...over,
  };
}

/** A pending job row of the instance. */
export function aJob(instance: InstanceRow, over: Partial<JobRow> = {}): JobRow {
  return {
    id: uid('job'),
    instanceId: instance.id,
    definitionKey: instance.definitionKey,
    elementId: 'Task_notify',
    type: 'mail',
    status: 'pending',
    retries: 3,
    due: T0,
    inputs: {},
    workerId: null,
    lockedUntil: null,
    errorMessage: null,
    createdAt: T0,
    activationId: null,
    ...over,
  };
}

/** A message subscription row of the instance. */
export function aSubscription(instance: InstanceRow, over: Partial<SubscriptionRow> = {}): SubscriptionRow {
  return {
    id: uid('sub'),
    instanceId: instance.id,
    elementId: 'Event_reply',
    activationId: null,
    messageName: 'customer.replied',
    correlationKey: null,
    createdAt: T0,
    ...over,
  };
}

/** An open incident row of the instance. */
export function anIncident(instance: InstanceRow, over: Partial<IncidentRow> = {}): IncidentRow {
  return {
    id: uid('inc'),
    instanceId: instance.id,
    definitionKey: instance.definitionKey,
    elementId: 'Task_notify',
    code: 'JOB_FAILED',
    message: 'mail server down',
    jobId: null,
    status: 'open',
    createdAt: T0,
    resolvedAt: null,
    causeIncidentId: null,
    rootCauseIncidentId: null,
    triggerId: null,
    ...over,
  };
}
