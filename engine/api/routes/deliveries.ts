/** /api/deliveries: the delivery log of notifications (e-mail, webhook) with status and attempts; failures for supervisors to act on. */
import { canSeeInstance, renderTemplate, TEMPLATES, visibilityOf, type Engine } from '../../runtime/index.js';
import { ApiError, withProblems } from '../problem.js';
import { pagingProperties, strictObject, type RoutePlugin } from '../schemas.js';

const listQuery = strictObject({
  status: { type: 'string', enum: ['pending', 'sent', 'failed'] },
  instanceId: { type: 'string', minLength: 1, maxLength: 64 },
  ...pagingProperties,
});

const deliverySchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    instanceId: { type: 'string' },
    channel: { type: 'string' },
    recipient: { type: 'string' },
    template: { type: ['string', 'null'] },
    subject: { type: 'string' },
    status: { type: 'string' },
    attempts: { type: 'integer' },
    lastError: { type: ['string', 'null'] },
    nextAttemptAt: { type: ['string', 'null'] },
    sentAt: { type: ['string', 'null'] },
    createdAt: { type: 'string' },
  },
  required: [
    'id',
    'instanceId',
    'channel',
    'recipient',
    'template',
    'subject',
    'status',
    'attempts',
    'lastError',
    'nextAttemptAt',
    'sentAt',
    'createdAt',
  ],
} as const;

const previewBody = strictObject(
  { locale: { type: 'string', enum: ['zh-CN', 'en'] }, data: { type: 'object', additionalProperties: true } },
  ['locale'],
);
const previewSchema = {
  type: 'object',
  properties: { subject: { type: 'string' }, body: { type: 'string' } },
  required: ['subject', 'body'],
} as const;

/** Delivery log and template preview. */
export const deliveryRoutes: RoutePlugin<{ engine: Engine }> = async (app, { engine }) => {
  app.get(
    '/deliveries',
    {
      config: { auth: { roles: ['supervisor', 'owner'] } },
      schema: {
        tags: ['notifications'],
        summary: 'The delivery log, newest first; ?status=failed lists what did not reach the customer',
        querystring: listQuery,
        response: withProblems({
          200: {
            type: 'object',
            properties: { items: { type: 'array', items: deliverySchema }, total: { type: 'integer' } },
            required: ['items', 'total'],
          },
        }),
      },
    },
    async (request) => {
      const page = await engine.store.deliveries.list(request.query);
      if (!visibilityOf(request.actor)) return page;
      // a supervisor of some groups sees the deliveries of the cases they may see
      const items = [];
      for (const item of page.items)
        if (await canSeeInstance(engine.store, request.actor, item.instanceId)) items.push(item);
      return { items, total: items.length === page.items.length ? page.total : items.length };
    },
  );

  app.post(
    '/notification-templates/:name/preview',
    {
      config: { auth: { roles: ['owner', 'supervisor'] } },
      schema: {
        tags: ['notifications'],
        summary: 'A template filled with sample data, as the customer would read it',
        params: {
          type: 'object',
          properties: { name: { type: 'string', minLength: 1, maxLength: 100 } },
          required: ['name'],
          additionalProperties: false,
        },
        body: previewBody,
        response: withProblems({ 200: previewSchema }),
      },
    },
    async (request) => {
      if (!TEMPLATES[request.params.name])
        throw new ApiError(
          'NOT_FOUND',
          `there is no notification template '${request.params.name}'; known: ${Object.keys(TEMPLATES).join(', ')}`,
        );
      return renderTemplate(request.params.name, request.body.locale, request.body.data ?? {});
    },
  );
};
