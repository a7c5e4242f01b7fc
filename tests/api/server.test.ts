import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deployProcesses } from '../../engine/api/server.js';
import * as b from '../helpers/bpmn-builder.js';
import { table } from '../helpers/dmn-builder.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { invalidProcess, reviewProcess } from './models.js';

describe('api/server deployProcesses', () => {
  let t: TestApp;
  let dir: string;
  const logged: Array<{ level: string; msg?: string }> = [];
  const log = {
    info: (_o: unknown, msg?: string) => {
      logged.push({ level: 'info', msg });
    },
    warn: (_o: unknown, msg?: string) => {
      logged.push({ level: 'warn', msg });
    },
  };
  beforeEach(async () => {
    t = await testApp();
    dir = mkdtempSync(join(tmpdir(), 'svcflow-processes-'));
    logged.length = 0;
  });
  afterEach(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('deploys every .bpmn file and logs invalid ones instead of failing', async () => {
    writeFileSync(join(dir, 'review.bpmn'), reviewProcess());
    writeFileSync(join(dir, 'broken.bpmn'), invalidProcess());
    writeFileSync(join(dir, 'notes.txt'), 'not a model');
    await deployProcesses(t.engine, dir, log as never);
    expect((await t.call('GET', '/api/definitions')).json().items.map((d: { id: string }) => d.id)).toEqual([
      'Process_review:1',
    ]);
    expect(logged).toContainEqual({ level: 'warn', msg: 'broken.bpmn not deployed: 2 problem(s)' });
  });

  it('deploys the .dmn files before the .bpmn files, so a rule task finds its decision at the first start', async () => {
    writeFileSync(
      join(dir, 'a-route.bpmn'),
      b.definitions('Process_route', [
        b.start('Start_1'),
        '<bpmn:businessRuleTask id="Task_route"><bpmn:extensionElements><zeebe:calledDecision decisionId="routing" resultVariable="group" /></bpmn:extensionElements></bpmn:businessRuleTask>',
        b.end('End_1'),
        ...b.chain('Start_1', 'Task_route', 'End_1'),
      ]),
    );
    writeFileSync(
      join(dir, 'z-routing.dmn'),
      table({
        id: 'routing',
        hitPolicy: 'FIRST',
        inputs: [{ expression: 'channel', typeRef: 'string' }],
        outputs: [{ name: 'group' }],
        rules: [
          ['"phone"', '"supervisors"'],
          ['-', '"cs-agents"'],
        ],
      }),
    );
    await deployProcesses(t.engine, dir, log as never);
    expect((await t.call('GET', '/api/decisions')).json().items.map((d: { id: string }) => d.id)).toEqual([
      'routing:1',
    ]);
    const started = (
      await t.call('POST', '/api/instances', { definitionKey: 'Process_route', variables: { channel: 'phone' } })
    ).json();
    expect(started).toMatchObject({ status: 'completed', variables: { group: 'supervisors' } });
  });

  it('skips a directory that does not exist', async () => {
    await expect(deployProcesses(t.engine, join(dir, 'absent'), log as never)).resolves.toBeUndefined();
    expect(logged).toEqual([]);
  });
});
