/** Camunda 8 user tasks (search, assign, complete) and incidents (search, resolve). */
import type { Engine } from '../../runtime/index.js';
import type { IncidentRow, TaskRow } from '../../store/index.js';
import { actorId } from '../actor.js';
import { checkTaskAction, visibilityOf } from '../scopes.js';
import { body, DEFAULT_TENANT, idOf, keyOf, keyParams, variables } from './keys.js';
import type { RoutePlugin } from '../schemas.js';

const keyString = { type: 'string', pattern: '^-?[0-9]{1,19}$' } as const;
const page = body({ from: { type: 'integer', minimum: 0 }, limit: { type: 'integer', minimum: 1, maximum: 1000 } });
const taskSearch = body({
  filter: body({
    state: { type: 'string', enum: ['CREATED', 'COMPLETED', 'CANCELED'] },
    assignee: { type: 'string' },
    candidateGroup: { type: 'string' },
    candidateUser: { type: 'string' },
    processInstanceKey: keyString,
    processDefinitionId: { type: 'string' },
    elementId: { type: 'string' },
    tenantId: { type: 'string' },
  }),
  page,
  sort: { type: 'array', maxItems: 0 },
});
const incidentSearch = body({
  filter: body({
    processInstanceKey: keyString,
    state: { type: 'string', enum: ['ACTIVE', 'RESOLVED'] },
    elementId: { type: 'string' },
    tenantId: { type: 'string' },
  }),
  page,
  sort: { type: 'array', maxItems: 0 },
});

const STATES: Record<string, TaskRow['status']> = { CREATED: 'open', COMPLETED: 'completed', CANCELED: 'cancelled' };
const STATE_OF: Record<string, string> = { open: 'CREATED', completed: 'COMPLETED', cancelled: 'CANCELED' };
const readers = { auth: { roles: ['staff' as const, 'supervisor' as const, 'owner' as const] } };
const staff = { auth: { roles: ['staff' as const, 'supervisor' as const] } };
const operators = { auth: { roles: ['supervisor' as const, 'owner' as const] } };

export const zeebeUserTaskRoutes: RoutePlugin<{ engine: Engine }> = async (app, { engine }) => {
  const tags = ['camunda8-compat'];

  app.post(
    '/user-tasks/search',
    {
      config: readers,
      schema: { tags, summary: 'Search user tasks (Camunda 8 compatible)', body: taskSearch },
    },
    async (request) => {
      const f = request.body?.filter ?? {};
      const { from = 0, limit = 100 } = request.body?.page ?? {};
      const result = await engine.listTasks({
        assignee: f.assignee,
        candidateUser: f.candidateUser,
        candidateGroups: f.candidateGroup ? [f.candidateGroup] : undefined,
        instanceId: f.processInstanceKey ? await idOf(engine, 'instance', f.processInstanceKey) : undefined,
        definitionKey: f.processDefinitionId,
        status: f.state ? STATES[f.state] : undefined,
        offset: from,
        limit,
        visibleTo: visibilityOf(request.actor),
      });
      const items = result.items.filter((task) => !f.elementId || task.elementId === f.elementId);
      return {
        items: await Promise.all(items.map((task) => toUserTask(engine, task))),
        page: { totalItems: result.total },
      };
    },
  );

  app.post(
    '/user-tasks/:userTaskKey/assignment',
    {
      config: staff,
      schema: {
        tags,
        summary: 'Assign a user task; allowOverride (default true) replaces another assignee (Camunda 8 compatible)',
        params: keyParams('userTaskKey'),
        body: body(
          {
            assignee: { type: 'string', minLength: 1 },
            allowOverride: { type: ['boolean', 'null'] },
            action: { type: ['string', 'null'] },
          },
          ['assignee'],
        ),
      },
    },
    async (request, reply) => {
      const id = await idOf(engine, 'task', request.params.userTaskKey);
      const task = await engine.getTask(id);
      const takesOver = task.assignee !== null && task.assignee !== request.body.assignee;
      await engine.assignTask(id, request.body.assignee, request.actor, {
        force: takesOver && (request.body.allowOverride ?? true),
      });
      return reply.code(204).send();
    },
  );

  app.post(
    '/user-tasks/:userTaskKey/completion',
    {
      config: staff,
      schema: {
        tags,
        summary: 'Complete a user task with variables (Camunda 8 compatible)',
        params: keyParams('userTaskKey'),
        body: body({ variables, action: { type: ['string', 'null'] } }),
      },
    },
    async (request, reply) => {
      const task = await engine.getTask(await idOf(engine, 'task', request.params.userTaskKey));
      const vars = request.body?.variables ?? {};
      checkTaskAction(request.actor, task, 'complete');
      await engine.completeTask(task.id, vars, actorId(request), undefined, task);
      return reply.code(204).send();
    },
  );

  // Camunda 8's FormResult: the schema as text, the version deployed with the case's process version
  app.get(
    '/user-tasks/:userTaskKey/form',
    {
      config: readers,
      schema: {
        tags,
        summary: "A user task's form, as deployed with its case's process version (Camunda 8 compatible)",
        params: keyParams('userTaskKey'),
      },
    },
    async (request, reply) => {
      const task = await engine.getTask(await idOf(engine, 'task', request.params.userTaskKey));
      checkTaskAction(request.actor, task, 'read');
      const form = await engine.taskForm(task.id);
      // Camunda 8 answers 204 for a task without a form
      if (!form) return reply.code(204).send();
      return {
        tenantId: DEFAULT_TENANT,
        formId: form.formKey,
        schema: JSON.stringify(form.schema),
        version: form.version ?? 1,
        formKey: await keyOf(engine, 'form', form.formKey),
      };
    },
  );

  app.post(
    '/incidents/search',
    {
      config: operators,
      schema: { tags, summary: 'Search incidents (Camunda 8 compatible)', body: incidentSearch },
    },
    async (request) => {
      const f = request.body?.filter ?? {};
      const { from = 0, limit = 100 } = request.body?.page ?? {};
      const result = await engine.listIncidents({
        instanceId: f.processInstanceKey ? await idOf(engine, 'instance', f.processInstanceKey) : undefined,
        status: f.state === 'RESOLVED' ? 'resolved' : f.state === 'ACTIVE' ? 'open' : undefined,
        offset: from,
        limit,
        visibleTo: visibilityOf(request.actor),
      });
      // Camunda 8 keeps a called instance's incident on that instance only (the caller shows hasIncident)
      const items = result.items.filter(
        (incident) =>
          (!f.elementId || incident.elementId === f.elementId) && incident.code !== 'CALLED_INSTANCE_INCIDENT',
      );
      return {
        items: await Promise.all(items.map((incident) => toIncident(engine, incident))),
        page: { totalItems: result.total },
      };
    },
  );

  app.post(
    '/incidents/:incidentKey/resolution',
    {
      config: operators,
      schema: {
        tags,
        summary:
          'Resolve an incident: a failed job gets a retry, a failed expression is evaluated again (Camunda 8 compatible)',
        params: keyParams('incidentKey'),
      },
    },
    async (request, reply) => {
      await engine.retryIncident(await idOf(engine, 'incident', request.params.incidentKey), {
        by: actorId(request),
        actor: request.actor,
      });
      return reply.code(204).send();
    },
  );
};

// helpers

async function toUserTask(engine: Engine, task: TaskRow) {
  const instance = await engine.store.instances.get(task.instanceId);
  return {
    name: task.name ?? undefined,
    state: STATE_OF[task.status] ?? 'CREATED',
    assignee: task.assignee ?? undefined,
    elementId: task.elementId,
    candidateGroups: task.candidateGroups,
    candidateUsers: task.candidateUsers,
    processDefinitionId: task.definitionKey,
    creationDate: task.createdAt,
    completionDate: task.endedAt ?? undefined,
    dueDate: task.due ?? undefined,
    followUpDate: task.followUp ?? undefined,
    tenantId: DEFAULT_TENANT,
    priority: task.priority ?? 50,
    customHeaders: instance ? await engine.jobs.headersOf(instance.definitionId, task.elementId) : {},
    userTaskKey: await keyOf(engine, 'task', task.id),
    elementInstanceKey: await keyOf(engine, 'task', task.id),
    processInstanceKey: await keyOf(engine, 'instance', task.instanceId),
    ...(instance ? { processDefinitionKey: await keyOf(engine, 'definition', instance.definitionId) } : {}),
    ...(task.formKey ? { formKey: await keyOf(engine, 'form', task.formKey) } : {}),
  };
}

const ERROR_TYPES: Record<string, string> = {
  JOB_FAILED: 'JOB_NO_RETRIES',
  EXPRESSION_FAILED: 'EXTRACT_VALUE_ERROR',
  UNHANDLED_ERROR: 'UNHANDLED_ERROR_EVENT',
};

async function toIncident(engine: Engine, incident: IncidentRow) {
  const instance = await engine.store.instances.get(incident.instanceId);
  return {
    processDefinitionId: incident.definitionKey,
    errorType: ERROR_TYPES[incident.code] ?? 'UNKNOWN',
    errorMessage: incident.message,
    elementId: incident.elementId,
    creationTime: incident.createdAt,
    state: incident.status === 'open' ? 'ACTIVE' : 'RESOLVED',
    tenantId: DEFAULT_TENANT,
    incidentKey: await keyOf(engine, 'incident', incident.id),
    processInstanceKey: await keyOf(engine, 'instance', incident.instanceId),
    ...(instance ? { processDefinitionKey: await keyOf(engine, 'definition', instance.definitionId) } : {}),
    ...(incident.jobId
      ? {
          elementInstanceKey: await keyOf(engine, 'job', incident.jobId),
          jobKey: await keyOf(engine, 'job', incident.jobId),
        }
      : {}),
  };
}
