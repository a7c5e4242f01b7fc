/**
 * Camunda Modeler's web-app link lookup: after "Start instance" it asks
 * `/.well-known/camunda-automation-platform/webapps` for Cockpit's address and links to
 * `<cockpitUrl>process-instance/<id>`. svcflow answers with its own pages, so the link opens the instance
 * in the SLA dashboard and the tasklist link opens the tasklist.
 */
import type { FastifyRequest } from 'fastify';
import type { RoutePlugin } from '../schemas.js';

const publicRoute = { auth: 'public' as const };
const LINKS = '/camunda-links/';

/** Root-level routes (not under /engine-rest): the well-known document and the links it promises. */
export const camundaWellKnownRoutes: RoutePlugin = async (app) => {
  app.get(
    '/.well-known/camunda-automation-platform/webapps',
    {
      config: publicRoute,
      schema: {
        tags: ['camunda-compat'],
        summary: "Web-app addresses for Camunda Modeler's links (cockpit → svcflow's instance view)",
        response: {
          200: {
            type: 'object',
            properties: {
              adminUrl: { type: 'string' },
              cockpitUrl: { type: 'string' },
              tasklistUrl: { type: 'string' },
            },
            required: ['adminUrl', 'cockpitUrl', 'tasklistUrl'],
          },
        },
      },
    },
    async (request) => {
      const origin = originOf(request);
      // The cockpit address must not end in 'cockpit/': Modeler would append 'default/#/' to it.
      return { adminUrl: `${origin}/admin`, cockpitUrl: `${origin}${LINKS}`, tasklistUrl: `${origin}/tasks` };
    },
  );

  app.get(
    `${LINKS}process-instance/:id`,
    {
      config: publicRoute,
      schema: {
        hide: true,
        params: {
          type: 'object',
          properties: {
            id: {
              type: 'string',
              pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
            },
          },
          required: ['id'],
          additionalProperties: false,
        },
      },
    },
    async (request, reply) => reply.redirect(`/sla?instance=${encodeURIComponent(request.params.id)}`),
  );
};

// helpers

function originOf(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}
