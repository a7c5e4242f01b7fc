/**
 * Camunda 7 decision definitions: list, read and evaluate deployed DMN decisions. Evaluating answers
 * Camunda's result list, one entry per rule, each output as a typed value; the evaluation is the
 * engine's one (`Engine.evaluateDecision`).
 */
import type { DecisionRef, DeployedDecision, Engine } from '../../runtime/index.js';
import type { DecisionRow } from '../../store/index.js';
import { camundaObject, typedVariablesSchema } from './shapes.js';
import { fromTypedValues, toTypedValues, type TypedValues } from './typed-values.js';
import type { RoutePlugin } from '../schemas.js';

const tags = ['camunda-compat'];
const evaluateBody = {
  type: ['object', 'null'],
  properties: { variables: typedVariablesSchema },
  additionalProperties: false,
} as const;
const resultSchema = {
  200: { type: 'array', items: camundaObject('output name → typed value, one entry per matched rule') },
} as const;

/** A deployed decision as Camunda's DecisionDefinitionDto. */
export function toCamundaDecision(d: DeployedDecision | Omit<DecisionRow, 'xml'>, deploymentId: string | null) {
  return {
    id: d.id,
    key: d.key,
    category: null,
    name: d.name,
    version: d.version,
    resource: d.resource,
    deploymentId,
    tenantId: null,
    decisionRequirementsDefinitionId: null,
    decisionRequirementsDefinitionKey: null,
    historyTimeToLive: null,
    versionTag: 'versionTag' in d ? d.versionTag : null,
  };
}

export const camundaDecisionRoutes: RoutePlugin<{ engine: Engine }> = async (app, { engine }) => {
  app.get(
    '/decision-definition',
    {
      config: { auth: { roles: 'any' } },
      schema: {
        tags,
        summary: 'List deployed decision definitions (Camunda 7 compatible)',
        querystring: {
          type: 'object',
          properties: { key: { type: 'string', minLength: 1 }, latestVersion: { type: 'boolean' } },
          additionalProperties: false,
        },
        response: { 200: { type: 'array', items: camundaObject('decision definition') } },
      },
    },
    async (request) => {
      const page = await engine.listDecisions({
        key: request.query.key,
        latestOnly: request.query.latestVersion === true,
        limit: 500,
      });
      return page.items.map((row) => toCamundaDecision(row, null));
    },
  );

  app.post(
    '/decision-definition/key/:key/evaluate',
    {
      config: { auth: { roles: 'any' } },
      schema: {
        tags,
        summary: 'Evaluate the latest version of a decision by key (Camunda 7 compatible)',
        params: params('key'),
        body: evaluateBody,
        response: resultSchema,
      },
    },
    async (request) => evaluate(engine, { key: request.params.key }, request.body?.variables),
  );

  app.post(
    '/decision-definition/:id/evaluate',
    {
      config: { auth: { roles: 'any' } },
      schema: {
        tags,
        summary: 'Evaluate a decision version by id `key:version` (Camunda 7 compatible)',
        params: params('id'),
        body: evaluateBody,
        response: resultSchema,
      },
    },
    async (request) => {
      const row = await engine.getDecision(request.params.id);
      return evaluate(engine, { key: row.key, binding: 'version', version: row.version }, request.body?.variables);
    },
  );
};

// helpers

async function evaluate(
  engine: Engine,
  ref: DecisionRef,
  variables: TypedValues | null | undefined,
): Promise<TypedValues[]> {
  const evaluation = await engine.evaluateDecision(ref, fromTypedValues(variables));
  return evaluation.resultList.map((entry) => toTypedValues(entry));
}

function params(name: string) {
  return {
    type: 'object',
    properties: { [name]: { type: 'string', minLength: 1, maxLength: 255 } },
    required: [name],
    additionalProperties: false,
  } as const;
}
