/**
 * /api/forms: the form-js schemas of user tasks, one `<formKey>.form` file each in the forms
 * directory (default `./processes/forms`, or SVCFLOW_FORMS_DIR). The designer saves them; the tasklist reads them.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import { ApiError, withProblems } from '../problem.js';

/** A form key is also a file name: letters, digits, dashes and underscores (Camunda form ids such as
 * `Form_0x1y2z3`), so no path can be smuggled in. */
export const FORM_KEY = '^[A-Za-z0-9][A-Za-z0-9_-]*$';

const params = {
  type: 'object',
  properties: { formKey: { type: 'string', pattern: FORM_KEY, minLength: 1, maxLength: 100 } },
  required: ['formKey'],
  additionalProperties: false,
} as const;

// form-js schemas grow new properties with each version, so only the shape that matters is fixed.
const formSchema = {
  type: 'object',
  description: 'A form-js form schema',
  properties: { components: { type: 'array', items: { type: 'object', additionalProperties: true } } },
  required: ['components'],
  additionalProperties: true,
} as const;

const savedSchema = {
  type: 'object',
  properties: { formKey: { type: 'string' }, created: { type: 'boolean' } },
  required: ['formKey', 'created'],
} as const;

interface FormParams {
  formKey: string;
}

/** Form routes; `formsDir` overrides the directory. */
export const formRoutes: FastifyPluginAsync<{ formsDir?: string }> = async (app, options) => {
  const dir = resolve(options.formsDir ?? process.env.SVCFLOW_FORMS_DIR ?? './processes/forms');

  app.get<{ Params: FormParams }>(
    '/forms/:formKey',
    {
      config: { auth: { roles: 'any' } },
      schema: {
        tags: ['forms'],
        summary: 'Read the form-js schema of a form key',
        params,
        response: withProblems({ 200: formSchema }),
      },
    },
    async (request) => {
      const text = await readForm(dir, request.params.formKey);
      if (text === null)
        throw new ApiError(
          'NOT_FOUND',
          `form '${request.params.formKey}' does not exist; save it from the designer or add ${request.params.formKey}.form to the forms directory`,
        );
      return JSON.parse(text);
    },
  );

  // Forms belong to the models: process owners edit them, as they deploy definitions.
  app.put<{ Params: FormParams; Body: Record<string, unknown> }>(
    '/forms/:formKey',
    {
      config: { auth: { roles: ['owner'] } },
      schema: {
        tags: ['forms'],
        summary: 'Create or replace the form-js schema of a form key',
        params,
        body: formSchema,
        response: withProblems({ 200: savedSchema, 201: savedSchema }),
      },
    },
    async (request, reply) => {
      const { formKey } = request.params;
      const created = (await readForm(dir, formKey)) === null;
      await saveForm(dir, formKey, request.body);
      return reply.code(created ? 201 : 200).send({ formKey, created });
    },
  );
};

/** Writes `<formKey>.form` into the forms directory, atomically. */
export function saveForm(dir: string, formKey: string, form: unknown): Promise<void> {
  return writeAtomically(dir, `${formKey}.form`, `${JSON.stringify(form, null, 2)}\n`);
}

// helpers

async function readForm(dir: string, formKey: string): Promise<string | null> {
  try {
    return await readFile(join(dir, `${formKey}.form`), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

// A reader never sees half a file: write beside it, then rename over it.
async function writeAtomically(dir: string, name: string, content: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const temporary = join(dir, `.${name}.${process.pid}.${Date.now()}.tmp`);
  await writeFile(temporary, content, 'utf8');
  await rename(temporary, join(dir, name));
}
