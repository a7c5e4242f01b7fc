/** Camunda 8 process instances (create, with awaitCompletion; cancel) and messages (publish, correlate). */
import type { Engine, EngineNotification, InstanceView } from '../../runtime/index.js';
import { actorId } from '../actor.js';
import { ApiError } from '../problem.js';
import { checkInstanceVisible } from '../scopes.js';
import { body, DEFAULT_TENANT, idOf, keyOf, keyParams, newKey, tenantId, variables } from './keys.js';
import type { RoutePlugin } from '../schemas.js';

const DEFAULT_AWAIT_MS = 10_000;
const keyString = { type: 'string', pattern: '^-?[0-9]{1,19}$' } as const;
const createBody = body({
  processDefinitionId: { type: 'string', minLength: 1 },
  processDefinitionKey: keyString,
  processDefinitionVersion: { type: 'integer' },
  variables,
  tenantId,
  operationReference: {},
  // svcflow starts only at start events: one instruction naming a start event of the process
  startInstructions: {
    type: 'array',
    maxItems: 1,
    items: body({ elementId: { type: 'string', minLength: 1 } }, ['elementId']),
  },
  runtimeInstructions: { type: 'array', maxItems: 0 },
  awaitCompletion: { type: 'boolean' },
  fetchVariables: { type: 'array', items: { type: 'string' } },
  requestTimeout: { type: 'integer', minimum: 0 },
  tags: { type: 'array', maxItems: 0 },
});
const publishBody = body(
  {
    name: { type: 'string', minLength: 1 },
    correlationKey: { type: 'string' },
    timeToLive: { type: 'integer', minimum: 0 },
    messageId: { type: 'string' },
    variables,
    tenantId,
  },
  ['name'],
);
const correlateBody = body(
  { name: { type: 'string', minLength: 1 }, correlationKey: { type: 'string' }, variables, tenantId },
  ['name'],
);

interface CreateBody {
  processDefinitionId?: string;
  processDefinitionKey?: string;
  processDefinitionVersion?: number;
  variables?: Record<string, unknown> | null;
  awaitCompletion?: boolean;
  fetchVariables?: string[];
  requestTimeout?: number;
  startInstructions?: Array<{ elementId: string }>;
}

const starters = { auth: { roles: ['staff' as const, 'supervisor' as const, 'owner' as const, 'worker' as const] } };

export const zeebeInstanceRoutes: RoutePlugin<{ engine: Engine }> = async (app, { engine }) => {
  const tags = ['camunda8-compat'];

  app.post(
    '/process-instances',
    {
      config: starters,
      schema: {
        tags,
        summary:
          'Create a process instance by BPMN process id or definition key; awaitCompletion waits for its end (Camunda 8 compatible)',
        body: createBody,
      },
    },
    async (request) => {
      const b = request.body;
      const definitionId = await definitionOf(engine, b);
      const startEventId = b.startInstructions?.[0]?.elementId;
      const started = await engine.startInstance({
        definitionId,
        variables: b.variables ?? {},
        by: actorId(request),
        ...(startEventId ? { startEventId } : {}),
      });
      const instance = b.awaitCompletion
        ? await awaitEnd(engine, started, b.requestTimeout || DEFAULT_AWAIT_MS)
        : started;
      const definition = await engine.getDefinition(instance.definitionId);
      return {
        processDefinitionId: definition.key,
        processDefinitionVersion: definition.version,
        tenantId: DEFAULT_TENANT,
        variables: b.awaitCompletion ? pick(instance.variables, b.fetchVariables) : {},
        processDefinitionKey: await keyOf(engine, 'definition', definition.id),
        processInstanceKey: await keyOf(engine, 'instance', instance.id),
      };
    },
  );

  app.post(
    '/process-instances/:processInstanceKey/cancellation',
    {
      config: { auth: { roles: ['supervisor', 'owner'] } },
      schema: {
        tags,
        summary: 'Cancel a process instance (Camunda 8 compatible)',
        params: keyParams('processInstanceKey'),
      },
    },
    async (request, reply) => {
      const id = await idOf(engine, 'instance', request.params.processInstanceKey);
      await checkInstanceVisible(engine, request.actor, id);
      await engine.cancelInstance(id, actorId(request));
      return reply.code(204).send();
    },
  );

  app.post(
    '/messages/publication',
    {
      config: starters,
      schema: {
        tags,
        summary:
          'Publish a message to every instance waiting for it, or start one at a message start event; with nobody waiting it is buffered for timeToLive ms, a repeated messageId is published once (Camunda 8 compatible)',
        body: publishBody,
      },
    },
    async (request) => {
      const { name, correlationKey, timeToLive, messageId, variables: vars } = request.body;
      try {
        await engine.correlateMessage({
          name,
          correlationKey: correlationKey ?? null,
          variables: vars ?? {},
          all: true,
          timeToLiveMs: timeToLive ?? 0,
          messageId: messageId ?? null,
          by: actorId(request),
        });
      } catch (err) {
        // Camunda 8 drops a message with no receiver and no time to live without an error
        if ((err as { code?: string }).code !== 'MESSAGE_NOT_CORRELATED') throw err;
      }
      return { tenantId: DEFAULT_TENANT, messageKey: await newKey(engine, 'message') };
    },
  );

  app.post(
    '/messages/correlation',
    {
      config: starters,
      schema: {
        tags,
        summary: 'Correlate a message to one waiting instance; 404 when none waits (Camunda 8 compatible)',
        body: correlateBody,
      },
    },
    async (request) => {
      const { name, correlationKey, variables: vars } = request.body;
      const { instanceIds } = await engine.correlateMessage({
        name,
        correlationKey: correlationKey ?? null,
        variables: vars ?? {},
        by: actorId(request),
      });
      return {
        tenantId: DEFAULT_TENANT,
        messageKey: await newKey(engine, 'message'),
        processInstanceKey: await keyOf(engine, 'instance', instanceIds[0]),
      };
    },
  );
};

// helpers

async function definitionOf(engine: Engine, b: CreateBody): Promise<string> {
  if (b.processDefinitionKey) return idOf(engine, 'definition', b.processDefinitionKey);
  if (!b.processDefinitionId)
    throw new ApiError('BAD_REQUEST', 'give processDefinitionId (the BPMN process id) or processDefinitionKey');
  if (b.processDefinitionVersion !== undefined && b.processDefinitionVersion >= 0)
    return (await engine.getDefinition(`${b.processDefinitionId}:${b.processDefinitionVersion}`)).id;
  const [latest] = (await engine.listDefinitions({ key: b.processDefinitionId, latestOnly: true, offset: 0, limit: 1 }))
    .items;
  if (!latest) throw new ApiError('NOT_FOUND', `no process definition with BPMN process id '${b.processDefinitionId}'`);
  return latest.id;
}

// Waits for the instance's end notification (or reads it, when it ended during the start).
async function awaitEnd(engine: Engine, started: InstanceView, timeoutMs: number): Promise<InstanceView> {
  await new Promise<void>((resolve, reject) => {
    const finish = (err?: ApiError) => {
      clearTimeout(timer);
      engine.events.off('notification', onNote);
      if (err) reject(err);
      else resolve();
    };
    const onNote = (note: EngineNotification) => {
      if (note.instanceId === started.id && /^instance\.(completed|terminated)$/.test(note.type)) finish();
    };
    const timer = setTimeout(
      () =>
        finish(
          new ApiError('AWAIT_TIMEOUT', `process instance did not complete within ${timeoutMs} ms; it keeps running`),
        ),
      timeoutMs,
    );
    engine.events.on('notification', onNote);
    // it may have ended between the start and the subscription
    engine.getInstance(started.id).then(
      (now) => {
        if (isEnded(now)) finish();
      },
      () => undefined,
    );
  });
  return engine.getInstance(started.id);
}

function isEnded(instance: InstanceView): boolean {
  return instance.status === 'completed' || instance.status === 'terminated';
}

function pick(vars: Record<string, unknown>, names: string[] | undefined): Record<string, unknown> {
  if (!names || names.length === 0) return vars;
  return Object.fromEntries(Object.entries(vars).filter(([name]) => names.includes(name)));
}
