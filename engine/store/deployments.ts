/** Deployments: the files deployed together, as Camunda clients list and delete them. */
import type { DeploymentRepository, DeploymentRow } from './types.js';
import { type Db, type Dialect, isoIn, isoInOrNull, isoOut, isoOutOrNull } from './columns.js';
import { counted, readPage, windowed } from './paging.js';

const TABLE = 'deployments';

interface DeploymentRecord {
  id: string;
  name: string | null;
  source: string | null;
  deployed_at: unknown;
  deployed_by: string | null;
  deleted_at: unknown;
}

/** The deployment repository on one knex handle (the pool or a transaction). */
export function deploymentRepository(db: Db, _dialect: Dialect): DeploymentRepository {
  const filtered = (filter: { name?: string }) => {
    const query = db(TABLE).whereNull('deleted_at');
    if (filter.name !== undefined) query.where({ name: filter.name });
    return query;
  };
  return {
    async insert(row) {
      await db(TABLE).insert({
        id: row.id,
        name: row.name,
        source: row.source,
        deployed_at: isoIn(row.deployedAt),
        deployed_by: row.deployedBy,
        deleted_at: isoInOrNull(row.deletedAt),
      });
    },
    async get(id) {
      const record = await db(TABLE).where({ id }).first();
      return record ? fromRow(record) : null;
    },
    list(filter) {
      const items = windowed(
        filtered(filter)
          .select('*')
          .orderBy([
            { column: 'deployed_at', order: 'desc' },
            { column: 'id', order: 'desc' },
          ]),
        filter,
      );
      return readPage(items, counted(filtered(filter)), filter, fromRow);
    },
    async markDeleted(id, at) {
      await db(TABLE)
        .where({ id })
        .whereNull('deleted_at')
        .update({ deleted_at: isoIn(at) });
    },
    async fileHash(file) {
      const record = await db('deployed_files').where({ file }).first('hash');
      return record ? String(record.hash) : null;
    },
    async recordFile(file, hash, at) {
      await db('deployed_files')
        .insert({ file, hash, deployed_at: isoIn(at) })
        .onConflict('file')
        .merge();
    },
  };
}

function fromRow(record: DeploymentRecord): DeploymentRow {
  return {
    id: record.id,
    name: record.name,
    source: record.source,
    deployedAt: isoOut(record.deployed_at),
    deployedBy: record.deployed_by,
    deletedAt: isoOutOrNull(record.deleted_at),
  };
}
