/**
 * Camunda 7 history as Cockpit and integrations read it: process instances, activity instances (from the
 * element entered/left history), tasks and variable instances. svcflow keeps each instance's current
 * variables, not their earlier values, so a historic variable instance is the variable as it is now.
 */
import type { FastifyRequest } from 'fastify';
import type { FromSchema } from 'json-schema-to-ts';
import type { Engine } from '../../runtime/index.js';
import type { HistoryRow, InstanceRow, InstanceStatus, TaskRow } from '../../store/index.js';
import { ApiError } from '../problem.js';
import { idParams, strictObject, type RoutePlugin } from '../schemas.js';
import { checkInstanceVisible, visibilityOf } from '../scopes.js';
import { camundaDate, camundaObject } from './shapes.js';
import { toTypedValue } from './typed-values.js';

const page = {
  firstResult: { type: 'integer', minimum: 0, maximum: 1_000_000_000, default: 0 },
  maxResults: { type: 'integer', minimum: 0, maximum: 500, default: 100 },
} as const;
const flag = { type: 'boolean' } as const;
// Unknown filters are refused (400) rather than ignored; the sort is svcflow's own (newest first, or history order).
const instanceQuery = strictObject({
  processInstanceId: { type: 'string' },
  processDefinitionId: { type: 'string' },
  processDefinitionKey: { type: 'string' },
  processInstanceBusinessKey: { type: 'string' },
  finished: flag,
  unfinished: flag,
  withIncidents: flag,
  completed: flag,
  externallyTerminated: flag,
  active: flag,
  ...page,
});
const activityQuery = strictObject({
  processInstanceId: { type: 'string' },
  activityId: { type: 'string' },
  activityType: { type: 'string' },
  finished: flag,
  unfinished: flag,
  canceled: flag,
  ...page,
});
const taskQuery = strictObject({
  processInstanceId: { type: 'string' },
  processDefinitionKey: { type: 'string' },
  taskAssignee: { type: 'string' },
  taskDefinitionKey: { type: 'string' },
  finished: flag,
  unfinished: flag,
  ...page,
});
const variableQuery = strictObject({
  processInstanceId: { type: 'string' },
  processInstanceIdIn: { type: 'string', description: 'comma-separated' },
  variableName: { type: 'string' },
  deserializeValues: flag,
  ...page,
});
const readers = { auth: { roles: ['staff' as const, 'supervisor' as const, 'owner' as const] } };
const list = (what: string) => ({ 200: { type: 'array', items: camundaObject(what) } });
const count = { 200: camundaObject('{ count }') };

type InstanceQuery = FromSchema<typeof instanceQuery>;
type ActivityQuery = FromSchema<typeof activityQuery>;
type TaskQuery = FromSchema<typeof taskQuery>;
type VariableQuery = FromSchema<typeof variableQuery>;
type Paged = { firstResult: number; maxResults: number };
/** What a query helper reads of a request: its validated query and who is asking. */
type Query<Q> = { actor: FastifyRequest['actor']; query: Q };

export const camundaHistoryRoutes: RoutePlugin<{ engine: Engine }> = async (app, { engine }) => {
  const tags = ['camunda-compat'];

  app.get(
    '/history/process-instance',
    {
      config: readers,
      schema: {
        tags,
        summary: 'Historic process instances, running and ended, newest first (Camunda 7 compatible)',
        querystring: instanceQuery,
        response: list('Camunda historic process instance'),
      },
    },
    async (request) =>
      Promise.all((await historicInstances(engine, request)).items.map((row) => toHistoricInstance(engine, row))),
  );

  app.get(
    '/history/process-instance/count',
    {
      config: readers,
      schema: {
        tags,
        summary: 'Count historic process instances (Camunda 7 compatible)',
        querystring: instanceQuery,
        response: count,
      },
    },
    async (request) => ({ count: (await historicInstances(engine, request, true)).total ?? 0 }),
  );

  app.get(
    '/history/process-instance/:id',
    {
      config: readers,
      schema: {
        tags,
        summary: 'Read a historic process instance (Camunda 7 compatible)',
        params: idParams,
        response: { 200: camundaObject('Camunda historic process instance') },
      },
    },
    async (request) => {
      await checkInstanceVisible(engine, request.actor, request.params.id);
      return toHistoricInstance(engine, (await engine.store.instances.get(request.params.id))!);
    },
  );

  app.get(
    '/history/activity-instance',
    {
      config: readers,
      schema: {
        tags,
        summary:
          'The activity instances of one process instance, in the order they started (Camunda 7 compatible; processInstanceId is required)',
        querystring: activityQuery,
        response: list('Camunda historic activity instance'),
      },
    },
    async (request) => window(await activityInstances(engine, request), request.query),
  );

  app.get(
    '/history/activity-instance/count',
    {
      config: readers,
      schema: {
        tags,
        summary: 'Count the activity instances of one process instance (Camunda 7 compatible)',
        querystring: activityQuery,
        response: count,
      },
    },
    async (request) => ({ count: (await activityInstances(engine, request)).length }),
  );

  app.get(
    '/history/task',
    {
      config: readers,
      schema: {
        tags,
        summary: 'Historic tasks, open and ended (Camunda 7 compatible; finished=true needs processInstanceId)',
        querystring: taskQuery,
        response: list('Camunda historic task instance'),
      },
    },
    async (request) => (await historicTasks(engine, request)).items.map(toHistoricTask),
  );

  app.get(
    '/history/task/count',
    {
      config: readers,
      schema: { tags, summary: 'Count historic tasks (Camunda 7 compatible)', querystring: taskQuery, response: count },
    },
    async (request) => ({ count: (await historicTasks(engine, request, true)).total }),
  );

  app.get(
    '/history/variable-instance',
    {
      config: readers,
      schema: {
        tags,
        summary:
          'The variables of process instances as they are now (Camunda 7 compatible; processInstanceId or processInstanceIdIn is required)',
        querystring: variableQuery,
        response: list('Camunda historic variable instance'),
      },
    },
    async (request) => window(await variableInstances(engine, request, true), request.query),
  );

  app.get(
    '/history/variable-instance/count',
    {
      config: readers,
      schema: {
        tags,
        summary: 'Count the variables of process instances (Camunda 7 compatible)',
        querystring: variableQuery,
        response: count,
      },
    },
    async (request) => ({ count: (await variableInstances(engine, request, true)).length }),
  );

  app.get(
    '/variable-instance',
    {
      config: readers,
      schema: {
        tags,
        summary: 'The variables of running process instances (Camunda 7 compatible; processInstanceIdIn is required)',
        querystring: variableQuery,
        response: list('Camunda variable instance'),
      },
    },
    async (request) => window(await variableInstances(engine, request, false), request.query),
  );

  app.get(
    '/variable-instance/count',
    {
      config: readers,
      schema: {
        tags,
        summary: 'Count the variables of running process instances (Camunda 7 compatible)',
        querystring: variableQuery,
        response: count,
      },
    },
    async (request) => ({ count: (await variableInstances(engine, request, false)).length }),
  );
};

// helpers

const RUNNING: InstanceStatus[] = ['active', 'incident'];

async function historicInstances(engine: Engine, request: Query<InstanceQuery>, countOnly = false) {
  const q = request.query;
  if (q.processInstanceId) {
    const row = await engine.store.instances.get(q.processInstanceId);
    const visible = row
      ? await engine.store.tasks.list({
          instanceId: row.id,
          visibleTo: visibilityOf(request.actor),
          limit: 1,
          offset: 0,
          withTotal: false,
        })
      : null;
    const seen =
      row && (!visibilityOf(request.actor) || (visible?.items.length ?? 0) > 0) && matchesInstance(row, q) ? [row] : [];
    return { items: seen.slice(q.firstResult, q.firstResult + q.maxResults), total: seen.length };
  }
  return engine.store.instances.list({
    definitionKey: q.processDefinitionKey,
    definitionId: q.processDefinitionId,
    businessKey: q.processInstanceBusinessKey,
    statuses: statusesOf(q),
    visibleTo: visibilityOf(request.actor),
    offset: q.firstResult,
    limit: countOnly ? 0 : q.maxResults,
    withTotal: countOnly,
  });
}

function statusesOf(q: InstanceQuery): InstanceStatus[] | undefined {
  const wanted: Array<[boolean | undefined, InstanceStatus[]]> = [
    [q.finished, ['completed', 'terminated']],
    [q.unfinished, RUNNING],
    [q.withIncidents, ['incident']],
    [q.completed, ['completed']],
    [q.externallyTerminated, ['terminated']],
    [q.active, ['active']],
  ];
  let statuses: InstanceStatus[] | undefined;
  for (const [on, these] of wanted) if (on) statuses = statuses ? statuses.filter((s) => these.includes(s)) : these;
  return statuses;
}

function matchesInstance(row: InstanceRow, q: InstanceQuery): boolean {
  const statuses = statusesOf(q);
  return (
    (!statuses || statuses.includes(row.status)) &&
    (!q.processDefinitionKey || row.definitionKey === q.processDefinitionKey) &&
    (!q.processDefinitionId || row.definitionId === q.processDefinitionId) &&
    (!q.processInstanceBusinessKey || row.businessKey === q.processInstanceBusinessKey)
  );
}

const STATE: Record<InstanceStatus, string> = {
  active: 'ACTIVE',
  incident: 'ACTIVE',
  completed: 'COMPLETED',
  terminated: 'EXTERNALLY_TERMINATED',
};

async function toHistoricInstance(engine: Engine, row: InstanceRow) {
  const def = await engine.definitions.load(row.definitionId);
  const first = (await engine.store.history.list(row.id)).find(
    (h) => h.event === 'element.entered' && h.elementType === 'startEvent',
  );
  return {
    id: row.id,
    rootProcessInstanceId: row.rootInstanceId ?? row.id,
    superProcessInstanceId: row.parentInstanceId ?? null,
    superCaseInstanceId: null,
    caseInstanceId: null,
    processDefinitionName: def.row.name,
    processDefinitionKey: row.definitionKey,
    processDefinitionVersion: def.row.version,
    processDefinitionId: row.definitionId,
    businessKey: row.businessKey,
    startTime: camundaDate(row.startedAt),
    endTime: camundaDate(row.endedAt),
    removalTime: null,
    durationInMillis: row.endedAt ? Date.parse(row.endedAt) - Date.parse(row.startedAt) : null,
    startUserId: row.startedBy,
    startActivityId: first?.elementId ?? null,
    deleteReason: row.status === 'terminated' ? 'cancelled' : null,
    tenantId: null,
    state: STATE[row.status],
    restartedProcessInstanceId: null,
  };
}

async function activityInstances(engine: Engine, request: Query<ActivityQuery>) {
  const q = request.query;
  if (!q.processInstanceId)
    throw new ApiError(
      'BAD_REQUEST',
      'svcflow lists the activity instances of one process instance: give processInstanceId',
    );
  await checkInstanceVisible(engine, request.actor, q.processInstanceId);
  const instance = (await engine.store.instances.get(q.processInstanceId))!;
  const tasks = (await engine.store.tasks.list({ instanceId: instance.id, limit: 500, offset: 0, withTotal: false }))
    .items;
  const all = pairActivities(await engine.store.history.list(instance.id), instance).map((a) =>
    toHistoricActivity(a, instance, tasks),
  );
  return all.filter(
    (a) =>
      (!q.activityId || a.activityId === q.activityId) &&
      (!q.activityType || a.activityType === q.activityType) &&
      (q.finished === undefined || (a.endTime !== null) === q.finished) &&
      (q.unfinished === undefined || (a.endTime === null) === q.unfinished) &&
      (q.canceled === undefined || a.canceled === q.canceled),
  );
}

interface Activity {
  entered: HistoryRow;
  left: HistoryRow | null;
}

// Each `element.entered` is matched with the next `element.left` of the same element (first in, first out).
function pairActivities(history: HistoryRow[], instance: InstanceRow): Activity[] {
  const open = new Map<string, Activity[]>();
  const out: Activity[] = [];
  for (const row of history) {
    if (!row.elementId || (row.event !== 'element.entered' && row.event !== 'element.left')) continue;
    if (row.elementId === instance.definitionKey) continue;
    const queue = open.get(row.elementId) ?? [];
    if (row.event === 'element.entered') {
      const activity = { entered: row, left: null };
      out.push(activity);
      queue.push(activity);
      open.set(row.elementId, queue);
    } else {
      const activity = queue.shift();
      if (activity) activity.left = row;
    }
  }
  return out;
}

function toHistoricActivity({ entered, left }: Activity, instance: InstanceRow, tasks: TaskRow[]) {
  const ended = instance.endedAt !== null;
  // an activity still open when its instance ended was cancelled with it
  const endTime = left?.at ?? (ended ? instance.endedAt : null);
  const task =
    entered.elementType === 'userTask'
      ? tasks.find((t) => t.elementId === entered.elementId && t.createdAt >= entered.at)
      : undefined;
  return {
    id: `${entered.elementId}:${entered.id}`,
    parentActivityInstanceId: instance.id,
    activityId: entered.elementId!,
    activityName: null as string | null,
    activityType: entered.elementType ?? 'unknown',
    processDefinitionKey: instance.definitionKey,
    processDefinitionId: instance.definitionId,
    processInstanceId: instance.id,
    executionId: instance.id,
    taskId: task?.id ?? null,
    calledProcessInstanceId: null,
    calledCaseInstanceId: null,
    assignee: task?.assignee ?? null,
    startTime: camundaDate(entered.at),
    endTime: camundaDate(endTime),
    durationInMillis: endTime ? Date.parse(endTime) - Date.parse(entered.at) : null,
    canceled: !left && ended,
    completeScope: entered.elementType === 'endEvent',
    tenantId: null,
    removalTime: null,
    rootProcessInstanceId: instance.id,
  };
}

async function historicTasks(
  engine: Engine,
  request: Query<TaskQuery>,
  countOnly = false,
): Promise<{ items: TaskRow[]; total: number }> {
  const q = request.query;
  const visibleTo = visibilityOf(request.actor);
  if (q.finished) {
    if (!q.processInstanceId)
      throw new ApiError(
        'BAD_REQUEST',
        'finished=true lists completed and cancelled tasks of one process instance: give processInstanceId',
      );
    const all = (
      await engine.listTasks({ instanceId: q.processInstanceId, visibleTo, offset: 0, limit: 500, withTotal: false })
    ).items;
    const matching = all.filter((t) => t.status !== 'open' && matchesTask(t, q));
    return { items: matching.slice(q.firstResult, q.firstResult + q.maxResults), total: matching.length };
  }
  const page = await engine.listTasks({
    instanceId: q.processInstanceId,
    definitionKey: q.processDefinitionKey,
    assignee: q.taskAssignee,
    status: q.unfinished ? 'open' : undefined,
    visibleTo,
    offset: q.firstResult,
    limit: countOnly ? 0 : q.maxResults,
    withTotal: countOnly,
  });
  return { items: page.items.filter((t) => matchesTask(t, q)), total: page.total ?? 0 };
}

function matchesTask(t: TaskRow, q: TaskQuery): boolean {
  return (
    (!q.taskDefinitionKey || t.elementId === q.taskDefinitionKey) &&
    (!q.taskAssignee || t.assignee === q.taskAssignee) &&
    (!q.processDefinitionKey || t.definitionKey === q.processDefinitionKey)
  );
}

const TASK_STATE: Record<string, string> = { open: 'Created', completed: 'Completed', cancelled: 'Deleted' };

function toHistoricTask(t: TaskRow) {
  return {
    id: t.id,
    processDefinitionKey: t.definitionKey,
    processDefinitionId: null,
    processInstanceId: t.instanceId,
    executionId: t.instanceId,
    caseDefinitionKey: null,
    caseDefinitionId: null,
    caseInstanceId: null,
    caseExecutionId: null,
    activityInstanceId: null,
    name: t.name,
    description: null,
    deleteReason: t.status === 'completed' ? 'completed' : t.status === 'cancelled' ? 'deleted' : null,
    owner: null,
    assignee: t.assignee,
    startTime: camundaDate(t.createdAt),
    endTime: camundaDate(t.endedAt),
    duration: t.endedAt ? Date.parse(t.endedAt) - Date.parse(t.createdAt) : null,
    taskDefinitionKey: t.elementId,
    priority: t.priority,
    due: camundaDate(t.due),
    parentTaskId: null,
    followUp: camundaDate(t.followUp),
    tenantId: null,
    removalTime: null,
    rootProcessInstanceId: t.instanceId,
    taskState: TASK_STATE[t.status] ?? null,
  };
}

async function variableInstances(engine: Engine, request: Query<VariableQuery>, ended: boolean) {
  const q = request.query;
  const ids = [
    ...(q.processInstanceId ? [q.processInstanceId] : []),
    ...(q.processInstanceIdIn ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  ];
  if (ids.length === 0)
    throw new ApiError(
      'BAD_REQUEST',
      'svcflow lists the variables of given process instances: give processInstanceIdIn (or processInstanceId)',
    );
  if (ids.length > 100) throw new ApiError('BAD_REQUEST', 'at most 100 process instance ids at a time');
  const out = [];
  for (const id of ids) {
    await checkInstanceVisible(engine, request.actor, id);
    const instance = (await engine.store.instances.get(id))!;
    if (!ended && !RUNNING.includes(instance.status)) continue;
    for (const [name, value] of Object.entries(instance.variables)) {
      if (q.variableName && name !== q.variableName) continue;
      const typed = toTypedValue(value);
      const common = {
        id: `${instance.id}:${name}`,
        name,
        type: typed.type,
        value: typed.value,
        valueInfo: typed.valueInfo,
        processDefinitionId: instance.definitionId,
        processInstanceId: instance.id,
        executionId: instance.id,
        activityInstanceId: instance.id,
        caseInstanceId: null,
        caseExecutionId: null,
        taskId: null,
        tenantId: null,
        errorMessage: null,
      };
      // Camunda's HistoricVariableInstanceDto and VariableInstanceDto
      out.push(
        ended
          ? {
              ...common,
              processDefinitionKey: instance.definitionKey,
              caseDefinitionKey: null,
              caseDefinitionId: null,
              state: 'CREATED',
              createTime: camundaDate(instance.startedAt),
              removalTime: null,
              rootProcessInstanceId: instance.id,
            }
          : { ...common, batchId: null },
      );
    }
  }
  return out;
}

function window<T>(items: T[], q: Paged): T[] {
  return items.slice(q.firstResult, q.firstResult + q.maxResults);
}
