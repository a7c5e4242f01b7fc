// issue 11 "Call activities": cancel cascade, a child's uncaught error and escalation at the call activity,
// a call to a key that is not deployed, and one transaction for the whole cascade
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import {
  boundary,
  chain,
  definitions,
  end,
  error,
  errorEnd,
  escalation,
  escalationThrow,
  flow,
  gateway,
  start,
  terminateEnd,
  userTask,
} from '../helpers/bpmn-builder.js';
import { callActivity8 } from '../helpers/call-builder.js';
import { engineOn, openTaskAt, type TestEngine } from '../helpers/engine.js';
import { closeStores, storeBackends } from '../helpers/stores.js';

afterAll(closeStores);

const waitingChild = (key: string, inner: string[] = [userTask('Work')]) =>
  definitions(key, [start('CS'), ...inner, end('CE'), ...chain('CS', 'Work', 'CE')]);

describe('runtime/call-activity events', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = engineOn(await storeBackends()[0].open());
  });
  const childrenOf = async (id: string) => (await t.engine.listInstances({ parentInstanceId: id })).items;
  const statusOf = async (id: string) => (await t.engine.getInstance(id)).status;

  it('cancelling the parent cancels the child and the grandchild in the same step', async () => {
    await t.engine.deploy(waitingChild('Leaf'));
    await t.engine.deploy(
      definitions('Middle', [
        start('MS'),
        callActivity8('CallLeaf', 'Leaf'),
        end('ME'),
        ...chain('MS', 'CallLeaf', 'ME'),
      ]),
    );
    await t.engine.deploy(
      definitions('Top', [start('S'), callActivity8('Call', 'Middle'), end('E'), ...chain('S', 'Call', 'E')]),
    );
    const p = await t.engine.startInstance({ definitionKey: 'Top' });
    const [m] = await childrenOf(p.id);
    const [l] = await childrenOf(m.id);
    const task = await openTaskAt(t.engine, l.id, 'Work');
    await t.engine.cancelInstance(p.id);
    expect([await statusOf(p.id), await statusOf(m.id), await statusOf(l.id)]).toEqual([
      'terminated',
      'terminated',
      'terminated',
    ]);
    expect((await t.engine.listTasks({ instanceId: l.id, status: 'open' })).items).toEqual([]);
    expect(task.status).toBe('open');
  });

  it('an interrupting timer boundary on the call activity cancels the child when it fires', async () => {
    await t.engine.deploy(waitingChild('Notify'));
    await t.engine.deploy(
      definitions('Top', [
        start('S'),
        callActivity8('Call', 'Notify'),
        boundary('Late', 'Call', { timer: ['duration', 'PT1H'] }),
        userTask('Chase'),
        end('E'),
        end('E2'),
        ...chain('S', 'Call', 'E'),
        ...chain('Late', 'Chase', 'E2'),
      ]),
    );
    const p = await t.engine.startInstance({ definitionKey: 'Top' });
    const [c] = await childrenOf(p.id);
    t.clock.advance(59 * 60_000);
    await t.engine.tick();
    expect(await statusOf(c.id)).toBe('active');
    t.clock.advance(60_000);
    await t.engine.tick();
    expect((await t.engine.getInstance(p.id)).activeElements).toEqual(['Chase']);
    expect(await statusOf(c.id)).toBe('terminated');
  });

  it('a terminate end in the parent cancels a child still running on a parallel branch', async () => {
    await t.engine.deploy(waitingChild('Notify'));
    await t.engine.deploy(
      definitions('Top', [
        start('S'),
        gateway('parallel', 'Fork'),
        callActivity8('Call', 'Notify'),
        userTask('Decide'),
        terminateEnd('Stop'),
        end('E'),
        ...chain('S', 'Fork'),
        flow('Fork', 'Call'),
        flow('Fork', 'Decide'),
        flow('Call', 'E'),
        flow('Decide', 'Stop'),
      ]),
    );
    const p = await t.engine.startInstance({ definitionKey: 'Top' });
    const [c] = await childrenOf(p.id);
    await t.engine.completeTask((await openTaskAt(t.engine, p.id, 'Decide')).id, {});
    expect(await statusOf(p.id)).toBe('completed');
    expect(await statusOf(c.id)).toBe('terminated');
  });

  it("the child's uncaught BPMN error is caught by an error boundary on the call activity", async () => {
    await t.engine.deploy(
      definitions(
        'Check',
        [start('CS'), userTask('Work'), errorEnd('Fail', 'Err_denied'), ...chain('CS', 'Work', 'Fail')],
        [error('Err_denied', 'DENIED')],
      ),
    );
    await t.engine.deploy(
      definitions(
        'Top',
        [
          start('S'),
          callActivity8('Call', 'Check'),
          boundary('Denied', 'Call', { error: 'Err_top' }),
          userTask('Apologise'),
          end('E'),
          end('E2'),
          ...chain('S', 'Call', 'E'),
          ...chain('Denied', 'Apologise', 'E2'),
        ],
        [error('Err_top', 'DENIED')],
      ),
    );
    const p = await t.engine.startInstance({ definitionKey: 'Top' });
    const [c] = await childrenOf(p.id);
    await t.engine.completeTask((await openTaskAt(t.engine, c.id, 'Work')).id, {});
    expect((await t.engine.getInstance(p.id)).activeElements).toEqual(['Apologise']);
    // the call activity was interrupted: its child ends with it, its incident resolved
    expect(await statusOf(c.id)).toBe('terminated');
    expect((await t.engine.listIncidents({ instanceId: c.id, status: 'open' })).items).toEqual([]);
  });

  it("a child's escalation reaches a non-interrupting boundary and the child runs on", async () => {
    await t.engine.deploy(
      definitions(
        'Check',
        [
          start('CS'),
          escalationThrow('Shout', 'Esc_help'),
          userTask('Work'),
          end('CE'),
          ...chain('CS', 'Shout', 'Work', 'CE'),
        ],
        [escalation('Esc_help', 'HELP')],
      ),
    );
    await t.engine.deploy(
      definitions(
        'Top',
        [
          start('S'),
          callActivity8('Call', 'Check'),
          boundary('Help', 'Call', { escalation: 'Esc_top' }, false),
          userTask('Assist'),
          userTask('After'),
          end('E'),
          end('E2'),
          ...chain('S', 'Call', 'After', 'E'),
          ...chain('Help', 'Assist', 'E2'),
        ],
        [escalation('Esc_top', 'HELP')],
      ),
    );
    const p = await t.engine.startInstance({ definitionKey: 'Top' });
    const [c] = await childrenOf(p.id);
    expect((await t.engine.getInstance(p.id)).activeElements.slice().sort()).toEqual(['Assist', 'Call']);
    expect((await t.engine.getInstance(c.id)).activeElements).toEqual(['Work']);
    await t.engine.completeTask((await openTaskAt(t.engine, c.id, 'Work')).id, {});
    expect((await t.engine.getInstance(p.id)).activeElements.slice().sort()).toEqual(['After', 'Assist']);
  });

  it('a key that is not deployed is an incident naming it, and its retry starts the call once deployed', async () => {
    await t.engine.deploy(
      definitions('Top', [
        start('S'),
        callActivity8('Call', 'Later'),
        userTask('After'),
        end('E'),
        ...chain('S', 'Call', 'After', 'E'),
      ]),
    );
    const p = await t.engine.startInstance({ definitionKey: 'Top' });
    expect(p.status).toBe('incident');
    const [incident] = (await t.engine.listIncidents({ instanceId: p.id, status: 'open' })).items;
    expect(incident).toMatchObject({ elementId: 'Call', code: 'CALLED_PROCESS_NOT_FOUND' });
    expect(incident.message).toContain("'Later'");
    expect(await childrenOf(p.id)).toEqual([]);
    await t.engine.deploy(waitingChild('Later'));
    await t.engine.retryIncident(incident.id);
    expect(await statusOf(p.id)).toBe('active');
    const [c] = await childrenOf(p.id);
    await t.engine.completeTask((await openTaskAt(t.engine, c.id, 'Work')).id, {});
    expect((await t.engine.getInstance(p.id)).activeElements).toEqual(['After']);
  });

  it('a process that calls itself without waiting fails its call as an incident instead of running away', async () => {
    await t.engine.deploy(
      definitions('Loop', [start('S'), callActivity8('Call', 'Loop'), end('E'), ...chain('S', 'Call', 'E')]),
    );
    const p = await t.engine.startInstance({ definitionKey: 'Loop' });
    // the failed call at the bottom shows on every instance above it, the top included
    expect(p.status).toBe('incident');
    const [mirrored] = (await t.engine.listIncidents({ instanceId: p.id, status: 'open', limit: 5 })).items;
    expect(mirrored).toMatchObject({ code: 'CALLED_INSTANCE_INCIDENT', elementId: 'Call' });
    const root = await t.store.incidents.get(mirrored.rootCauseIncidentId ?? '');
    expect(root).toMatchObject({ code: 'CALLED_PROCESS_NOT_FOUND', elementId: 'Call', status: 'open' });
    expect(root?.message).toContain('more than 1000');
  });

  it('a child step that fails leaves the parent as it was: the whole cascade is one transaction', async () => {
    await t.engine.deploy(waitingChild('Notify'));
    await t.engine.deploy(
      definitions('Top', [
        start('S'),
        userTask('First'),
        callActivity8('Call', 'Notify'),
        end('E'),
        ...chain('S', 'First', 'Call', 'E'),
      ]),
    );
    const p = await t.engine.startInstance({ definitionKey: 'Top' });
    const task = await openTaskAt(t.engine, p.id, 'First');
    // the child's first write crashes: the parent's completion of First must not commit without it
    const insert = t.store.instances.insert;
    let crashed = false;
    let armed = true;
    const crash = (tx: { instances: { insert: typeof insert } }) => {
      const original = tx.instances.insert.bind(tx.instances);
      tx.instances.insert = async (row) => {
        if (armed && row.parentInstanceId) {
          crashed = true;
          throw new Error('disk gone');
        }
        return original(row);
      };
    };
    const transaction = t.store.transaction.bind(t.store);
    t.store.transaction = ((fn: (tx: never) => Promise<unknown>) =>
      transaction(async (tx) => {
        crash(tx as never);
        return fn(tx as never);
      })) as typeof t.store.transaction;
    await expect(t.engine.completeTask(task.id, {})).rejects.toThrow('disk gone');
    t.store.transaction = transaction;
    armed = false;
    expect(crashed).toBe(true);
    const after = await t.engine.getInstance(p.id);
    expect(after.activeElements).toEqual(['First']);
    expect((await openTaskAt(t.engine, p.id, 'First')).id).toBe(task.id);
    expect(await childrenOf(p.id)).toEqual([]);
    // and once the disk is back the same completion runs whole
    await t.engine.completeTask(task.id, {});
    expect((await childrenOf(p.id)).map((c) => c.activeElements)).toEqual([['Work']]);
  });
});
