/** /api/notifications: what the built-in notify, survey, CRM and billing handlers recorded. */
import { notificationFilter, type Engine } from '../../runtime/index.js';
import { withProblems } from '../problem.js';
import { pagingProperties, strictObject, type RoutePlugin } from '../schemas.js';

const listQuery = strictObject({
  user: { type: 'string', minLength: 1, maxLength: 255 },
  group: { type: 'string', minLength: 1, maxLength: 255 },
  instanceId: { type: 'string', minLength: 1, maxLength: 64 },
  kind: { type: 'string', minLength: 1, maxLength: 64 },
  ...pagingProperties,
});

const notification = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    kind: { type: 'string' },
    instanceId: { type: 'string' },
    definitionKey: { type: 'string' },
    elementId: { type: 'string' },
    toUser: { type: ['string', 'null'] },
    toGroup: { type: ['string', 'null'] },
    channel: { type: ['string', 'null'] },
    template: { type: ['string', 'null'] },
    payload: { type: 'object', additionalProperties: true },
    createdAt: { type: 'string' },
  },
} as const;

/** Supervisors and owners read every notification (filtered by user or group); staff read those addressed to them or their groups. */
export const notificationRoutes: RoutePlugin<{ engine: Engine }> = async (app, { engine }) => {
  app.get(
    '/notifications',
    {
      config: { auth: { roles: 'any' } },
      schema: {
        tags: ['notifications'],
        summary: 'List notifications, newest first',
        querystring: listQuery,
        response: withProblems({
          200: {
            type: 'object',
            properties: { items: { type: 'array', items: notification }, total: { type: 'integer' } },
          },
        }),
      },
    },
    async (request) => {
      const { user, group, ...rest } = request.query;
      const filter = notificationFilter(request.actor, { user, group });
      return filter ? engine.store.notifications.list({ ...rest, ...filter }) : { items: [], total: 0 };
    },
  );
};
