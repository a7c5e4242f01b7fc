/**
 * Counts for Camunda's process-definition statistics: running instances, failed jobs and open incidents
 * per definition version, and per element of one version. Served by instances(definition_id, status),
 * jobs(status, …) joined by instance, and incidents(status, …).
 */
import type { Knex } from 'knex';
import type { StatisticsRepository } from './types.js';
import { type Db, type Dialect, numberOut } from './columns.js';

const RUNNING = ['active', 'incident'];

/** The statistics repository on one knex handle (the pool or a transaction). */
export function statisticsRepository(db: Db, dialect: Dialect): StatisticsRepository {
  const running = (ids?: string[]) => {
    const query = db('instances').whereIn('instances.status', RUNNING);
    if (ids) query.whereIn('instances.definition_id', ids);
    return query;
  };
  return {
    async runningByDefinition(ids) {
      const rows: Array<{ definition_id: string; n: unknown }> = await running(ids)
        .select('instances.definition_id')
        .count({ n: '*' })
        .groupBy('instances.definition_id');
      return rows.map((r) => ({ definitionId: r.definition_id, count: numberOut(r.n) }));
    },
    async failedJobsByDefinition(ids) {
      const rows: Array<{ definition_id: string; n: unknown }> = await running(ids)
        .join('jobs', 'jobs.instance_id', 'instances.id')
        .where('jobs.status', 'failed')
        .select('instances.definition_id')
        .count({ n: '*' })
        .groupBy('instances.definition_id');
      return rows.map((r) => ({ definitionId: r.definition_id, count: numberOut(r.n) }));
    },
    async incidentsByDefinition(ids) {
      const rows: Array<{ definition_id: string; code: string; n: unknown }> = await openIncidents(db, ids)
        .select('instances.definition_id', 'incidents.code')
        .count({ n: '*' })
        .groupBy('instances.definition_id', 'incidents.code');
      return rows.map((r) => ({ definitionId: r.definition_id, code: r.code, count: numberOut(r.n) }));
    },
    async activities(definitionId) {
      const element =
        dialect === 'postgres'
          ? 'json_array_elements_text(instances.active_elements::json)'
          : 'json_each(instances.active_elements)';
      const instances: Array<{ element_id: string; n: unknown }> = await db
        .raw(
          `select e.value as element_id, count(*) as n from instances, ${element} as e${dialect === 'postgres' ? '(value)' : ''} where instances.definition_id = ? and instances.status in (?, ?) group by e.value`,
          [definitionId, ...RUNNING],
        )
        .then((r: unknown) => rowsOf(r));
      const failedJobs: Array<{ element_id: string; n: unknown }> = await running([definitionId])
        .join('jobs', 'jobs.instance_id', 'instances.id')
        .where('jobs.status', 'failed')
        .select('jobs.element_id')
        .count({ n: '*' })
        .groupBy('jobs.element_id');
      const incidents: Array<{ element_id: string; code: string; n: unknown }> = await openIncidents(db, [definitionId])
        .select('incidents.element_id', 'incidents.code')
        .count({ n: '*' })
        .groupBy('incidents.element_id', 'incidents.code');
      return {
        instances: instances.map((r) => ({ elementId: String(r.element_id), count: numberOut(r.n) })),
        failedJobs: failedJobs.map((r) => ({ elementId: r.element_id, count: numberOut(r.n) })),
        incidents: incidents.map((r) => ({ elementId: r.element_id, code: r.code, count: numberOut(r.n) })),
      };
    },
    async runningIds(ids, limit) {
      const rows: Array<{ id: string }> = await running(ids)
        .select('instances.id')
        .orderBy('instances.started_at')
        .limit(limit);
      return rows.map((r) => r.id);
    },
  };
}

// helpers

function openIncidents(db: Db, ids?: string[]): Knex.QueryBuilder {
  const query = db('incidents')
    .join('instances', 'instances.id', 'incidents.instance_id')
    .where('incidents.status', 'open');
  if (ids) query.whereIn('instances.definition_id', ids);
  return query;
}

// knex.raw answers rows directly on SQLite and `{ rows }` on PostgreSQL
function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}
