/** /api/definitions: deploy BPMN or DMN XML (or several files with their forms), list and read deployed process definitions. */
import type { FastifyRequest } from 'fastify';
import { isDecisionFile, type DeploymentFile, type Engine } from '../../runtime/index.js';
import { parseMultipart } from '../camunda/multipart.js';
import { XML_BODY_LIMIT } from '../limits.js';
import type { DefinitionRow } from '../../store/index.js';
import { actorId } from '../actor.js';
import { ApiError, hasMediaType, withProblems } from '../problem.js';
import { idParams, pageOf, pagingProperties, strictObject, type RoutePlugin } from '../schemas.js';

const XML_TYPES = ['application/xml', 'text/xml'];
const MULTIPART = 'multipart/form-data';
const DEPLOYABLE = /\.(bpmn|bpmn20\.xml|dmn|dmn11\.xml|form|xml)$/i;

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
    forms: {
      type: 'array',
      description: 'the forms of the deployment, each a form version (new, or the unchanged latest one)',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          key: { type: 'string' },
          version: { type: 'integer' },
          created: { type: 'boolean' },
          resource: { type: 'string' },
        },
        required: ['id', 'key', 'version', 'created', 'resource'],
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

/** Definition routes; deploying the same XML again creates no new version. */
export const definitionRoutes: RoutePlugin<{ engine: Engine }> = async (app, { engine }) => {
  // A deployment of several files: parsed in the handler, with the boundary from the content type.
  app.addContentTypeParser(MULTIPART, { parseAs: 'buffer', bodyLimit: XML_BODY_LIMIT }, (_request, body, done) =>
    done(null, body),
  );
  app.post(
    '/definitions',
    {
      config: { auth: { roles: ['owner'] } },
      schema: {
        tags: ['definitions'],
        summary:
          'Deploy a BPMN or DMN document (application/xml or text/xml), or several files as one deployment (multipart/form-data: .bpmn, .dmn and .form files)',
        description:
          'Creates one new version per process (BPMN) or decision (DMN, told by its root element) whose document changed, and one new form version per changed form: 201 when any was created, 200 when all were already deployed. All files are deployed in one transaction or none is. A process version shows the forms deployed with it (else the latest of each key at deploy), so running cases keep their form when a later deployment changes it.',
        consumes: [...XML_TYPES, MULTIPART],
        response: withProblems({ 200: deployedSchema, 201: deployedSchema }),
      },
      // Before schema validation, so a JSON body is answered 415 rather than 400.
      preValidation: async (request) => {
        if (!hasMediaType(request, [...XML_TYPES, MULTIPART]))
          throw new ApiError(
            'UNSUPPORTED_MEDIA_TYPE',
            'send BPMN XML with Content-Type application/xml or text/xml, or files as multipart/form-data',
          );
        if (hasMediaType(request, XML_TYPES) && typeof request.body !== 'string')
          throw new ApiError('BAD_REQUEST', 'the body must be BPMN 2.0 XML');
      },
    },
    async (request, reply) => {
      const { processes, decisions, forms } = await engine.deployResources(deploymentFiles(request), actorId(request));
      const created = [...processes, ...decisions, ...forms].some((d) => d.created);
      return reply.code(created ? 201 : 200).send({ definitions: processes, decisions, forms });
    },
  );

  // Models are no secret to anyone signed in: the tasklist and dashboard draw them.
  app.get(
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

  app.get(
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

  app.get(
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

/** The files of a deployment: the XML body as one file, or every file part of a multipart body. */
function deploymentFiles(request: FastifyRequest): DeploymentFile[] {
  if (typeof request.body === 'string') {
    const name = isDecisionFile({ name: '', xml: request.body }) ? 'decision.dmn' : 'process.bpmn';
    return [{ name, xml: request.body }];
  }
  const parts = parseMultipart(request.body as Buffer, String(request.headers['content-type']));
  const files = parts
    .filter((p) => p.filename !== null)
    .map((p) => ({ name: p.filename!.replace(/^.*[\\/]/, ''), xml: p.data.toString('utf8') }));
  if (files.length === 0) throw new ApiError('BAD_REQUEST', 'the deployment contains no file');
  const other = files.find((f) => !DEPLOYABLE.test(f.name));
  if (other) throw new ApiError('BAD_REQUEST', `file '${other.name}' is not a .bpmn, .dmn or .form file`);
  return files;
}

function loadDefinition(engine: Engine, id: string): Promise<DefinitionRow> {
  return engine.getDefinition(id);
}

function withoutXml(row: DefinitionRow): Omit<DefinitionRow, 'xml'> {
  const { xml: _xml, ...rest } = row;
  return rest;
}
