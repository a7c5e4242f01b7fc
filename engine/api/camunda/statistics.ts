/**
 * Camunda 7 process-definition statistics as Cockpit's dashboard reads them: running instances, failed
 * jobs and open incidents per definition version, and per activity of one version. Counts cover every
 * instance, so only process owners (and admins) read them.
 */
import { DefinitionNotFoundError, type Engine } from '../../runtime/index.js';
import type { DefinitionRow } from '../../store/index.js';
import { pathParam, strictObject, type RoutePlugin } from '../schemas.js';
import { camundaIncidentType } from './incidents.js';
import { toDefinition } from './read.js';
import { camundaObject } from './shapes.js';

const statsQuery = strictObject({
  failedJobs: { type: 'boolean', default: false },
  incidents: { type: 'boolean', default: false },
  incidentsForType: { type: 'string' },
  rootIncidents: {
    type: 'boolean',
    default: false,
    description: 'svcflow incidents have no causes: every incident is a root incident',
  },
});
interface StatsQuery {
  failedJobs: boolean;
  incidents: boolean;
  incidentsForType?: string;
  rootIncidents: boolean;
}
const owners = { auth: { roles: ['owner' as const] } };
const MAX_VERSIONS = 500;
// Camunda names the result class in each statistics object
const DTO = 'org.camunda.bpm.engine.rest.dto.repository';

export const camundaStatisticsRoutes: RoutePlugin<{ engine: Engine }> = async (app, { engine }) => {
  const tags = ['camunda-compat'];

  app.get(
    '/process-definition/statistics',
    {
      config: owners,
      schema: {
        tags,
        summary: 'Per process definition version: running instances, failed jobs and incidents (Camunda 7 compatible)',
        querystring: statsQuery,
        response: { 200: { type: 'array', items: camundaObject('Camunda process definition statistics') } },
      },
    },
    async (request) => {
      const q = request.query;
      const versions = (await engine.listDefinitions({ offset: 0, limit: MAX_VERSIONS })).items;
      const stats = engine.store.statistics;
      const [running, failed, incidents] = await Promise.all([
        stats.runningByDefinition(),
        q.failedJobs ? stats.failedJobsByDefinition() : [],
        wantsIncidents(q) ? stats.incidentsByDefinition() : [],
      ]);
      return versions.map((def) => ({
        id: def.id,
        instances: countOf(running, (r) => r.definitionId === def.id),
        failedJobs: countOf(failed, (r) => r.definitionId === def.id),
        incidents: incidentCounts(
          incidents.filter((r) => r.definitionId === def.id),
          q,
        ),
        '@class': `${DTO}.ProcessDefinitionStatisticsResultDto`,
        definition: toDefinition(def),
      }));
    },
  );

  for (const path of ['/process-definition/:id/statistics', '/process-definition/key/:key/statistics']) {
    app.get(
      path,
      {
        config: owners,
        schema: {
          tags,
          summary:
            'Per activity of a process definition version: running instances there, failed jobs and incidents (Camunda 7 compatible)',
          params: pathParam(path.includes(':key') ? 'key' : 'id'),
          querystring: statsQuery,
          response: { 200: { type: 'array', items: camundaObject('Camunda activity statistics') } },
        },
      },
      async (request) => {
        const q = request.query;
        const def = await definitionOf(engine, request.params);
        const { instances, failedJobs, incidents } = await engine.store.statistics.activities(def.id);
        const ids = [
          ...new Set(
            [...instances, ...(q.failedJobs ? failedJobs : []), ...(wantsIncidents(q) ? incidents : [])].map(
              (r) => r.elementId,
            ),
          ),
        ];
        return ids.map((elementId) => ({
          id: elementId,
          instances: countOf(instances, (r) => r.elementId === elementId),
          failedJobs: q.failedJobs ? countOf(failedJobs, (r) => r.elementId === elementId) : 0,
          incidents: wantsIncidents(q)
            ? incidentCounts(
                incidents.filter((r) => r.elementId === elementId),
                q,
              )
            : [],
          '@class': `${DTO}.ActivityStatisticsResultDto`,
        }));
      },
    );
  }
};

// helpers

async function definitionOf(
  engine: Engine,
  params: { id?: string; key?: string },
): Promise<Omit<DefinitionRow, 'xml'>> {
  if (params.id) {
    const row = await engine.getDefinition(params.id);
    if (row.deletedAt) throw new DefinitionNotFoundError(params.id);
    return row;
  }
  const [latest] = (await engine.listDefinitions({ key: params.key, latestOnly: true, offset: 0, limit: 1 })).items;
  if (!latest) throw new DefinitionNotFoundError(params.key ?? '');
  return latest;
}

function wantsIncidents(q: StatsQuery): boolean {
  return q.incidents || q.rootIncidents || q.incidentsForType !== undefined;
}

function countOf<T extends { count: number }>(rows: T[], pick: (row: T) => boolean): number {
  return rows.filter(pick).reduce((sum, r) => sum + r.count, 0);
}

// Camunda's IncidentStatisticsResultDto: one entry per incident type.
function incidentCounts(
  rows: Array<{ code: string; count: number }>,
  q: StatsQuery,
): Array<{ incidentType: string; incidentCount: number }> {
  if (!wantsIncidents(q)) return [];
  const byType = new Map<string, number>();
  for (const r of rows)
    byType.set(camundaIncidentType(r.code), (byType.get(camundaIncidentType(r.code)) ?? 0) + r.count);
  return [...byType]
    .filter(([type]) => !q.incidentsForType || type === q.incidentsForType)
    .map(([incidentType, incidentCount]) => ({ incidentType, incidentCount }));
}
