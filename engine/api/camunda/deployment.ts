/** Camunda 7 deployment endpoints as Camunda Modeler uses them: connection check, version, deployment upload. */
import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import { DeploymentInvalidError, formsDirOf, type DeploymentOutcome, type Engine } from '../../runtime/index.js';
import { actorId } from '../actor.js';
import { ApiError } from '../problem.js';
import { saveForm } from '../routes/forms.js';
import { decisionFiles, readForms } from './deployment-forms.js';
import { parseExceptionBody } from './errors.js';
import { fieldText, parseMultipart } from './multipart.js';
import { camundaDate, camundaObject, toCamundaDefinition } from './shapes.js';
import { toCamundaDecision } from './decision-definitions.js';

/** The Camunda version this subset imitates (Modeler picks its features by it). */
export const CAMUNDA_VERSION = '7.22.0';

const BPMN_FILE = /\.(bpmn|bpmn20\.xml)$/i;


/** Deployment routes; every deployment is filtered for duplicates (an unchanged process keeps its version). */
export const camundaDeploymentRoutes: FastifyPluginAsync<{ engine: Engine; formsDir?: string }> = async (app, { engine, formsDir }) => {
  const forms = formsDirOf(formsDir);
  app.get('/version', {
    config: { auth: { roles: 'any' } },
    schema: { tags: ['camunda-compat'], summary: 'Engine version (Camunda 7 compatible)', response: { 200: camundaObject('{ version }') } },
  }, async () => ({ version: CAMUNDA_VERSION }));

  // Camunda Modeler's connection check asks for `?maxResults=0`; deployments are not kept as a concept of their own.
  app.get('/deployment', {
    config: { auth: { roles: 'any' } },
    schema: { tags: ['camunda-compat'], summary: 'Deployment query (always empty; used as a connection check)', querystring: { type: 'object', additionalProperties: true }, response: { 200: { type: 'array', items: camundaObject('deployment') } } },
  }, async () => []);

  app.post<{ Body: Buffer }>('/deployment/create', {
    config: { auth: { roles: ['owner'] } },
    schema: {
      tags: ['camunda-compat'], summary: 'Deploy BPMN and DMN files (multipart/form-data: deployment-name, .bpmn, .dmn and .form files)',
      consumes: ['multipart/form-data'], response: { 200: camundaObject('Camunda deployment with deployedProcessDefinitions') },
    },
  }, async (request, reply) => {
    const parts = parseMultipart(request.body, String(request.headers['content-type']));
    const resources = parts.filter((p) => p.filename !== null && BPMN_FILE.test(p.filename));
    const dmn = decisionFiles(parts);
    if (resources.length + dmn.length === 0) throw new ApiError('BAD_REQUEST', 'the deployment contains no .bpmn or .dmn file');
    const formFiles = readForms(parts);
    const files = [...resources.map((part) => ({ name: part.filename!, xml: part.data.toString('utf8') })), ...dmn];
    let outcome: DeploymentOutcome;
    try {
      outcome = await engine.deployResources(files, actorId(request));
    } catch (error) {
      if (error instanceof DeploymentInvalidError) return reply.code(400).send(parseExceptionBody(error.resource, error.problems));
      throw error;
    }
    // The deployment's forms are saved under their form id, where camunda:formRef and camunda:formKey find them.
    for (const form of formFiles) await saveForm(forms, form.id, form.schema);
    const id = randomUUID();
    const deployed: Record<string, ReturnType<typeof toCamundaDefinition>> = {};
    for (const def of outcome.processes) deployed[def.id] = toCamundaDefinition(def, id, def.resource);
    const decisions: Record<string, ReturnType<typeof toCamundaDecision>> = {};
    for (const d of outcome.decisions) decisions[d.id] = toCamundaDecision(d, id);
    return {
      links: [], id, name: fieldText(parts, 'deployment-name'), source: fieldText(parts, 'deployment-source'),
      deploymentTime: camundaDate(engine.clock.now().toISOString()), tenantId: null, deployedProcessDefinitions: deployed,
      deployedCaseDefinitions: null, deployedDecisionDefinitions: outcome.decisions.length > 0 ? decisions : null, deployedDecisionRequirementsDefinitions: null,
    };
  });
};
