// Issue #11: business rule tasks evaluate deployed DMN inside the step, on every door; a missing decision
// is an incident naming it, retryable once the decision is deployed.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as b from '../helpers/bpmn-builder.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { MULTIPART_TYPE, multipartBody } from '../helpers/multipart.js';
import { table, type TableSpec } from '../helpers/dmn-builder.js';

const ROUTING: TableSpec = {
  id: 'routing',
  hitPolicy: 'FIRST',
  inputs: [
    { expression: 'channel', typeRef: 'string' },
    { expression: 'amount', typeRef: 'number' },
  ],
  outputs: [{ name: 'group', typeRef: 'string' }],
  rules: [
    ['"phone"', '> 1000', '"supervisors"'],
    ['-', '-', '"cs-agents"'],
  ],
};

/** The rule task written as Camunda 7 or Camunda 8 Modeler writes it, then a user task for the chosen group. */
function process(flavour: 'c7' | 'c8'): string {
  const rule =
    flavour === 'c7'
      ? '<bpmn:businessRuleTask id="Task_route" camunda:decisionRef="routing" camunda:resultVariable="route" camunda:mapDecisionResult="singleEntry" />'
      : '<bpmn:businessRuleTask id="Task_route"><bpmn:extensionElements><zeebe:calledDecision decisionId="routing" resultVariable="route" /></bpmn:extensionElements></bpmn:businessRuleTask>';
  return b.definitions('Process_route', [
    b.start('Start_1'),
    rule,
    b.userTask('Task_handle', { groups: '=route' }),
    b.end('End_1'),
    ...b.chain('Start_1', 'Task_route', 'Task_handle', 'End_1'),
  ]);
}

describe('api/business rule tasks', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp();
  });
  afterEach(async () => {
    await t.close();
  });

  const deployXml = (xml: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/definitions',
      headers: { ...t.headers(), 'content-type': 'application/xml' },
      payload: xml,
    });
  const upload = (url: string, files: Record<string, string>) =>
    t.app.inject({
      method: 'POST',
      url,
      headers: { ...t.headers(), 'content-type': MULTIPART_TYPE },
      payload: multipartBody({}, files, 'application/octet-stream'),
    });
  const taskOf = async (instanceId: string) =>
    (await t.call('GET', `/api/tasks?instanceId=${instanceId}`)).json().items[0];

  it('routes by the decision in the start step (/api, Camunda 7 mapping)', async () => {
    await deployXml(table(ROUTING));
    await deployXml(process('c7'));
    const started = await t.call('POST', '/api/instances', {
      definitionKey: 'Process_route',
      variables: { channel: 'phone', amount: 5000 },
    });
    expect(started.statusCode).toBe(201);
    expect(started.json()).toMatchObject({ activeElements: ['Task_handle'], variables: { route: 'supervisors' } });
    expect((await taskOf(started.json().id)).candidateGroups).toEqual(['supervisors']);
  });

  it('raises an incident naming a decision that is not deployed, and runs it on retry once deployed', async () => {
    await deployXml(process('c8'));
    const started = (
      await t.call('POST', '/api/instances', {
        definitionKey: 'Process_route',
        variables: { channel: 'web', amount: 10 },
      })
    ).json();
    expect(started.status).toBe('incident');
    const [incident] = (await t.call('GET', `/api/incidents?instanceId=${started.id}`)).json().items;
    expect(incident).toMatchObject({ elementId: 'Task_route', code: 'DECISION_NOT_FOUND' });
    expect(incident.message).toContain("the decision 'routing', which is not deployed");
    await deployXml(table(ROUTING));
    const retried = await t.call('POST', `/api/incidents/${incident.id}/retry`, {});
    expect(retried.statusCode).toBe(200);
    const instance = (await t.call('GET', `/api/instances/${started.id}`)).json();
    expect(instance).toMatchObject({
      status: 'active',
      activeElements: ['Task_handle'],
      variables: { route: 'cs-agents' },
    });
  });

  it('a failing evaluation is a DECISION_FAILED incident that a retry with the missing variable clears', async () => {
    await deployXml(table(ROUTING));
    await deployXml(process('c8'));
    const started = (
      await t.call('POST', '/api/instances', { definitionKey: 'Process_route', variables: { channel: 'phone' } })
    ).json();
    const [incident] = (await t.call('GET', `/api/incidents?instanceId=${started.id}`)).json().items;
    expect(incident).toMatchObject({
      code: 'DECISION_FAILED',
      message: expect.stringContaining("'amount', which is not set"),
    });
    await t.call('POST', `/api/incidents/${incident.id}/retry`, { variables: { amount: 2000 } });
    expect((await t.call('GET', `/api/instances/${started.id}`)).json().variables.route).toBe('supervisors');
  });

  it('Camunda 7: deploys BPMN and DMN together through deployment/create and starts through /engine-rest', async () => {
    const deployed = await upload('/engine-rest/deployment/create', {
      'route.bpmn': process('c7'),
      'routing.dmn': table(ROUTING),
    });
    expect(deployed.statusCode).toBe(200);
    const started = await t.call('POST', '/engine-rest/process-definition/key/Process_route/start', {
      variables: { channel: { value: 'phone', type: 'String' }, amount: { value: 20, type: 'Integer' } },
    });
    expect(started.statusCode).toBe(200);
    expect((await t.call('GET', `/api/instances/${started.json().id}`)).json().variables.route).toBe('cs-agents');
  });

  it('Camunda 8: deploys BPMN and DMN through /v2/deployments and starts through /v2/process-instances', async () => {
    const deployed = await upload('/v2/deployments', { 'route.bpmn': process('c8'), 'routing.dmn': table(ROUTING) });
    expect(deployed.statusCode).toBe(200);
    const started = await t.call('POST', '/v2/process-instances', {
      processDefinitionId: 'Process_route',
      variables: { channel: 'phone', amount: 1500 },
    });
    expect(started.statusCode).toBe(200);
    const [instance] = (await t.call('GET', '/api/instances?definitionKey=Process_route')).json().items;
    expect(instance.variables.route).toBe('supervisors');
  });
});
