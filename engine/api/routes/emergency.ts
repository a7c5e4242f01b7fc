/** /api/emergency-plans: the library of emergency plans per risk category; drills scheduled on a plan. */
import { RISK_CATEGORIES, type InsightService } from '../../runtime/index.js';
import { actorId } from '../actor.js';
import { withProblems } from '../problem.js';
import { idParams, strictObject, type RoutePlugin } from '../schemas.js';

const plan = {
  type: 'object',
  additionalProperties: true,
  description: 'id, category, title, steps, owner, createdAt',
} as const;
const drill = {
  type: 'object',
  additionalProperties: true,
  description:
    'id, planId, planTitle, category, scheduledAt, status (scheduled, started, failed), instanceId, error, ' +
    'acknowledge and restore: the R-ACK and R-RESTORE clocks of the practice case ({status, ms} or null)',
} as const;
const stats = {
  type: 'object',
  additionalProperties: true,
  description: 'n (closed clocks), mean, median, p90 (business ms), met, breached',
} as const;
const summary = {
  type: 'object',
  additionalProperties: false,
  properties: { drills: { type: 'integer' }, started: { type: 'integer' }, acknowledge: stats, restore: stats },
  required: ['drills', 'started', 'acknowledge', 'restore'],
} as const;
const planBody = strictObject(
  {
    category: { type: 'string', enum: [...RISK_CATEGORIES] },
    title: { type: 'string', minLength: 3, maxLength: 200 },
    steps: { type: 'string', minLength: 10, maxLength: 8000 },
    owner: { type: 'string', minLength: 1, maxLength: 200 },
  },
  ['category', 'title', 'steps', 'owner'],
);

/** Supervisors and owners read the library; risk managers (supervisors) and owners add plans and schedule drills. */
export const emergencyRoutes: RoutePlugin<{ insight: InsightService }> = async (app, { insight }) => {
  app.get(
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

  app.post(
    '/emergency-plans',
    {
      config: { auth: { roles: ['supervisor', 'owner'] } },
      schema: {
        tags: ['risks'],
        summary: 'Add an emergency plan for a risk category: the steps, responsible people and time limits',
        body: planBody,
        response: withProblems({ 201: plan }),
      },
    },
    async (request, reply) => reply.code(201).send(await insight.emergency.createPlan(request.body)),
  );

  app.put(
    '/emergency-plans/:id',
    {
      config: { auth: { roles: ['supervisor', 'owner'] } },
      schema: {
        tags: ['risks'],
        summary: 'Edit an emergency plan: its category, title, steps and owner (cases keep carrying its id)',
        params: idParams,
        body: planBody,
        response: withProblems({ 200: plan }),
      },
    },
    async (request) => insight.emergency.updatePlan(request.params.id, request.body),
  );

  app.post(
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
        summary:
          'Drills scheduled in [from, to), newest first, with the practice case each started and its response times; ' +
          'the summary counts them and gives mean, median and p90 acknowledgement and restore times. Drills are ' +
          'practice: no service KPI counts them',
        querystring: strictObject({
          from: { type: 'string', format: 'date-time' },
          to: { type: 'string', format: 'date-time' },
        }),
        response: withProblems({
          200: {
            type: 'object',
            properties: { items: { type: 'array', items: drill }, summary },
            required: ['items', 'summary'],
          },
        }),
      },
    },
    async (request) => insight.emergency.drills(request.query),
  );
};
