import type { Knex } from 'knex';
import type { DefinitionRepository, DefinitionRow } from './types.js';
import { type Db, type Dialect, isoIn, isoOut } from './columns.js';
import { counted, readPage, windowed } from './paging.js';

const TABLE = 'definitions';
const SUMMARY_COLUMNS = ['id', 'key', 'version', 'name', 'hash', 'deployed_at', 'deployed_by'];

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
      return one(db(TABLE).where({ key }).orderBy('version', 'desc'));
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
  const query = filtered(db, filter).select(SUMMARY_COLUMNS.map((c) => `${TABLE}.${c}`)).orderBy([
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
  };
}

async function one(query: Knex.QueryBuilder): Promise<DefinitionRow | null> {
  const record = await query.first();
  return record ? fromRow(record) : null;
}

function filtered(db: Db, filter: DefinitionFilter): Knex.QueryBuilder {
  const query = db(TABLE);
  if (filter.key !== undefined) query.where(`${TABLE}.key`, filter.key);
  if (filter.latestOnly) {
    query.whereNotExists(
      db(`${TABLE} as newer`).select(db.raw('1'))
        .whereRaw('?? = ??', ['newer.key', `${TABLE}.key`])
        .whereRaw('?? > ??', ['newer.version', `${TABLE}.version`]),
    );
  }
  return query;
}
