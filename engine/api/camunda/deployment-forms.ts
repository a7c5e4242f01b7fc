/** The attachments of a deployment beside its BPMN: form-js forms are kept, DMN is refused (no DMN engine yet). */
import { ApiError } from '../problem.js';
import { FORM_KEY } from '../routes/forms.js';
import type { Part } from './multipart.js';

const FORM_FILE = /\.form$/i;
const DMN_FILE = /\.dmn$/i;
const FORM_ID = new RegExp(FORM_KEY);

export interface DeployedForm { id: string; schema: Record<string, unknown> }

/** svcflow has no DMN engine yet: a decision deployed beside the process would be silently unused. */
export function refuseDecisions(parts: Part[]): void {
  const dmn = parts.find((p) => p.filename !== null && DMN_FILE.test(p.filename));
  if (dmn) throw new ApiError('BAD_REQUEST', `svcflow does not run DMN decisions yet; deploy '${dmn.filename}' elsewhere or remove it from the deployment`);
}

/** Each .form attachment must be a form-js schema with an id usable as a form key. */
export function readForms(parts: Part[]): DeployedForm[] {
  return parts.filter((p) => p.filename !== null && FORM_FILE.test(p.filename)).map((part) => {
    let schema: unknown;
    try {
      schema = JSON.parse(part.data.toString('utf8'));
    } catch {
      throw new ApiError('BAD_REQUEST', `form '${part.filename}' is not valid JSON`);
    }
    if (!isFormSchema(schema)) throw new ApiError('BAD_REQUEST', `form '${part.filename}' is not a form-js schema (it has no components)`);
    const id = typeof schema.id === 'string' ? schema.id : part.filename!.replace(FORM_FILE, '');
    if (!FORM_ID.test(id) || id.length > 100) throw new ApiError('BAD_REQUEST', `form '${part.filename}' has id '${id}'; a form id is letters, digits, dashes and underscores`);
    return { id, schema };
  });
}

function isFormSchema(value: unknown): value is Record<string, unknown> & { components: unknown[] } {
  return typeof value === 'object' && value !== null && Array.isArray((value as { components?: unknown }).components);
}
