/** /api/messages: publish a message to the instance(s) waiting for it, or buffer it until one waits (Camunda 8 semantics). */
import type { Engine } from '../../runtime/index.js';
import { actorId } from '../actor.js';
import { withProblems } from '../problem.js';
import { strictObject, variablesSchema, type RoutePlugin } from '../schemas.js';

/** How long a message nobody waits for yet is kept, unless the publisher says otherwise. */
export const DEFAULT_TIME_TO_LIVE = 'PT1H';

// days, hours, minutes, seconds: a buffer is for minutes to days, not months
const DURATION = '^P(?=\\d|T\\d)(\\d+D)?(T(?=\\d)(\\d+H)?(\\d+M)?(\\d+S)?)?$';

const messageBody = strictObject(
  {
    name: { type: 'string', minLength: 1, maxLength: 255 },
    correlationKey: { type: ['string', 'null'], maxLength: 255 },
    variables: variablesSchema,
    all: { type: 'boolean', default: false, description: 'deliver to every waiting instance, not only the oldest' },
    timeToLive: {
      type: 'string',
      pattern: DURATION,
      maxLength: 32,
      default: DEFAULT_TIME_TO_LIVE,
      description:
        'ISO 8601 duration (days to seconds) an undelivered message waits for a subscription; PT0S: deliver now or answer 404',
    },
    messageId: {
      type: 'string',
      minLength: 1,
      maxLength: 255,
      description: 'makes publishing idempotent: a second publish with the same id is acknowledged and ignored',
    },
  },
  ['name'],
);

const publishedSchema = {
  type: 'object',
  properties: {
    instanceIds: { type: 'array', items: { type: 'string' } },
    buffered: { type: 'boolean' },
    duplicate: { type: 'boolean' },
    started: {
      type: 'boolean',
      description: 'present (true) when nobody waited and instanceIds were started at message start events (201)',
    },
    instances: { type: 'array', items: { $ref: 'Instance#' }, description: 'the started instances (when started)' },
  },
  required: ['instanceIds', 'buffered', 'duplicate'],
} as const;

/** The message route: 200 delivered (or a duplicate), 201 started at a message start event, 202 buffered, 404 MESSAGE_NOT_CORRELATED with no time to live. */
export const messageRoutes: RoutePlugin<{ engine: Engine }> = async (app, { engine }) => {
  // Integrations (API tokens), supervisors and owners deliver messages; staff work through their tasks.
  app.post(
    '/messages',
    {
      config: { auth: { roles: ['worker', 'supervisor', 'owner'] } },
      schema: {
        tags: ['messages'],
        summary: 'Publish a message by name and correlation key; buffered for its time to live when nobody waits yet',
        body: messageBody,
        response: withProblems({ 200: publishedSchema, 201: publishedSchema, 202: publishedSchema }),
      },
    },
    async (request, reply) => {
      const published = await engine.correlateMessage({ ...request.body, by: actorId(request) });
      if (published.started) {
        const instances = await Promise.all(published.instanceIds.map((id) => engine.getInstance(id)));
        return reply.code(201).send({ ...published, instances });
      }
      const { started: _no, ...answer } = published;
      return reply.code(published.buffered ? 202 : 200).send(answer);
    },
  );
};
