/**
 * Camunda 7 incidents: list, count, read. An incident is resolved as in Camunda, by giving its external
 * task retries (`PUT /external-task/{configuration}/retries`); `DELETE /incident/{id}` resolves only
 * custom incidents in Camunda, and svcflow raises none, so it is refused with that advice.
 */
import { IncidentNotFoundError, type Engine } from '../../runtime/index.js';
import type { IncidentRow } from '../../store/index.js';
import type { Actor } from '../actor.js';
import { ApiError } from '../problem.js';
import { idParams, strictObject, type RoutePlugin } from '../schemas.js';
import { checkInstanceVisible, visibilityOf } from '../scopes.js';
import { camundaDate, camundaObject } from './shapes.js';

// Unknown filters are refused (400) rather than ignored.
const incidentQuery = strictObject({
  incidentId: { type: 'string' },
  incidentType: { type: 'string', enum: ['failedExternalTask', 'failedJob'] },
  processInstanceId: { type: 'string' },
  processDefinitionKeyIn: {
    type: 'string',
    description: 'one key: svcflow filters by a single process definition key',
  },
  activityId: { type: 'string' },
  open: {
    type: 'boolean',
    enum: [true],
    description: 'Camunda lists open incidents only; resolved ones are in /history/incident',
  },
  firstResult: { type: 'integer', minimum: 0, maximum: 1_000_000_000, default: 0 },
  maxResults: { type: 'integer', minimum: 0, maximum: 500, default: 100 },
});
interface IncidentQuery {
  incidentId?: string;
  incidentType?: string;
  processInstanceId?: string;
  processDefinitionKeyIn?: string;
  activityId?: string;
  firstResult: number;
  maxResults: number;
}

const operators = { auth: { roles: ['supervisor' as const, 'owner' as const] } };

export const camundaIncidentRoutes: RoutePlugin<{ engine: Engine }> = async (app, { engine }) => {
  const tags = ['camunda-compat'];

  app.get(
    '/incident',
    {
      config: operators,
      schema: {
        tags,
        summary: 'Open incidents, oldest first (Camunda 7 compatible)',
        querystring: incidentQuery,
        response: { 200: { type: 'array', items: camundaObject('Camunda incident') } },
      },
    },
    async (request) => {
      const q = request.query;
      const rows = await openIncidents(engine, request.actor, q);
      return Promise.all(
        rows.slice(q.firstResult, q.firstResult + q.maxResults).map((row) => toCamundaIncident(engine, row)),
      );
    },
  );

  app.get(
    '/incident/count',
    {
      config: operators,
      schema: {
        tags,
        summary: 'Count open incidents (Camunda 7 compatible)',
        querystring: incidentQuery,
        response: { 200: camundaObject('{ count }') },
      },
    },
    async (request) => ({ count: (await openIncidents(engine, request.actor, request.query)).length }),
  );

  app.get(
    '/incident/:id',
    {
      config: operators,
      schema: {
        tags,
        summary: 'Read an incident (Camunda 7 compatible)',
        params: idParams,
        response: { 200: camundaObject('Camunda incident') },
      },
    },
    async (request) => toCamundaIncident(engine, await visibleIncident(engine, request.actor, request.params.id)),
  );

  app.delete(
    '/incident/:id',
    {
      config: operators,
      schema: {
        tags,
        summary:
          'Refused: Camunda resolves only custom incidents this way; resolve a failed task with PUT /external-task/{id}/retries (Camunda 7 compatible)',
        params: idParams,
      },
    },
    async (request) => {
      const incident = await visibleIncident(engine, request.actor, request.params.id);
      const how =
        incident.jobId && incident.code === 'JOB_FAILED'
          ? `set retries with PUT /engine-rest/external-task/${incident.jobId}/retries`
          : `retry it with POST /api/incidents/${incident.id}/retry`;
      throw new ApiError(
        'BAD_REQUEST',
        `Cannot resolve an incident of type ${incidentType(incident)}: only custom incidents are resolved by DELETE, and svcflow raises none; ${how}`,
      );
    },
  );
};

// helpers

// The open incidents the caller may see that match the query, oldest first; bounded like every list (500).
async function openIncidents(engine: Engine, actor: Actor | null, q: IncidentQuery): Promise<IncidentRow[]> {
  if (q.incidentId) {
    const row = await engine.store.incidents.get(q.incidentId);
    return row && row.status === 'open' && (await matches(engine, row, q)) && (await mayRead(engine, actor, row))
      ? [row]
      : [];
  }
  const page = await engine.listIncidents({
    instanceId: q.processInstanceId,
    definitionKey: q.processDefinitionKeyIn,
    status: 'open',
    visibleTo: visibilityOf(actor),
    offset: 0,
    limit: 500,
  });
  const kept = await Promise.all(page.items.map((row) => matches(engine, row, q)));
  return page.items.filter((_, i) => kept[i]).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

// the type filter matches the type shown: a chained incident's is its root cause's
async function matches(engine: Engine, row: IncidentRow, q: IncidentQuery): Promise<boolean> {
  if (q.activityId && row.elementId !== q.activityId) return false;
  if (q.processInstanceId && row.instanceId !== q.processInstanceId) return false;
  return !q.incidentType || incidentType(await rootOf(engine, row)) === q.incidentType;
}

/** The incident at the bottom of a chained incident's call chain; the incident itself when it is not chained. */
async function rootOf(engine: Engine, row: IncidentRow): Promise<IncidentRow> {
  return (row.rootCauseIncidentId ? await engine.store.incidents.get(row.rootCauseIncidentId) : null) ?? row;
}

async function mayRead(engine: Engine, actor: Actor | null, row: IncidentRow): Promise<boolean> {
  return checkInstanceVisible(engine, actor, row.instanceId).then(
    () => true,
    () => false,
  );
}

async function visibleIncident(engine: Engine, actor: Actor | null, id: string): Promise<IncidentRow> {
  const row = await engine.store.incidents.get(id);
  if (!row) throw new IncidentNotFoundError(id);
  await checkInstanceVisible(engine, actor, row.instanceId);
  return row;
}

function incidentType(row: IncidentRow): string {
  return camundaIncidentType(row.code);
}

/** A job that ran out of retries is Camunda's failed external task; everything else (an expression, an uncaught error) a failed job. */
export function camundaIncidentType(code: string): 'failedExternalTask' | 'failedJob' {
  return code === 'JOB_FAILED' ? 'failedExternalTask' : 'failedJob';
}

async function toCamundaIncident(engine: Engine, row: IncidentRow) {
  const instance = await engine.store.instances.get(row.instanceId);
  // a call activity's incident takes the type of the incident at the bottom of its chain, as in Camunda
  const root = await rootOf(engine, row);
  return {
    id: row.id,
    processDefinitionId: instance?.definitionId ?? null,
    processInstanceId: row.instanceId,
    executionId: row.instanceId,
    incidentTimestamp: camundaDate(row.createdAt),
    incidentType: incidentType(root),
    activityId: row.elementId,
    failedActivityId: root.elementId,
    causeIncidentId: row.causeIncidentId ?? row.id,
    rootCauseIncidentId: row.rootCauseIncidentId ?? row.id,
    configuration: row.jobId,
    tenantId: null,
    incidentMessage: row.message,
    jobDefinitionId: null,
    annotation: null,
  };
}
