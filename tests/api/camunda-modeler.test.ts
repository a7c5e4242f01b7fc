/**
 * Issue #13: Camunda Modeler (Camunda 7 flavour) against a real server, its requests replayed as its source
 * builds them: client/src/plugins/camunda-plugin/shared/CamundaAPI.js, RestAPI.js and WellKnownAPI.js of
 * camunda/camunda-modeler (commit 6bf14d710). The same FormData, Blob and fetch calls, the same headers.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { table } from '../helpers/dmn-builder.js';
import { testApp, type TestApp } from '../helpers/app.js';

const DIAGRAM = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:modeler="http://camunda.org/schema/modeler/1.0" id="Definitions_0x1" targetNamespace="http://bpmn.io/schema/bpmn" exporter="Camunda Modeler" exporterVersion="5.31.0" modeler:executionPlatform="Camunda Platform" modeler:executionPlatformVersion="7.22.0">
  <bpmn:process id="Process_intake" name="Intake" isExecutable="true">
    <bpmn:startEvent id="StartEvent_1"><bpmn:outgoing>Flow_1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="Task_check" name="Check request" camunda:formRef="Form_check" camunda:formRefBinding="latest" camunda:candidateGroups="complaints">
      <bpmn:incoming>Flow_1</bpmn:incoming><bpmn:outgoing>Flow_2</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:endEvent id="End_1"><bpmn:incoming>Flow_2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="Flow_1" sourceRef="StartEvent_1" targetRef="Task_check" />
    <bpmn:sequenceFlow id="Flow_2" sourceRef="Task_check" targetRef="End_1" />
  </bpmn:process>
</bpmn:definitions>`;

const FORM = JSON.stringify(
  {
    components: [{ label: 'Decision', type: 'textfield', layout: { row: 'Row_1' }, id: 'Field_1', key: 'decision' }],
    type: 'default',
    id: 'Form_check',
    executionPlatform: 'Camunda Platform',
    executionPlatformVersion: '7.22.0',
    exporter: { name: 'Camunda Modeler', version: '5.31.0' },
    schemaVersion: 16,
  },
  null,
  2,
);

const OWNER = { username: 'model-owner', roles: ['owner'] };

describe('api/camunda Modeler replay', () => {
  let t: TestApp;
  let origin: string;
  let formsDir: string;

  beforeEach(async () => {
    vi.stubEnv('SVCFLOW_CORS_ORIGINS', 'http://modeler.example');
    formsDir = await mkdtemp(join(tmpdir(), 'svcflow-modeler-'));
    t = await testApp({ formsDir });
    await t.as(OWNER);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    origin = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await t.close();
    await rm(formsDir, { recursive: true, force: true });
  });

  // RestAPI.getHeaders + getAuthHeader (basic)
  const headers = () => ({
    accept: 'application/json',
    authorization: `Basic ${Buffer.from(`${OWNER.username}:password123`).toString('base64')}`,
  });
  const api = (path: string, options: RequestInit = {}) =>
    fetch(`${origin}/engine-rest${path}`, {
      ...options,
      headers: { ...(options.headers as Record<string, string>), ...headers() },
    });

  // CamundaAPI.deployDiagram
  async function deployDiagram(
    diagram: { name: string; contents: string },
    attachments: Array<{ name: string; contents: string }>,
  ) {
    const form = new FormData();
    form.append('deployment-name', 'intake');
    form.append('deployment-source', 'Camunda Modeler');
    form.append('enable-duplicate-filtering', 'true');
    form.append(diagram.name, new Blob([diagram.contents], { type: 'text/xml' }), diagram.name);
    for (const file of attachments) form.append(file.name, new Blob([file.contents]), file.name);
    return api('/deployment/create', { method: 'POST', body: form });
  }

  // CamundaAPI.startInstance, with StartInstanceTool's empty dialog: businessKey and variables null
  const startInstance = (definitionId: string) =>
    api(`/process-definition/${definitionId}/start`, {
      method: 'POST',
      body: JSON.stringify({ businessKey: null, variables: null }),
      headers: { 'content-type': 'application/json' },
    });

  it('checks the connection, deploys a diagram with its form, and starts it from the empty dialog', async () => {
    expect((await api('/deployment?maxResults=0')).ok).toBe(true);
    expect(await (await api('/version')).json()).toEqual({ version: expect.stringMatching(/^7\./) });

    const deployed = await deployDiagram({ name: 'intake.bpmn', contents: DIAGRAM }, [
      { name: 'check.form', contents: FORM },
    ]);
    expect(deployed.status).toBe(200);
    const { deployedProcessDefinitions } = await deployed.json();
    const definition = Object.values(deployedProcessDefinitions)[0] as { id: string };

    const started = await startInstance(definition.id);
    expect(started.status).toBe(200);
    const instance = await started.json();
    expect(instance).toMatchObject({
      id: expect.any(String),
      definitionId: 'Process_intake:1',
      businessKey: null,
      ended: false,
    });

    const [task] = (await t.call('GET', `/engine-rest/task?processInstanceId=${instance.id}`)).json();
    expect(task.formKey).toBe('Form_check');
    expect((await t.call('GET', '/api/forms/Form_check')).json()).toMatchObject({
      id: 'Form_check',
      components: [expect.objectContaining({ key: 'decision' })],
    });
  });

  it('deploys a DMN file of the deployment with it, and refuses the whole deployment when the DMN is not valid', async () => {
    const refused = await deployDiagram({ name: 'intake.bpmn', contents: DIAGRAM }, [
      { name: 'discount.dmn', contents: '<definitions/>' },
    ]);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({
      type: 'ParseException',
      details: { 'discount.dmn': expect.any(Object) },
    });
    expect((await t.call('GET', '/api/definitions')).json().total).toBe(0);
    const deployed = await deployDiagram({ name: 'intake.bpmn', contents: DIAGRAM }, [
      {
        name: 'discount.dmn',
        contents: table({
          id: 'discount',
          inputs: [{ expression: 'amount', typeRef: 'number' }],
          outputs: [{ name: 'rate', typeRef: 'number' }],
          rules: [
            ['> 100', '0.1'],
            ['<= 100', '0'],
          ],
        }),
      },
    ]);
    expect(deployed.status).toBe(200);
    expect((await deployed.json()).deployedDecisionDefinitions).toEqual({
      'discount:1': expect.objectContaining({ key: 'discount', resource: 'discount.dmn' }),
    });
  });

  it("answers the well-known lookup so the notification link opens svcflow's view of the instance", async () => {
    // WellKnownAPI.getWellKnownWebAppUrls + normalizeWebAppUrl('cockpit') + CockpitProcessInstanceLink
    const res = await fetch(`${origin}/.well-known/camunda-automation-platform/webapps`, {
      headers: { accept: 'application/json' },
    });
    expect(res.ok).toBe(true);
    const { cockpitUrl } = await res.json();
    const cockpit = String(cockpitUrl)
      .replace(/\/?$/, '/')
      .replace(/cockpit\/$/, 'cockpit/default/#/');
    const link = await fetch(`${cockpit}process-instance/0190a0e4-0000-7000-8000-000000000001`, { redirect: 'manual' });
    expect(link.status).toBe(302);
    expect(link.headers.get('location')).toBe('/sla?instance=0190a0e4-0000-7000-8000-000000000001');
  });

  it('answers a CORS preflight without credentials for a configured origin only', async () => {
    const preflight = (from: string) =>
      fetch(`${origin}/engine-rest/deployment/create`, {
        method: 'OPTIONS',
        headers: {
          origin: from,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization',
        },
      });
    const allowed = await preflight('http://modeler.example');
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://modeler.example');
    expect(allowed.headers.get('access-control-allow-credentials')).toBeNull();
    expect((await preflight('http://elsewhere.example')).headers.get('access-control-allow-origin')).toBeNull();
  });
});
