/** GET /health: liveness plus whether the database answers (for load balancers and orchestrators). */
import type { FastifyPluginAsync } from 'fastify';
import type { Engine } from '../../runtime/index.js';

const healthSchema = {
  type: 'object',
  properties: { status: { type: 'string', enum: ['ok', 'error'] }, database: { type: 'string', enum: ['up', 'down'] } },
  required: ['status', 'database'],
} as const;

/** The health route: 200 when the database answers, 503 when it does not. */
export const healthRoutes: FastifyPluginAsync<{ engine: Engine }> = async (app, { engine }) => {
  app.get('/health', {
    config: { auth: 'public' },
    schema: { tags: ['health'], summary: 'Liveness and database reachability', response: { 200: healthSchema, 503: healthSchema } },
  }, async (_request, reply) => {
    const up = await engine.ping();
    return reply.code(up ? 200 : 503).send({ status: up ? 'ok' : 'error', database: up ? 'up' : 'down' });
  });
};
