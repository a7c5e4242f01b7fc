/** Camunda 7 process start (by key or by definition id) and message correlation. */
import type { FromSchema } from 'json-schema-to-ts';
import type { Engine } from '../../runtime/index.js';
import { actorId } from '../actor.js';
import { starterOf } from '../scopes.js';
import { camundaObject, toCamundaInstance, typedVariablesSchema } from './shapes.js';
import { fromTypedValues, toTypedValues } from './typed-values.js';
import { pathParam, type RoutePlugin } from '../schemas.js';

// Camunda start and message bodies have many options we do not support; the ones that would change
// the meaning of a call (e.g. processInstanceId, tenantId) are refused below rather than ignored.
const startBody = {
  type: 'object',
  properties: {
    variables: typedVariablesSchema,
    businessKey: { type: ['string', 'null'], maxLength: 255 },
    withVariablesInReturn: { type: 'boolean' },
    // svcflow starts only at start events: one instruction, before a start event of the process
    startInstructions: {
      type: 'array',
      maxItems: 1,
      items: {
        type: 'object',
        properties: {
          type: { type: 'string', enum: ['startBeforeActivity'] },
          activityId: { type: 'string', minLength: 1 },
        },
        required: ['type', 'activityId'],
        additionalProperties: false,
      },
      description: 'at most one startBeforeActivity naming a start event of the process',
    },
  },
  additionalProperties: false,
} as const;
const messageBody = {
  type: 'object',
  properties: {
    messageName: { type: 'string', minLength: 1 },
    businessKey: { type: ['string', 'null'] },
    processInstanceId: { type: ['string', 'null'] },
    tenantId: { type: 'null' },
    withoutTenantId: { type: ['boolean', 'null'] },
    correlationKeys: typedVariablesSchema,
    localCorrelationKeys: typedVariablesSchema,
    processVariables: typedVariablesSchema,
    processVariablesLocal: {
      ...typedVariablesSchema,
      description: 'local to the receiving element: seen only by its output mappings',
    },
    all: { type: 'boolean' },
    resultEnabled: { type: 'boolean' },
    variablesInResultEnabled: { type: 'boolean' },
  },
  required: ['messageName'],
  additionalProperties: false,
} as const;

const starters = { auth: { roles: ['staff' as const, 'supervisor' as const, 'owner' as const] } };

type StartBody = FromSchema<typeof startBody>;

/** Start and message routes in Camunda's shape. */
export const camundaProcessRoutes: RoutePlugin<{ engine: Engine }> = async (app, { engine }) => {
  const tags = ['camunda-compat'];
  const response = { 200: camundaObject('Camunda process instance') };

  app.post(
    '/process-definition/key/:key/start',
    {
      config: starters,
      schema: {
        tags,
        summary: 'Start the latest version of a process by key (Camunda 7 compatible)',
        params: pathParam('key'),
        body: startBody,
        response,
      },
    },
    async (request) => {
      const body = request.body ?? {};
      const instance = await engine.startInstance({
        definitionKey: request.params.key,
        variables: fromTypedValues(body.variables),
        businessKey: body.businessKey ?? null,
        by: actorId(request),
        starter: starterOf(request.actor),
        ...startAt(body),
      });
      return toCamundaInstance(instance);
    },
  );

  app.post(
    '/process-definition/:id/start',
    {
      config: starters,
      schema: {
        tags,
        summary: 'Start a process by definition id (Camunda 7 compatible; used by Camunda Modeler)',
        params: pathParam('id'),
        body: startBody,
        response,
      },
    },
    async (request) => {
      const body = request.body ?? {};
      const instance = await engine.startInstance({
        definitionId: request.params.id,
        variables: fromTypedValues(body.variables),
        businessKey: body.businessKey ?? null,
        by: actorId(request),
        starter: starterOf(request.actor),
        ...startAt(body),
      });
      return toCamundaInstance(instance);
    },
  );

  app.post(
    '/message',
    {
      config: { auth: { roles: ['worker', 'supervisor', 'owner'] } },
      schema: {
        tags,
        summary:
          'Correlate a message to the waiting executions selected by business key, process instance id, process variables (correlationKeys) and local variables (Camunda 7 compatible)',
        body: messageBody,
      },
    },
    async (request, reply) => {
      const body = request.body;
      const { instanceIds, started } = await engine.correlateMessageWhere({
        name: body.messageName,
        ...(body.businessKey != null ? { businessKey: body.businessKey } : {}),
        ...(body.processInstanceId != null ? { instanceId: body.processInstanceId } : {}),
        ...(body.correlationKeys ? { variablesEqual: fromTypedValues(body.correlationKeys) } : {}),
        ...(body.localCorrelationKeys ? { localVariablesEqual: fromTypedValues(body.localCorrelationKeys) } : {}),
        variables: fromTypedValues(body.processVariables),
        ...(body.processVariablesLocal ? { localVariables: fromTypedValues(body.processVariablesLocal) } : {}),
        all: body.all ?? false,
        by: actorId(request),
      });
      if (!body.resultEnabled) return reply.code(204).send();
      return reply
        .code(200)
        .send(
          await Promise.all(
            instanceIds.map((id) => messageResult(engine, id, body.variablesInResultEnabled ?? false, started)),
          ),
        );
    },
  );
};

// helpers

// Camunda's MessageCorrelationResultWithVariables: the execution that received it, and (if asked) the variables after.
// A message that started an instance at a message start event answers resultType ProcessDefinition with the new instance.
async function messageResult(engine: Engine, instanceId: string, withVariables: boolean, started: boolean) {
  const instance = await engine.getInstance(instanceId);
  const ended = instance.status === 'completed' || instance.status === 'terminated';
  if (started) {
    return {
      resultType: 'ProcessDefinition',
      execution: null,
      processInstance: toCamundaInstance(instance),
      ...(withVariables ? { variables: toTypedValues(instance.variables) } : {}),
    };
  }
  return {
    resultType: 'Execution',
    execution: { id: instanceId, processInstanceId: instanceId, ended, tenantId: null },
    processInstance: null,
    ...(withVariables ? { variables: toTypedValues(instance.variables) } : {}),
  };
}

/** The start event a Camunda 7 start instruction names; none: the none start event. */
function startAt(body: StartBody): { startEventId?: string } {
  const activityId = body.startInstructions?.[0]?.activityId;
  return activityId ? { startEventId: activityId } : {};
}
