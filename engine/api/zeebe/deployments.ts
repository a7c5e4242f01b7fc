/** Camunda 8 deployments: multipart `resources` (BPMN, DMN and forms), validated all before any is deployed. */
import type { Engine } from '../../runtime/index.js';
import { actorId } from '../actor.js';
import { decisionFiles, formFiles } from '../camunda/deployment-forms.js';
import { fieldText, parseMultipart } from '../camunda/multipart.js';
import { ApiError } from '../problem.js';
import { DEFAULT_TENANT, keyOf, newKey } from './keys.js';
import type { RoutePlugin } from '../schemas.js';

const BPMN_FILE = /\.(bpmn|bpmn20\.xml|xml)$/i;

export const zeebeDeploymentRoutes: RoutePlugin<{ engine: Engine }> = async (app, { engine }) => {
  app.post(
    '/deployments',
    {
      config: { auth: { roles: ['owner'] } },
      schema: {
        tags: ['camunda8-compat'],
        summary: 'Deploy BPMN processes, DMN decisions and forms (multipart `resources`) (Camunda 8 compatible)',
        consumes: ['multipart/form-data'],
      },
    },
    async (request) => {
      const parts = parseMultipart(request.body, String(request.headers['content-type']));
      const tenant = fieldText(parts, 'tenantId');
      if (tenant && tenant !== DEFAULT_TENANT)
        throw new ApiError('BAD_REQUEST', `svcflow has no tenants; tenantId must be '${DEFAULT_TENANT}' or absent`);
      const resources = parts.filter((p) => p.filename !== null);
      const forms = formFiles(resources);
      const dmn = decisionFiles(resources);
      const bpmn = resources.filter((p) => BPMN_FILE.test(p.filename!));
      if (bpmn.length + dmn.length + forms.length === 0)
        throw new ApiError('BAD_REQUEST', 'the deployment contains no .bpmn, .dmn or .form resource');
      // the engine validates every file before it deploys any (all or nothing), forms in the same transaction
      const files = [
        ...bpmn.map((part) => ({ name: part.filename!, xml: part.data.toString('utf8') })),
        ...dmn,
        ...forms,
      ];
      const deployments: Array<Record<string, unknown>> = [];
      const deployed = await engine.deployResources(files, actorId(request));
      for (const def of deployed.processes) {
        const processDefinitionKey = await keyOf(engine, 'definition', def.id);
        deployments.push({
          processDefinition: {
            processDefinitionId: def.key,
            processDefinitionVersion: def.version,
            resourceName: def.resource,
            tenantId: DEFAULT_TENANT,
            processDefinitionKey,
          },
        });
      }
      for (const d of deployed.decisions) {
        const decisionDefinitionKey = await keyOf(engine, 'decision', d.id);
        deployments.push({
          decisionDefinition: {
            decisionDefinitionId: d.key,
            version: d.version,
            name: d.name,
            tenantId: DEFAULT_TENANT,
            decisionDefinitionKey,
            decisionRequirementsId: d.resource,
            decisionRequirementsKey: await keyOf(engine, 'decision-requirements', d.resource),
          },
        });
      }
      for (const form of deployed.forms) {
        deployments.push({
          form: {
            formId: form.key,
            version: form.version,
            resourceName: form.resource,
            tenantId: DEFAULT_TENANT,
            formKey: await keyOf(engine, 'form', form.key),
          },
        });
      }
      const deploymentId =
        deployed.processes.find((d) => d.created)?.deploymentId ??
        deployed.forms.find((f) => f.created)?.deploymentId ??
        deployed.processes[0]?.deploymentId;
      return {
        tenantId: DEFAULT_TENANT,
        deploymentKey: deploymentId
          ? await keyOf(engine, 'deployment', deploymentId)
          : await newKey(engine, 'deployment'),
        deployments,
      };
    },
  );
};
