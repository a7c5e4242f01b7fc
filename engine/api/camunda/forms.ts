/**
 * Camunda 7 form reads: a task's form key and its deployed form, a definition's deployed start form. The form is
 * the version deployed with the process version the case runs on (forms live in the database).
 */
import type { Engine } from '../../runtime/index.js';
import { ApiError } from '../problem.js';
import { idParams, type RoutePlugin } from '../schemas.js';
import { checkTaskAction } from '../scopes.js';
import { camundaObject } from './shapes.js';

const readers = { auth: { roles: ['staff' as const, 'supervisor' as const, 'owner' as const] } };
const tags = ['camunda-compat'];

export const camundaFormRoutes: RoutePlugin<{ engine: Engine }> = async (app, { engine }) => {
  app.get(
    '/task/:id/form',
    {
      config: readers,
      schema: {
        tags,
        summary: "A task's form key (Camunda 7 compatible; the form itself at /task/{id}/deployed-form)",
        params: idParams,
        response: { 200: camundaObject('FormDto { key, contextPath }') },
      },
    },
    async (request) => {
      const task = await engine.getTask(request.params.id);
      checkTaskAction(request.actor, task, 'read');
      return { key: task.formKey, contextPath: null };
    },
  );

  app.get(
    '/task/:id/deployed-form',
    {
      config: readers,
      schema: {
        tags,
        summary:
          "The task's deployed form-js form, the version its case's process version was deployed with (Camunda 7 compatible)",
        params: idParams,
        response: { 200: camundaObject('form-js schema') },
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
    '/process-definition/:id/deployed-start-form',
    {
      config: { auth: { roles: 'any' } },
      schema: {
        tags,
        summary: "The start event's deployed form-js form of a definition version (Camunda 7 compatible)",
        params: idParams,
        response: { 200: camundaObject('form-js schema') },
      },
    },
    async (request) => {
      const form = await engine.startForm(request.params.id);
      if (!form) throw new ApiError('NOT_FOUND', `definition '${request.params.id}' has no deployed start form`);
      return form.schema;
    },
  );
};
