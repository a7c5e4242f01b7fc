/** Camunda 7 task actions beyond claim, assignee and complete: BPMN error and escalation, variables, identity links. */
import type { FastifyPluginAsync } from 'fastify';
import { TaskNotOpenError, type Engine, type TaskComment } from '../../runtime/index.js';
import { activationOf } from '../../runtime/index.js';
import type { TaskRow } from '../../store/index.js';
import { actorId } from '../actor.js';
import { idParams } from '../schemas.js';
import { checkTaskAction } from '../scopes.js';
import { ApiError } from '../problem.js';
import { camundaDate, camundaObject, typedVariablesSchema } from './shapes.js';
import { fromTypedValues, toTypedValues, type TypedValues } from './typed-values.js';

type IdParams = { Params: { id: string } };
const strict = (properties: Record<string, unknown>, required: string[] = []) =>
  ({ type: 'object', properties, required, additionalProperties: false }) as const;
const readers = { auth: { roles: ['staff' as const, 'supervisor' as const, 'owner' as const] } };
const workers = { auth: { roles: ['staff' as const, 'supervisor' as const] } };
const typedMap = { type: 'object', additionalProperties: camundaObject('typed value') } as const;

export const camundaTaskActionRoutes: FastifyPluginAsync<{ engine: Engine }> = async (app, { engine }) => {
  const tags = ['camunda-compat'];

  app.post<IdParams & { Body: { errorCode: string; errorMessage?: string | null; variables?: TypedValues | null } }>(
    '/task/:id/bpmnError',
    {
      config: workers,
      schema: {
        tags,
        summary:
          'Throw a BPMN error from a user task: caught by its boundary event, else an incident (Camunda 7 compatible)',
        params: idParams,
        body: strict(
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

  app.post<IdParams & { Body: { escalationCode: string } }>(
    '/task/:id/bpmnEscalation',
    {
      config: workers,
      schema: {
        tags,
        summary:
          'Throw a BPMN escalation from a user task (Camunda 7 compatible; variables are not supported yet and must be empty)',
        params: idParams,
        body: strict(
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
    app.get<IdParams>(
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

  app.post<IdParams & { Body: { message: string; processInstanceId?: string | null } }>(
    '/task/:id/comment/create',
    {
      config: workers,
      schema: {
        tags,
        summary: 'Comment on a task; the comment is kept in the instance history (Camunda 7 compatible)',
        params: idParams,
        body: strict(
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

  app.get<IdParams>(
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

  app.get<{ Params: { id: string; commentId: string } }>(
    '/task/:id/comment/:commentId',
    {
      config: readers,
      schema: {
        tags,
        summary: 'One comment of a task (Camunda 7 compatible)',
        params: strict(
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

  app.get<IdParams>(
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
