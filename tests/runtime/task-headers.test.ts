/** Issue #13: `zeebe:taskHeaders` reach whoever works the job: in-process handlers see them as `ctx.headers`. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Engine } from '../../engine/runtime/index.js';
import { openStore, type Store } from '../../engine/store/index.js';
import { migrationSource } from '../../migrations/index.js';
import { FakeClock } from '../helpers/fake-clock.js';

const MODEL = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="Definitions_h" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="Process_headers" isExecutable="true">
    <bpmn:startEvent id="Start_1"><bpmn:outgoing>Flow_1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:serviceTask id="Task_mail" name="Mail">
      <bpmn:extensionElements>
        <zeebe:taskDefinition type="mail.send" />
        <zeebe:taskHeaders><zeebe:header key="template" value="welcome" /><zeebe:header key="template" value="welcome-v2" /><zeebe:header key="empty" /></zeebe:taskHeaders>
      </bpmn:extensionElements>
      <bpmn:incoming>Flow_1</bpmn:incoming><bpmn:outgoing>Flow_2</bpmn:outgoing>
    </bpmn:serviceTask>
    <bpmn:serviceTask id="Task_plain"><bpmn:extensionElements><zeebe:taskDefinition type="mail.plain" /></bpmn:extensionElements><bpmn:incoming>Flow_2</bpmn:incoming><bpmn:outgoing>Flow_3</bpmn:outgoing></bpmn:serviceTask>
    <bpmn:endEvent id="End_1"><bpmn:incoming>Flow_3</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="Flow_1" sourceRef="Start_1" targetRef="Task_mail" />
    <bpmn:sequenceFlow id="Flow_2" sourceRef="Task_mail" targetRef="Task_plain" />
    <bpmn:sequenceFlow id="Flow_3" sourceRef="Task_plain" targetRef="End_1" />
  </bpmn:process>
</bpmn:definitions>`;

describe('runtime: zeebe task headers', () => {
  let store: Store;
  beforeEach(async () => {
    store = await openStore({ migrations: migrationSource, url: 'sqlite::memory:' });
    await store.migrate();
  });
  afterEach(async () => {
    await store.close();
  });

  it('hands an in-process handler the task headers (the last of a repeated key wins), and none to a task without', async () => {
    const engine = new Engine({ store, clock: new FakeClock() });
    const seen: Array<Record<string, string> | undefined> = [];
    engine.registerHandler('mail.send', (ctx) => {
      seen.push(ctx.headers);
    });
    engine.registerHandler('mail.plain', (ctx) => {
      seen.push(ctx.headers);
    });
    await engine.deploy(MODEL);
    const instance = await engine.startInstance({ definitionKey: 'Process_headers' });
    await engine.tick();
    await engine.tick();
    expect(seen).toEqual([{ template: 'welcome-v2', empty: '' }, {}]);
    expect((await engine.getInstance(instance.id)).status).toBe('completed');
  });
});
