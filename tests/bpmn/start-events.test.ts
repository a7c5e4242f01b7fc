// issue #10: valid processes without a none start event deploy; refusals say "svcflow does not run … yet" or "invalid because …"
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import {
  chain,
  definitions,
  end,
  flow,
  message,
  receiveTask,
  start,
  subProcess,
  userTask,
} from '../helpers/bpmn-builder.js';
import { problemsOf } from '../helpers/compile.js';
import { engineOn, type TestEngine } from '../helpers/engine.js';
import { closeStores, describeEachStore } from '../helpers/stores.js';

const messageStart = (id: string, ref: string) =>
  `<bpmn:startEvent id="${id}"><bpmn:messageEventDefinition messageRef="${ref}" /></bpmn:startEvent>`;
const signalStart = (id: string, ref: string) =>
  `<bpmn:startEvent id="${id}"><bpmn:signalEventDefinition signalRef="${ref}" /></bpmn:startEvent>`;
const instantiatingReceive = (id: string, ref: string) =>
  `<bpmn:receiveTask id="${id}" messageRef="${ref}" instantiate="true" />`;

describe('bpmn/start events', () => {
  it.each([
    ['a message start event', [messageStart('S', 'Msg'), userTask('A'), end('E'), ...chain('S', 'A', 'E')]],
    ['a signal start event', [signalStart('S', 'Sig'), userTask('A'), end('E'), ...chain('S', 'A', 'E')]],
    [
      'an instantiating receive task',
      [instantiatingReceive('R', 'Msg'), userTask('A'), end('E'), ...chain('R', 'A', 'E')],
    ],
    [
      'a none and a message start event',
      [start('S'), messageStart('M', 'Msg'), userTask('A'), end('E'), ...chain('S', 'A', 'E'), flow('M', 'A')],
    ],
  ])('deploys a process started by %s', async (_, body) => {
    const problems = await problemsOf(
      definitions('P', body, [message('Msg', 'go'), '<bpmn:signal id="Sig" name="go" />']),
    );
    expect(problems).toEqual([]);
  });

  it('calls a triggered start event in a sub-process invalid, citing the spec', async () => {
    const problems = await problemsOf(
      definitions(
        'P',
        [
          start('S'),
          subProcess('Sub', [messageStart('SS', 'Msg'), end('SE'), ...chain('SS', 'SE')]),
          end('E'),
          ...chain('S', 'Sub', 'E'),
        ],
        [message('Msg', 'go')],
      ),
    );
    expect(problems).toContainEqual(
      expect.objectContaining({
        code: 'START_EVENT_INVALID',
        elementId: 'SS',
        message: expect.stringContaining('the model is invalid because'),
      }),
    );
  });

  it('says svcflow does not run a process with two none start events yet', async () => {
    const problems = await problemsOf(
      definitions('P', [start('S1'), start('S2'), userTask('A'), end('E'), ...chain('S1', 'A', 'E'), flow('S2', 'A')]),
    );
    expect(problems).toEqual([
      expect.objectContaining({
        code: 'MULTIPLE_START_EVENTS',
        elementId: 'P',
        message: expect.stringContaining('svcflow does not run'),
      }),
    ]);
  });
});

afterAll(closeStores);

describeEachStore('runtime/starting a process without a none start event', (backend) => {
  let t: TestEngine;
  beforeEach(async () => {
    t = engineOn(await backend.open());
  });

  it('answers a plain start with a clear problem instead of running the message start', async () => {
    await t.engine.deploy(
      definitions(
        'P',
        [messageStart('S', 'Msg'), userTask('A'), end('E'), ...chain('S', 'A', 'E')],
        [message('Msg', 'go')],
      ),
    );
    await expect(t.engine.startInstance({ definitionKey: 'P' })).rejects.toMatchObject({ code: 'NO_NONE_START_EVENT' });
    expect((await t.engine.listInstances({})).total).toBe(0);
  });

  it('starts a process with a none and a message start event at the none start event', async () => {
    await t.engine.deploy(
      definitions(
        'P',
        [
          start('S'),
          messageStart('M', 'Msg'),
          userTask('A'),
          receiveTask('B', 'Msg'),
          end('E'),
          end('E2'),
          ...chain('S', 'A', 'E'),
          ...chain('M', 'B', 'E2'),
        ],
        [message('Msg', 'go')],
      ),
    );
    const started = await t.engine.startInstance({ definitionKey: 'P' });
    expect(started.activeElements).toEqual(['A']);
  });
});
