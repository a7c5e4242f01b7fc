/** Camunda 8 cluster and signal endpoints: one node, one partition; signals go through the engine's one fan-out. */
import type { Engine } from '../../runtime/index.js';
import { actorId } from '../actor.js';
import { body, DEFAULT_TENANT, keyOf, tenantId, variables } from './keys.js';
import type { RoutePlugin } from '../schemas.js';

/** The Camunda 8 version whose REST API this subset follows. */
export const ZEEBE_VERSION = '8.8.0';

export const zeebeClusterRoutes: RoutePlugin<{ engine: Engine }> = async (app, { engine }) => {
  const tags = ['camunda8-compat'];
  app.get(
    '/topology',
    {
      config: { auth: { roles: 'any' } },
      schema: { tags, summary: 'Cluster topology: svcflow is one broker with one partition (Camunda 8 compatible)' },
    },
    async (request) => ({
      brokers: [
        {
          nodeId: 0,
          host: request.hostname,
          port: request.port ?? 80,
          version: ZEEBE_VERSION,
          partitions: [{ partitionId: 1, role: 'leader', health: 'healthy' }],
        },
      ],
      clusterSize: 1,
      partitionsCount: 1,
      replicationFactor: 1,
      gatewayVersion: ZEEBE_VERSION,
      lastCompletedChangeId: '-1',
    }),
  );

  app.post(
    '/signals/broadcast',
    {
      config: { auth: { roles: ['worker', 'supervisor', 'owner'] } },
      schema: {
        tags,
        summary: 'Broadcast a signal to every subscribed instance and signal start event (Camunda 8 compatible)',
        body: body({ signalName: { type: 'string', minLength: 1, maxLength: 255 }, variables, tenantId }, [
          'signalName',
        ]),
      },
    },
    async (request) => {
      const outcome = await engine.broadcastSignal({
        name: request.body.signalName,
        variables: request.body.variables ?? {},
        by: actorId(request),
      });
      return { signalKey: await keyOf(engine, 'signal', outcome.signalId), tenantId: DEFAULT_TENANT };
    },
  );
};
