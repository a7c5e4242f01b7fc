/** The decisions table: deployed DMN decisions, one row per decision id and version. */
import type { Knex } from 'knex';
import type { DecisionRepository, DecisionRow } from './types.js';
import { type Db, isoIn, isoOut } from './columns.js';
import { counted, readPage, windowed } from './paging.js';

const TABLE = 'decisions';
const SUMMARY_COLUMNS = [
  'id',
  'key',
  'version',
  'name',
  'version_tag',
  'hash',
  'resource',
  'deployed_at',
  'deployed_by',
];

interface DecisionRecord {
  id: string;
  key: string;
  version: number;
  name: string | null;
  version_tag: string | null;
  hash: string;
  resource: string;
  xml: string;
  deployed_at: unknown;
  deployed_by: string | null;
}

/** The decision repository on one knex handle (the pool or a transaction). */
export function decisionRepository(db: Db): DecisionRepository {
  return {
    async insert(row) {
      await db(TABLE).insert(toRow(row));
    },
    get: (id) => one(db(TABLE).where({ id })),
    latestByKey: (key) => one(db(TABLE).where({ key }).orderBy('version', 'desc')),
    byKeyAndVersion: (key, version) => one(db(TABLE).where({ key, version })),
    latestByVersionTag: (key, versionTag) =>
      one(db(TABLE).where({ key, version_tag: versionTag }).orderBy('version', 'desc')),
    list(filter) {
      const items = windowed(
        filtered(db, filter)
          .select(SUMMARY_COLUMNS.map((c) => `${TABLE}.${c}`))
          .orderBy([
            { column: `${TABLE}.key`, order: 'asc' },
            { column: `${TABLE}.version`, order: 'desc' },
          ]),
        filter,
      );
      return readPage(items, counted(filtered(db, filter)), filter, summaryFromRow);
    },
  };
}

// helpers

function toRow(row: DecisionRow): DecisionRecord {
  return {
    id: row.id,
    key: row.key,
    version: row.version,
    name: row.name,
    version_tag: row.versionTag,
    hash: row.hash,
    resource: row.resource,
    xml: row.xml,
    deployed_at: isoIn(row.deployedAt),
    deployed_by: row.deployedBy,
  };
}

function summaryFromRow(record: Omit<DecisionRecord, 'xml'>): Omit<DecisionRow, 'xml'> {
  return {
    id: record.id,
    key: record.key,
    version: Number(record.version),
    name: record.name,
    versionTag: record.version_tag,
    hash: record.hash,
    resource: record.resource,
    deployedAt: isoOut(record.deployed_at),
    deployedBy: record.deployed_by,
  };
}

async function one(query: Knex.QueryBuilder): Promise<DecisionRow | null> {
  const record = (await query.first()) as DecisionRecord | undefined;
  return record ? { ...summaryFromRow(record), xml: record.xml } : null;
}

function filtered(db: Db, filter: { key?: string; latestOnly?: boolean }): Knex.QueryBuilder {
  const query = db(TABLE);
  if (filter.key !== undefined) query.where(`${TABLE}.key`, filter.key);
  if (filter.latestOnly) {
    query.whereNotExists(
      db(`${TABLE} as newer`)
        .select(db.raw('1'))
        .whereRaw('?? = ??', ['newer.key', `${TABLE}.key`])
        .whereRaw('?? > ??', ['newer.version', `${TABLE}.version`]),
    );
  }
  return query;
}
