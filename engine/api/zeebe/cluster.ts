/** Camunda 8 cluster and signal endpoints: one node, one partition; signals are not in svcflow yet. */
import type { FastifyPluginAsync } from 'fastify';
import { ApiError } from '../problem.js';
import { body, tenantId, variables } from './keys.js';

/** The Camunda 8 version whose REST API this subset follows. */
export const ZEEBE_VERSION = '8.8.0';

export const zeebeClusterRoutes: FastifyPluginAsync = async (app) => {
  const tags = ['camunda8-compat'];
  app.get('/topology', {
    config: { auth: { roles: 'any' } },
    schema: { tags, summary: 'Cluster topology: svcflow is one broker with one partition (Camunda 8 compatible)' },
  }, async (request) => ({
    brokers: [{ nodeId: 0, host: request.hostname, port: request.port ?? 80, version: ZEEBE_VERSION, partitions: [{ partitionId: 1, role: 'leader', health: 'healthy' }] }],
    clusterSize: 1, partitionsCount: 1, replicationFactor: 1, gatewayVersion: ZEEBE_VERSION, lastCompletedChangeId: '-1',
  }));

  app.post('/signals/broadcast', {
    config: { auth: { roles: ['worker', 'supervisor', 'owner'] } },
    schema: { tags, summary: 'Broadcast a signal: not supported yet (answers 501)', body: body({ signalName: { type: 'string', minLength: 1 }, variables, tenantId }, ['signalName']) },
  }, async () => {
    throw new ApiError('NOT_SUPPORTED', 'svcflow does not run signal events yet, so a broadcast would reach nobody; use a message instead');
  });
};
