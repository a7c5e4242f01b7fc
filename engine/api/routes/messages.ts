/** /api/messages: deliver a message to the instance(s) waiting for it. */
import type { FastifyPluginAsync } from 'fastify';
import type { Engine } from '../../runtime/index.js';
import { actorId } from '../actor.js';
import { withProblems } from '../problem.js';
import { strictObject, variablesSchema } from '../schemas.js';

const messageBody = strictObject({
  name: { type: 'string', minLength: 1, maxLength: 255 },
  correlationKey: { type: ['string', 'null'], maxLength: 255 },
  variables: variablesSchema,
  all: { type: 'boolean', default: false, description: 'deliver to every waiting instance, not only the oldest' },
}, ['name']);

const correlatedSchema = {
  type: 'object',
  properties: { instanceIds: { type: 'array', items: { type: 'string' } } },
  required: ['instanceIds'],
} as const;

interface MessageBody { name: string; correlationKey?: string | null; variables?: Record<string, unknown>; all: boolean }

/** The message route; nobody waiting answers 404 MESSAGE_NOT_CORRELATED. */
export const messageRoutes: FastifyPluginAsync<{ engine: Engine }> = async (app, { engine }) => {
  // Integrations (API tokens), supervisors and owners deliver messages; staff work through their tasks.
  app.post<{ Body: MessageBody }>('/messages', {
    config: { auth: { roles: ['worker', 'supervisor', 'owner'] } },
    schema: { tags: ['messages'], summary: 'Correlate a message by name and correlation key', body: messageBody, response: withProblems({ 200: correlatedSchema }) },
  }, async (request) => engine.correlateMessage({ ...request.body, by: actorId(request) }));
};
