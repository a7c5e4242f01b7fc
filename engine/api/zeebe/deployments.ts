/** Camunda 8 deployments: multipart `resources` (BPMN and forms, DMN refused), validated all before any is deployed. */
import type { FastifyPluginAsync } from 'fastify';
import { formsDirOf, type Engine } from '../../runtime/index.js';
import { actorId } from '../actor.js';
import { readForms, refuseDecisions } from '../camunda/deployment-forms.js';
import { fieldText, parseMultipart, type Part } from '../camunda/multipart.js';
import { ApiError } from '../problem.js';
import { saveForm } from '../routes/forms.js';
import { DEFAULT_TENANT, keyOf, newKey } from './keys.js';

const BPMN_FILE = /\.(bpmn|bpmn20\.xml|xml)$/i;

export const zeebeDeploymentRoutes: FastifyPluginAsync<{ engine: Engine; formsDir?: string }> = async (app, { engine, formsDir }) => {
  const forms = formsDirOf(formsDir);
  app.post<{ Body: Buffer }>('/deployments', {
    config: { auth: { roles: ['owner'] } },
    schema: { tags: ['camunda8-compat'], summary: 'Deploy BPMN processes and forms (multipart `resources`; DMN is refused for now) (Camunda 8 compatible)', consumes: ['multipart/form-data'] },
  }, async (request) => {
    const parts = parseMultipart(request.body, String(request.headers['content-type']));
    const tenant = fieldText(parts, 'tenantId');
    if (tenant && tenant !== DEFAULT_TENANT) throw new ApiError('BAD_REQUEST', `svcflow has no tenants; tenantId must be '${DEFAULT_TENANT}' or absent`);
    const resources = parts.filter((p) => p.filename !== null);
    refuseDecisions(resources);
    const formFiles = readForms(resources);
    const bpmn = resources.filter((p) => BPMN_FILE.test(p.filename!));
    if (bpmn.length + formFiles.length === 0) throw new ApiError('BAD_REQUEST', 'the deployment contains no .bpmn or .form resource');
    // the engine validates every file before it deploys any (all or nothing)
    const files = bpmn.map((part) => ({ name: part.filename!, xml: part.data.toString('utf8') }));
    const deployments: Array<Record<string, unknown>> = [];
    const definitions = files.length > 0 ? await engine.deploy(files, actorId(request)) : [];
    for (const def of definitions) {
      const processDefinitionKey = await keyOf(engine, 'definition', def.id);
      deployments.push({ processDefinition: { processDefinitionId: def.key, processDefinitionVersion: def.version, resourceName: def.resource, tenantId: DEFAULT_TENANT, processDefinitionKey } });
    }
    for (const [i, form] of formFiles.entries()) {
      await saveForm(forms, form.id, form.schema);
      deployments.push({ form: { formId: form.id, version: 1, resourceName: resourceNameOf(resources, form.id, i), tenantId: DEFAULT_TENANT, formKey: await keyOf(engine, 'form', form.id) } });
    }
    const deploymentId = definitions.find((d) => d.created)?.deploymentId ?? definitions[0]?.deploymentId;
    return { tenantId: DEFAULT_TENANT, deploymentKey: deploymentId ? await keyOf(engine, 'deployment', deploymentId) : await newKey(engine, 'deployment'), deployments };
  });
};

// helpers

function resourceNameOf(parts: Part[], formId: string, index: number): string {
  const forms = parts.filter((p) => /\.form$/i.test(p.filename!));
  return forms[index]?.filename ?? `${formId}.form`;
}
