/**
 * A subset of the Camunda 8 Orchestration Cluster REST API under /v2, so the official clients
 * (@camunda8/orchestration-cluster-api, job workers) deploy and run work on svcflow unchanged. Keys are
 * numeric (table external_keys); errors are RFC 9457 problems from the one catalogue.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Engine } from '../../runtime/index.js';
import { XML_BODY_LIMIT } from '../limits.js';
import { zeebeClusterRoutes } from './cluster.js';
import { zeebeDecisionRoutes } from './decisions.js';
import { zeebeDeploymentRoutes } from './deployments.js';
import { zeebeInstanceRoutes } from './instances.js';
import { zeebeInstanceSearchRoutes } from './instance-search.js';
import { zeebeJobRoutes } from './jobs.js';
import { zeebeUserTaskRoutes } from './user-tasks.js';

/** Registers the /v2 routes; mount with `prefix: '/v2'`. */
export const zeebeRoutes: FastifyPluginAsync<{ engine: Engine }> = async (app, { engine }) => {
  app.addContentTypeParser(
    'multipart/form-data',
    { parseAs: 'buffer', bodyLimit: XML_BODY_LIMIT },
    (_request, payload, done) => done(null, payload),
  );
  await app.register(zeebeClusterRoutes, { engine });
  for (const routes of [
    zeebeDeploymentRoutes,
    zeebeDecisionRoutes,
    zeebeInstanceRoutes,
    zeebeInstanceSearchRoutes,
    zeebeJobRoutes,
    zeebeUserTaskRoutes,
  ])
    await app.register(routes, { engine });
};
