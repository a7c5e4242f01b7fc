/** Camunda 7 `POST /signal`: broadcast through the engine's one fan-out. */
import type { Engine } from '../../runtime/index.js';
import { actorId } from '../actor.js';
import { ApiError } from '../problem.js';
import { typedVariablesSchema } from './shapes.js';
import { fromTypedValues } from './typed-values.js';
import type { RoutePlugin } from '../schemas.js';

// executionId (deliver to one execution only) and tenants would change who receives it: refused by name
const signalBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 255 },
    variables: typedVariablesSchema,
    executionId: { type: ['string', 'null'] },
    tenantId: { type: 'null' },
    withoutTenantId: { type: ['boolean', 'null'] },
  },
  required: ['name'],
} as const;

export const camundaSignalRoutes: RoutePlugin<{ engine: Engine }> = async (app, { engine }) => {
  app.post(
    '/signal',
    {
      config: { auth: { roles: ['worker', 'supervisor', 'owner'] } },
      schema: {
        tags: ['camunda-compat'],
        summary: 'Broadcast a signal to every subscribed instance and signal start event (Camunda 7 compatible)',
        body: signalBody,
      },
    },
    async (request, reply) => {
      const body = request.body;
      if (body.executionId)
        throw new ApiError('BAD_REQUEST', 'executionId is not supported: svcflow broadcasts signals to every receiver');
      await engine.broadcastSignal({
        name: body.name,
        variables: fromTypedValues(body.variables),
        by: actorId(request),
      });
      return reply.code(204).send();
    },
  );
};
