import { whereNotSuspended } from './suspension.js';
import type { Knex } from 'knex';
import type { JobLockFilter, JobRepository, JobRow, JobStatus } from './types.js';
import {
  type Db,
  type Dialect,
  type PatchMap,
  isoIn,
  isoInOrNull,
  isoOut,
  isoOutOrNull,
  jsonIn,
  jsonOut,
  patchColumns,
} from './columns.js';
import { whereInstanceVisible } from './visibility.js';
import { counted, readPage, windowed } from './paging.js';

const TABLE = 'jobs';
const ACTIVE: JobStatus[] = ['pending', 'locked'];
const CANCELLABLE: JobStatus[] = ['pending', 'locked', 'failed'];

/** A jobs table record, as stored. */
export interface JobRecord {
  id: string;
  instance_id: string;
  definition_key: string;
  element_id: string;
  activation_id?: string | null;
  type: string;
  status: string;
  retries: number;
  due: unknown;
  inputs: string;
  worker_id: string | null;
  locked_until: unknown;
  error_message: string | null;
  created_at: unknown;
}

/** The filter and paging jobs.list accepts. */
export type JobFilter = Parameters<JobRepository['list']>[0];
type JobPatch = Parameters<JobRepository['update']>[1];

/** The job repository on one knex handle (the pool or a transaction). */
export function jobRepository(db: Db, dialect: Dialect): JobRepository {
  return {
    async insert(row) {
      await db(TABLE).insert(toRow(row));
    },
    async get(id) {
      const record = await db(TABLE).where({ id }).first();
      return record ? fromRow(record) : null;
    },
    async activeByElement(instanceId, elementId, activationId) {
      const query = db(TABLE)
        .where({
          instance_id: instanceId,
          element_id: elementId,
          ...(activationId ? { activation_id: activationId } : {}),
        })
        .whereIn('status', ACTIVE);
      const record = await query.orderBy('created_at', 'desc').first();
      return record ? fromRow(record) : null;
    },
    async update(id, patch) {
      const columns = patchColumns(patch, PATCH_COLUMNS);
      if (Object.keys(columns).length > 0) await db(TABLE).where({ id }).update(columns);
    },
    async cancelByElement(instanceId, elementId, activationId) {
      await cancel(
        db(TABLE).where({
          instance_id: instanceId,
          element_id: elementId,
          ...(activationId ? { activation_id: activationId } : {}),
        }),
      );
    },
    async cancelByInstance(instanceId) {
      await cancel(db(TABLE).where({ instance_id: instanceId }));
    },
    async renewLock(id, workerId, lockUntil) {
      const changed = await db(TABLE)
        .where({ id, status: 'locked', worker_id: workerId })
        .update({ locked_until: isoIn(lockUntil) });
      return changed === 1;
    },
    async fetchAndLock(types, workerId, now, lockUntil, limit, filter) {
      if (types.length === 0 || limit <= 0) return [];
      const records: JobRecord[] = await db(TABLE)
        .whereIn('id', lockableQuery(db, dialect, types, now, limit, filter))
        .update({ status: 'locked', worker_id: workerId, locked_until: isoIn(lockUntil) })
        .returning('*');
      return records.map(fromRow).sort(byDue);
    },
    async nextDue(types) {
      const pending = await typed(db(TABLE).min({ at: 'due' }).where('status', 'pending'), types).first();
      const locked = await typed(db(TABLE).min({ at: 'locked_until' }).where('status', 'locked'), types).first();
      const times = [pending?.at, locked?.at].filter((t) => t != null).map(isoOut);
      return times.sort()[0] ?? null;
    },
    list(filter) {
      return readPage(listQuery(db, filter), counted(filtered(db, filter)), filter, fromRow);
    },
  };
}

/** The ids of up to `limit` due jobs of the given types that are pending, or locked with an expired
 * lock, by due then creation; on PostgreSQL row-locked with SKIP LOCKED. */
export function lockableQuery(
  db: Db,
  dialect: Dialect,
  types: string[],
  now: string,
  limit: number,
  filter: JobLockFilter = {},
): Knex.QueryBuilder {
  const at = isoIn(now);
  const query = byInstance(db, whereNotSuspended(db, dialect, db(TABLE).select('id'), 'jobs.instance_id'), filter)
    .whereIn('status', ACTIVE)
    .whereIn('type', types)
    .where('due', '<=', at)
    .where((free) => free.where('status', 'pending').orWhere('locked_until', '<', at))
    .orderBy([{ column: 'due' }, { column: 'created_at' }])
    .limit(limit);
  return dialect === 'postgres' ? query.forUpdate().skipLocked() : query;
}

/** The ordered, windowed query behind jobs.list: next due first. */
export function listQuery(db: Db, filter: JobFilter): Knex.QueryBuilder {
  const query = filtered(db, filter)
    .select('*')
    .orderBy([{ column: 'due' }, { column: 'created_at' }, { column: 'id' }]);
  return windowed(query, filter);
}

/** Maps a job row to its record. */
export function toRow(row: JobRow): JobRecord {
  return {
    id: row.id,
    instance_id: row.instanceId,
    definition_key: row.definitionKey,
    element_id: row.elementId,
    activation_id: row.activationId ?? null,
    type: row.type,
    status: row.status,
    retries: row.retries,
    due: isoIn(row.due),
    inputs: jsonIn(row.inputs ?? {}),
    worker_id: row.workerId,
    locked_until: isoInOrNull(row.lockedUntil),
    error_message: row.errorMessage,
    created_at: isoIn(row.createdAt),
  };
}

/** Maps a stored record to a job row. */
export function fromRow(record: JobRecord): JobRow {
  return {
    id: record.id,
    instanceId: record.instance_id,
    definitionKey: record.definition_key,
    elementId: record.element_id,
    activationId: record.activation_id ?? null,
    type: record.type,
    status: record.status as JobStatus,
    retries: Number(record.retries),
    due: isoOut(record.due),
    inputs: jsonOut(record.inputs) ?? {},
    workerId: record.worker_id,
    lockedUntil: isoOutOrNull(record.locked_until),
    errorMessage: record.error_message,
    createdAt: isoOut(record.created_at),
  };
}

// helpers

const PATCH_COLUMNS: PatchMap<JobPatch> = {
  status: (v) => ({ status: v }),
  retries: (v) => ({ retries: v }),
  due: (v) => ({ due: isoIn(v) }),
  workerId: (v) => ({ worker_id: v }),
  lockedUntil: (v) => ({ locked_until: isoInOrNull(v) }),
  errorMessage: (v) => ({ error_message: v }),
};

// Cancelling also ends a failed job that waits on an incident; completed jobs stay as they are.
function cancel(query: Knex.QueryBuilder): Promise<number> {
  return query.whereIn('status', CANCELLABLE).update({ status: 'cancelled', locked_until: null });
}

function typed(query: Knex.QueryBuilder, types?: string[]): Knex.QueryBuilder {
  return types ? query.whereIn('type', types) : query;
}

function filtered(db: Db, filter: JobFilter): Knex.QueryBuilder {
  const query = db(TABLE);
  if (filter.instanceId !== undefined) query.where('instance_id', filter.instanceId);
  if (filter.status !== undefined) query.where('status', filter.status);
  if (filter.statuses !== undefined) query.whereIn('status', filter.statuses);
  if (filter.elementId !== undefined) query.where('element_id', filter.elementId);
  if (filter.workerId !== undefined) query.where('worker_id', filter.workerId);
  if (filter.type !== undefined) query.where('type', filter.type);
  if (filter.visibleTo !== undefined) whereInstanceVisible(db, query, filter.visibleTo, 'jobs.instance_id');
  return query;
}

// Instance filters of external workers (Camunda topic filters) as a subquery on instances.
function byInstance(db: Db, query: Knex.QueryBuilder, filter: JobLockFilter): Knex.QueryBuilder {
  if (filter.instanceIds) query.whereIn('instance_id', filter.instanceIds);
  const { definitionIds, definitionKeys, businessKey } = filter;
  if (!definitionIds && !definitionKeys && businessKey === undefined) return query;
  const instances = db('instances').select('id');
  if (definitionIds) instances.whereIn('definition_id', definitionIds);
  if (definitionKeys) instances.whereIn('definition_key', definitionKeys);
  if (businessKey !== undefined) instances.where('business_key', businessKey);
  return query.whereIn('instance_id', instances);
}

function byDue(a: JobRow, b: JobRow): number {
  return a.due.localeCompare(b.due) || a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);
}
