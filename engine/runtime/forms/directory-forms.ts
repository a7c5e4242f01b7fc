/** Forms as `<formKey>.form` files of one directory (the shipped `processes/forms`, or SVCFLOW_FORMS_DIR). */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { FormSchema } from './form-validation.js';
import type { FormsPort } from './forms-port.js';

/** Form keys are file names: letters, digits, dashes and underscores (Camunda form ids), as /api/forms accepts them. */
const FORM_KEY = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;

/** The forms directory: the given one, else SVCFLOW_FORMS_DIR, else ./processes/forms. */
export function formsDirOf(option?: string): string {
  return resolve(option ?? process.env.SVCFLOW_FORMS_DIR ?? './processes/forms');
}

/** A forms port over a directory; a key that is no file name, or no file, is no form. */
export function directoryForms(dir: string, log?: { warn(o: unknown, m?: string): void }): FormsPort {
  return {
    async formOf(formKey) {
      if (!FORM_KEY.test(formKey)) return null;
      const text = await readText(join(dir, `${formKey}.form`));
      if (text === null) return null;
      try {
        const form = JSON.parse(text) as FormSchema;
        return form && typeof form === 'object' ? form : null;
      } catch {
        // A hand-edited file that is not JSON cannot be checked; the tasklist cannot show it either.
        log?.warn({ formKey }, `form '${formKey}' is not valid JSON; data submitted with it is not checked`);
        return null;
      }
    },
  };
}

// helpers

async function readText(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}
