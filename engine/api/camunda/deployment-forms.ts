/** The attachments of a deployment beside its BPMN: form-js forms are kept, DMN files are deployed with it. */
import { ApiError } from '../problem.js';
import { FORM_KEY } from '../routes/forms.js';
import type { Part } from './multipart.js';

const FORM_FILE = /\.form$/i;
const DMN_FILE = /\.dmn(11\.xml)?$/i;
const FORM_ID = new RegExp(FORM_KEY);

export interface DeployedForm {
  id: string;
  schema: Record<string, unknown>;
}

/** The .dmn files of a deployment, as deployment files: the engine deploys them with the BPMN, all or nothing. */
export function decisionFiles(parts: Part[]): Array<{ name: string; xml: string }> {
  return parts
    .filter((p) => p.filename !== null && DMN_FILE.test(p.filename))
    .map((p) => ({ name: p.filename!, xml: p.data.toString('utf8') }));
}

/** Each .form attachment must be a form-js schema with an id usable as a form key. */
export function readForms(parts: Part[]): DeployedForm[] {
  return parts
    .filter((p) => p.filename !== null && FORM_FILE.test(p.filename))
    .map((part) => {
      let schema: unknown;
      try {
        schema = JSON.parse(part.data.toString('utf8'));
      } catch {
        throw new ApiError('BAD_REQUEST', `form '${part.filename}' is not valid JSON`);
      }
      if (!isFormSchema(schema))
        throw new ApiError('BAD_REQUEST', `form '${part.filename}' is not a form-js schema (it has no components)`);
      const id = typeof schema.id === 'string' ? schema.id : part.filename!.replace(FORM_FILE, '');
      if (!FORM_ID.test(id) || id.length > 100)
        throw new ApiError(
          'BAD_REQUEST',
          `form '${part.filename}' has id '${id}'; a form id is letters, digits, dashes and underscores`,
        );
      return { id, schema };
    });
}

function isFormSchema(value: unknown): value is Record<string, unknown> & { components: unknown[] } {
  return typeof value === 'object' && value !== null && Array.isArray((value as { components?: unknown }).components);
}
