import type { Knex } from 'knex';
import type { IncidentRepository, IncidentRow } from './types.js';
import { type Db, type Dialect, isoIn, isoInOrNull, isoOut, isoOutOrNull, numberOut } from './columns.js';
import { whereInstanceVisible } from './visibility.js';
import { counted, newestFirst, readPage } from './paging.js';

const TABLE = 'incidents';

/** An incidents table record, as stored. */
export interface IncidentRecord {
  id: string;
  instance_id: string;
  definition_key: string;
  element_id: string;
  code: string;
  message: string;
  job_id: string | null;
  status: string;
  created_at: unknown;
  resolved_at: unknown;
  cause_incident_id?: string | null;
  root_cause_incident_id?: string | null;
  trigger_id?: string | null;
}

/** The filter and paging incidents.list accepts. */
export type IncidentFilter = Parameters<IncidentRepository['list']>[0];

/** The incident repository on one knex handle (the pool or a transaction). */
export function incidentRepository(db: Db, _dialect: Dialect): IncidentRepository {
  return {
    async insert(row) {
      await db(TABLE).insert(toRow(row));
    },
    async get(id) {
      const record = await db(TABLE).where({ id }).first();
      return record ? fromRow(record) : null;
    },
    async resolve(id, at) {
      await resolveOpen(db(TABLE).where({ id }), at);
    },
    async resolveByElement(instanceId, elementId, at) {
      const at_ = db(TABLE)
        .where({ instance_id: instanceId })
        .where((q) =>
          q.where({ trigger_id: elementId }).orWhere((r) => r.whereNull('trigger_id').where({ element_id: elementId })),
        );
      await resolveOpen(at_, at);
    },
    async resolveOpenByInstance(instanceId, at) {
      await resolveOpen(db(TABLE).where({ instance_id: instanceId }), at);
    },
    async openCount(instanceId) {
      const record = await counted(db(TABLE).where({ instance_id: instanceId, status: 'open' })).first();
      return numberOut(record?.n);
    },
    async openOf(instanceId) {
      const records = await db(TABLE)
        .where({ instance_id: instanceId, status: 'open' })
        .orderBy([{ column: 'created_at' }, { column: 'id' }])
        .limit(500);
      return records.map(fromRow);
    },
    async openCausedAt(instanceId, elementId) {
      const records = await db(TABLE)
        .where({ instance_id: instanceId, element_id: elementId, status: 'open' })
        .whereNotNull('cause_incident_id')
        .orderBy([{ column: 'created_at' }, { column: 'id' }]);
      return records.map(fromRow);
    },
    list(filter) {
      return readPage(listQuery(db, filter), counted(filtered(db, filter)), filter, fromRow);
    },
  };
}

/** The ordered, windowed query behind incidents.list: newest first. */
export function listQuery(db: Db, filter: IncidentFilter): Knex.QueryBuilder {
  return newestFirst(filtered(db, filter), 'created_at', filter);
}

/** Maps an incident row to its record. */
export function toRow(row: IncidentRow): IncidentRecord {
  return {
    id: row.id,
    instance_id: row.instanceId,
    definition_key: row.definitionKey,
    element_id: row.elementId,
    code: row.code,
    message: row.message,
    job_id: row.jobId,
    status: row.status,
    created_at: isoIn(row.createdAt),
    resolved_at: isoInOrNull(row.resolvedAt),
    cause_incident_id: row.causeIncidentId ?? null,
    root_cause_incident_id: row.rootCauseIncidentId ?? null,
    trigger_id: row.triggerId ?? null,
  };
}

/** Maps a stored record to an incident row. */
export function fromRow(record: IncidentRecord): IncidentRow {
  return {
    id: record.id,
    instanceId: record.instance_id,
    definitionKey: record.definition_key,
    elementId: record.element_id,
    code: record.code,
    message: record.message,
    jobId: record.job_id,
    status: record.status as IncidentRow['status'],
    createdAt: isoOut(record.created_at),
    resolvedAt: isoOutOrNull(record.resolved_at),
    causeIncidentId: record.cause_incident_id ?? null,
    rootCauseIncidentId: record.root_cause_incident_id ?? null,
    triggerId: record.trigger_id ?? null,
  };
}

// helpers

function resolveOpen(query: Knex.QueryBuilder, at: string): Promise<number> {
  return query.where('status', 'open').update({ status: 'resolved', resolved_at: isoIn(at) });
}

function filtered(db: Db, filter: IncidentFilter): Knex.QueryBuilder {
  const query = db(TABLE);
  if (filter.instanceId !== undefined) query.where('instance_id', filter.instanceId);
  if (filter.status !== undefined) query.where('status', filter.status);
  if (filter.definitionKey !== undefined) query.where('definition_key', filter.definitionKey);
  if (filter.visibleTo !== undefined) whereInstanceVisible(db, query, filter.visibleTo, 'incidents.instance_id');
  return query;
}
