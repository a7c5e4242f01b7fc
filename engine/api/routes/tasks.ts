/** /api/tasks: the tasklist: query user tasks, claim, unclaim and complete them. */
import type { Engine, InstanceView } from '../../runtime/index.js';
import type { StoreTx, TaskRow } from '../../store/index.js';
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
import { checkTaskAction, visibilityOf } from '../scopes.js';

const listQuery = strictObject({
  assignee: { type: 'string', minLength: 1 },
  candidateGroup: {
    type: 'array',
    items: { type: 'string', minLength: 1 },
    description: 'repeat or comma-separate; matches any',
  },
  candidateUser: { type: 'string', minLength: 1 },
  instanceId: { type: 'string', minLength: 1 },
  definitionKey: { type: 'string', minLength: 1 },
  status: { type: 'string', enum: ['open', 'completed', 'cancelled', 'all'], default: 'open' },
  ...keysetPagingProperties,
});

const claimBody = strictObject(
  {
    userId: { type: 'string', minLength: 1, maxLength: 255 },
    force: {
      type: 'boolean',
      default: false,
      description: 'take the task over from its current assignee (supervisors: reassign)',
    },
  },
  ['userId'],
);
const completeBody = strictObject({ variables: variablesSchema });
const completedSchema = {
  type: 'object',
  properties: { instance: { $ref: 'Instance#' } },
  required: ['instance'],
} as const;

// Staff read and work tasks offered to them; supervisors also reassign; owners read.
const readers = { auth: { roles: ['staff' as const, 'supervisor' as const, 'owner' as const] } };
const workers = { auth: { roles: ['staff' as const, 'supervisor' as const] } };

/** Task routes; lists are sorted by due date, then priority (highest first), and hold only the tasks the caller may see. */
export const taskRoutes: RoutePlugin<{ engine: Engine }> = async (app, { engine }) => {
  const taskResponse = withProblems({ 200: { $ref: 'Task#' } });

  app.get(
    '/tasks',
    {
      config: readers,
      schema: {
        tags: ['tasks'],
        summary: 'Query tasks (open ones unless status says otherwise)',
        querystring: listQuery,
        response: withProblems({ 200: keysetPageOf('Task') }),
      },
    },
    async (request) => {
      const { candidateGroup, status, total, ...rest } = request.query;
      const candidateGroups = splitList(candidateGroup);
      const page = await engine.listTasks({
        ...rest,
        withTotal: total,
        candidateGroups,
        status: status === 'all' ? undefined : status,
        visibleTo: visibilityOf(request.actor),
      });
      return { ...page, items: await withContext(engine, page.items) };
    },
  );

  app.get(
    '/tasks/:id',
    {
      config: readers,
      schema: { tags: ['tasks'], summary: 'Read a task', params: idParams, response: taskResponse },
    },
    async (request) => {
      const task = await engine.getTask(request.params.id);
      checkTaskAction(request.actor, task, 'read');
      return (await withContext(engine, [task]))[0];
    },
  );

  app.post(
    '/tasks/:id/claim',
    {
      config: workers,
      schema: {
        tags: ['tasks'],
        summary: 'Assign an open task to a user (staff: to themselves)',
        params: idParams,
        body: claimBody,
        response: taskResponse,
      },
    },
    async (request) => {
      const task = await engine.assignTask(request.params.id, request.body.userId, request.actor, {
        force: request.body.force,
      });
      return (await withContext(engine, [task]))[0];
    },
  );

  app.post(
    '/tasks/:id/unclaim',
    {
      config: workers,
      schema: {
        tags: ['tasks'],
        summary: 'Give an open task back to its candidates',
        params: idParams,
        response: taskResponse,
      },
    },
    async (request) => {
      return (await withContext(engine, [await engine.releaseTask(request.params.id, request.actor)]))[0];
    },
  );

  app.post(
    '/tasks/:id/complete',
    {
      config: workers,
      schema: {
        tags: ['tasks'],
        summary: 'Complete an open task with variables; the instance moves on',
        description: `With a form (the task's formKey names a form the engine knows) the variables must satisfy it, else 400 FORM_INVALID. ${IDEMPOTENCY_NOTE}`,
        headers: idempotencyHeaders,
        params: idParams,
        body: completeBody,
        response: withProblems({ 200: completedSchema }),
      },
    },
    async (request, reply) => {
      const variables = request.body?.variables ?? {};
      const task = await engine.getTask(request.params.id);
      checkTaskAction(request.actor, task, 'complete');
      return sendIdempotent(engine, request, reply, async (finish) => {
        const within =
          finish && ((tx: StoreTx, view: InstanceView) => finish(tx, { statusCode: 200, body: { instance: view } }));
        return {
          statusCode: 200,
          body: { instance: await engine.completeTask(request.params.id, variables, actorId(request), within, task) },
        };
      });
    },
  );
};

// helpers

type TaskWithContext = TaskRow & { businessKey: string | null; definitionName: string | null; suspended: boolean };

/**
 * Adds what a tasklist shows beside the task: the instance's business key and the process's name. The
 * page's instances are read in one statement; definitions come from the engine's cache, once per call.
 */
async function withContext(engine: Engine, tasks: TaskRow[]): Promise<TaskWithContext[]> {
  const summaries = await engine.instanceSummaries(tasks.map((t) => t.instanceId));
  const names = new Map<string, Promise<string | null>>();
  const nameOf = (definitionId: string) =>
    once(names, definitionId, () =>
      engine.definitions.load(definitionId).then(
        ({ row, compiled }) => compiled.name ?? row.name ?? null,
        () => null,
      ),
    );
  return Promise.all(
    tasks.map(async (task) => {
      const instance = summaries.get(task.instanceId);
      return {
        ...task,
        businessKey: instance?.businessKey ?? null,
        definitionName: instance ? await nameOf(instance.definitionId) : null,
        suspended: instance?.suspended ?? false,
      };
    }),
  );
}

function once<T>(cache: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
  let value = cache.get(key);
  if (!value) cache.set(key, (value = load()));
  return value;
}

function splitList(values: string[] | undefined): string[] | undefined {
  const list = (values ?? [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
  return list.length > 0 ? list : undefined;
}
