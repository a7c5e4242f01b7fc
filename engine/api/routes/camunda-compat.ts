/**
 * A modest, real subset of the Camunda 7 REST API under /engine-rest, so Camunda Modeler can deploy and
 * start, and camunda-external-task-client-js workers can run unchanged. Errors answer in Camunda's
 * `{ type, message }` shape; the status comes from the one catalogue in problem.ts.
 */
import { camundaFormRoutes } from '../camunda/forms.js';
import type { FastifyPluginAsync } from 'fastify';
import type { Engine } from '../../runtime/index.js';
import { camundaDecisionRoutes } from '../camunda/decision-definitions.js';
import { camundaDeploymentRoutes } from '../camunda/deployment.js';
import { sendCamundaError } from '../camunda/errors.js';
import { camundaExternalTaskRoutes } from '../camunda/external-tasks.js';
import { camundaHistoryRoutes } from '../camunda/history.js';
import { camundaIncidentRoutes } from '../camunda/incidents.js';
import { camundaInstanceRoutes } from '../camunda/instances.js';
import { camundaProcessRoutes } from '../camunda/process.js';
import { camundaReadRoutes } from '../camunda/read.js';
import { camundaStatisticsRoutes } from '../camunda/statistics.js';
import { camundaSignalRoutes } from '../camunda/signal.js';
import { camundaTaskActionRoutes } from '../camunda/task-actions.js';
import { camundaTaskRoutes } from '../camunda/tasks.js';
import { XML_BODY_LIMIT } from '../limits.js';
import { ApiError } from '../problem.js';

/** Registers the compatibility routes; mount with `prefix: '/engine-rest'`. */
export const camundaCompatRoutes: FastifyPluginAsync<{ engine: Engine }> = async (app, { engine }) => {
  app.setErrorHandler((error, request, reply) => sendCamundaError(error, request, reply));
  app.setNotFoundHandler((request, reply) => {
    return sendCamundaError(
      new ApiError(
        'NOT_FOUND',
        `no Camunda-compatible route ${request.method} ${request.url.split('?')[0]}; svcflow implements only a subset`,
      ),
      request,
      reply,
    );
  });
  // camunda-external-task-client-js parses a body only when the content type is exactly `application/json`.
  app.addHook('onSend', async (_request, reply, payload) => {
    if (String(reply.getHeader('content-type') ?? '').startsWith('application/json'))
      reply.header('content-type', 'application/json');
    return payload;
  });
  // Only deployment/create takes multipart; it is parsed there, with the boundary from the content type.
  app.addContentTypeParser(
    'multipart/form-data',
    { parseAs: 'buffer', bodyLimit: XML_BODY_LIMIT },
    (_request, body, done) => done(null, body),
  );
  for (const routes of [
    camundaDeploymentRoutes,
    camundaProcessRoutes,
    camundaTaskRoutes,
    camundaTaskActionRoutes,
    camundaFormRoutes,
    camundaExternalTaskRoutes,
    camundaReadRoutes,
    camundaSignalRoutes,
    camundaDecisionRoutes,
    camundaInstanceRoutes,
    camundaHistoryRoutes,
    camundaIncidentRoutes,
    camundaStatisticsRoutes,
  ]) {
    await app.register(routes, { engine });
  }
};
