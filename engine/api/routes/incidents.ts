/** /api/incidents: failures waiting for a person, and retrying them. */
import type { Engine } from '../../runtime/index.js';
import { actorId } from '../actor.js';
import { withProblems } from '../problem.js';
import { visibilityOf } from '../scopes.js';
import { idParams, pageOf, pagingProperties, strictObject, variablesSchema, type RoutePlugin } from '../schemas.js';

const listQuery = strictObject({
  instanceId: { type: 'string', minLength: 1 },
  status: { type: 'string', enum: ['open', 'resolved'] },
  definitionKey: { type: 'string', minLength: 1 },
  ...pagingProperties,
});

const retryBody = strictObject({
  retries: { type: 'integer', minimum: 1, maximum: 100, description: 'retries a failed job gets back (default 1)' },
  variables: variablesSchema,
});

/** Incident routes; a retried incident is resolved and its instance active again. */
export const incidentRoutes: RoutePlugin<{ engine: Engine }> = async (app, { engine }) => {
  app.get(
    '/incidents',
    {
      config: { auth: { roles: ['supervisor', 'owner'] } },
      schema: {
        tags: ['incidents'],
        summary: 'List incidents',
        querystring: listQuery,
        response: withProblems({ 200: pageOf('Incident') }),
      },
    },
    async (request) => engine.listIncidents({ ...request.query, visibleTo: visibilityOf(request.actor) }),
  );

  app.post(
    '/incidents/:id/retry',
    {
      config: { auth: { roles: ['supervisor'] } },
      schema: {
        tags: ['incidents'],
        summary: 'Retry an open incident: the job gets retries back, or the expression is evaluated again',
        params: idParams,
        body: retryBody,
        response: withProblems({ 200: { $ref: 'Incident#' } }),
      },
    },
    async (request) =>
      engine.retryIncident(request.params.id, { ...request.body, by: actorId(request), actor: request.actor }),
  );
};
