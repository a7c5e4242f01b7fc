/**
 * GET /health is liveness: the process answers, whatever the database does (an orchestrator restarts
 * only a node that stops answering). GET /ready is readiness: the database answers within two seconds
 * (migrations run before the server listens), so a load balancer sends no traffic to a node whose
 * database is down or frozen; it also says whether this node's scheduler runs.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Engine } from '../../runtime/index.js';
import { RETRY_AFTER_SECONDS } from '../problem.js';

const READY_PING_MS = 2000;

const healthSchema = {
  type: 'object',
  properties: { status: { type: 'string', enum: ['ok'] } },
  required: ['status'],
} as const;

const readySchema = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['ready', 'not ready'] },
    database: { type: 'string', enum: ['up', 'down'] },
    scheduler: { type: 'string', enum: ['running', 'stopped'] },
  },
  required: ['status', 'database', 'scheduler'],
} as const;

/** The liveness and readiness routes. */
export const healthRoutes: FastifyPluginAsync<{ engine: Engine }> = async (app, { engine }) => {
  app.get(
    '/health',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['health'],
        summary: "Liveness: 200 while the process answers (the database is /ready's concern)",
        response: { 200: healthSchema },
      },
    },
    async () => ({ status: 'ok' }),
  );

  app.get(
    '/ready',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['health'],
        summary: 'Readiness: 200 when the database answers within 2 s, else 503 with Retry-After',
        response: { 200: readySchema, 503: readySchema },
      },
    },
    async (_request, reply) => {
      const up = await pingWithin(engine, READY_PING_MS);
      const scheduler = engine.scheduler.isRunning ? 'running' : 'stopped';
      if (!up) reply.header('retry-after', RETRY_AFTER_SECONDS);
      return reply
        .code(up ? 200 : 503)
        .send({ status: up ? 'ready' : 'not ready', database: up ? 'up' : 'down', scheduler });
    },
  );
};

function pingWithin(engine: Engine, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  return Promise.race([engine.ping(), late]).finally(() => clearTimeout(timer));
}
