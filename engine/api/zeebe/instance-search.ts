/**
 * Camunda 8 process instances read back: one by key, and a search (by key, parent instance, BPMN process id,
 * state, incident). A called instance names its parent (`parentProcessInstanceKey`) and the parent's call
 * activity (`parentElementInstanceKey`, a key of its own for that call); `hasIncident` is true while the
 * instance or one it called has an open incident, as Operate shows it.
 */
import type { Engine } from '../../runtime/index.js';
import type { InstanceRow, InstanceStatus } from '../../store/index.js';
import { ApiError } from '../problem.js';
import { checkInstanceVisible, visibilityOf } from '../scopes.js';
import { body, DEFAULT_TENANT, idOf, keyOf, keyParams } from './keys.js';
import type { RoutePlugin } from '../schemas.js';

const keyString = { type: 'string', pattern: '^-?[0-9]{1,19}$' } as const;
const page = body({ from: { type: 'integer', minimum: 0 }, limit: { type: 'integer', minimum: 0, maximum: 1000 } });
const searchBody = body({
  filter: body({
    processInstanceKey: keyString,
    parentProcessInstanceKey: keyString,
    processDefinitionId: { type: 'string', minLength: 1 },
    state: { type: 'string', enum: ['ACTIVE', 'COMPLETED', 'TERMINATED'] },
    hasIncident: { type: 'boolean' },
    tenantId: { type: 'string', enum: [DEFAULT_TENANT] },
  }),
  page,
  sort: { type: 'array', maxItems: 0 },
});

const readers = { auth: { roles: ['supervisor' as const, 'owner' as const] } };

export const zeebeInstanceSearchRoutes: RoutePlugin<{ engine: Engine }> = async (app, { engine }) => {
  const tags = ['camunda8-compat'];

  app.get(
    '/process-instances/:processInstanceKey',
    {
      config: readers,
      schema: {
        tags,
        summary: 'Read a process instance, with its parent when a call activity started it (Camunda 8 compatible)',
        params: keyParams('processInstanceKey'),
      },
    },
    async (request) => {
      const id = await idOf(engine, 'instance', request.params.processInstanceKey);
      await checkInstanceVisible(engine, request.actor, id);
      const row = await engine.store.instances.get(id);
      if (!row) throw new ApiError('NOT_FOUND', `no instance with key ${request.params.processInstanceKey}`);
      return toProcessInstance(engine, row);
    },
  );

  app.post(
    '/process-instances/search',
    {
      config: readers,
      schema: {
        tags,
        summary:
          'Search process instances by key, parent process instance, BPMN process id, state and incident, newest first (Camunda 8 compatible)',
        body: searchBody,
      },
    },
    async (request) => {
      const f = request.body?.filter ?? {};
      const { from = 0, limit = 100 } = request.body?.page ?? {};
      const statuses = statusesOf(f.state, f.hasIncident);
      const known = async (key: string | undefined) =>
        key === undefined ? undefined : ((await engine.store.externalKeys.refOf('instance', key)) ?? null);
      const [id, parentId] = [await known(f.processInstanceKey), await known(f.parentProcessInstanceKey)];
      let rows: InstanceRow[] = [];
      let total = 0;
      if (id === null || parentId === null || statuses.length === 0) rows = [];
      else if (id !== undefined) {
        const row = await engine.store.instances.get(id);
        const visible = await checkInstanceVisible(engine, request.actor, id).then(
          () => true,
          () => false,
        );
        const fits =
          row &&
          visible &&
          statuses.includes(row.status) &&
          (parentId === undefined || row.parentInstanceId === parentId) &&
          (!f.processDefinitionId || row.definitionKey === f.processDefinitionId);
        total = fits ? 1 : 0;
        rows = fits && from === 0 && limit > 0 ? [row] : [];
      } else {
        const found = await engine.store.instances.list({
          definitionKey: f.processDefinitionId,
          parentInstanceId: parentId,
          statuses,
          visibleTo: visibilityOf(request.actor),
          offset: from,
          limit,
          withTotal: true,
        });
        rows = found.items;
        total = found.total ?? rows.length;
      }
      return {
        items: await Promise.all(rows.map((row) => toProcessInstance(engine, row))),
        page: { totalItems: total },
      };
    },
  );
};

// helpers

const ALL: InstanceStatus[] = ['active', 'incident', 'completed', 'terminated'];

/** Camunda 8's state and incident flag as svcflow statuses: a running instance is `active` or `incident`. */
function statusesOf(state: string | undefined, hasIncident?: boolean): InstanceStatus[] {
  const byState: InstanceStatus[] =
    state === 'ACTIVE'
      ? ['active', 'incident']
      : state === 'COMPLETED'
        ? ['completed']
        : state === 'TERMINATED'
          ? ['terminated']
          : ALL;
  if (hasIncident === undefined) return byState;
  return byState.filter((s) => (s === 'incident') === hasIncident);
}

async function toProcessInstance(engine: Engine, row: InstanceRow) {
  const definition = await engine.store.definitions.get(row.definitionId);
  const ended = row.status === 'completed' || row.status === 'terminated';
  return {
    processDefinitionId: row.definitionKey,
    processDefinitionName: definition?.name ?? row.definitionKey,
    processDefinitionVersion: definition?.version ?? 1,
    startDate: row.startedAt,
    ...(row.endedAt ? { endDate: row.endedAt } : {}),
    state: row.status === 'completed' ? 'COMPLETED' : row.status === 'terminated' ? 'TERMINATED' : 'ACTIVE',
    hasIncident: !ended && row.status === 'incident',
    tenantId: DEFAULT_TENANT,
    processInstanceKey: await keyOf(engine, 'instance', row.id),
    processDefinitionKey: await keyOf(engine, 'definition', row.definitionId),
    ...(row.parentInstanceId
      ? {
          parentProcessInstanceKey: await keyOf(engine, 'instance', row.parentInstanceId),
          parentElementInstanceKey: await keyOf(
            engine,
            'element-instance',
            `${row.parentInstanceId}/${row.callerElementId ?? ''}/${row.callerActivationId ?? ''}`,
          ),
        }
      : {}),
  };
}
