// issue 11 "Multi-instance and loops": a multi-instance call activity starts one child instance per item,
// each with its own variables in and out; the output collection is in input order; the completion
// condition and interrupting boundaries cancel the remaining children in the same step
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { boundary, chain, definitions, end, error, errorEnd, start, userTask } from '../helpers/bpmn-builder.js';
import { callActivity7, callActivity8 } from '../helpers/call-builder.js';
import { engineOn, openTaskAt, type TestEngine } from '../helpers/engine.js';
import { closeStores, storeBackends } from '../helpers/stores.js';

afterAll(closeStores);

const XSI = 'xsi:type="bpmn:tFormalExpression" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';
const completion = (expr?: string) =>
  expr ? `<bpmn:completionCondition ${XSI}>${expr}</bpmn:completionCondition>` : '';
/** Camunda 8 loop characteristics. */
const loop8 = (opts: { sequential?: boolean; output?: [string, string]; completion?: string } = {}) =>
  `<bpmn:multiInstanceLoopCharacteristics${opts.sequential ? ' isSequential="true"' : ''}><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=reviewers" inputElement="reviewer"${opts.output ? ` outputCollection="${opts.output[0]}" outputElement="${opts.output[1]}"` : ''} /></bpmn:extensionElements>${completion(opts.completion)}</bpmn:multiInstanceLoopCharacteristics>`;
/** Camunda 7 loop characteristics. */
const loop7 = (opts: { sequential?: boolean; completion?: string } = {}) =>
  `<bpmn:multiInstanceLoopCharacteristics${opts.sequential ? ' isSequential="true"' : ''} camunda:collection="\${reviewers}" camunda:elementVariable="reviewer">${completion(opts.completion)}</bpmn:multiInstanceLoopCharacteristics>`;
/** A call activity with loop characteristics. */
const withLoop = (call: string, loop: string) =>
  call.endsWith(' />')
    ? `${call.slice(0, -3)}>${loop}</bpmn:callActivity>`
    : call.replace('</bpmn:callActivity>', `${loop}</bpmn:callActivity>`);
const review = (key: string) =>
  definitions(key, [start('CS'), userTask('Work'), end('CE'), ...chain('CS', 'Work', 'CE')]);
const parent = (key: string, call: string, extra: string[] = [], roots: string[] = []) =>
  definitions(
    key,
    [start('S'), call, userTask('After'), end('E'), ...chain('S', 'Call', 'After', 'E'), ...extra],
    roots,
  );

describe('runtime/call-activity multi-instance', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = engineOn(await storeBackends()[0].open());
  });
  const childrenOf = async (id: string) => (await t.engine.listInstances({ parentInstanceId: id, limit: 100 })).items;
  const byReviewer = async (id: string, key = 'reviewer') => {
    const map = new Map<unknown, Awaited<ReturnType<typeof childrenOf>>[number]>();
    for (const c of await childrenOf(id)) map.set(c.variables[key], c);
    return map;
  };
  const finish = async (instanceId: string, variables: Record<string, unknown>) =>
    t.engine.completeTask((await openTaskAt(t.engine, instanceId, 'Work')).id, variables);
  const statusOf = async (id: string) => (await t.engine.getInstance(id)).status;

  it('parallel (Camunda 8): one child per item at once, each with its item; output collection in input order', async () => {
    await t.engine.deploy(review('Review'));
    await t.engine.deploy(
      parent('Complaint', withLoop(callActivity8('Call', 'Review'), loop8({ output: ['verdicts', '=verdict'] }))),
    );
    const p = await t.engine.startInstance({
      definitionKey: 'Complaint',
      variables: { reviewers: ['ann', 'bob', 'cy'] },
    });
    const kids = await byReviewer(p.id);
    expect([...kids.keys()].sort()).toEqual(['ann', 'bob', 'cy']);
    expect(kids.get('bob')).toMatchObject({ status: 'active', callActivityId: 'Call', parentInstanceId: p.id });
    expect(kids.get('bob')!.variables).toMatchObject({ reviewer: 'bob', loopCounter: 2, nrOfInstances: 3 });
    // completed out of order
    await finish(kids.get('cy')!.id, { verdict: 'no' });
    await finish(kids.get('ann')!.id, { verdict: 'yes' });
    expect((await t.engine.getInstance(p.id)).activeElements).toEqual(['Call']);
    await finish(kids.get('bob')!.id, { verdict: 'maybe' });
    const after = await t.engine.getInstance(p.id);
    expect(after.activeElements).toEqual(['After']);
    expect(after.variables.verdicts).toEqual(['yes', 'maybe', 'no']);
  });

  it('sequential (Camunda 7): the next child starts when the previous completed, camunda:in/out per child', async () => {
    await t.engine.deploy(review('Review'));
    const call = callActivity7('Call', 'Review', {
      ins: ['source="reviewer" target="who"', 'source="loopCounter" target="n"'],
      outs: ['source="verdict" target="lastVerdict"'],
    });
    await t.engine.deploy(parent('Complaint', withLoop(call, loop7({ sequential: true }))));
    const p = await t.engine.startInstance({ definitionKey: 'Complaint', variables: { reviewers: ['ann', 'bob'] } });
    let kids = await childrenOf(p.id);
    expect(kids.map((k) => k.variables)).toEqual([{ who: 'ann', n: 1 }]);
    await finish(kids[0].id, { verdict: 'yes', secret: 1 });
    expect((await t.engine.getInstance(p.id)).variables.lastVerdict).toBe('yes');
    kids = (await childrenOf(p.id)).filter((k) => k.status === 'active');
    expect(kids.map((k) => k.variables)).toEqual([{ who: 'bob', n: 2 }]);
    await finish(kids[0].id, { verdict: 'no' });
    const after = await t.engine.getInstance(p.id);
    expect(after.activeElements).toEqual(['After']);
    // only what camunda:out names comes back
    expect(after.variables).toEqual({ reviewers: ['ann', 'bob'], lastVerdict: 'no' });
  });

  it('the completion condition cancels the remaining children in the same step', async () => {
    await t.engine.deploy(review('Review'));
    const call = callActivity7('Call', 'Review', { ins: ['source="reviewer" target="reviewer"'] });
    await t.engine.deploy(parent('Complaint', withLoop(call, loop7({ completion: '${nrOfCompletedInstances >= 2}' }))));
    const p = await t.engine.startInstance({
      definitionKey: 'Complaint',
      variables: { reviewers: ['ann', 'bob', 'cy'] },
    });
    const kids = await byReviewer(p.id);
    await finish(kids.get('ann')!.id, {});
    expect(await statusOf(kids.get('cy')!.id)).toBe('active');
    await finish(kids.get('bob')!.id, {});
    expect((await t.engine.getInstance(p.id)).activeElements).toEqual(['After']);
    expect(await statusOf(kids.get('cy')!.id)).toBe('terminated');
    expect((await t.engine.listTasks({ instanceId: kids.get('cy')!.id, status: 'open' })).items).toEqual([]);
  });

  it('an interrupting timer boundary on the body cancels every running child when it fires', async () => {
    await t.engine.deploy(review('Review'));
    await t.engine.deploy(
      parent('Complaint', withLoop(callActivity8('Call', 'Review'), loop8()), [
        boundary('Late', 'Call', { timer: ['duration', 'PT1H'] }),
        end('E2'),
        ...chain('Late', 'E2'),
      ]),
    );
    const p = await t.engine.startInstance({
      definitionKey: 'Complaint',
      variables: { reviewers: ['ann', 'bob', 'cy'] },
    });
    const kids = await byReviewer(p.id);
    await finish(kids.get('ann')!.id, {});
    // the timer belongs to the body: one completed instance does not disarm it
    t.clock.advance(60 * 60_000);
    await t.engine.tick();
    expect(await statusOf(p.id)).toBe('completed');
    expect((await t.engine.getInstance(p.id)).variables).not.toHaveProperty('After');
    expect(await statusOf(kids.get('ann')!.id)).toBe('completed');
    expect(await statusOf(kids.get('bob')!.id)).toBe('terminated');
    expect(await statusOf(kids.get('cy')!.id)).toBe('terminated');
  });

  it("one child's uncaught error, caught on the body, interrupts all instances (multiInstanceBody)", async () => {
    await t.engine.deploy(
      definitions(
        'Check',
        [start('CS'), userTask('Work'), errorEnd('Fail', 'Err_denied'), ...chain('CS', 'Work', 'Fail')],
        [error('Err_denied', 'DENIED')],
      ),
    );
    await t.engine.deploy(
      parent(
        'Complaint',
        withLoop(callActivity8('Call', 'Check'), loop8()),
        [
          boundary('Denied', 'Call', { error: 'Err_top' }),
          userTask('Apologise'),
          end('E2'),
          ...chain('Denied', 'Apologise', 'E2'),
        ],
        [error('Err_top', 'DENIED')],
      ),
    );
    const p = await t.engine.startInstance({
      definitionKey: 'Complaint',
      variables: { reviewers: ['ann', 'bob', 'cy'] },
    });
    const kids = await byReviewer(p.id);
    await finish(kids.get('bob')!.id, {});
    expect((await t.engine.getInstance(p.id)).activeElements).toEqual(['Apologise']);
    expect(await statusOf(kids.get('ann')!.id)).toBe('terminated');
    expect(await statusOf(kids.get('cy')!.id)).toBe('terminated');
    expect((await t.engine.listIncidents({ instanceId: kids.get('bob')!.id, status: 'open' })).items).toEqual([]);
  });

  it('children that all throw at once: the first error interrupts the body, the others are cancelled with it', async () => {
    await t.engine.deploy(
      definitions(
        'Check',
        [start('CS'), errorEnd('Fail', 'Err_denied'), ...chain('CS', 'Fail')],
        [error('Err_denied', 'DENIED')],
      ),
    );
    await t.engine.deploy(
      parent(
        'Complaint',
        withLoop(callActivity8('Call', 'Check'), loop8()),
        [
          boundary('Denied', 'Call', { error: 'Err_top' }),
          userTask('Apologise'),
          end('E2'),
          ...chain('Denied', 'Apologise', 'E2'),
        ],
        [error('Err_top', 'DENIED')],
      ),
    );
    const p = await t.engine.startInstance({
      definitionKey: 'Complaint',
      variables: { reviewers: ['ann', 'bob', 'cy'] },
    });
    expect(p.activeElements).toEqual(['Apologise']);
    expect(p.status).toBe('active');
    expect((await t.engine.listIncidents({ instanceId: p.id, status: 'open' })).items).toEqual([]);
    const kids = await childrenOf(p.id);
    expect(kids).toHaveLength(3);
    for (const k of kids)
      expect((await t.engine.listIncidents({ instanceId: k.id, status: 'open' })).items).toEqual([]);
    expect(
      (await t.engine.history(p.id)).filter((h) => h.event === 'element.entered' && h.elementId === 'Apologise'),
    ).toHaveLength(1);
  });

  it('nested: a multi-instance call activity inside a sequential multi-instance sub-process sees both items', async () => {
    await t.engine.deploy(review('Review'));
    const inner = withLoop(
      callActivity7('Call', 'Review', {
        ins: ['source="reviewer" target="reviewer"', 'source="team" target="team"'],
      }),
      loop7(),
    );
    const teams = `<bpmn:multiInstanceLoopCharacteristics isSequential="true" camunda:collection="\${teams}" camunda:elementVariable="team" />`;
    await t.engine.deploy(
      definitions('Complaint', [
        start('S'),
        `<bpmn:subProcess id="PerTeam">${start('IS')}${inner}${end('IE')}${chain('IS', 'Call', 'IE').join('')}${teams}</bpmn:subProcess>`,
        userTask('After'),
        end('E'),
        ...chain('S', 'PerTeam', 'After', 'E'),
      ]),
    );
    const p = await t.engine.startInstance({
      definitionKey: 'Complaint',
      variables: { teams: ['red', 'blue'], reviewers: ['ann', 'bob'] },
    });
    let kids = (await childrenOf(p.id)).filter((k) => k.status === 'active');
    expect(kids.map((k) => k.variables).sort((a, b) => String(a.reviewer).localeCompare(String(b.reviewer)))).toEqual([
      { reviewer: 'ann', team: 'red' },
      { reviewer: 'bob', team: 'red' },
    ]);
    for (const k of kids) await finish(k.id, {});
    kids = (await childrenOf(p.id)).filter((k) => k.status === 'active');
    expect(kids.map((k) => k.variables.team)).toEqual(['blue', 'blue']);
    for (const k of kids) await finish(k.id, {});
    expect((await t.engine.getInstance(p.id)).activeElements).toEqual(['After']);
  });

  it('cancelling the parent cancels every child', async () => {
    await t.engine.deploy(review('Review'));
    await t.engine.deploy(parent('Complaint', withLoop(callActivity8('Call', 'Review'), loop8())));
    const p = await t.engine.startInstance({ definitionKey: 'Complaint', variables: { reviewers: ['ann', 'bob'] } });
    await t.engine.cancelInstance(p.id);
    expect((await childrenOf(p.id)).map((c) => c.status)).toEqual(['terminated', 'terminated']);
  });

  it('a child that cannot start is an incident naming the key; its retry starts only that child', async () => {
    await t.engine.deploy(review('Review'));
    const call = withLoop(
      '<bpmn:callActivity id="Call"><bpmn:extensionElements><zeebe:calledElement processId="=reviewer" /></bpmn:extensionElements></bpmn:callActivity>',
      loop8({ output: ['done', '=reviewer'] }),
    );
    await t.engine.deploy(parent('Complaint', call));
    const p = await t.engine.startInstance({
      definitionKey: 'Complaint',
      variables: { reviewers: ['Review', 'Audit'] },
    });
    const [first] = await childrenOf(p.id);
    expect(first.definitionKey).toBe('Review');
    const [incident] = (await t.engine.listIncidents({ instanceId: p.id, status: 'open' })).items;
    expect(incident).toMatchObject({ elementId: 'Call', code: 'CALLED_PROCESS_NOT_FOUND' });
    expect(incident.message).toContain("'Audit'");
    await t.engine.deploy(review('Audit'));
    await t.engine.retryIncident(incident.id);
    const kids = await childrenOf(p.id);
    expect(kids.map((k) => [k.definitionKey, k.status]).sort()).toEqual([
      ['Audit', 'active'],
      ['Review', 'active'],
    ]);
    // the first child was not started again
    expect(kids.find((k) => k.definitionKey === 'Review')!.id).toBe(first.id);
    for (const k of kids) await finish(k.id, {});
    const after = await t.engine.getInstance(p.id);
    expect(after.activeElements).toEqual(['After']);
    expect(after.variables.done).toEqual(['Review', 'Audit']);
  });
});
