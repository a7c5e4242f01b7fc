/** /api/tasks: the tasklist: query user tasks, claim, unclaim and complete them. */
import type { FastifyPluginAsync } from 'fastify';
import type { Engine } from '../../runtime/index.js';
import type { TaskStatus } from '../../store/index.js';
import { actorId } from '../actor.js';
import { withProblems } from '../problem.js';
import { idParams, pageOf, pagingProperties, strictObject, variablesSchema } from '../schemas.js';

const listQuery = strictObject({
  assignee: { type: 'string', minLength: 1 },
  candidateGroup: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'repeat or comma-separate; matches any' },
  candidateUser: { type: 'string', minLength: 1 },
  instanceId: { type: 'string', minLength: 1 },
  definitionKey: { type: 'string', minLength: 1 },
  status: { type: 'string', enum: ['open', 'completed', 'cancelled', 'all'], default: 'open' },
  ...pagingProperties,
});

const claimBody = strictObject({ userId: { type: 'string', minLength: 1, maxLength: 255 } }, ['userId']);
const completeBody = strictObject({ variables: variablesSchema });
const completedSchema = { type: 'object', properties: { instance: { $ref: 'Instance#' } }, required: ['instance'] } as const;

interface ListQuery {
  assignee?: string; candidateGroup?: string[]; candidateUser?: string; instanceId?: string; definitionKey?: string;
  status: TaskStatus | 'all'; offset: number; limit: number;
}
type IdParams = { Params: { id: string } };

/** Task routes; lists are sorted by due date, then priority (highest first). */
export const taskRoutes: FastifyPluginAsync<{ engine: Engine }> = async (app, { engine }) => {
  const taskResponse = withProblems({ 200: { $ref: 'Task#' } });

  app.get<{ Querystring: ListQuery }>('/tasks', {
    schema: { tags: ['tasks'], summary: 'Query tasks (open ones unless status says otherwise)', querystring: listQuery, response: withProblems({ 200: pageOf('Task') }) },
  }, async (request) => {
    const { candidateGroup, status, ...rest } = request.query;
    const candidateGroups = splitList(candidateGroup);
    return engine.listTasks({ ...rest, candidateGroups, status: status === 'all' ? undefined : status });
  });

  app.get<IdParams>('/tasks/:id', {
    schema: { tags: ['tasks'], summary: 'Read a task', params: idParams, response: taskResponse },
  }, async (request) => engine.getTask(request.params.id));

  app.post<IdParams & { Body: { userId: string } }>('/tasks/:id/claim', {
    schema: { tags: ['tasks'], summary: 'Assign an open task to a user', params: idParams, body: claimBody, response: taskResponse },
  }, async (request) => engine.claimTask(request.params.id, request.body.userId, { by: actorId(request) }));

  app.post<IdParams>('/tasks/:id/unclaim', {
    schema: { tags: ['tasks'], summary: 'Give an open task back to its candidates', params: idParams, response: taskResponse },
  }, async (request) => engine.unclaimTask(request.params.id, actorId(request)));

  app.post<IdParams & { Body?: { variables?: Record<string, unknown> } }>('/tasks/:id/complete', {
    schema: { tags: ['tasks'], summary: 'Complete an open task with variables; the instance moves on', params: idParams, body: completeBody, response: withProblems({ 200: completedSchema }) },
  }, async (request) => ({ instance: await engine.completeTask(request.params.id, request.body?.variables ?? {}, actorId(request)) }));
};

// helpers

function splitList(values: string[] | undefined): string[] | undefined {
  const list = (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  return list.length > 0 ? list : undefined;
}
