/** Camunda 7 task actions beyond claim, assignee and complete: BPMN error and escalation, variables, identity links. */
import type { FastifyRequest } from 'fastify';
import { TaskNotFoundError, TaskNotOpenError, type Engine, type TaskComment } from '../../runtime/index.js';
import { activationOf } from '../../runtime/index.js';
import type { TaskRow } from '../../store/index.js';
import { actorId } from '../actor.js';
import { idParams, strictObject, type RoutePlugin } from '../schemas.js';
import { canSeeTask, checkTaskAction } from '../scopes.js';
import { ApiError } from '../problem.js';
import { camundaDate, camundaObject, typedVariablesSchema } from './shapes.js';
import { fromTypedValues, toTypedValue, toTypedValues } from './typed-values.js';

type LinkBody = { userId?: string | null; groupId?: string | null; type: string };
const readers = { auth: { roles: ['staff' as const, 'supervisor' as const, 'owner' as const] } };
const workers = { auth: { roles: ['staff' as const, 'supervisor' as const] } };
const typedMap = { type: 'object', additionalProperties: camundaObject('typed value') } as const;

export const camundaTaskActionRoutes: RoutePlugin<{ engine: Engine }> = async (app, { engine }) => {
  const tags = ['camunda-compat'];

  app.post(
    '/task/:id/bpmnError',
    {
      config: workers,
      schema: {
        tags,
        summary:
          'Throw a BPMN error from a user task: caught by its boundary event, else an incident (Camunda 7 compatible)',
        params: idParams,
        body: strictObject(
          {
            errorCode: { type: 'string', minLength: 1 },
            errorMessage: { type: ['string', 'null'] },
            variables: typedVariablesSchema,
          },
          ['errorCode'],
        ),
      },
    },
    async (request, reply) => {
      const task = await workableTask(engine, request.params.id);
      checkTaskAction(request.actor, task, 'complete');
      const { errorCode, errorMessage, variables } = request.body;
      await engine.send(
        task.instanceId,
        {
          type: 'error.thrown',
          elementId: task.elementId,
          ...activationOf(task),
          errorCode,
          message: errorMessage ?? undefined,
          variables: fromTypedValues(variables),
        },
        actorId(request),
      );
      return reply.code(204).send();
    },
  );

  app.post(
    '/task/:id/bpmnEscalation',
    {
      config: workers,
      schema: {
        tags,
        summary:
          'Throw a BPMN escalation from a user task (Camunda 7 compatible; variables are not supported yet and must be empty)',
        params: idParams,
        body: strictObject(
          {
            escalationCode: { type: 'string', minLength: 1 },
            variables: { ...typedVariablesSchema, maxProperties: 0 },
          },
          ['escalationCode'],
        ),
      },
    },
    async (request, reply) => {
      const task = await workableTask(engine, request.params.id);
      checkTaskAction(request.actor, task, 'complete');
      await engine.send(
        task.instanceId,
        { type: 'escalation.thrown', elementId: task.elementId, escalationCode: request.body.escalationCode },
        actorId(request),
      );
      return reply.code(204).send();
    },
  );

  for (const path of ['/task/:id/variables', '/task/:id/form-variables']) {
    app.get(
      path,
      {
        config: readers,
        schema: {
          tags,
          summary: 'The variables a task sees: the process variables and its inputs, typed (Camunda 7 compatible)',
          params: idParams,
          response: { 200: typedMap },
        },
      },
      async (request) => {
        const task = await engine.getTask(request.params.id);
        checkTaskAction(request.actor, task, 'read');
        return toTypedValues({ ...(await engine.getInstance(task.instanceId)).variables, ...task.inputs });
      },
    );
  }

  const varParams = strictObject(
    { id: { type: 'string', minLength: 1, maxLength: 200 }, varName: { type: 'string', minLength: 1, maxLength: 255 } },
    ['id', 'varName'],
  );

  app.get(
    '/task/:id/variables/:varName',
    {
      config: readers,
      schema: {
        tags,
        summary: 'One variable a task sees, typed (Camunda 7 compatible)',
        params: varParams,
        response: { 200: camundaObject('typed value') },
      },
    },
    async (request) => {
      const task = await seenTask(engine, request);
      const seen = { ...(await engine.getInstance(task.instanceId)).variables, ...task.inputs };
      const name = request.params.varName;
      if (!Object.hasOwn(seen, name))
        throw new ApiError('VARIABLE_NOT_FOUND', `task '${task.id}' sees no variable '${name}'`, { name });
      return toTypedValue(seen[name]);
    },
  );

  app.put(
    '/task/:id/variables/:varName',
    {
      config: workers,
      schema: {
        tags,
        summary: "Set a variable through a task; it goes to the task's process instance (Camunda 7 compatible)",
        params: varParams,
        body: strictObject({ value: {}, type: { type: ['string', 'null'] }, valueInfo: { type: ['object', 'null'] } }),
      },
    },
    async (request, reply) => {
      const variables = fromTypedValues({ [request.params.varName]: request.body });
      await engine.setTaskVariables(request.params.id, { variables }, request.actor);
      return reply.code(204).send();
    },
  );

  app.delete(
    '/task/:id/variables/:varName',
    {
      config: workers,
      schema: {
        tags,
        summary: "Remove a variable of a task's process instance (Camunda 7 compatible)",
        params: varParams,
      },
    },
    async (request, reply) => {
      await engine.setTaskVariables(request.params.id, { deletions: [request.params.varName] }, request.actor);
      return reply.code(204).send();
    },
  );

  app.post(
    '/task/:id/variables',
    {
      config: workers,
      schema: {
        tags,
        summary:
          "Set and remove variables through a task in one step; they belong to the task's process instance (Camunda 7 compatible)",
        params: idParams,
        body: strictObject({
          modifications: typedVariablesSchema,
          deletions: { type: ['array', 'null'], items: { type: 'string', minLength: 1, maxLength: 255 } },
        }),
      },
    },
    async (request, reply) => {
      const variables = fromTypedValues(request.body.modifications);
      const deletions = request.body.deletions ?? [];
      await engine.setTaskVariables(request.params.id, { variables, deletions }, request.actor);
      return reply.code(204).send();
    },
  );

  app.post(
    '/task/:id/comment/create',
    {
      config: workers,
      schema: {
        tags,
        summary: 'Comment on a task; the comment is kept in the instance history (Camunda 7 compatible)',
        params: idParams,
        body: strictObject(
          {
            message: { type: 'string', minLength: 1, maxLength: 4000 },
            processInstanceId: { type: ['string', 'null'] },
          },
          ['message'],
        ),
        response: { 200: camundaObject('Camunda comment') },
      },
    },
    async (request) => {
      const task = await engine.getTask(request.params.id);
      checkTaskAction(request.actor, task, 'read');
      if (request.body.processInstanceId && request.body.processInstanceId !== task.instanceId)
        throw new ApiError(
          'BAD_REQUEST',
          `task '${task.id}' belongs to process instance '${task.instanceId}', not '${request.body.processInstanceId}'`,
        );
      return toCamundaComment(await engine.comments.add(task, request.body.message, actorId(request)));
    },
  );

  app.get(
    '/task/:id/comment',
    {
      config: readers,
      schema: {
        tags,
        summary: 'The comments of a task, oldest first (Camunda 7 compatible)',
        params: idParams,
        response: { 200: { type: 'array', items: camundaObject('Camunda comment') } },
      },
    },
    async (request) => {
      const task = await engine.getTask(request.params.id);
      checkTaskAction(request.actor, task, 'read');
      return (await engine.comments.list(task)).map(toCamundaComment);
    },
  );

  app.get(
    '/task/:id/comment/:commentId',
    {
      config: readers,
      schema: {
        tags,
        summary: 'One comment of a task (Camunda 7 compatible)',
        params: strictObject(
          {
            id: { type: 'string', minLength: 1, maxLength: 200 },
            commentId: { type: 'string', minLength: 1, maxLength: 200 },
          },
          ['id', 'commentId'],
        ),
        response: { 200: camundaObject('Camunda comment') },
      },
    },
    async (request) => {
      const task = await engine.getTask(request.params.id);
      checkTaskAction(request.actor, task, 'read');
      return toCamundaComment(await engine.comments.get(task, request.params.commentId));
    },
  );

  app.get(
    '/task/:id/identity-links',
    {
      config: readers,
      schema: {
        tags,
        summary: 'The assignee and candidates of a task (Camunda 7 compatible)',
        params: idParams,
        response: { 200: { type: 'array', items: camundaObject('identity link') } },
      },
    },
    async (request) => {
      const task = await engine.getTask(request.params.id);
      checkTaskAction(request.actor, task, 'read');
      return identityLinks(task);
    },
  );

  const linkBody = strictObject(
    {
      userId: { type: ['string', 'null'], minLength: 1, maxLength: 200 },
      groupId: { type: ['string', 'null'], minLength: 1, maxLength: 200 },
      type: { type: 'string', minLength: 1 },
    },
    ['type'],
  );
  for (const [path, remove] of [
    ['/task/:id/identity-links', false],
    ['/task/:id/identity-links/delete', true],
  ] as const) {
    app.post(
      path,
      {
        config: workers,
        schema: {
          tags,
          summary: remove
            ? 'Take a candidate user or group away from a task, or clear its assignee (Camunda 7 compatible; types candidate, assignee)'
            : 'Offer a task to one more candidate user or group, or set its assignee (Camunda 7 compatible; types candidate, assignee)',
          params: idParams,
          body: linkBody,
        },
      },
      async (request, reply) => {
        if (request.body.type === 'assignee') await changeAssignee(engine, request, remove);
        else
          await engine.changeTaskCandidate(request.params.id, { ...candidateOf(request.body), remove }, request.actor);
        return reply.code(204).send();
      },
    );
  }
};

// helpers

function toCamundaComment(c: TaskComment) {
  return {
    links: [],
    id: c.id,
    userId: c.userId,
    taskId: c.taskId,
    processInstanceId: c.instanceId,
    time: camundaDate(c.time),
    message: c.message,
    removalTime: null,
    rootProcessInstanceId: c.instanceId,
  };
}

/** The task, answered as missing (TASK_NOT_FOUND) to a caller who may not see it. */
async function seenTask(
  engine: Engine,
  request: { actor: FastifyRequest['actor']; params: { id: string } },
): Promise<TaskRow> {
  const task = await engine.getTask(request.params.id);
  if (!canSeeTask(request.actor, task)) throw new TaskNotFoundError(task.id);
  return task;
}

/**
 * An identity link of type assignee is the task's assignee, as in Camunda 7: adding one sets it (taking the task
 * over from whoever holds it, by the engine's assignTask rule), deleting it gives the task back to its candidates.
 */
async function changeAssignee(
  engine: Engine,
  request: { actor: FastifyRequest['actor']; params: { id: string }; body: LinkBody },
  remove: boolean,
): Promise<void> {
  const { userId, groupId } = request.body;
  if (!userId || groupId) throw new ApiError('BAD_REQUEST', "an identity link of type 'assignee' names a userId only");
  const task = await engine.getTask(request.params.id);
  if (remove) {
    if (task.assignee !== userId)
      throw new ApiError('BAD_REQUEST', `'${userId}' is not the assignee of task '${task.id}'`);
    await engine.releaseTask(task.id, request.actor);
    return;
  }
  const takesOver = task.assignee !== null && task.assignee !== userId;
  await engine.assignTask(task.id, userId, request.actor, { force: takesOver });
}

/** A Camunda identity link as a candidate change: exactly one of userId and groupId, type candidate. */
function candidateOf(body: LinkBody): { kind: 'user' | 'group'; id: string } {
  if (body.type === 'owner')
    throw new ApiError(
      'BAD_REQUEST',
      "identity links of type 'owner' are not supported yet: svcflow keeps no task owner; use type 'assignee' or 'candidate'",
    );
  if (body.type !== 'candidate')
    throw new ApiError(
      'BAD_REQUEST',
      `identity links of type '${body.type}' are not supported yet: use type 'candidate' or 'assignee'`,
    );
  if (!body.userId === !body.groupId) throw new ApiError('BAD_REQUEST', 'give exactly one of userId and groupId');
  return body.userId ? { kind: 'user', id: body.userId } : { kind: 'group', id: body.groupId as string };
}

async function workableTask(engine: Engine, id: string): Promise<TaskRow> {
  const task = await engine.getTask(id);
  if (task.status !== 'open') throw new TaskNotOpenError(id, task.status);
  return task;
}

function identityLinks(task: TaskRow) {
  return [
    ...(task.assignee ? [{ userId: task.assignee, groupId: null, type: 'assignee' }] : []),
    ...(task.candidateUsers ?? []).map((userId) => ({ userId, groupId: null, type: 'candidate' })),
    ...(task.candidateGroups ?? []).map((groupId) => ({ userId: null, groupId, type: 'candidate' })),
  ];
}
