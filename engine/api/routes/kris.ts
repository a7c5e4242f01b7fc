/** /api/kris: key risk indicators with thresholds; every posted reading is evaluated (amber notifies the owner, red starts the emergency path once per crossing). */
import type { InsightService } from '../../runtime/index.js';
import { withProblems } from '../problem.js';
import { idParams, strictObject, type RoutePlugin } from '../schemas.js';

const dateTime = { type: 'string', format: 'date-time' } as const;
const nullableDateTime = { type: ['string', 'null'], format: 'date-time' } as const;
const level = { type: 'string', enum: ['green', 'amber', 'red'] } as const;

const kriBody = strictObject(
  {
    name: { type: 'string', minLength: 1, maxLength: 100 },
    unit: { type: 'string', enum: ['percent', 'count', 'minutes', 'score'] },
    direction: { type: 'string', enum: ['above', 'below'], description: 'above: higher is worse' },
    amber: { type: 'number' },
    red: { type: 'number', description: 'beyond amber in the direction' },
    owner: { type: 'string', minLength: 1, maxLength: 200, description: 'the user notified when amber is crossed' },
    riskId: {
      type: ['string', 'null'],
      pattern: '^RSK-\\d{4}-\\d{4}$',
      description: 'the linked risk; red alerts it when it waits in monitoring',
    },
    category: {
      type: 'string',
      enum: ['technical', 'process', 'personnel', 'external', 'customer'],
      default: 'technical',
    },
  },
  ['name', 'unit', 'direction', 'amber', 'red', 'owner'],
);

const kriSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    unit: { type: 'string' },
    direction: { type: 'string' },
    amber: { type: 'number' },
    red: { type: 'number' },
    owner: { type: 'string' },
    riskId: { type: ['string', 'null'] },
    category: { type: 'string' },
    level,
    lastValue: { type: ['number', 'null'] },
    lastAt: nullableDateTime,
    createdAt: dateTime,
  },
  required: ['id', 'name', 'unit', 'direction', 'amber', 'red', 'owner', 'level', 'createdAt'],
} as const;

const readingSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    id: { type: 'integer' },
    kriId: { type: 'string' },
    value: { type: 'number' },
    observedAt: dateTime,
    level,
    action: {
      type: ['string', 'null'],
      enum: ['notified', 'emergency', null],
      description: 'what the reading triggered',
    },
    startedInstanceId: { type: ['string', 'null'], description: 'the risk case that entered its emergency path' },
  },
  required: ['kriId', 'value', 'observedAt', 'level', 'action'],
} as const;

const readingBody = strictObject({ value: { type: 'number' }, observedAt: dateTime }, ['value']);

/** KRI routes: risk managers, owners and monitoring integrations (worker tokens) post readings. */
export const kriRoutes: RoutePlugin<{ insight: InsightService }> = async (app, { insight }) => {
  app.get(
    '/kris',
    {
      config: { auth: { roles: ['supervisor', 'owner'] } },
      schema: {
        tags: ['risks'],
        summary: 'Every KRI with its current level',
        response: withProblems({
          200: { type: 'object', properties: { items: { type: 'array', items: kriSchema } }, required: ['items'] },
        }),
      },
    },
    async () => ({ items: await insight.kris.list() }),
  );

  app.post(
    '/kris',
    {
      config: { auth: { roles: ['supervisor', 'owner'] } },
      schema: { tags: ['risks'], summary: 'Define a KRI', body: kriBody, response: withProblems({ 201: kriSchema }) },
    },
    async (request, reply) => reply.code(201).send(await insight.kris.define(request.body)),
  );

  app.get(
    '/kris/:id',
    {
      config: { auth: { roles: ['supervisor', 'owner'] } },
      schema: { tags: ['risks'], summary: 'One KRI', params: idParams, response: withProblems({ 200: kriSchema }) },
    },
    async (request) => insight.kris.get(request.params.id),
  );

  app.get(
    '/kris/:id/readings',
    {
      config: { auth: { roles: ['supervisor', 'owner'] } },
      schema: {
        tags: ['risks'],
        summary: "A KRI's readings, newest first (its trend)",
        params: idParams,
        response: withProblems({
          200: { type: 'object', properties: { items: { type: 'array', items: readingSchema } }, required: ['items'] },
        }),
      },
    },
    async (request) => ({ items: await insight.kris.readings(request.params.id) }),
  );

  app.post(
    '/kris/:id/readings',
    {
      config: { auth: { roles: ['supervisor', 'owner', 'worker'] } },
      schema: {
        tags: ['risks'],
        summary: 'Post a reading; it is evaluated against the thresholds at once',
        params: idParams,
        body: readingBody,
        response: withProblems({
          201: { type: 'object', properties: { kri: kriSchema, reading: readingSchema }, required: ['kri', 'reading'] },
        }),
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await insight.kris.record(
            request.params.id,
            request.body.value,
            request.body.observedAt,
            request.actor?.id ?? null,
          ),
        ),
  );
};
