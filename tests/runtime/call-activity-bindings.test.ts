// issue 11 "Call activities": which version a call binds to (Camunda 7 calledElementBinding deployment and
// versionTag, Camunda 8 bindingType), a FEEL process id, and a failed call left by a boundary
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { boundary, chain, definitions, end, flow, start, userTask } from '../helpers/bpmn-builder.js';
import { callActivity7 } from '../helpers/call-builder.js';
import { engineOn, type TestEngine } from '../helpers/engine.js';
import { closeStores, storeBackends } from '../helpers/stores.js';

afterAll(closeStores);

/** A waiting child; `tag` sets its version tag the way each flavour writes it. */
const child = (key: string, tag?: { c7?: string; c8?: string }, variant = '') =>
  definitions(key, [start('CS'), userTask('Work'), end('CE'), ...chain('CS', 'Work', 'CE')])
    .replace('name="Work"', `name="Work${variant}"`)
    .replace(
      `<bpmn:process id="${key}" isExecutable="true">`,
      `<bpmn:process id="${key}" isExecutable="true"${tag?.c7 ? ` camunda:versionTag="${tag.c7}"` : ''}>${tag?.c8 ? `<bpmn:extensionElements><zeebe:versionTag value="${tag.c8}" /></bpmn:extensionElements>` : ''}`,
    );
const parent = (key: string, call: string, extra: string[] = []) =>
  definitions(key, [start('S'), call, end('E'), ...chain('S', 'Call', 'E'), ...extra]);
const call8 = (processId: string, attrs = '') =>
  `<bpmn:callActivity id="Call"><bpmn:extensionElements><zeebe:calledElement processId="${processId}"${attrs ? ` ${attrs}` : ''} /></bpmn:extensionElements></bpmn:callActivity>`;

describe('runtime/call-activity bindings', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = engineOn(await storeBackends()[0].open());
  });
  const childOf = async (parentId: string) => (await t.engine.listInstances({ parentInstanceId: parentId })).items;

  it('Camunda 7 binding "deployment" calls the version deployed with the caller, not a later one', async () => {
    await t.engine.deploy([
      { name: 'notify.bpmn', xml: child('Notify') },
      {
        name: 'case.bpmn',
        xml: parent('Case', callActivity7('Call', 'Notify', { attrs: 'camunda:calledElementBinding="deployment"' })),
      },
    ]);
    await t.engine.deploy(child('Notify', undefined, ' (2)'));
    const p = await t.engine.startInstance({ definitionKey: 'Case' });
    expect((await childOf(p.id)).map((c) => c.definitionId)).toEqual(['Notify:1']);
  });

  it('Camunda 8 bindingType "deployment" does the same; with no version of the key in the deployment the call is an incident', async () => {
    await t.engine.deploy([
      { name: 'notify.bpmn', xml: child('Notify') },
      { name: 'case.bpmn', xml: parent('Case', call8('Notify', 'bindingType="deployment"')) },
    ]);
    await t.engine.deploy(child('Notify', undefined, ' (2)'));
    const p = await t.engine.startInstance({ definitionKey: 'Case' });
    expect((await childOf(p.id)).map((c) => c.definitionId)).toEqual(['Notify:1']);
    await t.engine.deploy(parent('Alone', call8('Notify', 'bindingType="deployment"')));
    const alone = await t.engine.startInstance({ definitionKey: 'Alone' });
    expect(alone.status).toBe('incident');
    const [incident] = (await t.engine.listIncidents({ instanceId: alone.id, status: 'open' })).items;
    expect(incident).toMatchObject({ code: 'CALLED_PROCESS_NOT_FOUND' });
    expect(incident.message).toContain("'Notify' in the deployment of the calling process");
  });

  it('binding by version tag calls the newest version with that tag (Camunda 7 and Camunda 8)', async () => {
    await t.engine.deploy(child('Notify', { c7: 'v1', c8: 'v1' }));
    await t.engine.deploy(child('Notify', { c7: 'v2', c8: 'v2' }, ' (2)'));
    await t.engine.deploy(child('Notify', {}, ' (3)'));
    await t.engine.deploy(
      parent(
        'Tag7',
        callActivity7('Call', 'Notify', {
          attrs: 'camunda:calledElementBinding="versionTag" camunda:calledElementVersionTag="v1"',
        }),
      ),
    );
    await t.engine.deploy(parent('Tag8', call8('Notify', 'bindingType="versionTag" versionTag="v2"')));
    const p7 = await t.engine.startInstance({ definitionKey: 'Tag7' });
    const p8 = await t.engine.startInstance({ definitionKey: 'Tag8' });
    expect((await childOf(p7.id)).map((c) => c.definitionId)).toEqual(['Notify:1']);
    expect((await childOf(p8.id)).map((c) => c.definitionId)).toEqual(['Notify:2']);
    await t.engine.deploy(parent('Tag9', call8('Notify', 'bindingType="versionTag" versionTag="v9"')));
    const missing = await t.engine.startInstance({ definitionKey: 'Tag9' });
    const [incident] = (await t.engine.listIncidents({ instanceId: missing.id, status: 'open' })).items;
    expect(incident.message).toContain("with version tag 'v9'");
  });

  it('a FEEL process id is evaluated over the variables when the call starts', async () => {
    await t.engine.deploy(child('notify-email'));
    await t.engine.deploy(child('notify-sms'));
    await t.engine.deploy(parent('Case', call8('=&quot;notify-&quot; + channel')));
    const p = await t.engine.startInstance({ definitionKey: 'Case', variables: { channel: 'sms' } });
    expect((await childOf(p.id)).map((c) => c.definitionKey)).toEqual(['notify-sms']);
    const bad = await t.engine.startInstance({ definitionKey: 'Case', variables: { channel: 7 } });
    const [incident] = (await t.engine.listIncidents({ instanceId: bad.id, status: 'open' })).items;
    expect(incident).toMatchObject({ code: 'EXPRESSION_FAILED', elementId: 'Call' });
  });

  it('a boundary that leaves a call that could not start resolves its incident', async () => {
    await t.engine.deploy(
      parent('Case', call8('Missing'), [
        boundary('Late', 'Call', { timer: ['duration', 'PT1H'] }),
        end('LateEnd'),
        flow('Late', 'LateEnd'),
      ]),
    );
    const p = await t.engine.startInstance({ definitionKey: 'Case' });
    expect(p.status).toBe('incident');
    t.clock.advance(3_600_000);
    await t.engine.tick();
    expect((await t.engine.getInstance(p.id)).status).toBe('completed');
    expect((await t.engine.listIncidents({ instanceId: p.id, status: 'open' })).items).toEqual([]);
  });
});
