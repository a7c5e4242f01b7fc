/** Camunda 7 read endpoints integrations use: process definitions (list, by key, XML) and process instances (by id, variables). */
import type { FastifyRequest } from 'fastify';
import { DefinitionNotFoundError, type Engine } from '../../runtime/index.js';
import type { DefinitionRow } from '../../store/index.js';
import { checkInstanceVisible } from '../scopes.js';
import { camundaObject, toCamundaInstance } from './shapes.js';
import { toTypedValues } from './typed-values.js';
import { pathParam, type RoutePlugin } from '../schemas.js';

const definitionQuery = {
  type: 'object',
  properties: {
    key: { type: 'string' },
    latestVersion: { type: 'boolean', default: false },
    firstResult: { type: 'integer', minimum: 0, default: 0 },
    maxResults: { type: 'integer', minimum: 0, maximum: 500, default: 100 },
  },
  additionalProperties: false,
} as const;
const readers = { auth: { roles: ['staff' as const, 'supervisor' as const, 'owner' as const, 'worker' as const] } };

export const camundaReadRoutes: RoutePlugin<{ engine: Engine }> = async (app, { engine }) => {
  const tags = ['camunda-compat'];

  app.get(
    '/process-definition',
    {
      config: readers,
      schema: {
        tags,
        summary: 'List process definitions (Camunda 7 compatible)',
        querystring: definitionQuery,
        response: { 200: { type: 'array', items: camundaObject('Camunda process definition') } },
      },
    },
    async (request) => {
      const q = request.query;
      const page = await engine.listDefinitions({
        key: q.key,
        latestOnly: q.latestVersion,
        offset: q.firstResult,
        limit: q.maxResults,
      });
      return page.items.map(toDefinition);
    },
  );

  app.get(
    '/process-definition/key/:key',
    {
      config: readers,
      schema: {
        tags,
        summary: 'The latest version of a process definition by key (Camunda 7 compatible)',
        params: pathParam('key'),
        response: { 200: camundaObject('Camunda process definition') },
      },
    },
    async (request) => toDefinition(await latest(engine, request.params.key)),
  );

  app.get(
    '/process-definition/:id',
    {
      config: readers,
      schema: {
        tags,
        summary: 'A process definition version by id (Camunda 7 compatible)',
        params: pathParam('id'),
        response: { 200: camundaObject('Camunda process definition') },
      },
    },
    async (request) => {
      const def = await engine.getDefinition(request.params.id);
      if (def.deletedAt) throw new DefinitionNotFoundError(def.id);
      return toDefinition(def);
    },
  );

  app.get(
    '/process-definition/key/:key/xml',
    {
      config: readers,
      schema: {
        tags,
        summary: 'The BPMN XML of the latest version by key (Camunda 7 compatible)',
        params: pathParam('key'),
        response: { 200: camundaObject('{ id, bpmn20Xml }') },
      },
    },
    async (request) => {
      const def = await engine.getDefinition((await latest(engine, request.params.key)).id);
      return { id: def.id, bpmn20Xml: def.xml };
    },
  );

  app.get(
    '/process-definition/:id/xml',
    {
      config: readers,
      schema: {
        tags,
        summary: 'The BPMN XML of a process definition (Camunda 7 compatible)',
        params: pathParam('id'),
        response: { 200: camundaObject('{ id, bpmn20Xml }') },
      },
    },
    async (request) => {
      const def = await engine.getDefinition(request.params.id);
      return { id: def.id, bpmn20Xml: def.xml };
    },
  );

  app.get(
    '/process-instance/:id',
    {
      config: readers,
      schema: {
        tags,
        summary: 'Read a process instance (Camunda 7 compatible)',
        params: pathParam('id'),
        response: { 200: camundaObject('Camunda process instance') },
      },
    },
    async (request) => toCamundaInstance(await visibleInstance(engine, request)),
  );

  app.get(
    '/process-instance/:id/variables',
    {
      config: readers,
      schema: {
        tags,
        summary: 'The typed variables of a process instance (Camunda 7 compatible)',
        params: pathParam('id'),
        response: { 200: { type: 'object', additionalProperties: camundaObject('typed value') } },
      },
    },
    async (request) => toTypedValues((await visibleInstance(engine, request)).variables),
  );
};

// helpers

async function visibleInstance(engine: Engine, request: { actor: FastifyRequest['actor']; params: { id: string } }) {
  await checkInstanceVisible(engine, request.actor, request.params.id);
  return engine.getInstance(request.params.id);
}

async function latest(engine: Engine, key: string): Promise<Omit<DefinitionRow, 'xml'>> {
  const [row] = (await engine.listDefinitions({ key, latestOnly: true, offset: 0, limit: 1 })).items;
  if (!row) throw new DefinitionNotFoundError(key);
  return row;
}

/** Camunda's ProcessDefinitionDto. */
export function toDefinition(def: Omit<DefinitionRow, 'xml'>) {
  return {
    id: def.id,
    key: def.key,
    category: null,
    description: null,
    name: def.name,
    version: def.version,
    resource: null,
    deploymentId: def.deploymentId ?? null,
    diagram: null,
    suspended: false,
    tenantId: null,
    versionTag: null,
    historyTimeToLive: null,
    startableInTasklist: true,
  };
}
