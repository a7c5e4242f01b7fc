// issue 11 "Call activities": the called process runs as an instance of its own, started and handed back
// inside the step transactions of its parent and its own last step
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { chain, definitions, end, flow, gateway, start, userTask } from '../helpers/bpmn-builder.js';
import { callActivity7, callActivity8 } from '../helpers/call-builder.js';
import { engineOn, openTaskAt, type TestEngine } from '../helpers/engine.js';
import { closeStores, describeEachStore } from '../helpers/stores.js';

afterAll(closeStores);

const child = (key: string, body: string[] = [userTask('Work')]) =>
  definitions(key, [start('CS'), ...body, end('CE'), ...chain('CS', ...idsOf(body), 'CE')]);
const idsOf = (body: string[]) => body.map((b) => /id="([^"]+)"/.exec(b)![1]);
const parent = (key: string, call: string) =>
  definitions(key, [start('S'), call, userTask('After'), end('E'), ...chain('S', 'Call', 'After', 'E')]);

describeEachStore('runtime/call-activity', (backend) => {
  let t: TestEngine;
  beforeEach(async () => {
    t = engineOn(await backend.open());
  });
  const childOf = async (parentId: string) => {
    const page = await t.engine.listInstances({ parentInstanceId: parentId });
    expect(page.items).toHaveLength(1);
    return page.items[0];
  };

  it('starts the child in the parent step and hands its end back in the child last step (Camunda 8)', async () => {
    await t.engine.deploy(child('Notify'));
    await t.engine.deploy(parent('Complaint', callActivity8('Call', 'Notify', { outputs: [['=sent', 'wasSent']] })));
    const p = await t.engine.startInstance({ definitionKey: 'Complaint', variables: { customer: 'Ada' } });
    expect(p.activeElements).toEqual(['Call']);
    const c = await childOf(p.id);
    expect(c).toMatchObject({
      definitionKey: 'Notify',
      status: 'active',
      activeElements: ['Work'],
      parentInstanceId: p.id,
      rootInstanceId: p.id,
      callActivityId: 'Call',
      variables: { customer: 'Ada' },
    });
    expect((await t.engine.getInstance(p.id)).rootInstanceId).toBe(p.id);
    await t.engine.completeTask((await openTaskAt(t.engine, c.id, 'Work')).id, { sent: true, note: 'x' });
    const after = await t.engine.getInstance(p.id);
    expect(after.activeElements).toEqual(['After']);
    // Camunda 8 propagates every child variable by default, plus the output mappings
    expect(after.variables).toEqual({ customer: 'Ada', sent: true, note: 'x', wasSent: true });
    expect((await t.engine.getInstance(c.id)).status).toBe('completed');
    const history = await t.engine.history(p.id);
    expect(history.map((h) => h.event)).toEqual(expect.arrayContaining(['call.started', 'call.completed']));
    const started = history.find((h) => h.event === 'call.started');
    expect(started?.details).toMatchObject({ calledInstanceId: c.id, definitionId: 'Notify:1' });
  });

  it('with propagateAllChildVariables false passes back only the output mappings', async () => {
    await t.engine.deploy(child('Notify'));
    await t.engine.deploy(
      parent(
        'Complaint',
        callActivity8('Call', 'Notify', {
          inputs: [['=customer', 'who']],
          outputs: [['=sent', 'wasSent']],
          propagateAllChildVariables: false,
          propagateAllParentVariables: false,
        }),
      ),
    );
    const p = await t.engine.startInstance({ definitionKey: 'Complaint', variables: { customer: 'Ada', secret: 1 } });
    const c = await childOf(p.id);
    expect(c.variables).toEqual({ who: 'Ada' });
    await t.engine.completeTask((await openTaskAt(t.engine, c.id, 'Work')).id, { sent: true, note: 'x' });
    expect((await t.engine.getInstance(p.id)).variables).toEqual({ customer: 'Ada', secret: 1, wasSent: true });
  });

  it('passes Camunda 7 camunda:in/out: source, target, variables="all", businessKey', async () => {
    await t.engine.deploy(child('Notify'));
    await t.engine.deploy(
      parent(
        'Complaint',
        callActivity7('Call', 'Notify', {
          ins: ['source="customer" target="who"', 'businessKey="#{caseNo}"'],
          outs: ['source="sent" target="wasSent"'],
        }),
      ),
    );
    const p = await t.engine.startInstance({
      definitionKey: 'Complaint',
      variables: { customer: 'Ada', caseNo: 'C-7' },
    });
    const c = await childOf(p.id);
    expect(c.variables).toEqual({ who: 'Ada' });
    expect(c.businessKey).toBe('C-7');
    await t.engine.completeTask((await openTaskAt(t.engine, c.id, 'Work')).id, { sent: true, note: 'x' });
    expect((await t.engine.getInstance(p.id)).variables).toEqual({ customer: 'Ada', caseNo: 'C-7', wasSent: true });
  });

  it('Camunda 7 variables="all" both ways copies everything', async () => {
    await t.engine.deploy(child('Notify'));
    await t.engine.deploy(
      parent('Complaint', callActivity7('Call', 'Notify', { ins: ['variables="all"'], outs: ['variables="all"'] })),
    );
    const p = await t.engine.startInstance({ definitionKey: 'Complaint', variables: { customer: 'Ada' } });
    const c = await childOf(p.id);
    expect(c.variables).toEqual({ customer: 'Ada' });
    await t.engine.completeTask((await openTaskAt(t.engine, c.id, 'Work')).id, { sent: true });
    expect((await t.engine.getInstance(p.id)).variables).toEqual({ customer: 'Ada', sent: true });
  });

  it('a child that ends at once completes the call activity in the same start', async () => {
    await t.engine.deploy(child('Quick', []));
    await t.engine.deploy(parent('Complaint', callActivity8('Call', 'Quick')));
    const p = await t.engine.startInstance({ definitionKey: 'Complaint', variables: { n: 1 } });
    // the answer of the start is the instance as the whole cascade left it
    expect(p.activeElements).toEqual(['After']);
    const page = await t.engine.listInstances({ parentInstanceId: p.id });
    expect(page.items.map((i) => i.status)).toEqual(['completed']);
  });

  it('calls a grandchild: the root id is the top of the chain, and ends hand back up one by one', async () => {
    await t.engine.deploy(child('Leaf'));
    await t.engine.deploy(child('Middle', [callActivity8('CallLeaf', 'Leaf')]));
    await t.engine.deploy(parent('Top', callActivity8('Call', 'Middle')));
    const p = await t.engine.startInstance({ definitionKey: 'Top' });
    const m = await childOf(p.id);
    const l = await childOf(m.id);
    expect(l).toMatchObject({ parentInstanceId: m.id, rootInstanceId: p.id, callActivityId: 'CallLeaf' });
    await t.engine.completeTask((await openTaskAt(t.engine, l.id, 'Work')).id, {});
    expect((await t.engine.getInstance(m.id)).status).toBe('completed');
    expect((await t.engine.getInstance(p.id)).activeElements).toEqual(['After']);
  });

  it("mirrors a child's incident on the parent's call activity and resolves it with its root cause", async () => {
    await t.engine.deploy(
      definitions('Route', [
        start('CS'),
        gateway('exclusive', 'Which'),
        userTask('Work'),
        userTask('Other'),
        end('CE'),
        flow('CS', 'Which'),
        flow('Which', 'Work', '=ok'),
        flow('Which', 'Other', '=not(ok)'),
        flow('Work', 'CE'),
        flow('Other', 'CE'),
      ]),
    );
    await t.engine.deploy(parent('Case', callActivity8('Call', 'Route')));
    // `ok` not set: neither condition can be evaluated, an incident in the child
    const p = await t.engine.startInstance({ definitionKey: 'Case', variables: {} });
    expect(p.status).toBe('incident');
    const c = await childOf(p.id);
    const [root] = (await t.engine.listIncidents({ instanceId: c.id, status: 'open' })).items;
    const [mirrored] = (await t.engine.listIncidents({ instanceId: p.id, status: 'open' })).items;
    expect(mirrored).toMatchObject({
      code: 'CALLED_INSTANCE_INCIDENT',
      elementId: 'Call',
      causeIncidentId: root.id,
      rootCauseIncidentId: root.id,
    });
    await t.engine.retryIncident(root.id, { variables: { ok: true } });
    expect((await t.engine.getInstance(p.id)).status).toBe('active');
    expect((await t.store.incidents.get(mirrored.id))?.status).toBe('resolved');
  });

  it('binds by version when told, the latest version by default', async () => {
    await t.engine.deploy(child('Notify'));
    await t.engine.deploy(child('Notify', [userTask('Work'), userTask('Second')]));
    await t.engine.deploy(parent('Latest', callActivity7('Call', 'Notify')));
    await t.engine.deploy(
      parent(
        'Pinned',
        callActivity7('Call', 'Notify', {
          attrs: 'camunda:calledElementBinding="version" camunda:calledElementVersion="1"',
        }),
      ),
    );
    const latest = await t.engine.startInstance({ definitionKey: 'Latest' });
    const pinned = await t.engine.startInstance({ definitionKey: 'Pinned' });
    expect((await childOf(latest.id)).definitionId).toBe('Notify:2');
    expect((await childOf(pinned.id)).definitionId).toBe('Notify:1');
  });
});

describe('runtime/call-activity deploy', () => {
  it('runs a multi-instance call activity by loop cardinality: one child per instance', async () => {
    const { engineOn: on } = await import('../helpers/engine.js');
    const { storeBackends } = await import('../helpers/stores.js');
    const t = on(await storeBackends()[0].open());
    await t.engine.deploy(child('Notify'));
    const xml = definitions('Many', [
      start('S'),
      '<bpmn:callActivity id="Call" calledElement="Notify"><bpmn:multiInstanceLoopCharacteristics><bpmn:loopCardinality>3</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics></bpmn:callActivity>',
      end('E'),
      ...chain('S', 'Call', 'E'),
    ]);
    await t.engine.deploy(xml);
    const p = await t.engine.startInstance({ definitionKey: 'Many' });
    const kids = (await t.engine.listInstances({ parentInstanceId: p.id })).items;
    expect(kids.map((k) => k.status)).toEqual(['active', 'active', 'active']);
    for (const k of kids) await t.engine.completeTask((await openTaskAt(t.engine, k.id, 'Work')).id, {});
    expect((await t.engine.getInstance(p.id)).status).toBe('completed');
  });
});
