/**
 * Deployed forms: the versions of each form key and the form version each definition version is bound to.
 * See migrations/160_forms.ts.
 */
import { type Db, type Dialect, isoIn, isoOut } from './columns.js';

/** One version of a form key, as a deployment brought it. */
export interface FormRow {
  id: string; // `${key}:${version}`
  key: string;
  version: number;
  deploymentId: string;
  /** The deployment file that held it (`review.form`). */
  resource: string;
  /** sha256 of the schema text; deploying the same form again keeps its version. */
  hash: string;
  /** The form-js schema as JSON text. */
  schema: string;
  deployedAt: string;
  deployedBy: string | null;
}

/** A form key of a definition version and the form version it shows. */
export interface FormBinding {
  formKey: string;
  formId: string;
}

export interface FormRepository {
  insert(row: FormRow): Promise<void>;
  get(id: string): Promise<FormRow | null>;
  /** The newest version of a key whose deployment is not deleted. */
  latestByKey(key: string): Promise<FormRow | null>;
  /** The highest version number a key ever had (deleted deployments included), 0 for none. */
  maxVersion(key: string): Promise<number>;
  /** Records the form versions of a new definition version. */
  bind(definitionId: string, bindings: FormBinding[]): Promise<void>;
  /** The form version a definition version shows for a key, or null when it was deployed without one. */
  boundTo(definitionId: string, key: string): Promise<FormRow | null>;
}

interface FormRecord {
  id: string;
  form_key: string;
  version: number | string;
  deployment_id: string;
  resource: string;
  hash: string;
  schema: string;
  deployed_at: unknown;
  deployed_by: string | null;
}

/** The form repository on one knex handle (the pool or a transaction). */
export function formRepository(db: Db, _dialect: Dialect): FormRepository {
  return {
    async insert(row) {
      await db('forms').insert({
        id: row.id,
        form_key: row.key,
        version: row.version,
        deployment_id: row.deploymentId,
        resource: row.resource,
        hash: row.hash,
        schema: row.schema,
        deployed_at: isoIn(row.deployedAt),
        deployed_by: row.deployedBy,
      });
    },
    async get(id) {
      const record = await db('forms').where({ id }).first();
      return record ? fromRow(record) : null;
    },
    async latestByKey(key) {
      // forms of a deleted deployment are no longer the latest (as its definition versions)
      const record = await db('forms')
        .where({ form_key: key })
        .whereNotIn('deployment_id', db('deployments').whereNotNull('deleted_at').select('id'))
        .orderBy('version', 'desc')
        .first();
      return record ? fromRow(record) : null;
    },
    async maxVersion(key) {
      const record = await db('forms').where({ form_key: key }).max({ max: 'version' }).first();
      return Number(record?.max ?? 0);
    },
    async bind(definitionId, bindings) {
      if (bindings.length === 0) return;
      await db('definition_forms').insert(
        bindings.map((b) => ({ definition_id: definitionId, form_key: b.formKey, form_id: b.formId })),
      );
    },
    async boundTo(definitionId, key) {
      const record = await db('definition_forms')
        .join('forms', 'forms.id', 'definition_forms.form_id')
        .where({ 'definition_forms.definition_id': definitionId, 'definition_forms.form_key': key })
        .first('forms.*');
      return record ? fromRow(record) : null;
    },
  };
}

function fromRow(record: FormRecord): FormRow {
  return {
    id: record.id,
    key: record.form_key,
    version: Number(record.version),
    deploymentId: record.deployment_id,
    resource: record.resource,
    hash: record.hash,
    schema: record.schema,
    deployedAt: isoOut(record.deployed_at),
    deployedBy: record.deployed_by,
  };
}
