/**
 * Camunda 8 decision evaluation (`POST /v2/decision-definitions/evaluation`): by decision id (latest
 * version) or by decision definition key; the evaluation is the engine's one (`Engine.evaluateDecision`).
 * `output` is the DMN result as JSON text, as Zeebe answers it.
 */
import type { DecisionRef, Engine } from '../../runtime/index.js';
import { ApiError } from '../problem.js';
import { DEFAULT_TENANT, body, idOf, keyOf, newKey, tenantId, variables } from './keys.js';
import type { RoutePlugin } from '../schemas.js';

interface EvaluationBody {
  decisionDefinitionId?: string;
  decisionDefinitionKey?: string;
  variables?: Record<string, unknown> | null;
  tenantId?: string;
}

export const zeebeDecisionRoutes: RoutePlugin<{ engine: Engine }> = async (app, { engine }) => {
  app.post(
    '/decision-definitions/evaluation',
    {
      config: { auth: { roles: 'any' } },
      schema: {
        tags: ['camunda8-compat'],
        summary: 'Evaluate a deployed decision by id (latest version) or key (Camunda 8 compatible)',
        body: body({
          decisionDefinitionId: { type: 'string', minLength: 1, maxLength: 255 },
          decisionDefinitionKey: { type: 'string', pattern: '^-?[0-9]{1,19}$' },
          variables,
          tenantId,
        }),
      },
    },
    async (request) => {
      const ref = await refOf(engine, request.body);
      const evaluation = await engine.evaluateDecision(ref, request.body.variables ?? {});
      const decisionRequirementsKey = await keyOf(engine, 'decision-requirements', evaluation.decision.resource);
      const evaluated = [...evaluation.required, evaluation];
      return {
        decisionDefinitionId: evaluation.decisionId,
        decisionDefinitionName: evaluation.decisionName,
        decisionDefinitionVersion: evaluation.decision.version,
        decisionDefinitionKey: await keyOf(engine, 'decision', evaluation.decision.id),
        decisionRequirementsId: evaluation.decision.resource,
        decisionRequirementsKey,
        output: JSON.stringify(evaluation.value),
        failedDecisionDefinitionId: '',
        failureMessage: '',
        tenantId: DEFAULT_TENANT,
        decisionInstanceKey: await newKey(engine, 'decision-evaluation'),
        evaluatedDecisions: await Promise.all(
          evaluated.map(async (d) => ({
            decisionDefinitionId: d.decisionId,
            decisionDefinitionName: d.decisionName,
            // a required decision runs from the same document, whose own version of it may differ: only the evaluated one is named by key
            ...(d === evaluation
              ? {
                  decisionDefinitionVersion: evaluation.decision.version,
                  decisionDefinitionKey: await keyOf(engine, 'decision', evaluation.decision.id),
                }
              : {}),
            output: JSON.stringify(d.value),
            tenantId: DEFAULT_TENANT,
            matchedRules: d.matchedRules.map((ruleId, i) => ({
              ruleId,
              ruleIndex: i + 1,
              evaluatedOutputs: Object.entries(d.resultList[i] ?? {}).map(([outputName, value]) => ({
                outputId: outputName,
                outputName,
                outputValue: JSON.stringify(value),
              })),
            })),
          })),
        ),
      };
    },
  );
};

// helpers

async function refOf(engine: Engine, request: EvaluationBody): Promise<DecisionRef> {
  if ((request.decisionDefinitionId === undefined) === (request.decisionDefinitionKey === undefined)) {
    throw new ApiError('BAD_REQUEST', 'give exactly one of decisionDefinitionId and decisionDefinitionKey');
  }
  if (request.decisionDefinitionId !== undefined) return { key: request.decisionDefinitionId };
  const id = await idOf(engine, 'decision', request.decisionDefinitionKey!);
  const [key, version] = [id.slice(0, id.lastIndexOf(':')), Number(id.slice(id.lastIndexOf(':') + 1))];
  return { key, binding: 'version', version };
}
