/** Camunda 7 task endpoints: query, read, claim, unclaim, assignee, complete, BPMN error and escalation, variables, identity links. */
import type { Engine } from '../../runtime/index.js';
import { actorId } from '../actor.js';
import { ApiError } from '../problem.js';
import { idParams, strictObject, type RoutePlugin } from '../schemas.js';
import { checkTaskAction, visibilityOf } from '../scopes.js';
import { camundaObject, toCamundaTask, typedVariablesSchema } from './shapes.js';
import { fromTypedValues, toTypedValues } from './typed-values.js';

// Unknown filters are refused (400) rather than ignored: ignoring one would return the wrong tasks.
const taskQuery = strictObject({
  assignee: { type: 'string' },
  candidateGroup: { type: 'string' },
  candidateGroups: { type: 'string', description: 'comma-separated' },
  candidateUser: { type: 'string' },
  processInstanceId: { type: 'string' },
  processDefinitionKey: { type: 'string' },
  includeAssignedTasks: { type: 'boolean', default: false },
  unassigned: { type: 'boolean' },
  assigned: { type: 'boolean' },
  firstResult: { type: 'integer', minimum: 0, maximum: 1_000_000_000, default: 0 },
  maxResults: { type: 'integer', minimum: 0, maximum: 1000, default: 100 },
});

interface TaskQuery {
  assignee?: string;
  candidateGroup?: string;
  candidateGroups?: string;
  candidateUser?: string;
  processInstanceId?: string;
  processDefinitionKey?: string;
  includeAssignedTasks: boolean;
  unassigned?: boolean;
  assigned?: boolean;
  firstResult: number;
  maxResults: number;
}
// Camunda bodies carry fields we do not use (e.g. withVariablesInReturn on older clients); they are accepted and ignored.
const completeBody = {
  type: 'object',
  properties: { variables: typedVariablesSchema, withVariablesInReturn: { type: 'boolean' } },
  additionalProperties: true,
} as const;
const userIdBody = {
  type: 'object',
  properties: { userId: { type: 'string', minLength: 1, maxLength: 255 } },
  required: ['userId'],
  additionalProperties: false,
} as const;
const readers = { auth: { roles: ['staff' as const, 'supervisor' as const, 'owner' as const] } };
const workers = { auth: { roles: ['staff' as const, 'supervisor' as const] } };

/** Task routes in Camunda's shape; only open tasks are listed. */
export const camundaTaskRoutes: RoutePlugin<{ engine: Engine }> = async (app, { engine }) => {
  const tags = ['camunda-compat'];

  app.get(
    '/task',
    {
      config: readers,
      schema: {
        tags,
        summary: 'Query open tasks (Camunda 7 compatible)',
        querystring: taskQuery,
        response: { 200: { type: 'array', items: camundaObject('Camunda task') } },
      },
    },
    async (request) => {
      const q = request.query;
      const groups = [q.candidateGroup, ...(q.candidateGroups ?? '').split(',')]
        .map((g) => g?.trim())
        .filter((g): g is string => Boolean(g));
      const page = await engine.listTasks({
        assignee: q.assignee,
        ...unassignedFilter(q),
        candidateUser: q.candidateUser,
        candidateGroups: groups.length > 0 ? groups : undefined,
        instanceId: q.processInstanceId,
        definitionKey: q.processDefinitionKey,
        status: 'open',
        offset: q.firstResult,
        limit: q.maxResults,
        visibleTo: visibilityOf(request.actor),
        withTotal: false,
      });
      const summaries = await engine.instanceSummaries(page.items.map((t) => t.instanceId));
      return page.items.map((t) => toCamundaTask(t, summaries.get(t.instanceId)?.suspended ?? false));
    },
  );

  app.get(
    '/task/:id',
    {
      config: readers,
      schema: {
        tags,
        summary: 'Read a task (Camunda 7 compatible)',
        params: idParams,
        response: { 200: camundaObject('Camunda task') },
      },
    },
    async (request) => {
      const task = await engine.getTask(request.params.id);
      checkTaskAction(request.actor, task, 'read');
      const summary = (await engine.instanceSummaries([task.instanceId])).get(task.instanceId);
      return toCamundaTask(task, summary?.suspended ?? false);
    },
  );

  app.post(
    '/task/:id/claim',
    {
      config: workers,
      schema: { tags, summary: 'Claim a task for a user (Camunda 7 compatible)', params: idParams, body: userIdBody },
    },
    async (request, reply) => {
      await engine.assignTask(request.params.id, request.body.userId, request.actor);
      return reply.code(204).send();
    },
  );

  // Camunda's setAssignee replaces whoever holds the task
  app.post(
    '/task/:id/assignee',
    {
      config: workers,
      schema: {
        tags,
        summary: 'Set the assignee of a task (Camunda 7 compatible)',
        params: idParams,
        body: userIdBody,
      },
    },
    async (request, reply) => {
      const task = await engine.getTask(request.params.id);
      const takesOver = task.assignee !== null && task.assignee !== request.body.userId;
      await engine.assignTask(request.params.id, request.body.userId, request.actor, { force: takesOver });
      return reply.code(204).send();
    },
  );

  // Camunda's delegate makes the assignee the task's owner, to whom the delegate resolves it back: svcflow keeps no
  // owner, so a plain reassignment would lose that return (and let the delegate complete it); refused, not ignored
  app.post(
    '/task/:id/delegate',
    {
      config: workers,
      schema: {
        tags,
        summary: 'Refused: delegating a task (svcflow keeps no task owner); set the assignee instead',
        params: idParams,
        body: userIdBody,
      },
    },
    async (request) => {
      checkTaskAction(request.actor, await engine.getTask(request.params.id), 'read');
      throw new ApiError(
        'BAD_REQUEST',
        `delegating a task is not supported yet: svcflow keeps no task owner to resolve task '${request.params.id}' back to; reassign it with POST /engine-rest/task/${request.params.id}/assignee`,
      );
    },
  );

  app.post(
    '/task/:id/unclaim',
    {
      config: workers,
      schema: { tags, summary: 'Unclaim a task (Camunda 7 compatible)', params: idParams },
    },
    async (request, reply) => {
      await engine.releaseTask(request.params.id, request.actor);
      return reply.code(204).send();
    },
  );

  app.post(
    '/task/:id/complete',
    {
      config: workers,
      schema: {
        tags,
        summary: 'Complete a task with typed variables (Camunda 7 compatible)',
        params: idParams,
        body: completeBody,
        response: {
          200: { type: 'object', additionalProperties: true, description: 'the variables, with withVariablesInReturn' },
          204: { type: 'null', description: 'completed' },
        },
      },
    },
    async (request, reply) => {
      const task = await engine.getTask(request.params.id);
      const variables = fromTypedValues(request.body?.variables);
      checkTaskAction(request.actor, task, 'complete');
      const instance = await engine.completeTask(request.params.id, variables, actorId(request), undefined, task);
      if (request.body?.withVariablesInReturn) return toTypedValues(instance.variables);
      return reply.code(204).send();
    },
  );
};

// helpers

// Camunda: candidate filters list only unassigned tasks unless includeAssignedTasks=true.
function unassignedFilter(q: TaskQuery): { unassigned?: boolean } {
  if (q.unassigned !== undefined) return { unassigned: q.unassigned };
  if (q.assigned !== undefined) return { unassigned: !q.assigned };
  const byCandidate =
    q.candidateGroup !== undefined || q.candidateGroups !== undefined || q.candidateUser !== undefined;
  return byCandidate && !q.includeAssignedTasks ? { unassigned: true } : {};
}
