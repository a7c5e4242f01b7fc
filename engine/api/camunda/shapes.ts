/** Our rows in the shapes Camunda 7 REST clients read: tasks, external tasks, instances, definitions. */
import type { DeployedDefinition, InstanceView, JobContext } from '../../runtime/index.js';
import type { TaskRow } from '../../store/index.js';
import { toTypedValues } from './typed-values.js';

/** Camunda's date format: `2026-11-23T09:00:00.000+0000`. */
export function camundaDate(iso: string | null): string | null {
  return iso === null ? null : iso.replace(/Z$/, '+0000');
}

const TASK_STATES: Record<string, string> = { open: 'Created', completed: 'Completed', cancelled: 'Deleted' };

/** A Camunda task object. */
/** A Camunda task object; `suspended` when its instance is. */
export function toCamundaTask(task: TaskRow, suspended = false) {
  return {
    id: task.id,
    name: task.name,
    assignee: task.assignee,
    owner: null,
    created: camundaDate(task.createdAt),
    due: camundaDate(task.due),
    followUp: camundaDate(task.followUp),
    delegationState: null,
    description: null,
    executionId: task.instanceId,
    parentTaskId: null,
    priority: task.priority,
    processDefinitionId: null,
    processInstanceId: task.instanceId,
    taskDefinitionKey: task.elementId,
    formKey: task.formKey,
    suspended,
    tenantId: null,
    caseDefinitionId: null,
    caseExecutionId: null,
    caseInstanceId: null,
    lastUpdated: null,
    camundaFormRef: null,
    taskState: TASK_STATES[task.status] ?? null,
  };
}

/** A Camunda external task object, with the instance's variables and the job's inputs as typed values. */
export function toCamundaExternalTask(
  { job, variables, definitionId, businessKey }: JobContext,
  topicName: string,
  filter: string[] | null,
) {
  const all = { ...variables, ...job.inputs };
  const picked = filter ? Object.fromEntries(Object.entries(all).filter(([name]) => filter.includes(name))) : all;
  return {
    id: job.id,
    topicName,
    workerId: job.workerId,
    processInstanceId: job.instanceId,
    processDefinitionId: definitionId ?? null,
    processDefinitionKey: job.definitionKey,
    processDefinitionVersionTag: null,
    activityId: job.elementId,
    activityInstanceId: `${job.elementId}:${job.id}`,
    executionId: job.instanceId,
    retries: job.retries,
    errorMessage: job.errorMessage,
    errorDetails: null,
    lockExpirationTime: camundaDate(job.lockedUntil),
    createTime: camundaDate(job.createdAt),
    priority: 0,
    businessKey: businessKey ?? null,
    tenantId: null,
    suspended: false,
    variables: toTypedValues(picked),
  };
}

/** A Camunda process instance object. */
export function toCamundaInstance(
  instance: Pick<InstanceView, 'id' | 'definitionId' | 'definitionKey' | 'businessKey' | 'status'> & {
    suspended?: boolean;
  },
) {
  return {
    links: [],
    id: instance.id,
    definitionId: instance.definitionId,
    definitionKey: instance.definitionKey,
    businessKey: instance.businessKey,
    caseInstanceId: null,
    ended: instance.status === 'completed' || instance.status === 'terminated',
    suspended: instance.suspended ?? false,
    tenantId: null,
  };
}

/** A Camunda process definition object as listed in a deployment. */
export function toCamundaDefinition(def: DeployedDefinition, deploymentId: string, resource: string) {
  return {
    id: def.id,
    key: def.key,
    version: def.version,
    name: def.name,
    category: null,
    description: null,
    deploymentId,
    resource,
    diagram: null,
    suspended: false,
    tenantId: null,
    versionTag: null,
    historyTimeToLive: null,
    startableInTasklist: true,
  };
}

/** Loose response schema for a Camunda object: documented keys, nothing stripped. */
export function camundaObject(description: string) {
  return { type: 'object', description, additionalProperties: true } as const;
}

/** The body schema of Camunda typed variables. */
export const typedVariablesSchema = {
  type: ['object', 'null'],
  description:
    'name → { value, type: String | Integer | Long | Double | Boolean | Date | Json | Object (application/json) | Null, valueInfo }; null for none',
  additionalProperties: {
    type: 'object',
    properties: { value: {}, type: { type: ['string', 'null'] }, valueInfo: { type: ['object', 'null'] } },
    additionalProperties: false,
  },
} as const;
