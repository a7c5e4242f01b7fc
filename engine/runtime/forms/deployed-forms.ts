/**
 * Forms deployed with their processes: a `.form` file of a deployment is stored as a version of its form key
 * in the deployment's transaction, and each new definition version is bound to the form versions it names, so
 * a running case keeps the form it started with while new cases get the form deployed since.
 */
import { createHash } from 'node:crypto';
import type { Problem } from '../../bpmn/index.js';
import type { CompiledProcess } from '../../compile/index.js';
import type { FormBinding, FormRow, Store, StoreTx } from '../../store/index.js';
import type { FormSchema } from './form-validation.js';
import type { FormOwner, FormsPort } from './forms-port.js';

/** Form keys: letters, digits, dashes and underscores (Camunda form ids such as `Form_0x1y2z3`). */
export const FORM_KEY = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;

const FORM_FILE = /\.form$/i;

/** A deployment file that is a form-js form (by its name); its `xml` holds the JSON text. */
export function isFormFile(file: { name: string }): boolean {
  return FORM_FILE.test(file.name);
}

/** A form file read and checked, ready to store. */
export interface PreparedForm {
  key: string;
  resource: string;
  schema: string;
  hash: string;
}

/** What a deployment did with one of its forms. */
export interface DeployedForm {
  id: string;
  key: string;
  version: number;
  /** false when the same form was already the latest version of its key. */
  created: boolean;
  resource: string;
  deploymentId: string;
}

/** Reads a form file: its key is the schema's `id`, else the file name without `.form`. */
export function prepareForm(file: { name: string; xml: string }): { form?: PreparedForm; problems: Problem[] } {
  let schema: unknown;
  try {
    schema = JSON.parse(file.xml);
  } catch {
    return { problems: [formProblem(`form '${file.name}' is not valid JSON`)] };
  }
  if (!isFormSchema(schema))
    return { problems: [formProblem(`form '${file.name}' is not a form-js schema (it has no components list)`)] };
  const key = typeof schema.id === 'string' ? schema.id : file.name.replace(/^.*[\\/]/, '').replace(FORM_FILE, '');
  if (!FORM_KEY.test(key))
    return {
      problems: [
        formProblem(
          `form '${file.name}' has id '${key}'; a form id is up to 100 letters, digits, dashes and underscores`,
        ),
      ],
    };
  const text = JSON.stringify(schema);
  return { form: { key, resource: file.name, schema: text, hash: sha256(text) }, problems: [] };
}

/**
 * Stores the deployment's forms: a new version per key whose schema changed, the latest version kept for an
 * unchanged one. Returns each form's row by key.
 */
export async function storeForms(
  tx: StoreTx,
  forms: PreparedForm[],
  deployment: { id: string; at: string; by: string | null },
): Promise<Map<string, { row: FormRow; created: boolean }>> {
  const stored = new Map<string, { row: FormRow; created: boolean }>();
  for (const form of forms) {
    const latest = await tx.forms.latestByKey(form.key);
    if (latest && latest.hash === form.hash) {
      stored.set(form.key, { row: latest, created: false });
      continue;
    }
    const version = (await tx.forms.maxVersion(form.key)) + 1;
    const row: FormRow = {
      id: `${form.key}:${version}`,
      key: form.key,
      version,
      deploymentId: deployment.id,
      resource: form.resource,
      hash: form.hash,
      schema: form.schema,
      deployedAt: deployment.at,
      deployedBy: deployment.by,
    };
    await tx.forms.insert(row);
    stored.set(form.key, { row, created: true });
  }
  return stored;
}

/**
 * The form versions a process is deployed with: for each key it names, the form of its own deployment, else
 * the latest stored version of that key; a key with no form anywhere, or named with the `latest` binding
 * (whose tasks show the latest version when they are shown), stays unbound.
 */
export async function formBindingsOf(
  tx: StoreTx,
  compiled: CompiledProcess,
  deployed: Map<string, { row: FormRow }>,
): Promise<Array<FormBinding & { hash: string }>> {
  const bindings: Array<FormBinding & { hash: string }> = [];
  const latest = new Set(compiled.latestFormKeys ?? []);
  for (const key of compiled.formKeys ?? []) {
    if (latest.has(key)) continue;
    const row = deployed.get(key)?.row ?? byFileName(deployed, key) ?? (await tx.forms.latestByKey(key));
    if (row) bindings.push({ formKey: key, formId: row.id, hash: row.hash });
  }
  return bindings;
}

/** A version's identity: its XML's hash, and the forms it is bound to, so a changed form makes a new version. */
export function versionHash(xmlHash: string, bindings: Array<{ formKey: string; hash: string }>): string {
  if (bindings.length === 0) return xmlHash;
  return sha256([xmlHash, ...bindings.map((b) => `${b.formKey}=${b.hash}`)].join('\n'));
}

/**
 * The forms port over the store: the form version the definition version was deployed with; for a key it was
 * deployed without (it named a form that did not exist yet), the latest version of that key.
 */
export function storedForms(store: Store): FormsPort {
  const parsed = new Map<string, FormSchema>();
  const rowOf = async (formKey: string, owner: FormOwner) =>
    FORM_KEY.test(formKey)
      ? ((await store.forms.boundTo(owner.definitionId, formKey)) ?? (await store.forms.latestByKey(formKey)))
      : null;
  return {
    async versionOf(formKey, owner) {
      const row = await rowOf(formKey, owner);
      return row ? { id: row.id, version: row.version } : null;
    },
    async formOf(formKey, owner) {
      const row = await rowOf(formKey, owner);
      if (!row) return null;
      // a form version never changes, so its parsed schema is kept
      let schema = parsed.get(row.id);
      if (!schema) {
        schema = JSON.parse(row.schema) as FormSchema;
        if (parsed.size >= 500) parsed.clear();
        parsed.set(row.id, schema);
      }
      return schema;
    },
  };
}

// helpers

// Camunda 7's `camunda-forms:deployment:review.form` names the file of its deployment, whatever the form's id.
function byFileName(deployed: Map<string, { row: FormRow }>, key: string): FormRow | undefined {
  return [...deployed.values()].find((f) => f.row.resource.replace(/^.*[\\/]/, '') === `${key}.form`)?.row;
}

function formProblem(message: string): Problem {
  return { code: 'FORM_MALFORMED', elementId: null, elementType: null, message };
}

function isFormSchema(value: unknown): value is Record<string, unknown> & { components: unknown[] } {
  return typeof value === 'object' && value !== null && Array.isArray((value as { components?: unknown }).components);
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
