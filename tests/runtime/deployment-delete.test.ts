/** Issue #13: deleting a deployment is one rule in the engine: running instances refuse it unless cascading, and start events follow the version that remains. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Engine } from '../../engine/runtime/index.js';
import { openStore, type Store } from '../../engine/store/index.js';
import { migrationSource } from '../../migrations/index.js';
import { FakeClock } from '../helpers/fake-clock.js';

const signalStarted = (name: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="Definitions_s" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="Process_alarm" name="${name}" isExecutable="true">
    <bpmn:startEvent id="Start_alarm"><bpmn:outgoing>Flow_1</bpmn:outgoing><bpmn:signalEventDefinition signalRef="Signal_alarm" /></bpmn:startEvent>
    <bpmn:userTask id="Task_check"><bpmn:incoming>Flow_1</bpmn:incoming><bpmn:outgoing>Flow_2</bpmn:outgoing></bpmn:userTask>
    <bpmn:endEvent id="End_1"><bpmn:incoming>Flow_2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="Flow_1" sourceRef="Start_alarm" targetRef="Task_check" />
    <bpmn:sequenceFlow id="Flow_2" sourceRef="Task_check" targetRef="End_1" />
  </bpmn:process>
  <bpmn:signal id="Signal_alarm" name="alarm" />
</bpmn:definitions>`;

describe('runtime: deployment deletion', () => {
  let store: Store;
  let engine: Engine;
  beforeEach(async () => {
    store = await openStore({ migrations: migrationSource, url: 'sqlite::memory:' });
    await store.migrate();
    engine = new Engine({ store, clock: new FakeClock() });
  });
  afterEach(async () => {
    await store.close();
  });

  it('hands the signal start back to the previous version, and drops it with the last version', async () => {
    const [v1] = await engine.deploy([{ name: 'alarm.bpmn', xml: signalStarted('Alarm') }]);
    const [v2] = await engine.deploy([{ name: 'alarm.bpmn', xml: signalStarted('Alarm v2') }]);
    expect((await store.startEvents.listening('signal', 'alarm', null, 10)).map((r) => r.definitionId)).toEqual([
      'Process_alarm:2',
    ]);

    await engine.deployments.delete(v2.deploymentId!);
    expect((await store.startEvents.listening('signal', 'alarm', null, 10)).map((r) => r.definitionId)).toEqual([
      'Process_alarm:1',
    ]);
    await engine.deployments.delete(v1.deploymentId!);
    expect(await store.startEvents.listening('signal', 'alarm', null, 10)).toEqual([]);
  });

  it('refuses without cascade while an instance runs, naming the count, and cancels with it', async () => {
    const [v1] = await engine.deploy([
      {
        name: 'plain.bpmn',
        xml: signalStarted('Alarm').replace('<bpmn:signalEventDefinition signalRef="Signal_alarm" />', ''),
      },
    ]);
    const instance = await engine.startInstance({ definitionKey: 'Process_alarm', by: 'ann' });
    await expect(engine.deployments.delete(v1.deploymentId!)).rejects.toMatchObject({
      code: 'DEPLOYMENT_IN_USE',
      running: 1,
    });
    await engine.deployments.delete(v1.deploymentId!, { cascade: true, by: 'owner1' });
    expect((await engine.getInstance(instance.id)).status).toBe('terminated');
    expect((await engine.history(instance.id)).at(-1)).toMatchObject({ event: 'instance.terminated', by: 'owner1' });
    await expect(engine.startInstance({ definitionKey: 'Process_alarm' })).rejects.toMatchObject({
      code: 'DEFINITION_NOT_FOUND',
    });
    await expect(engine.startInstance({ definitionId: v1.id })).rejects.toMatchObject({ code: 'DEFINITION_DELETED' });
  });
});
