/** /api/emergency-plans: the library of emergency plans per risk category; drills scheduled on a plan. */
import type { FastifyPluginAsync } from 'fastify';
import { RISK_CATEGORIES, type InsightService } from '../../runtime/index.js';
import { actorId } from '../actor.js';
import { withProblems } from '../problem.js';
import { idParams, strictObject } from '../schemas.js';

const plan = {
  type: 'object',
  additionalProperties: true,
  description: 'id, category, title, steps, owner, createdAt',
} as const;
const drill = {
  type: 'object',
  additionalProperties: true,
  description: 'id, planId, scheduledAt, status (scheduled, started, failed), instanceId, error',
} as const;

/** Supervisors and owners read the library; risk managers (supervisors) and owners add plans and schedule drills. */
export const emergencyRoutes: FastifyPluginAsync<{ insight: InsightService }> = async (app, { insight }) => {
  app.get<{ Querystring: { category?: string } }>(
    '/emergency-plans',
    {
      config: { auth: { roles: ['supervisor', 'owner'] } },
      schema: {
        tags: ['risks'],
        summary: 'Emergency plans, newest first per category',
        querystring: strictObject({ category: { type: 'string', enum: [...RISK_CATEGORIES] } }),
        response: withProblems({
          200: { type: 'object', properties: { items: { type: 'array', items: plan } }, required: ['items'] },
        }),
      },
    },
    async (request) => ({ items: await insight.emergency.listPlans(request.query.category) }),
  );

  app.post<{ Body: { category: string; title: string; steps: string; owner: string } }>(
    '/emergency-plans',
    {
      config: { auth: { roles: ['supervisor', 'owner'] } },
      schema: {
        tags: ['risks'],
        summary: 'Add an emergency plan for a risk category: the steps, responsible people and time limits',
        body: strictObject(
          {
            category: { type: 'string', enum: [...RISK_CATEGORIES] },
            title: { type: 'string', minLength: 3, maxLength: 200 },
            steps: { type: 'string', minLength: 10, maxLength: 8000 },
            owner: { type: 'string', minLength: 1, maxLength: 200 },
          },
          ['category', 'title', 'steps', 'owner'],
        ),
        response: withProblems({ 201: plan }),
      },
    },
    async (request, reply) => reply.code(201).send(await insight.emergency.createPlan(request.body)),
  );

  app.post<{ Params: { id: string }; Body: { at: string } }>(
    '/emergency-plans/:id/drills',
    {
      config: { auth: { roles: ['supervisor', 'owner'] } },
      schema: {
        tags: ['risks'],
        summary:
          'Schedule a drill of the plan: at that instant a practice emergency case (drill = true) starts and is measured like an incident',
        params: idParams,
        body: strictObject({ at: { type: 'string', format: 'date-time' } }, ['at']),
        response: withProblems({ 201: drill }),
      },
    },
    async (request, reply) =>
      reply.code(201).send(await insight.emergency.scheduleDrill(request.params.id, request.body.at, actorId(request))),
  );

  app.get(
    '/drills',
    {
      config: { auth: { roles: ['supervisor', 'owner'] } },
      schema: {
        tags: ['risks'],
        summary: 'Drills, newest first, with the case each started',
        response: withProblems({
          200: { type: 'object', properties: { items: { type: 'array', items: drill } }, required: ['items'] },
        }),
      },
    },
    async () => ({ items: await insight.emergency.listDrills() }),
  );
};
