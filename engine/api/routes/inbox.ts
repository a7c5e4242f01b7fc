/** /api/inbox: the signed-in person's notifications (to them or their groups), with read marks. */
import { inboxOf, markInboxRead, type Engine } from '../../runtime/index.js';
import { withProblems } from '../problem.js';
import { strictObject, type RoutePlugin } from '../schemas.js';

const item = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    kind: { type: 'string' },
    instanceId: { type: 'string' },
    definitionKey: { type: 'string' },
    elementId: { type: 'string' },
    toUser: { type: ['string', 'null'] },
    toGroup: { type: ['string', 'null'] },
    template: { type: ['string', 'null'] },
    payload: { type: 'object', additionalProperties: true },
    createdAt: { type: 'string' },
    read: { type: 'boolean' },
  },
  required: ['id', 'kind', 'instanceId', 'createdAt', 'read'],
} as const;

const readBody = strictObject({
  ids: {
    type: 'array',
    items: { type: 'string', minLength: 1, maxLength: 64 },
    maxItems: 100,
    description: 'notifications to mark read',
  },
  all: { type: 'boolean', description: 'mark every notification of the inbox read' },
});

/** Everyone signed in has an inbox; it holds only what is addressed to them or one of their groups. */
export const inboxRoutes: RoutePlugin<{ engine: Engine }> = async (app, { engine }) => {
  app.get(
    '/inbox',
    {
      config: { auth: { roles: 'any' } },
      schema: {
        tags: ['notifications'],
        summary: 'My inbox: the newest notifications addressed to me or my groups, and how many are unread',
        querystring: strictObject({ limit: { type: 'integer', minimum: 1, maximum: 100 } }),
        response: withProblems({
          200: {
            type: 'object',
            properties: { items: { type: 'array', items: item }, unread: { type: 'integer' } },
            required: ['items', 'unread'],
          },
        }),
      },
    },
    async (request) => inboxOf(engine.store, request.actor!, request.query.limit),
  );

  app.post(
    '/inbox/read',
    {
      config: { auth: { roles: 'any' } },
      schema: {
        tags: ['notifications'],
        summary: 'Mark inbox notifications read (ids, or all)',
        body: readBody,
        response: withProblems({
          200: { type: 'object', properties: { unread: { type: 'integer' } }, required: ['unread'] },
        }),
      },
    },
    async (request) =>
      markInboxRead(
        engine.store,
        request.actor!,
        request.body.all ? 'all' : (request.body.ids ?? []),
        engine.clock.now().toISOString(),
      ),
  );
};
