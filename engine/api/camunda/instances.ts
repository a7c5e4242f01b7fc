/**
 * Camunda 7 runtime process instances: query (GET and POST), count, delete (a cancellation), and suspension
 * (`PUT /process-instance/{id}/suspended`: Engine.suspendInstance / resumeInstance).
 */
import type { FastifyRequest } from 'fastify';
import type { Engine } from '../../runtime/index.js';
import type { InstanceRow, InstanceStatus } from '../../store/index.js';
import { actorId } from '../actor.js';
import { ApiError } from '../problem.js';
import { idParams, strictObject, type RoutePlugin } from '../schemas.js';
import { checkInstanceVisible, visibilityOf } from '../scopes.js';
import { camundaObject, toCamundaInstance, typedVariablesSchema } from './shapes.js';
import { fromTypedValues } from './typed-values.js';

const filters = {
  processInstanceIds: { type: 'string', description: 'comma-separated (GET) ' },
  businessKey: { type: 'string' },
  processDefinitionId: { type: 'string' },
  processDefinitionKey: { type: 'string' },
  superProcessInstance: { type: 'string', description: 'only the instances this instance called' },
  active: { type: 'boolean' },
  withIncident: { type: 'boolean' },
  suspended: { type: 'boolean', description: 'only suspended (true) or only not suspended (false) instances' },
} as const;
const paging = {
  firstResult: { type: 'integer', minimum: 0, maximum: 1_000_000_000, default: 0 },
  maxResults: { type: 'integer', minimum: 0, maximum: 500, default: 100 },
} as const;
const getQuery = strictObject({ ...filters, ...paging });
const postQuery = strictObject({
  ...filters,
  processInstanceIds: { type: 'array', items: { type: 'string' }, maxItems: 100 },
});
const postPaging = strictObject(paging);
const readers = { auth: { roles: ['staff' as const, 'supervisor' as const, 'owner' as const, 'worker' as const] } };
const operators = { auth: { roles: ['supervisor' as const, 'owner' as const] } };

interface Filters {
  processInstanceIds?: string | string[];
  businessKey?: string;
  processDefinitionId?: string;
  processDefinitionKey?: string;
  superProcessInstance?: string;
  active?: boolean;
  suspended?: boolean;
  withIncident?: boolean;
}
interface Paged {
  firstResult: number;
  maxResults: number;
}

export const camundaInstanceRoutes: RoutePlugin<{ engine: Engine }> = async (app, { engine }) => {
  const tags = ['camunda-compat'];
  const list = { 200: { type: 'array', items: camundaObject('Camunda process instance') } };
  const count = { 200: camundaObject('{ count }') };

  app.get(
    '/process-instance',
    {
      config: readers,
      schema: {
        tags,
        summary: 'Running process instances, newest first (Camunda 7 compatible)',
        querystring: getQuery,
        response: list,
      },
    },
    async (request) => (await running(engine, request, request.query, request.query)).items.map(toCamundaInstance),
  );

  app.post(
    '/process-instance',
    {
      config: readers,
      schema: {
        tags,
        summary: 'Query running process instances with a body (Camunda 7 compatible)',
        body: postQuery,
        querystring: postPaging,
        response: list,
      },
    },
    async (request) => (await running(engine, request, request.body ?? {}, request.query)).items.map(toCamundaInstance),
  );

  app.get(
    '/process-instance/count',
    {
      config: readers,
      schema: {
        tags,
        summary: 'Count running process instances (Camunda 7 compatible)',
        querystring: getQuery,
        response: count,
      },
    },
    async (request) => ({
      count: (await running(engine, request, request.query, { firstResult: 0, maxResults: 0 }, true)).total,
    }),
  );

  app.post(
    '/process-instance/count',
    {
      config: readers,
      schema: {
        tags,
        summary: 'Count running process instances with a body (Camunda 7 compatible)',
        body: postQuery,
        response: count,
      },
    },
    async (request) => ({
      count: (await running(engine, request, request.body ?? {}, { firstResult: 0, maxResults: 0 }, true)).total,
    }),
  );

  app.delete(
    '/process-instance/:id',
    {
      config: operators,
      schema: {
        tags,
        params: idParams,
        summary: 'Delete a running process instance: it is cancelled (its history stays) (Camunda 7 compatible)',
        querystring: strictObject({
          skipCustomListeners: { type: 'boolean', enum: [false], default: false },
          skipIoMappings: { type: 'boolean', enum: [false], default: false },
          skipSubprocesses: {
            type: 'boolean',
            enum: [false],
            default: false,
            description: 'called instances are cancelled with their parent',
          },
          failIfNotExists: { type: 'boolean', default: true },
        }),
      },
    },
    async (request, reply) => {
      const exists = await engine.store.instances.get(request.params.id);
      if (!exists && !request.query.failIfNotExists) return reply.code(204).send();
      await checkInstanceVisible(engine, request.actor, request.params.id);
      await engine.cancelInstance(request.params.id, actorId(request));
      return reply.code(204).send();
    },
  );

  app.put(
    '/process-instance/:id/suspended',
    {
      config: operators,
      schema: {
        tags,
        summary: 'Suspend (`suspended: true`) or activate (`false`) a process instance (Camunda 7 compatible)',
        description:
          'While suspended its tasks cannot be claimed or completed (SuspendedEntityInteractionException), its external tasks are not fetched, its timers wait, messages are not correlated to it and signals pass it by.',
        params: idParams,
        body: strictObject({ suspended: { type: 'boolean' } }, ['suspended']),
      },
    },
    async (request, reply) => {
      await checkInstanceVisible(engine, request.actor, request.params.id);
      const by = actorId(request);
      if (request.body.suspended) await engine.suspendInstance(request.params.id, by);
      else await engine.resumeInstance(request.params.id, by);
      return reply.code(204).send();
    },
  );

  const varParams = {
    type: 'object',
    properties: { id: { type: 'string', maxLength: 200 }, varName: { type: 'string', minLength: 1, maxLength: 255 } },
    required: ['id', 'varName'],
    additionalProperties: false,
  } as const;

  app.post(
    '/process-instance/:id/variables',
    {
      config: operators,
      schema: {
        tags,
        summary: 'Set and remove variables of a process instance in one step (Camunda 7 compatible)',
        params: idParams,
        body: {
          type: 'object',
          properties: {
            modifications: typedVariablesSchema,
            deletions: { type: ['array', 'null'], items: { type: 'string', minLength: 1, maxLength: 255 } },
          },
          additionalProperties: false,
        },
      },
    },
    async (request, reply) => {
      const variables = fromTypedValues(request.body?.modifications);
      const deletions = request.body?.deletions ?? [];
      await engine.setInstanceVariables(request.params.id, { variables, deletions }, request.actor);
      return reply.code(204).send();
    },
  );

  app.put(
    '/process-instance/:id/variables/:varName',
    {
      config: operators,
      schema: {
        tags,
        summary: 'Set a variable of a process instance (Camunda 7 compatible)',
        params: varParams,
        body: {
          type: 'object',
          properties: { value: {}, type: { type: ['string', 'null'] }, valueInfo: { type: ['object', 'null'] } },
          additionalProperties: false,
        },
      },
    },
    async (request, reply) => {
      const variables = fromTypedValues({ [request.params.varName]: request.body });
      await engine.setInstanceVariables(request.params.id, { variables }, request.actor);
      return reply.code(204).send();
    },
  );

  app.delete(
    '/process-instance/:id/variables/:varName',
    {
      config: operators,
      schema: { tags, summary: 'Remove a variable of a process instance (Camunda 7 compatible)', params: varParams },
    },
    async (request, reply) => {
      await engine.setInstanceVariables(request.params.id, { deletions: [request.params.varName] }, request.actor);
      return reply.code(204).send();
    },
  );
};

// helpers

const RUNNING: InstanceStatus[] = ['active', 'incident'];

async function running(
  engine: Engine,
  request: FastifyRequest,
  f: Filters,
  p: Paged,
  countOnly = false,
): Promise<{ items: InstanceRow[]; total: number }> {
  const statuses: InstanceStatus[] = f.withIncident ? ['incident'] : f.active ? ['active', 'incident'] : RUNNING;
  const ids =
    typeof f.processInstanceIds === 'string'
      ? f.processInstanceIds
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : f.processInstanceIds;
  if (ids) {
    if (ids.length > 100) throw new ApiError('BAD_REQUEST', 'at most 100 process instance ids at a time');
    const rows: InstanceRow[] = [];
    for (const id of ids) {
      const row = await engine.store.instances.get(id);
      if (
        row &&
        statuses.includes(row.status) &&
        matches(row, f) &&
        (await checkInstanceVisible(engine, request.actor, id).then(
          () => true,
          () => false,
        ))
      )
        rows.push(row);
    }
    return { items: rows.slice(p.firstResult, p.firstResult + p.maxResults), total: rows.length };
  }
  const page = await engine.store.instances.list({
    definitionKey: f.processDefinitionKey,
    definitionId: f.processDefinitionId,
    businessKey: f.businessKey,
    parentInstanceId: f.superProcessInstance,
    statuses,
    // Camunda's `active` is "not suspended"
    suspended: f.suspended ?? (f.active ? false : undefined),
    visibleTo: visibilityOf(request.actor),
    offset: p.firstResult,
    limit: countOnly ? 0 : p.maxResults,
    withTotal: countOnly,
  });
  return { items: page.items, total: page.total ?? 0 };
}

function matches(row: InstanceRow, f: Filters): boolean {
  return (
    (!f.businessKey || row.businessKey === f.businessKey) &&
    (!f.processDefinitionId || row.definitionId === f.processDefinitionId) &&
    (!f.processDefinitionKey || row.definitionKey === f.processDefinitionKey) &&
    (!f.superProcessInstance || row.parentInstanceId === f.superProcessInstance) &&
    (f.suspended === undefined || (row.suspended ?? false) === f.suspended) &&
    (!f.active || !row.suspended)
  );
}
