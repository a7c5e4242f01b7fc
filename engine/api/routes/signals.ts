/** /api/signals: broadcast a signal to every definition and instance listening for it. */
import type { Engine } from '../../runtime/index.js';
import { actorId } from '../actor.js';
import { withProblems } from '../problem.js';
import { strictObject, variablesSchema, type RoutePlugin } from '../schemas.js';

const signalBody = strictObject(
  {
    name: { type: 'string', minLength: 1, maxLength: 255 },
    variables: variablesSchema,
  },
  ['name'],
);

const outcomeSchema = {
  type: 'object',
  properties: {
    signalId: { type: 'string' },
    startedInstanceIds: {
      type: 'array',
      items: { type: 'string' },
      description: 'instances started by signal start events',
    },
    deliveredInstanceIds: {
      type: 'array',
      items: { type: 'string' },
      description: 'waiting instances the signal reached before this answer',
    },
    complete: {
      type: 'boolean',
      description: 'false while receivers remain; the scheduler delivers to them within moments',
    },
  },
  required: ['signalId', 'startedInstanceIds', 'deliveredInstanceIds', 'complete'],
} as const;

/** The signal route: 200 when every receiver has it, 202 when the rest is being delivered. */
export const signalRoutes: RoutePlugin<{ engine: Engine }> = async (app, { engine }) => {
  // as messages: integrations, supervisors and owners declare what happened in the world
  app.post(
    '/signals',
    {
      config: { auth: { roles: ['worker', 'supervisor', 'owner'] } },
      schema: {
        tags: ['messages'],
        summary:
          'Broadcast a signal: starts every process with a signal start event for it and reaches every instance waiting for it',
        body: signalBody,
        response: withProblems({ 200: outcomeSchema, 202: outcomeSchema }),
      },
    },
    async (request, reply) => {
      const outcome = await engine.broadcastSignal({
        name: request.body.name,
        variables: request.body.variables,
        by: actorId(request),
      });
      return reply.code(outcome.complete ? 200 : 202).send(outcome);
    },
  );
};
