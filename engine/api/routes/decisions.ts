/** /api/decisions: list and read deployed DMN decisions, and evaluate one for testing a table. */
import type { DecisionRef, Engine } from '../../runtime/index.js';
import type { DecisionRow } from '../../store/index.js';
import { withProblems } from '../problem.js';
import { idParams, pagingProperties, strictObject, variablesSchema, type RoutePlugin } from '../schemas.js';

const str = { type: 'string' } as const;
const nullableStr = { type: ['string', 'null'] } as const;

export const decisionSchema = {
  type: 'object',
  properties: {
    id: str,
    key: str,
    version: { type: 'integer' },
    name: nullableStr,
    versionTag: nullableStr,
    hash: str,
    resource: { ...str, description: 'the deployment file that held the decision' },
    deployedAt: { type: 'string', format: 'date-time' },
    deployedBy: nullableStr,
  },
  required: ['id', 'key', 'version', 'name', 'versionTag', 'resource', 'deployedAt'],
} as const;

const resultSchema = {
  type: 'object',
  properties: {
    decisionId: str,
    decisionName: str,
    value: { description: 'the DMN result: one output, a context of outputs, a list for several hits, an aggregate' },
    resultList: {
      type: 'array',
      items: { type: 'object', additionalProperties: true },
      description: "Camunda 7's result list: output name → value per rule",
    },
    matchedRules: { type: 'array', items: str },
  },
  required: ['decisionId', 'decisionName', 'value', 'resultList', 'matchedRules'],
} as const;

const evaluationSchema = {
  type: 'object',
  properties: {
    ...resultSchema.properties,
    decisionDefinitionId: str,
    version: { type: 'integer' },
    required: {
      type: 'array',
      items: resultSchema,
      description: 'the decisions this one required, in evaluation order',
    },
    warnings: { type: 'array', items: str },
  },
  required: [...resultSchema.required, 'decisionDefinitionId', 'version', 'required', 'warnings'],
} as const;

const evaluateBody = strictObject({
  variables: variablesSchema,
  version: { type: 'integer', minimum: 1, description: 'evaluate this version instead of the latest' },
  versionTag: {
    type: 'string',
    minLength: 1,
    maxLength: 200,
    description: 'evaluate the newest version with this camunda:versionTag',
  },
});

const listQuery = strictObject({
  key: { type: 'string', minLength: 1 },
  latestOnly: { type: 'boolean', default: false },
  ...pagingProperties,
});

/** Decision routes; deploying is `POST /api/definitions` with a `.dmn` document. */
export const decisionRoutes: RoutePlugin<{ engine: Engine }> = async (app, { engine }) => {
  app.get(
    '/decisions',
    {
      config: { auth: { roles: 'any' } },
      schema: {
        tags: ['decisions'],
        summary: 'List deployed DMN decisions, latest version first within a key',
        querystring: listQuery,
        response: withProblems({
          200: {
            type: 'object',
            properties: { items: { type: 'array', items: decisionSchema }, total: { type: 'integer' } },
            required: ['items', 'total'],
          },
        }),
      },
    },
    async (request) => engine.listDecisions(request.query),
  );

  app.get(
    '/decisions/:id',
    {
      config: { auth: { roles: 'any' } },
      schema: {
        tags: ['decisions'],
        summary: 'Read one decision version (`key:version`) without its DMN',
        params: idParams,
        response: withProblems({ 200: decisionSchema }),
      },
    },
    async (request) => withoutXml(await engine.getDecision(request.params.id)),
  );

  app.get(
    '/decisions/:id/xml',
    {
      config: { auth: { roles: 'any' } },
      schema: {
        tags: ['decisions'],
        summary: 'Download the DMN document of one decision version',
        params: idParams,
        produces: ['application/xml'],
        response: withProblems({ 200: { type: 'string', description: 'DMN 1.3 XML' } }),
      },
    },
    async (request, reply) =>
      reply
        .type('application/xml')
        .serializer(String)
        .send((await engine.getDecision(request.params.id)).xml),
  );

  app.post(
    '/decisions/:key/evaluate',
    {
      config: { auth: { roles: 'any' } },
      schema: {
        tags: ['decisions'],
        summary: 'Evaluate a deployed decision (the latest version, or the one asked) on variables',
        params: {
          type: 'object',
          properties: { key: { type: 'string', minLength: 1, maxLength: 255 } },
          required: ['key'],
          additionalProperties: false,
        },
        body: evaluateBody,
        response: withProblems({ 200: evaluationSchema }),
      },
    },
    async (request) => {
      const { variables = {}, version, versionTag } = request.body ?? {};
      const ref: DecisionRef =
        version !== undefined
          ? { key: request.params.key, binding: 'version', version }
          : versionTag !== undefined
            ? { key: request.params.key, binding: 'versionTag', versionTag }
            : { key: request.params.key };
      const { decision, ...evaluation } = await engine.evaluateDecision(ref, variables);
      return { ...evaluation, decisionDefinitionId: decision.id, version: decision.version };
    },
  );
};

// helpers

function withoutXml(row: DecisionRow): Omit<DecisionRow, 'xml'> {
  const { xml: _xml, ...rest } = row;
  return rest;
}
