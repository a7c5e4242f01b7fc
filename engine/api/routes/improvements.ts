/** /api/improvements: PDCA improvement actions raised from complaint, journey and risk cases, tracked to closure with their effect check. */
import type { InsightService } from '../../runtime/index.js';
import { withProblems } from '../problem.js';
import { idParams, pagingProperties, strictObject, type RoutePlugin } from '../schemas.js';

const stage = { type: 'string', enum: ['plan', 'do', 'check', 'act', 'closed'] } as const;
const isoDate = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } as const;

const improvementSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    id: { type: 'string' },
    title: { type: 'string' },
    description: { type: ['string', 'null'] },
    sourceKind: { type: 'string' },
    sourceRef: { type: 'string' },
    definitionKey: { type: ['string', 'null'] },
    owner: { type: 'string' },
    due: { type: 'string' },
    stage,
    effectCheck: { type: ['string', 'null'] },
    effective: { type: ['boolean', 'null'] },
    createdAt: { type: 'string' },
    createdBy: { type: ['string', 'null'] },
    closedAt: { type: ['string', 'null'] },
  },
  required: ['id', 'title', 'sourceKind', 'sourceRef', 'owner', 'due', 'stage', 'createdAt'],
} as const;

const raiseBody = strictObject(
  {
    title: { type: 'string', minLength: 5, maxLength: 200 },
    description: { type: ['string', 'null'], maxLength: 4000 },
    sourceKind: { type: 'string', enum: ['complaint', 'journey', 'risk'] },
    sourceRef: {
      type: 'string',
      minLength: 1,
      maxLength: 200,
      description: 'the instance id of the case (root cause, journey evaluation or risk review)',
    },
    owner: { type: 'string', minLength: 1, maxLength: 200 },
    due: isoDate,
  },
  ['title', 'sourceKind', 'sourceRef', 'owner', 'due'],
);

const moveBody = strictObject(
  { stage, effectCheck: { type: 'string', minLength: 10, maxLength: 2000 }, effective: { type: 'boolean' } },
  ['stage'],
);
const listQuery = strictObject({
  stage,
  sourceRef: { type: 'string', minLength: 1 },
  owner: { type: 'string', minLength: 1 },
  ...pagingProperties,
});

/** Improvement routes: staff, supervisors and owners raise and move actions. */
export const improvementRoutes: RoutePlugin<{ insight: InsightService }> = async (app, { insight }) => {
  app.get(
    '/improvements',
    {
      config: { auth: { roles: ['staff', 'supervisor', 'owner'] } },
      schema: {
        tags: ['improvements'],
        summary: 'Improvement actions, earliest due first',
        querystring: listQuery,
        response: withProblems({
          200: {
            type: 'object',
            properties: { items: { type: 'array', items: improvementSchema }, total: { type: 'integer' } },
            required: ['items', 'total'],
          },
        }),
      },
    },
    async (request) => insight.improvements.list(request.query),
  );

  app.post(
    '/improvements',
    {
      config: { auth: { roles: ['staff', 'supervisor', 'owner'] } },
      schema: {
        tags: ['improvements'],
        summary: 'Raise an improvement action from a case',
        body: raiseBody,
        response: withProblems({ 201: improvementSchema }),
      },
    },
    async (request, reply) =>
      reply.code(201).send(await insight.improvements.raise(request.body, request.actor?.id ?? null)),
  );

  app.get(
    '/improvements/:id',
    {
      config: { auth: { roles: ['staff', 'supervisor', 'owner'] } },
      schema: {
        tags: ['improvements'],
        summary: 'One improvement action',
        params: idParams,
        response: withProblems({ 200: improvementSchema }),
      },
    },
    async (request) => insight.improvements.get(request.params.id),
  );

  app.post(
    '/improvements/:id/stage',
    {
      config: { auth: { roles: ['staff', 'supervisor', 'owner'] } },
      schema: {
        tags: ['improvements'],
        summary: 'Move an action to its next PDCA stage (closing needs the effect check)',
        params: idParams,
        body: moveBody,
        response: withProblems({ 200: improvementSchema }),
      },
    },
    async (request) => insight.improvements.move(request.params.id, request.body),
  );
};
