/**
 * /api/forms and the forms of tasks and start events: the form-js schemas deployed in the database, each a
 * version of its form key brought by a deployment. A task shows the version its instance's definition was
 * deployed with; the designer edits the latest version and saves by deploying a new one.
 */
import type { Engine } from '../../runtime/index.js';
import { actorId } from '../actor.js';
import { ApiError, withProblems } from '../problem.js';
import { idParams, type RoutePlugin } from '../schemas.js';
import { checkTaskAction } from '../scopes.js';

/** A form key: letters, digits, dashes and underscores (Camunda form ids such as `Form_0x1y2z3`). */
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
  properties: {
    formKey: { type: 'string' },
    version: { type: 'integer' },
    created: { type: 'boolean', description: 'false when the form was already the latest version' },
    definitions: {
      type: 'array',
      description: 'the new versions of the processes that name the form, deployed with it so new cases show it',
      items: {
        type: 'object',
        properties: { id: { type: 'string' }, key: { type: 'string' }, version: { type: 'integer' } },
        required: ['id', 'key', 'version'],
      },
    },
  },
  required: ['formKey', 'version', 'created', 'definitions'],
} as const;

const readers = { auth: { roles: ['staff' as const, 'supervisor' as const, 'owner' as const] } };

/** Form routes: read the latest version, deploy a new one, and the form of a task or definition version. */
export const formRoutes: RoutePlugin<{ engine: Engine }> = async (app, { engine }) => {
  app.get(
    '/forms/:formKey',
    {
      config: { auth: { roles: 'any' } },
      schema: {
        tags: ['forms'],
        summary: 'Read the latest deployed version of a form key (what the designer edits)',
        params,
        response: withProblems({ 200: formSchema }),
      },
    },
    async (request) => {
      const form = await engine.latestForm(request.params.formKey);
      if (!form) throw formMissing(request.params.formKey);
      return form.schema;
    },
  );

  // Forms belong to the models: process owners deploy them, as they deploy definitions.
  app.put(
    '/forms/:formKey',
    {
      config: { auth: { roles: ['owner'] } },
      schema: {
        tags: ['forms'],
        summary: 'Deploy a new version of a form key, with the processes that name it',
        description:
          'Stores the form in the database as a new deployment (201), or answers 200 when it is unchanged. The latest version of every process that names the form key is deployed again with it, so new cases show the new form; running cases keep the version they started with.',
        params,
        body: formSchema,
        response: withProblems({ 200: savedSchema, 201: savedSchema }),
      },
    },
    async (request, reply) => {
      const { formKey } = request.params;
      const text = JSON.stringify({ ...request.body, id: formKey });
      const outcome = await engine.deployResources([{ name: `${formKey}.form`, xml: text }], actorId(request));
      const form = outcome.forms[0];
      const definitions = outcome.processes
        .filter((d) => d.created)
        .map((d) => ({ id: d.id, key: d.key, version: d.version }));
      return reply
        .code(form.created ? 201 : 200)
        .send({ formKey, version: form.version, created: form.created, definitions });
    },
  );

  app.get(
    '/tasks/:id/form',
    {
      config: readers,
      schema: {
        tags: ['tasks'],
        summary: "The task's form: the version deployed with its case's process version",
        params: idParams,
        response: withProblems({ 200: formSchema }),
      },
    },
    async (request) => {
      checkTaskAction(request.actor, await engine.getTask(request.params.id), 'read');
      const form = await engine.taskForm(request.params.id);
      if (!form) throw new ApiError('NOT_FOUND', `task '${request.params.id}' has no deployed form`);
      return form.schema;
    },
  );

  app.get(
    '/definitions/:id/start-form',
    {
      config: { auth: { roles: 'any' } },
      schema: {
        tags: ['definitions'],
        summary: 'The start form of a definition version, as deployed with it',
        params: idParams,
        response: withProblems({ 200: formSchema }),
      },
    },
    async (request) => {
      const form = await engine.startForm(request.params.id);
      if (!form) throw new ApiError('NOT_FOUND', `definition '${request.params.id}' has no deployed start form`);
      return form.schema;
    },
  );
};

// helpers

function formMissing(formKey: string): ApiError {
  return new ApiError(
    'NOT_FOUND',
    `form '${formKey}' does not exist; save it from the designer or deploy ${formKey}.form with its process`,
  );
}
