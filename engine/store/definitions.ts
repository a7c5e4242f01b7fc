import type { Knex } from 'knex';
import type { DefinitionRepository, DefinitionRow } from './types.js';
import { type Db, type Dialect, isoIn, isoInOrNull, isoOut, isoOutOrNull } from './columns.js';
import { counted, readPage, windowed } from './paging.js';

const TABLE = 'definitions';
const SUMMARY_COLUMNS = [
  'id',
  'key',
  'version',
  'name',
  'hash',
  'deployed_at',
  'deployed_by',
  'deployment_id',
  'deleted_at',
];

/** A definitions table record, as stored. */
export interface DefinitionRecord {
  id: string;
  key: string;
  version: number;
  name: string | null;
  hash: string;
  xml: string;
  deployed_at: unknown;
  deployed_by: string | null;
  deployment_id?: string | null;
  deleted_at?: unknown;
}

/** The filter and paging definitions.list accepts. */
export type DefinitionFilter = Parameters<DefinitionRepository['list']>[0];

/** The definition repository on one knex handle (the pool or a transaction). */
export function definitionRepository(db: Db, _dialect: Dialect): DefinitionRepository {
  return {
    async insert(row) {
      await db(TABLE).insert(toRow(row));
    },
    async get(id) {
      return one(db(TABLE).where({ id }));
    },
    async latestByKey(key) {
      return one(db(TABLE).where({ key }).whereNull('deleted_at').orderBy('version', 'desc'));
    },
    async maxVersion(key) {
      const record = (await db(TABLE).where({ key }).max({ v: 'version' }).first()) as
        | { v?: number | string | null }
        | undefined;
      return Number(record?.v ?? 0);
    },
    async markDeleted(deploymentId, at) {
      await db(TABLE)
        .where({ deployment_id: deploymentId })
        .whereNull('deleted_at')
        .update({ deleted_at: isoIn(at) });
    },
    async byKeyAndHash(key, hash) {
      return one(db(TABLE).where({ key, hash }).orderBy('version', 'desc'));
    },
    list(filter) {
      return readPage(listQuery(db, filter), counted(filtered(db, filter)), filter, summaryFromRow);
    },
  };
}

/** The ordered, windowed query behind definitions.list: by key, latest version first. */
export function listQuery(db: Db, filter: DefinitionFilter): Knex.QueryBuilder {
  const query = filtered(db, filter)
    .select(SUMMARY_COLUMNS.map((c) => `${TABLE}.${c}`))
    .orderBy([
      { column: `${TABLE}.key`, order: 'asc' },
      { column: `${TABLE}.version`, order: 'desc' },
    ]);
  return windowed(query, filter);
}

/** Maps a definition row to its record. */
export function toRow(row: DefinitionRow): DefinitionRecord {
  return {
    id: row.id,
    key: row.key,
    version: row.version,
    name: row.name,
    hash: row.hash,
    xml: row.xml,
    deployed_at: isoIn(row.deployedAt),
    deployed_by: row.deployedBy,
    deployment_id: row.deploymentId ?? null,
    deleted_at: isoInOrNull(row.deletedAt),
  };
}

/** Maps a stored record to a definition row. */
export function fromRow(record: DefinitionRecord): DefinitionRow {
  return { ...summaryFromRow(record), xml: record.xml };
}

// helpers

function summaryFromRow(record: Omit<DefinitionRecord, 'xml'>): Omit<DefinitionRow, 'xml'> {
  return {
    id: record.id,
    key: record.key,
    version: Number(record.version),
    name: record.name,
    hash: record.hash,
    deployedAt: isoOut(record.deployed_at),
    deployedBy: record.deployed_by,
    deploymentId: record.deployment_id ?? null,
    deletedAt: isoOutOrNull(record.deleted_at),
  };
}

async function one(query: Knex.QueryBuilder): Promise<DefinitionRow | null> {
  const record = await query.first();
  return record ? fromRow(record) : null;
}

function filtered(db: Db, filter: DefinitionFilter): Knex.QueryBuilder {
  const query = db(TABLE).whereNull(`${TABLE}.deleted_at`);
  if (filter.key !== undefined) query.where(`${TABLE}.key`, filter.key);
  if (filter.deploymentId !== undefined) query.where(`${TABLE}.deployment_id`, filter.deploymentId);
  if (filter.latestOnly) {
    query.whereNotExists(
      db(`${TABLE} as newer`)
        .select(db.raw('1'))
        .whereRaw('?? = ??', ['newer.key', `${TABLE}.key`])
        .whereRaw('?? > ??', ['newer.version', `${TABLE}.version`])
        .whereNull('newer.deleted_at'),
    );
  }
  return query;
}
