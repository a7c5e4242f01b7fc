/**
 * Camunda 7 external task endpoints, enough for camunda-external-task-client-js and similar workers:
 * fetchAndLock (topics are our job types), complete, failure, bpmnError.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Engine } from '../../runtime/index.js';
import { actorId } from '../actor.js';
import { idParams } from '../schemas.js';
import { camundaObject, toCamundaExternalTask, typedVariablesSchema } from './shapes.js';
import { fromTypedValues, type TypedValues } from './typed-values.js';

// Worker clients send options we do not use (usePriority, asyncResponseTimeout, sorting, tenant filters…):
// these bodies accept and ignore unknown fields so existing workers run unchanged.
const loose = (properties: Record<string, unknown>, required: string[]) => ({ type: 'object', properties, required, additionalProperties: true }) as const;
const workerId = { type: 'string', minLength: 1, maxLength: 255 } as const;

const fetchBody = loose({
  workerId,
  maxTasks: { type: 'integer', minimum: 0, maximum: 100, default: 10 },
  topics: {
    type: 'array', minItems: 1, maxItems: 50,
    items: loose({ topicName: { type: 'string', minLength: 1 }, lockDuration: { type: 'integer', minimum: 1 }, variables: { type: 'array', items: { type: 'string' } } }, ['topicName', 'lockDuration']),
  },
}, ['workerId', 'topics']);
const completeBody = loose({ workerId, variables: typedVariablesSchema, localVariables: typedVariablesSchema }, ['workerId']);
const failureBody = loose({ workerId, errorMessage: { type: ['string', 'null'] }, errorDetails: { type: ['string', 'null'] }, retries: { type: 'integer', minimum: 0 }, retryTimeout: { type: 'integer', minimum: 0 } }, ['workerId']);
const bpmnErrorBody = loose({ workerId, errorCode: { type: 'string', minLength: 1 }, errorMessage: { type: ['string', 'null'] }, variables: typedVariablesSchema }, ['workerId', 'errorCode']);

interface Topic { topicName: string; lockDuration: number; variables?: string[] }
interface FetchBody { workerId: string; maxTasks: number; topics: Topic[] }
interface CompleteBody { workerId: string; variables?: TypedValues; localVariables?: TypedValues }
interface FailureBody { workerId: string; errorMessage?: string | null; errorDetails?: string | null; retries?: number; retryTimeout?: number }
interface BpmnErrorBody { workerId: string; errorCode: string; errorMessage?: string | null; variables?: TypedValues }
type IdParams = { Params: { id: string } };

const worker = { auth: { roles: ['worker' as const] } };

/** External task routes in Camunda's shape. */
export const camundaExternalTaskRoutes: FastifyPluginAsync<{ engine: Engine }> = async (app, { engine }) => {
  const tags = ['camunda-compat'];

  app.post<{ Body: FetchBody }>('/external-task/fetchAndLock', {
    config: worker,
    schema: { tags, summary: 'Fetch and lock external tasks by topic (Camunda 7 compatible; answers at once, no long polling)', body: fetchBody, response: { 200: { type: 'array', items: camundaObject('Camunda external task') } } },
  }, async (request) => fetchByTopics(engine, request.body));

  app.post<IdParams & { Body: CompleteBody }>('/external-task/:id/complete', {
    config: worker,
    schema: { tags, summary: 'Complete an external task (Camunda 7 compatible)', params: idParams, body: completeBody },
  }, async (request, reply) => {
    const { workerId: worker, variables, localVariables } = request.body;
    await engine.jobs.complete(request.params.id, worker, { ...fromTypedValues(localVariables), ...fromTypedValues(variables) }, actorId(request));
    return reply.code(204).send();
  });

  app.post<IdParams & { Body: FailureBody }>('/external-task/:id/failure', {
    config: worker,
    schema: { tags, summary: 'Report an external task failure: retried after retryTimeout, an incident at 0 retries (Camunda 7 compatible)', params: idParams, body: failureBody },
  }, async (request, reply) => {
    const { workerId: worker, errorMessage, errorDetails, retries, retryTimeout } = request.body;
    const message = [errorMessage, errorDetails].filter(Boolean).join('\n') || 'external task failed';
    await engine.jobs.fail(request.params.id, worker, { message, retries, retryBackoffMs: retryTimeout }, actorId(request));
    return reply.code(204).send();
  });

  app.post<IdParams & { Body: BpmnErrorBody }>('/external-task/:id/bpmnError', {
    config: worker,
    schema: { tags, summary: 'Throw a BPMN error from an external task (Camunda 7 compatible)', params: idParams, body: bpmnErrorBody },
  }, async (request, reply) => {
    const { workerId: worker, errorCode, errorMessage, variables } = request.body;
    await engine.jobs.throwError(request.params.id, worker, { errorCode, message: errorMessage ?? undefined, variables: fromTypedValues(variables) }, actorId(request));
    return reply.code(204).send();
  });
};

// helpers

// Each topic has its own lock duration, so topics are locked one after another until maxTasks is reached.
async function fetchByTopics(engine: Engine, body: FetchBody) {
  const tasks: Array<ReturnType<typeof toCamundaExternalTask>> = [];
  for (const topic of body.topics) {
    const room = body.maxTasks - tasks.length;
    if (room <= 0) break;
    const locked = await engine.jobs.fetchAndLock(body.workerId, [topic.topicName], room, topic.lockDuration);
    tasks.push(...locked.map((ctx) => toCamundaExternalTask(ctx, topic.topicName, topic.variables ?? null)));
  }
  return tasks;
}
