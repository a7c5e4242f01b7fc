/**
 * Camunda 7 external task endpoints, enough for camunda-external-task-client-js and similar workers:
 * fetchAndLock with long polling and topic filters, lock, extendLock, unlock, complete, failure,
 * bpmnError, retries and the query. Topics are our job types.
 */
import type { FromSchema } from 'json-schema-to-ts';
import type { FastifyReply } from 'fastify';
import type { Engine, JobContext, JobFetchFilter } from '../../runtime/index.js';
import { canSeeInstance, MAX_LONG_POLL_MS } from '../../runtime/index.js';
import type { JobRow, JobStatus } from '../../store/index.js';
import { actorId, type Actor } from '../actor.js';
import { ApiError } from '../problem.js';
import { idParams, strictObject, type RoutePlugin } from '../schemas.js';
import { checkInstanceVisible, visibilityOf } from '../scopes.js';
import { camundaObject, toCamundaExternalTask, typedVariablesSchema } from './shapes.js';
import { fromTypedValues } from './typed-values.js';

const workerId = { type: 'string', minLength: 1, maxLength: 255 } as const;
const strings = { type: ['array', 'null'], items: { type: 'string' } } as const;
const nullableStr = { type: ['string', 'null'] } as const;
const nullableBool = { type: ['boolean', 'null'] } as const;

// Every field Camunda documents is named; an unknown one is refused (400) rather than ignored.
const topicSchema = strictObject(
  {
    topicName: { type: 'string', minLength: 1 },
    lockDuration: { type: 'integer', minimum: 1 },
    variables: strings,
    localVariables: nullableBool,
    businessKey: nullableStr,
    processDefinitionId: nullableStr,
    processDefinitionIdIn: strings,
    processDefinitionKey: nullableStr,
    processDefinitionKeyIn: strings,
    processDefinitionVersionTag: nullableStr,
    withoutTenantId: nullableBool,
    tenantIdIn: strings,
    processVariables: { type: ['object', 'null'], additionalProperties: true },
    deserializeValues: nullableBool,
    includeExtensionProperties: nullableBool,
  },
  ['topicName', 'lockDuration'],
);
const fetchBody = strictObject(
  {
    workerId,
    maxTasks: { type: 'integer', minimum: 0, maximum: 100, default: 10 },
    usePriority: nullableBool,
    asyncResponseTimeout: { type: ['integer', 'null'], minimum: 0, maximum: MAX_LONG_POLL_MS },
    topics: { type: 'array', maxItems: 50, items: topicSchema },
    sorting: {
      type: ['array', 'null'],
      items: strictObject({
        sortBy: { type: 'string', enum: ['createTime'] },
        sortOrder: { type: 'string', enum: ['asc', 'desc'] },
      }),
    },
  },
  ['workerId', 'topics'],
);
const completeBody = strictObject({ workerId, variables: typedVariablesSchema, localVariables: typedVariablesSchema }, [
  'workerId',
]);
const failureBody = strictObject(
  {
    workerId,
    errorMessage: nullableStr,
    errorDetails: nullableStr,
    retries: { type: ['integer', 'null'], minimum: 0 },
    retryTimeout: { type: ['integer', 'null'], minimum: 0 },
    variables: typedVariablesSchema,
    localVariables: typedVariablesSchema,
  },
  ['workerId'],
);
const bpmnErrorBody = strictObject(
  { workerId, errorCode: { type: 'string', minLength: 1 }, errorMessage: nullableStr, variables: typedVariablesSchema },
  ['workerId', 'errorCode'],
);
const lockBody = strictObject({ workerId, lockDuration: { type: 'integer', minimum: 1 } }, [
  'workerId',
  'lockDuration',
]);
const extendBody = strictObject({ workerId, newDuration: { type: 'integer', minimum: 1 } }, [
  'workerId',
  'newDuration',
]);
const retriesBody = strictObject({ retries: { type: 'integer', minimum: 0 } }, ['retries']);
const query = strictObject({
  externalTaskId: { type: 'string' },
  topicName: { type: 'string' },
  workerId: { type: 'string' },
  processInstanceId: { type: 'string' },
  activityId: { type: 'string' },
  locked: { type: 'boolean' },
  notLocked: { type: 'boolean' },
  noRetriesLeft: { type: 'boolean' },
  withRetriesLeft: { type: 'boolean' },
  firstResult: { type: 'integer', minimum: 0, default: 0 },
  maxResults: { type: 'integer', minimum: 0, maximum: 1000, default: 100 },
});

interface Topic {
  topicName: string;
  lockDuration: number;
  variables?: string[] | null;
  localVariables?: boolean | null;
  businessKey?: string | null;
  processDefinitionId?: string | null;
  processDefinitionIdIn?: string[] | null;
  processDefinitionKey?: string | null;
  processDefinitionKeyIn?: string[] | null;
  processDefinitionVersionTag?: string | null;
  withoutTenantId?: boolean | null;
  tenantIdIn?: string[] | null;
  processVariables?: Record<string, unknown> | null;
  includeExtensionProperties?: boolean | null;
}
type FetchBody = FromSchema<typeof fetchBody>;
interface Query {
  externalTaskId?: string;
  topicName?: string;
  workerId?: string;
  processInstanceId?: string;
  activityId?: string;
  locked?: boolean;
  notLocked?: boolean;
  noRetriesLeft?: boolean;
  withRetriesLeft?: boolean;
  firstResult: number;
  maxResults: number;
}
type CamundaTask = ReturnType<typeof toCamundaExternalTask> & { extensionProperties?: Record<string, string> };

const worker = { auth: { roles: ['worker' as const] } };
const readers = { auth: { roles: ['worker' as const, 'supervisor' as const, 'owner' as const] } };
const operators = { auth: { roles: ['supervisor' as const, 'owner' as const, 'worker' as const] } };
const ACTIVE: JobStatus[] = ['pending', 'locked', 'failed'];

/** External task routes in Camunda's shape. */
export const camundaExternalTaskRoutes: RoutePlugin<{ engine: Engine }> = async (app, { engine }) => {
  const tags = ['camunda-compat'];
  const closing = new AbortController();
  app.addHook('onClose', async () => closing.abort());

  app.post(
    '/external-task/fetchAndLock',
    {
      config: worker,
      schema: {
        tags,
        summary:
          'Fetch and lock external tasks by topic; with asyncResponseTimeout an empty answer waits for work (Camunda 7 compatible)',
        body: fetchBody,
        response: { 200: { type: 'array', items: camundaObject('Camunda external task') } },
      },
    },
    async (request, reply) => {
      const body = request.body;
      checkFetch(body);
      const types = body.topics.map((t) => t.topicName);
      const fetch = () => fetchByTopics(engine, body);
      if (!body.asyncResponseTimeout) return fetch();
      return engine.jobs.awaitJobs(
        types,
        body.asyncResponseTimeout,
        fetch,
        AbortSignal.any([closing.signal, disconnected(reply)]),
      );
    },
  );

  app.get(
    '/external-task',
    {
      config: readers,
      schema: {
        tags,
        summary: 'Query external tasks that are not completed (Camunda 7 compatible)',
        querystring: query,
        response: { 200: { type: 'array', items: camundaObject('Camunda external task') } },
      },
    },
    async (request) => {
      const q = request.query;
      const visibleTo = visibilityOf(request.actor);
      const jobs = q.externalTaskId
        ? await oneJob(engine, q.externalTaskId)
        : (
            await engine.listJobs({
              type: q.topicName,
              workerId: q.workerId,
              instanceId: q.processInstanceId,
              elementId: q.activityId,
              ...statusFilter(q),
              offset: q.firstResult,
              limit: q.maxResults,
              visibleTo,
            })
          ).items;
      // a supervisor of some groups sees the jobs of the instances they may see, as on /api/jobs
      const seen = q.externalTaskId && visibleTo ? await visibleJobs(engine, request.actor, jobs) : jobs;
      return Promise.all(seen.filter((job) => matchesQuery(job, q)).map((job) => describeJob(engine, job)));
    },
  );

  app.get(
    '/external-task/:id',
    {
      config: readers,
      schema: {
        tags,
        summary: 'Read an external task (Camunda 7 compatible)',
        params: idParams,
        response: { 200: camundaObject('Camunda external task') },
      },
    },
    async (request) => {
      const [job] = await oneJob(engine, request.params.id);
      if (!job) throw new ApiError('NOT_FOUND', `external task '${request.params.id}' does not exist`);
      await checkInstanceVisible(engine, request.actor, job.instanceId);
      return describeJob(engine, job);
    },
  );

  app.post(
    '/external-task/:id/complete',
    {
      config: worker,
      schema: {
        tags,
        summary: 'Complete an external task; localVariables reach only output mappings (Camunda 7 compatible)',
        params: idParams,
        body: completeBody,
      },
    },
    async (request, reply) => {
      const { workerId: worker, variables, localVariables } = request.body;
      const locals = localVariables ? fromTypedValues(localVariables) : undefined;
      await engine.jobs.complete(request.params.id, worker, fromTypedValues(variables), actorId(request), locals);
      return reply.code(204).send();
    },
  );

  app.post(
    '/external-task/:id/failure',
    {
      config: worker,
      schema: {
        tags,
        summary:
          'Report an external task failure: retried after retryTimeout, an incident at 0 retries (Camunda 7 compatible)',
        params: idParams,
        body: failureBody,
      },
    },
    async (request, reply) => {
      const { workerId: worker, errorMessage, errorDetails, retries, retryTimeout } = request.body;
      const message = errorMessage || errorDetails || 'external task failed';
      await engine.jobs.fail(
        request.params.id,
        worker,
        { message, retries: retries ?? undefined, retryBackoffMs: retryTimeout ?? undefined },
        actorId(request),
      );
      return reply.code(204).send();
    },
  );

  app.post(
    '/external-task/:id/bpmnError',
    {
      config: worker,
      schema: {
        tags,
        summary: 'Throw a BPMN error from an external task, with variables (Camunda 7 compatible)',
        params: idParams,
        body: bpmnErrorBody,
      },
    },
    async (request, reply) => {
      const { workerId: worker, errorCode, errorMessage, variables } = request.body;
      await engine.jobs.throwError(
        request.params.id,
        worker,
        { errorCode, message: errorMessage ?? undefined, variables: fromTypedValues(variables) },
        actorId(request),
      );
      return reply.code(204).send();
    },
  );

  app.post(
    '/external-task/:id/lock',
    {
      config: worker,
      schema: {
        tags,
        summary: 'Lock one external task for a worker (Camunda 7 compatible)',
        params: idParams,
        body: lockBody,
      },
    },
    async (request, reply) => {
      await engine.jobs.lock(request.params.id, request.body.workerId, request.body.lockDuration);
      return reply.code(204).send();
    },
  );

  app.post(
    '/external-task/:id/extendLock',
    {
      config: worker,
      schema: {
        tags,
        summary: 'Extend the lock a worker holds, counted from now (Camunda 7 compatible)',
        params: idParams,
        body: extendBody,
      },
    },
    async (request, reply) => {
      await engine.jobs.extendLock(request.params.id, request.body.workerId, request.body.newDuration);
      return reply.code(204).send();
    },
  );

  app.post(
    '/external-task/:id/unlock',
    {
      config: worker,
      schema: { tags, summary: "Release an external task's lock (Camunda 7 compatible)", params: idParams },
    },
    async (request, reply) => {
      await engine.jobs.unlock(request.params.id);
      return reply.code(204).send();
    },
  );

  app.put(
    '/external-task/:id/retries',
    {
      config: operators,
      schema: {
        tags,
        summary: 'Set retries: > 0 on a failed task resolves its incident, 0 raises one (Camunda 7 compatible)',
        params: idParams,
        body: retriesBody,
      },
    },
    async (request, reply) => {
      const job = await engine.store.jobs.get(request.params.id);
      if (job) await checkInstanceVisible(engine, request.actor, job.instanceId);
      await engine.jobs.setRetries(request.params.id, request.body.retries, actorId(request));
      return reply.code(204).send();
    },
  );
};

// helpers

// What svcflow cannot filter by is refused, never ignored: it has no version tags and orders only oldest first.
function checkFetch(body: FetchBody): void {
  for (const topic of body.topics) {
    if (topic.processDefinitionVersionTag != null)
      throw new ApiError(
        'BAD_REQUEST',
        `topic '${topic.topicName}': processDefinitionVersionTag cannot be filtered; svcflow keeps no version tags`,
      );
  }
  if (body.sorting?.some((s) => s.sortOrder === 'desc'))
    throw new ApiError(
      'BAD_REQUEST',
      'sorting by createTime desc is not supported; svcflow hands out the oldest due task first',
    );
}

// Each topic has its own lock duration and filters, so topics are locked one after another until maxTasks is reached.
async function fetchByTopics(engine: Engine, body: FetchBody): Promise<CamundaTask[]> {
  const tasks: CamundaTask[] = [];
  for (const topic of body.topics) {
    const room = body.maxTasks - tasks.length;
    if (room <= 0) break;
    const filter = filterOf(topic);
    if (!filter) continue;
    const locked = await engine.jobs.fetchAndLock(body.workerId, [topic.topicName], room, topic.lockDuration, filter);
    for (const ctx of locked) tasks.push(await toFetchedTask(engine, ctx, topic));
  }
  return tasks;
}

// A topic's filters as a job filter; null when nothing can match (svcflow instances belong to no tenant).
function filterOf(topic: Topic): JobFetchFilter | null {
  if (topic.tenantIdIn && topic.tenantIdIn.length > 0) return null;
  const definitionIds = listOf(topic.processDefinitionId, topic.processDefinitionIdIn);
  const definitionKeys = listOf(topic.processDefinitionKey, topic.processDefinitionKeyIn);
  return {
    ...(definitionIds ? { definitionIds } : {}),
    ...(definitionKeys ? { definitionKeys } : {}),
    ...(topic.businessKey != null ? { businessKey: topic.businessKey } : {}),
    ...(topic.processVariables ? { variables: plainValues(topic.processVariables) } : {}),
  };
}

function listOf(one: string | null | undefined, many: string[] | null | undefined): string[] | undefined {
  if (one == null && many == null) return undefined;
  return [...(one != null ? [one] : []), ...(many ?? [])];
}

// Camunda's processVariables filter takes plain values (or typed values in some clients).
function plainValues(filter: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(filter).map(([name, value]) => [
      name,
      isTypedValue(value) ? fromTypedValues({ [name]: value })[name] : value,
    ]),
  );
}

function isTypedValue(value: unknown): value is { value: unknown; type?: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    'value' in value &&
    Object.keys(value).every((k) => ['value', 'type', 'valueInfo'].includes(k))
  );
}

async function toFetchedTask(engine: Engine, ctx: JobContext, topic: Topic): Promise<CamundaTask> {
  const source = topic.localVariables ? { ...ctx, variables: {} } : ctx;
  const task = toCamundaExternalTask(source, topic.topicName, topic.variables ?? null);
  if (!topic.includeExtensionProperties || !ctx.definitionId) return task;
  return { ...task, extensionProperties: await engine.extensionPropertiesOf(ctx.definitionId, ctx.job.elementId) };
}

// The query's objects carry no variables (Camunda's neither).
async function describeJob(engine: Engine, job: JobRow) {
  const instance = await engine.store.instances.get(job.instanceId);
  const {
    variables: _none,
    errorDetails: _locked,
    ...task
  } = toCamundaExternalTask(
    {
      job,
      variables: {},
      definitionId: instance?.definitionId,
      businessKey: instance?.businessKey ?? null,
      idempotencyKey: `${job.id}:${job.retries}`,
    },
    job.type,
    [],
  );
  return task;
}

async function visibleJobs(engine: Engine, actor: Actor | null, jobs: JobRow[]): Promise<JobRow[]> {
  const visible: JobRow[] = [];
  for (const job of jobs) if (await canSeeInstance(engine.store, actor, job.instanceId)) visible.push(job);
  return visible;
}

async function oneJob(engine: Engine, id: string): Promise<JobRow[]> {
  const job = await engine.store.jobs.get(id);
  return job && ACTIVE.includes(job.status) ? [job] : [];
}

function statusFilter(q: Query): { status?: JobStatus; statuses?: JobStatus[] } {
  if (q.locked) return { status: 'locked' };
  if (q.noRetriesLeft) return { status: 'failed' };
  if (q.notLocked) return { statuses: ['pending', 'failed'] };
  if (q.withRetriesLeft) return { statuses: ['pending', 'locked'] };
  return { statuses: ACTIVE };
}

function matchesQuery(job: JobRow, q: Query): boolean {
  if (q.topicName && job.type !== q.topicName) return false;
  if (q.processInstanceId && job.instanceId !== q.processInstanceId) return false;
  return true;
}

// A long poll ends early when the worker hangs up.
function disconnected(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.once('close', () => controller.abort());
  return controller.signal;
}
