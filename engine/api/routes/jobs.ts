/** /api/jobs: the external worker protocol (fetch and lock, complete, fail, BPMN error) and a job query. */
import { DEFAULT_LOCK_MS, type Engine, type JobContext } from '../../runtime/index.js';
import { actorId } from '../actor.js';
import { visibilityOf } from '../scopes.js';
import { withProblems } from '../problem.js';
import { idParams, pageOf, pagingProperties, strictObject, variablesSchema, type RoutePlugin } from '../schemas.js';

const workerId = { type: 'string', minLength: 1, maxLength: 255 } as const;

const fetchBody = strictObject(
  {
    workerId,
    types: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1, maxItems: 50 },
    maxJobs: { type: 'integer', minimum: 1, maximum: 100, default: 10 },
    lockDuration: {
      type: 'integer',
      minimum: 1000,
      maximum: 24 * 3600_000,
      default: DEFAULT_LOCK_MS,
      description: 'milliseconds',
    },
  },
  ['workerId', 'types'],
);

const completeBody = strictObject({ workerId, variables: variablesSchema }, ['workerId']);
const failBody = strictObject(
  {
    workerId,
    message: { type: 'string', minLength: 1, maxLength: 4000 },
    retries: { type: 'integer', minimum: 0, description: 'retries left; default: one fewer than now' },
    retryBackoff: { type: 'integer', minimum: 0, description: 'milliseconds until the next attempt' },
  },
  ['workerId', 'message'],
);
const errorBody = strictObject(
  {
    workerId,
    errorCode: { type: 'string', minLength: 1, maxLength: 255 },
    message: { type: 'string', maxLength: 4000 },
    variables: variablesSchema,
  },
  ['workerId', 'errorCode'],
);
const listQuery = strictObject({
  instanceId: { type: 'string', minLength: 1 },
  status: { type: 'string', enum: ['pending', 'locked', 'failed', 'completed', 'cancelled'] },
  type: { type: 'string', minLength: 1 },
  ...pagingProperties,
});

const lockedJobSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    type: { type: 'string' },
    instanceId: { type: 'string' },
    elementId: { type: 'string' },
    retries: { type: 'integer' },
    inputs: { type: 'object', additionalProperties: true },
    variables: { type: 'object', additionalProperties: true },
    lockedUntil: { type: 'string', format: 'date-time' },
    idempotencyKey: { type: 'string', description: 'the same for every run of this attempt: key side effects by it' },
  },
  required: [
    'id',
    'type',
    'instanceId',
    'elementId',
    'retries',
    'inputs',
    'variables',
    'lockedUntil',
    'idempotencyKey',
  ],
} as const;

const worker = { auth: { roles: ['worker' as const] } };

/** Job routes; a job is worked only by the worker that locked it (else 409 JOB_NOT_LOCKED). */
export const jobRoutes: RoutePlugin<{ engine: Engine }> = async (app, { engine }) => {
  app.post(
    '/jobs/fetch-and-lock',
    {
      config: worker,
      schema: {
        tags: ['jobs'],
        summary: 'Lock up to maxJobs due jobs of the given types for a worker',
        body: fetchBody,
        response: withProblems({
          200: {
            type: 'object',
            properties: { items: { type: 'array', items: lockedJobSchema } },
            required: ['items'],
          },
        }),
      },
    },
    async (request) => {
      const { workerId: worker, types, maxJobs, lockDuration } = request.body;
      const locked = await engine.jobs.fetchAndLock(worker, types, maxJobs, lockDuration);
      return { items: locked.map(toLockedJob) };
    },
  );

  app.post(
    '/jobs/:id/complete',
    {
      config: worker,
      schema: {
        tags: ['jobs'],
        summary: 'Complete a locked job with variables',
        params: idParams,
        body: completeBody,
        response: withProblems({ 204: { type: 'null' } }),
      },
    },
    async (request, reply) => {
      await engine.jobs.complete(
        request.params.id,
        request.body.workerId,
        request.body.variables ?? {},
        actorId(request),
      );
      return reply.code(204).send();
    },
  );

  app.post(
    '/jobs/:id/fail',
    {
      config: worker,
      schema: {
        tags: ['jobs'],
        summary: 'Report a failure: retried after a backoff, an incident when no retries are left',
        params: idParams,
        body: failBody,
        response: withProblems({ 200: { $ref: 'Job#' } }),
      },
    },
    async (request) => {
      const { workerId: worker, message, retries, retryBackoff } = request.body;
      return engine.jobs.fail(
        request.params.id,
        worker,
        { message, retries, retryBackoffMs: retryBackoff },
        actorId(request),
      );
    },
  );

  app.post(
    '/jobs/:id/bpmn-error',
    {
      config: worker,
      schema: {
        tags: ['jobs'],
        summary: "Throw a BPMN error at the job's task (caught by an error boundary event)",
        params: idParams,
        body: errorBody,
        response: withProblems({ 204: { type: 'null' } }),
      },
    },
    async (request, reply) => {
      const { workerId: worker, ...error } = request.body;
      await engine.jobs.throwError(request.params.id, worker, error, actorId(request));
      return reply.code(204).send();
    },
  );

  app.get(
    '/jobs',
    {
      config: { auth: { roles: ['worker', 'supervisor', 'owner'] } },
      schema: {
        tags: ['jobs'],
        summary: 'List jobs',
        querystring: listQuery,
        response: withProblems({ 200: pageOf('Job') }),
      },
    },
    async (request) => engine.listJobs({ ...request.query, visibleTo: visibilityOf(request.actor) }),
  );
};

// helpers

function toLockedJob({ job, variables, idempotencyKey }: JobContext) {
  return {
    id: job.id,
    type: job.type,
    instanceId: job.instanceId,
    elementId: job.elementId,
    retries: job.retries,
    inputs: job.inputs,
    variables,
    lockedUntil: job.lockedUntil,
    idempotencyKey,
  };
}
