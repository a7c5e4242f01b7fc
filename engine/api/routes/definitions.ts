/** /api/definitions: deploy BPMN or DMN XML, list and read deployed process definitions. */
import type { FastifyPluginAsync } from 'fastify';
import { isDecisionFile, type Engine } from '../../runtime/index.js';
import type { DefinitionRow } from '../../store/index.js';
import { actorId } from '../actor.js';
import { ApiError, hasMediaType, withProblems } from '../problem.js';
import { idParams, pageOf, pagingProperties, strictObject } from '../schemas.js';

const XML_TYPES = ['application/xml', 'text/xml'];

const deployedSchema = {
  type: 'object',
  properties: {
    definitions: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          key: { type: 'string' },
          version: { type: 'integer' },
          name: { type: ['string', 'null'] },
          created: { type: 'boolean' },
        },
        required: ['id', 'key', 'version', 'name', 'created'],
      },
    },
    decisions: {
      type: 'array',
      description: 'the DMN decisions of a DMN document',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          key: { type: 'string' },
          version: { type: 'integer' },
          name: { type: ['string', 'null'] },
          created: { type: 'boolean' },
        },
        required: ['id', 'key', 'version', 'name', 'created'],
      },
    },
  },
  required: ['definitions', 'decisions'],
} as const;

const listQuery = strictObject({
  key: { type: 'string', minLength: 1 },
  latestOnly: { type: 'boolean', default: false },
  ...pagingProperties,
});

interface ListQuery {
  key?: string;
  latestOnly: boolean;
  offset: number;
  limit: number;
}

/** Definition routes; deploying the same XML again creates no new version. */
export const definitionRoutes: FastifyPluginAsync<{ engine: Engine }> = async (app, { engine }) => {
  app.post<{ Body: string }>(
    '/definitions',
    {
      config: { auth: { roles: ['owner'] } },
      schema: {
        tags: ['definitions'],
        summary: 'Deploy a BPMN or DMN document (Content-Type application/xml or text/xml)',
        description:
          'Creates one new version per process (BPMN) or decision (DMN, told by its root element) whose document changed: 201 when any was created, 200 when all were already deployed.',
        consumes: XML_TYPES,
        body: { type: 'string', description: 'BPMN 2.0 XML' },
        response: withProblems({ 200: deployedSchema, 201: deployedSchema }),
      },
      // Before schema validation, so a JSON body is answered 415 rather than 400.
      preValidation: async (request) => {
        if (!hasMediaType(request, XML_TYPES))
          throw new ApiError('UNSUPPORTED_MEDIA_TYPE', 'send BPMN XML with Content-Type application/xml or text/xml');
      },
    },
    async (request, reply) => {
      const name = isDecisionFile({ name: '', xml: request.body }) ? 'decision.dmn' : 'process.bpmn';
      const { processes, decisions } = await engine.deployResources([{ name, xml: request.body }], actorId(request));
      const created = [...processes, ...decisions].some((d) => d.created);
      return reply.code(created ? 201 : 200).send({ definitions: processes, decisions });
    },
  );

  // Models are no secret to anyone signed in: the tasklist and dashboard draw them.
  app.get<{ Querystring: ListQuery }>(
    '/definitions',
    {
      config: { auth: { roles: 'any' } },
      schema: {
        tags: ['definitions'],
        summary: 'List deployed definitions, latest version first within a key',
        querystring: listQuery,
        response: withProblems({ 200: pageOf('Definition') }),
      },
    },
    async (request) => engine.listDefinitions(request.query),
  );

  app.get<{ Params: { id: string } }>(
    '/definitions/:id',
    {
      config: { auth: { roles: 'any' } },
      schema: {
        tags: ['definitions'],
        summary: 'Read one definition version (without its XML), with the names of its elements',
        params: idParams,
        response: withProblems({ 200: { $ref: 'Definition#' } }),
      },
    },
    async (request) => {
      const row = withoutXml(await loadDefinition(engine, request.params.id));
      const { compiled } = await engine.definitions.load(row.id);
      return { ...row, startFormKey: compiled.startFormKey, elementNames: compiled.elementNames };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/definitions/:id/xml',
    {
      config: { auth: { roles: 'any' } },
      schema: {
        tags: ['definitions'],
        summary: 'Download the BPMN XML of one definition version',
        params: idParams,
        produces: ['application/xml'],
        response: withProblems({ 200: { type: 'string', description: 'BPMN 2.0 XML' } }),
      },
    },
    async (request, reply) => {
      const row = await loadDefinition(engine, request.params.id);
      return reply.type('application/xml').serializer(String).send(row.xml);
    },
  );
};

// helpers

function loadDefinition(engine: Engine, id: string): Promise<DefinitionRow> {
  return engine.getDefinition(id);
}

function withoutXml(row: DefinitionRow): Omit<DefinitionRow, 'xml'> {
  const { xml: _xml, ...rest } = row;
  return rest;
}
