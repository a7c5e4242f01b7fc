/** The engine hands out an element's extension properties (Camunda 7 external tasks' `extensionProperties`). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DefinitionNotFoundError, Engine } from '../../engine/runtime/index.js';
import { openStore, type Store } from '../../engine/store/index.js';
import { migrationSource } from '../../migrations/index.js';
import * as b from '../helpers/bpmn-builder.js';
import { FakeClock } from '../helpers/fake-clock.js';

const props = (entries: Record<string, string>) =>
  `<camunda:properties>${Object.entries(entries)
    .map(([name, value]) => `<camunda:property name="${name}" value="${value}" />`)
    .join('')}</camunda:properties>`;

const charge = (channel: string) =>
  b.definitions('Process_props', [
    b.start('Start_1'),
    b.serviceTask('Task_charge', 'charge-card', props({ channel, region: 'east' })),
    b.serviceTask('Task_plain', 'log'),
    b.end('End_1'),
    ...b.chain('Start_1', 'Task_charge', 'Task_plain', 'End_1'),
  ]);

describe('runtime: extension properties of deployed elements', () => {
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

  it("gives each version's own properties, and none for an element that has none", async () => {
    const [v1] = await engine.deploy(charge('card'));
    const [v2] = await engine.deploy(charge('wallet'));
    expect(await engine.extensionPropertiesOf(v1.id, 'Task_charge')).toEqual({ channel: 'card', region: 'east' });
    expect(await engine.extensionPropertiesOf(v2.id, 'Task_charge')).toEqual({ channel: 'wallet', region: 'east' });
    expect(await engine.extensionPropertiesOf(v1.id, 'Task_plain')).toEqual({});
  });

  it('answers an unknown definition as not found', async () => {
    await expect(engine.extensionPropertiesOf('Process_none:1', 'Task_charge')).rejects.toBeInstanceOf(
      DefinitionNotFoundError,
    );
  });
});
