/** Camunda 7 deployment endpoints as Camunda Modeler uses them: connection check, version, deployment upload. */
import { randomUUID } from 'node:crypto';
import { DeploymentInvalidError, type DeploymentOutcome, type Engine } from '../../runtime/index.js';
import type { DeploymentRow } from '../../store/index.js';
import { actorId } from '../actor.js';
import { ApiError } from '../problem.js';
import { idParams, strictObject, type RoutePlugin } from '../schemas.js';
import { decisionFiles, formFiles } from './deployment-forms.js';
import { parseExceptionBody } from './errors.js';
import { fieldText, parseMultipart } from './multipart.js';
import { camundaDate, camundaObject, toCamundaDefinition } from './shapes.js';
import { toCamundaDecision } from './decision-definitions.js';

/** The Camunda version this subset imitates (Modeler picks its features by it). */
export const CAMUNDA_VERSION = '7.22.0';

const BPMN_FILE = /\.(bpmn|bpmn20\.xml)$/i;

/** Deployment routes; every deployment is filtered for duplicates (an unchanged process keeps its version). */
export const camundaDeploymentRoutes: RoutePlugin<{ engine: Engine }> = async (app, { engine }) => {
  app.get(
    '/version',
    {
      config: { auth: { roles: 'any' } },
      schema: {
        tags: ['camunda-compat'],
        summary: 'Engine version (Camunda 7 compatible)',
        response: { 200: camundaObject('{ version }') },
      },
    },
    async () => ({ version: CAMUNDA_VERSION }),
  );

  // Camunda Modeler's connection check asks for `?maxResults=0`.
  app.get(
    '/deployment',
    {
      config: { auth: { roles: 'any' } },
      schema: {
        tags: ['camunda-compat'],
        summary:
          "Deployments that are not deleted, newest first (Camunda 7 compatible; Camunda Modeler's connection check)",
        querystring: deploymentQuery,
        response: { 200: { type: 'array', items: camundaObject('deployment') } },
      },
    },
    async (request) => {
      checkSorting(request.query);
      const q = request.query;
      return (await engine.deployments.list({ name: q.name, offset: q.firstResult, limit: q.maxResults })).items.map(
        toCamundaDeployment,
      );
    },
  );

  app.get(
    '/deployment/count',
    {
      config: { auth: { roles: 'any' } },
      schema: {
        tags: ['camunda-compat'],
        summary: 'Count deployments (Camunda 7 compatible)',
        querystring: deploymentQuery,
        response: { 200: camundaObject('{ count }') },
      },
    },
    async (request) => ({
      count: (await engine.deployments.list({ name: request.query.name, offset: 0, limit: 0 })).total ?? 0,
    }),
  );

  app.get(
    '/deployment/:id',
    {
      config: { auth: { roles: 'any' } },
      schema: {
        tags: ['camunda-compat'],
        summary: 'Read a deployment (Camunda 7 compatible)',
        params: idParams,
        response: { 200: camundaObject('deployment') },
      },
    },
    async (request) => toCamundaDeployment(await engine.deployments.get(request.params.id)),
  );

  app.delete(
    '/deployment/:id',
    {
      config: { auth: { roles: ['owner'] } },
      schema: {
        tags: ['camunda-compat'],
        params: idParams,
        summary:
          'Delete a deployment: refused (409 DEPLOYMENT_IN_USE) while instances of its process definitions run, unless cascade=true, which cancels them first; their history stays (Camunda 7 compatible)',
        querystring: strictObject({
          cascade: { type: 'boolean', default: false },
          skipCustomListeners: {
            type: 'boolean',
            default: false,
            enum: [false],
            description: 'must be false: svcflow runs the listeners of a cancellation',
          },
          skipIoMappings: {
            type: 'boolean',
            default: false,
            enum: [false],
            description: 'must be false: svcflow does not skip mappings',
          },
        }),
      },
    },
    async (request, reply) => {
      await engine.deployments.delete(request.params.id, { cascade: request.query.cascade, by: actorId(request) });
      return reply.code(204).send();
    },
  );

  app.post(
    '/deployment/create',
    {
      config: { auth: { roles: ['owner'] } },
      schema: {
        tags: ['camunda-compat'],
        summary: 'Deploy BPMN and DMN files (multipart/form-data: deployment-name, .bpmn, .dmn and .form files)',
        consumes: ['multipart/form-data'],
        response: {
          200: camundaObject('Camunda deployment with deployedProcessDefinitions'),
          400: camundaObject('Camunda ParseException naming each invalid resource and its problems'),
        },
      },
    },
    async (request, reply) => {
      const parts = parseMultipart(request.body, String(request.headers['content-type']));
      const resources = parts.filter((p) => p.filename !== null && BPMN_FILE.test(p.filename));
      const dmn = decisionFiles(parts);
      const forms = formFiles(parts);
      if (resources.length + dmn.length + forms.length === 0)
        throw new ApiError('BAD_REQUEST', 'the deployment contains no .bpmn, .dmn or .form file');
      // the forms are stored as form versions of this deployment, in its transaction (all or nothing)
      const files = [
        ...resources.map((part) => ({ name: part.filename!, xml: part.data.toString('utf8') })),
        ...dmn,
        ...forms,
      ];
      let outcome: DeploymentOutcome;
      try {
        outcome = await engine.deployResources(files, actorId(request), {
          name: fieldText(parts, 'deployment-name'),
          source: fieldText(parts, 'deployment-source'),
        });
      } catch (error) {
        if (error instanceof DeploymentInvalidError)
          return reply.code(400).send(parseExceptionBody(error.resource, error.problems));
        throw error;
      }
      // nothing new deployed (every file unchanged): the deployment that brought the current versions answers
      const id =
        outcome.processes.find((d) => d.created)?.deploymentId ??
        outcome.forms.find((f) => f.created)?.deploymentId ??
        outcome.processes[0]?.deploymentId ??
        randomUUID();
      const deployed: Record<string, ReturnType<typeof toCamundaDefinition>> = {};
      for (const def of outcome.processes) deployed[def.id] = toCamundaDefinition(def, id, def.resource);
      const decisions: Record<string, ReturnType<typeof toCamundaDecision>> = {};
      for (const d of outcome.decisions) decisions[d.id] = toCamundaDecision(d, id);
      return {
        links: [],
        id,
        name: fieldText(parts, 'deployment-name'),
        source: fieldText(parts, 'deployment-source'),
        deploymentTime: camundaDate(engine.clock.now().toISOString()),
        tenantId: null,
        deployedProcessDefinitions: deployed,
        deployedCaseDefinitions: null,
        deployedDecisionDefinitions: outcome.decisions.length > 0 ? decisions : null,
        deployedDecisionRequirementsDefinitions: null,
      };
    },
  );
};

// helpers

interface DeploymentQuery {
  name?: string;
  sortBy?: string;
  sortOrder?: string;
  firstResult: number;
  maxResults: number;
}

// Unknown filters are refused (400) rather than ignored; svcflow lists newest first only.
const deploymentQuery = strictObject({
  name: { type: 'string' },
  sortBy: { type: 'string', enum: ['deploymentTime'] },
  sortOrder: { type: 'string', enum: ['asc', 'desc'] },
  firstResult: { type: 'integer', minimum: 0, maximum: 1_000_000_000, default: 0 },
  maxResults: { type: 'integer', minimum: 0, maximum: 500, default: 100 },
});

function checkSorting(q: DeploymentQuery): void {
  if (q.sortOrder === 'asc')
    throw new ApiError(
      'BAD_REQUEST',
      'sortOrder asc is not supported; svcflow lists deployments newest first (sortBy=deploymentTime&sortOrder=desc)',
    );
}

/** Camunda's DeploymentDto. */
export function toCamundaDeployment(d: DeploymentRow) {
  return {
    links: [],
    id: d.id,
    name: d.name,
    source: d.source,
    deploymentTime: camundaDate(d.deployedAt),
    tenantId: null,
  };
}
