/** /api/instances: start, list, read, trace, suspend, resume and cancel process instances. */
import type { Engine, InstanceView } from '../../runtime/index.js';
import type { HistoryRow, InstanceStatus, StoreTx } from '../../store/index.js';
import { actorId } from '../actor.js';
import { sendIdempotent } from '../idempotency.js';
import { withProblems } from '../problem.js';
import {
  IDEMPOTENCY_NOTE,
  idParams,
  idempotencyHeaders,
  keysetPageOf,
  keysetPagingProperties,
  strictObject,
  variablesSchema,
  type RoutePlugin,
} from '../schemas.js';
import { checkInstanceVisible, starterOf, visibilityOf } from '../scopes.js';

const STATUSES = ['active', 'completed', 'terminated', 'incident'] as const satisfies readonly InstanceStatus[];

const startBody = strictObject(
  {
    definitionKey: {
      type: 'string',
      minLength: 1,
      maxLength: 255,
      description: 'BPMN process id; the latest version starts',
    },
    variables: variablesSchema,
    businessKey: { type: ['string', 'null'], maxLength: 255 },
    startEventId: {
      type: 'string',
      minLength: 1,
      maxLength: 255,
      description:
        'the start event to start at (any start event of the process: none, message, signal or timer); default: the none start event',
    },
  },
  ['definitionKey'],
);

const listQuery = strictObject({
  definitionKey: { type: 'string', minLength: 1 },
  status: { type: 'string', enum: STATUSES },
  businessKey: { type: 'string', minLength: 1 },
  parentInstanceId: { type: 'string', minLength: 1, maxLength: 64, description: 'only instances it called' },
  ...keysetPagingProperties,
});

const startableSchema = {
  type: 'object',
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          definitionId: { type: 'string' },
          definitionKey: { type: 'string' },
          name: { type: ['string', 'null'] },
          version: { type: 'integer' },
          startFormKey: { type: ['string', 'null'] },
        },
        required: ['definitionId', 'definitionKey', 'name', 'version', 'startFormKey'],
      },
    },
  },
  required: ['items'],
} as const;

const historySchema = {
  type: 'object',
  properties: { items: { type: 'array', items: { $ref: 'HistoryItem#' } } },
  required: ['items'],
} as const;

// Staff see instances holding a task of theirs; supervisors those of their groups; owners all.
const starters = { auth: { roles: ['staff' as const, 'supervisor' as const, 'owner' as const] } };
const readers = { auth: { roles: ['staff' as const, 'supervisor' as const, 'owner' as const] } };
const cancellers = { auth: { roles: ['supervisor' as const] } };
const suspenders = { auth: { roles: ['supervisor' as const, 'owner' as const] } };
// the people working a case pick its next steps
const caseWorkers = { auth: { roles: ['staff' as const, 'supervisor' as const] } };
const activateBody = strictObject(
  {
    elementIds: {
      type: 'array',
      minItems: 1,
      maxItems: 100,
      items: { type: 'string', minLength: 1, maxLength: 200 },
      description: 'inner elements of one ad-hoc sub-process the instance is running',
    },
  },
  ['elementIds'],
);

/** Instance routes; an instance stays on the definition version it started with. */
export const instanceRoutes: RoutePlugin<{ engine: Engine }> = async (app, { engine }) => {
  app.post(
    '/instances',
    {
      config: starters,
      schema: {
        tags: ['instances'],
        summary: 'Start an instance of the latest version of a process',
        description: IDEMPOTENCY_NOTE,
        headers: idempotencyHeaders,
        body: startBody,
        response: withProblems({ 201: { $ref: 'Instance#' } }),
      },
    },
    async (request, reply) => {
      const { definitionKey, variables, businessKey, startEventId } = request.body;
      return sendIdempotent(engine, request, reply, async (finish) => {
        const within = finish && ((tx: StoreTx, view: InstanceView) => finish(tx, { statusCode: 201, body: view }));
        return {
          statusCode: 201,
          body: await engine.startInstance({
            definitionKey,
            variables,
            businessKey,
            by: actorId(request),
            starter: starterOf(request.actor),
            within,
            ...(startEventId ? { startEventId } : {}),
          }),
        };
      });
    },
  );

  app.get(
    '/startable-processes',
    {
      config: starters,
      schema: {
        tags: ['instances'],
        summary: 'The processes the caller may start (candidate starters), with their start forms',
        response: withProblems({ 200: startableSchema }),
      },
    },
    async (request) => ({ items: await engine.startableProcesses(starterOf(request.actor) ?? { id: '', groups: [] }) }),
  );

  app.get(
    '/instances',
    {
      config: readers,
      schema: {
        tags: ['instances'],
        summary: 'List the instances the caller may see',
        querystring: listQuery,
        response: withProblems({ 200: keysetPageOf('Instance') }),
      },
    },
    async (request) => {
      const { total, ...rest } = request.query;
      return engine.listInstances({ ...rest, withTotal: total, visibleTo: visibilityOf(request.actor) });
    },
  );

  app.get(
    '/instances/:id',
    {
      config: readers,
      schema: {
        tags: ['instances'],
        summary: 'Read an instance: status, active elements, variables',
        params: idParams,
        response: withProblems({ 200: { $ref: 'Instance#' } }),
      },
    },
    async (request) => {
      await checkInstanceVisible(engine, request.actor, request.params.id);
      return engine.getInstance(request.params.id);
    },
  );

  app.get(
    '/instances/:id/history',
    {
      config: readers,
      schema: {
        tags: ['instances'],
        summary: 'The audit history of an instance, oldest first; `by` names who did each step',
        params: idParams,
        response: withProblems({ 200: historySchema }),
      },
    },
    async (request) => {
      await checkInstanceVisible(engine, request.actor, request.params.id);
      return { items: (await engine.history(request.params.id)).map(toHistoryItem) };
    },
  );

  app.post(
    '/instances/:id/cancel',
    {
      config: cancellers,
      schema: {
        tags: ['instances'],
        summary: 'Cancel (terminate) an active instance',
        params: idParams,
        response: withProblems({ 200: { $ref: 'Instance#' } }),
      },
    },
    async (request) => {
      await checkInstanceVisible(engine, request.actor, request.params.id);
      return engine.cancelInstance(request.params.id, actorId(request));
    },
  );

  for (const [path, suspend] of [
    ['/instances/:id/suspend', true],
    ['/instances/:id/resume', false],
  ] as const) {
    app.post(
      path,
      {
        config: suspenders,
        schema: {
          tags: ['instances'],
          summary: suspend
            ? 'Suspend a running instance: nothing moves it on until it is resumed'
            : 'Resume a suspended instance: what came due meanwhile runs now',
          description: suspend
            ? 'While suspended its tasks cannot be claimed, assigned or completed (409 INSTANCE_SUSPENDED), workers are not handed its jobs, its timers and SLA checks wait (and fire once it is resumed, when due), messages are not correlated to it and signals pass it by; it can still be cancelled. Suspending a suspended instance changes nothing; 409 INSTANCE_NOT_ACTIVE when it has ended.'
            : 'Resuming a running instance that is not suspended changes nothing; 409 INSTANCE_NOT_ACTIVE when it has ended.',
          params: idParams,
          response: withProblems({ 200: { $ref: 'Instance#' } }),
        },
      },
      async (request) => {
        await checkInstanceVisible(engine, request.actor, request.params.id);
        const by = actorId(request);
        return suspend ? engine.suspendInstance(request.params.id, by) : engine.resumeInstance(request.params.id, by);
      },
    );
  }

  app.post(
    '/instances/:id/activate',
    {
      config: caseWorkers,
      schema: {
        tags: ['instances'],
        summary: 'Run inner elements of a running ad-hoc sub-process now (the next steps a case worker picks)',
        description:
          'Each element runs once more, also when it already runs. 409 ELEMENT_NOT_ACTIVATABLE when the elements are not all inner elements of one ad-hoc sub-process the instance is running.',
        params: idParams,
        body: activateBody,
        response: withProblems({ 200: { $ref: 'Instance#' } }),
      },
    },
    async (request) => {
      await checkInstanceVisible(engine, request.actor, request.params.id);
      return engine.activateElements(request.params.id, request.body.elementIds, actorId(request));
    },
  );
};

// helpers

function toHistoryItem(row: HistoryRow) {
  return {
    elementId: row.elementId,
    elementType: row.elementType,
    event: row.event,
    at: row.at,
    by: row.by,
    details: row.details,
  };
}
