/** Issue 14, "Opening a case": only a process's candidate starters may start it, and each sees what they may start. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readBpmn } from '../../engine/bpmn/index.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { chain, definitions, end, start, userTask } from '../helpers/bpmn-builder.js';
import { PROCESSES_DIR, processXml } from '../helpers/reference-processes.js';

const OPEN = definitions('Open', [
  start('S'),
  userTask('T', { groups: 'cs-agents' }),
  end('E'),
  ...chain('S', 'T', 'E'),
]);
const AGENT = { username: 'agent1', roles: ['staff'], groups: ['cs-agents'] };
const ENGINEER = { username: 'engineer1', roles: ['staff'], groups: ['field-engineers'] };

describe('api/startable processes', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp({ formsDir: `${PROCESSES_DIR}/forms` });
    await t.deploy(processXml('complaint-handling'));
    await t.deploy(OPEN);
  });
  afterEach(async () => {
    await t.close();
  });

  it('lists the processes a candidate starter may start, with the start form', async () => {
    const agent = await t.as(AGENT);
    const res = await agent.call('GET', '/api/startable-processes');
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ definitionKey: 'complaint-handling', startFormKey: 'complaint-intake' }),
        expect.objectContaining({ definitionKey: 'Open', startFormKey: null }),
      ]),
    );
  });

  it('leaves out what the caller may not start, and refuses their start with 403 START_FORBIDDEN on /api and /engine-rest', async () => {
    const engineer = await t.as(ENGINEER);
    const keys = (await engineer.call('GET', '/api/startable-processes'))
      .json()
      .items.map((p: { definitionKey: string }) => p.definitionKey);
    expect(keys).toEqual(['Open']);
    const refused = await engineer.call('POST', '/api/instances', {
      definitionKey: 'complaint-handling',
      variables: {},
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'START_FORBIDDEN', definitionKey: 'complaint-handling' });
    const camunda = await engineer.call('POST', '/engine-rest/process-definition/key/complaint-handling/start', {});
    expect(camunda.statusCode).toBe(403);
    expect((await t.engine.listInstances({ limit: 10 })).total).toBe(0);
  });
});

describe('bpmn/candidate starters', () => {
  it('reads camunda:candidateStarterGroups/Users and svc:candidateStarters', async () => {
    const xml = OPEN.replace(
      '<bpmn:process id="Open" isExecutable="true">',
      '<bpmn:process id="Open" isExecutable="true" camunda:candidateStarterGroups="a, b" camunda:candidateStarterUsers="lee"><bpmn:extensionElements><svc:candidateStarters groups="c" /></bpmn:extensionElements>',
    );
    const { document, problems } = await readBpmn(xml);
    expect(problems).toEqual([]);
    expect(document?.processes[0].starters).toEqual({ groups: ['a', 'b', 'c'], users: ['lee'] });
  });
});
