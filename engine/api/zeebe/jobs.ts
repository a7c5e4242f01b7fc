/** Camunda 8 jobs: activation with long polling, completion, failure with retries and backoff, BPMN error. */
import type { FastifyReply } from 'fastify';
import type { Engine, JobContext } from '../../runtime/index.js';
import { JobNotFoundError } from '../../runtime/index.js';
import { actorId } from '../actor.js';
import { ApiError } from '../problem.js';
import { body, DEFAULT_TENANT, idOf, keyOf, keyParams, variables } from './keys.js';
import type { RoutePlugin } from '../schemas.js';

// Zeebe: requestTimeout 0 (or absent) long-polls for a default time, < 0 answers at once.
const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
const activationBody = body(
  {
    type: { type: 'string', minLength: 1 },
    worker: { type: 'string', maxLength: 255 },
    timeout: { type: 'integer', minimum: 1 },
    maxJobsToActivate: { type: 'integer', minimum: 1, maximum: 1000 },
    fetchVariable: { type: 'array', items: { type: 'string' } },
    requestTimeout: { type: 'integer' },
    tenantIds: { type: 'array', items: { type: 'string', enum: [DEFAULT_TENANT] } },
  },
  ['type', 'timeout', 'maxJobsToActivate'],
);
const completionBody = body({ variables, result: { type: 'null' } });
const failureBody = body({
  retries: { type: 'integer', minimum: 0 },
  errorMessage: { type: 'string' },
  retryBackOff: { type: 'integer', minimum: 0 },
  variables: { type: 'object', maxProperties: 0 },
});
const errorBody = body(
  { errorCode: { type: 'string', minLength: 1 }, errorMessage: { type: ['string', 'null'] }, variables },
  ['errorCode'],
);

const workers = { auth: { roles: ['worker' as const] } };

export const zeebeJobRoutes: RoutePlugin<{ engine: Engine }> = async (app, { engine }) => {
  const tags = ['camunda8-compat'];
  const closing = new AbortController();
  app.addHook('onClose', async () => closing.abort());

  app.post(
    '/jobs/activation',
    {
      config: workers,
      schema: {
        tags,
        summary: 'Activate jobs of a type; waits up to requestTimeout for one to appear (Camunda 8 compatible)',
        body: activationBody,
      },
    },
    async (request, reply) => {
      const b = request.body;
      const worker = b.worker || 'default';
      const fetch = async () => engine.jobs.fetchAndLock(worker, [b.type], b.maxJobsToActivate, b.timeout);
      const wait = (b.requestTimeout ?? 0) < 0 ? 0 : b.requestTimeout || DEFAULT_REQUEST_TIMEOUT_MS;
      const locked =
        wait > 0
          ? await engine.jobs.awaitJobs([b.type], wait, fetch, AbortSignal.any([closing.signal, hungUp(reply)]))
          : await fetch();
      return { jobs: await Promise.all(locked.map((ctx) => toActivatedJob(engine, ctx, worker, b.fetchVariable))) };
    },
  );

  app.post(
    '/jobs/:jobKey/completion',
    {
      config: workers,
      schema: {
        tags,
        summary: 'Complete a job with variables (Camunda 8 compatible)',
        params: keyParams('jobKey'),
        body: completionBody,
      },
    },
    async (request, reply) => {
      const job = await activeJob(engine, request.params.jobKey);
      await engine.jobs.complete(job.id, job.workerId ?? '', request.body?.variables ?? {}, actorId(request));
      return reply.code(204).send();
    },
  );

  app.post(
    '/jobs/:jobKey/failure',
    {
      config: workers,
      schema: {
        tags,
        summary: 'Fail a job: retried after retryBackOff while retries remain, then an incident (Camunda 8 compatible)',
        params: keyParams('jobKey'),
        body: failureBody,
      },
    },
    async (request, reply) => {
      const job = await activeJob(engine, request.params.jobKey);
      const b = request.body ?? {};
      await engine.jobs.fail(
        job.id,
        job.workerId ?? '',
        { message: b.errorMessage || 'job failed', retries: b.retries ?? 0, retryBackoffMs: b.retryBackOff ?? 0 },
        actorId(request),
      );
      return reply.code(204).send();
    },
  );

  app.post(
    '/jobs/:jobKey/error',
    {
      config: workers,
      schema: {
        tags,
        summary: 'Throw a BPMN error from a job; caught by a boundary event, else an incident (Camunda 8 compatible)',
        params: keyParams('jobKey'),
        body: errorBody,
      },
    },
    async (request, reply) => {
      const job = await activeJob(engine, request.params.jobKey);
      const { errorCode, errorMessage, variables: vars } = request.body;
      await engine.jobs.throwError(
        job.id,
        job.workerId ?? '',
        { errorCode, message: errorMessage ?? undefined, variables: vars ?? {} },
        actorId(request),
      );
      return reply.code(204).send();
    },
  );
};

// helpers

// Camunda 8 workers name no worker when they complete, fail or throw: the job's current lock holder acts.
async function activeJob(engine: Engine, key: string) {
  const id = await idOf(engine, 'job', key);
  const job = await engine.store.jobs.get(id);
  if (!job) throw new JobNotFoundError(id);
  if (job.status !== 'locked') throw new ApiError('NOT_FOUND', `job ${key} is not activated (it is ${job.status})`);
  return job;
}

async function toActivatedJob(
  engine: Engine,
  { job, variables: vars, definitionId, headers }: JobContext,
  worker: string,
  fetch?: string[],
) {
  const all = { ...vars, ...job.inputs };
  const picked =
    fetch && fetch.length > 0 ? Object.fromEntries(Object.entries(all).filter(([name]) => fetch.includes(name))) : all;
  const definition = definitionId ? await engine.getDefinition(definitionId) : null;
  const jobKey = await keyOf(engine, 'job', job.id);
  return {
    type: job.type,
    processDefinitionId: job.definitionKey,
    processDefinitionVersion: definition?.version ?? 1,
    elementId: job.elementId,
    customHeaders: headers ?? {},
    worker,
    retries: job.retries,
    deadline: Date.parse(job.lockedUntil ?? job.due),
    variables: picked,
    tenantId: DEFAULT_TENANT,
    jobKey,
    processInstanceKey: await keyOf(engine, 'instance', job.instanceId),
    processDefinitionKey: definitionId ? await keyOf(engine, 'definition', definitionId) : '0',
    elementInstanceKey: jobKey,
    kind: 'BPMN_ELEMENT',
    listenerEventType: 'UNSPECIFIED',
  };
}

function hungUp(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.once('close', () => controller.abort());
  return controller.signal;
}
