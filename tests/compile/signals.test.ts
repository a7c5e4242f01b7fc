import { describe, expect, it } from 'vitest';
import { simulate } from '../../engine/compile/index.js';
import {
  chain,
  definitions,
  end,
  flow,
  gateway,
  message,
  messageCatch,
  start,
  subProcess,
  timerCatch,
  userTask,
} from '../helpers/bpmn-builder.js';
import { complete, compileXml, effectsOf, problemsOf, run } from '../helpers/compile.js';
import {
  ioMapping,
  messageStart,
  signal,
  signalBoundary,
  signalCatch,
  signalStart,
  signalThrow,
} from '../helpers/event-builder.js';

const received = (elementId: string, variables: Record<string, unknown> = {}) => ({
  type: 'signal.received' as const,
  elementId,
  variables,
});

describe('compile/signals', () => {
  it("waits at an intermediate signal catch and goes on with the signal's variables", async () => {
    const compiled = await compileXml(
      definitions(
        'P',
        [start('S'), signalCatch('Wait', 'Sig'), userTask('A'), end('E'), ...chain('S', 'Wait', 'A', 'E')],
        [signal('Sig', 'outage')],
      ),
    );
    const waiting = run(compiled);
    expect(waiting.activeElements).toEqual(['Wait']);
    expect(effectsOf(waiting, 'signal.subscribe')).toEqual([
      expect.objectContaining({ type: 'signal.subscribe', elementId: 'Wait', signalName: 'outage' }),
    ]);
    const sim = run(compiled, [received('Wait', { region: 'north' })]);
    expect(sim.activeElements).toEqual(['A']);
    expect(sim.variables).toEqual({ region: 'north' });
    expect(effectsOf(sim, 'signal.unsubscribe')).toEqual([
      expect.objectContaining({ type: 'signal.unsubscribe', elementId: 'Wait' }),
    ]);
  });

  it('interrupts a task with an interrupting signal boundary and keeps it with a non-interrupting one', async () => {
    const interrupting = await compileXml(
      definitions(
        'P',
        [
          start('S'),
          userTask('A'),
          signalBoundary('B', 'A', 'Sig'),
          userTask('Handle'),
          end('E'),
          end('E2'),
          ...chain('S', 'A', 'E'),
          ...chain('B', 'Handle', 'E2'),
        ],
        [signal('Sig', 'outage')],
      ),
    );
    const cut = run(interrupting, [received('B')]);
    expect(cut.activeElements).toEqual(['Handle']);
    expect(effectsOf(cut, 'task.cancel')).toEqual([
      { type: 'task.cancel', elementId: 'A', activationId: expect.any(String) },
    ]);

    const parallel = await compileXml(
      definitions(
        'P',
        [
          start('S'),
          userTask('A'),
          signalBoundary('B', 'A', 'Sig', false),
          userTask('Raise'),
          end('E'),
          end('E2'),
          ...chain('S', 'A', 'E'),
          ...chain('B', 'Raise', 'E2'),
        ],
        [signal('Sig', 'outage')],
      ),
    );
    const both = run(parallel, [received('B', { priority: 'high' })]);
    expect(both.activeElements).toEqual(['A', 'Raise']);
    expect(both.variables).toEqual({ priority: 'high' });
    expect(effectsOf(both, 'task.cancel')).toEqual([]);
    expect(run(parallel, [received('B'), complete('A')]).activeElements).toEqual(['Raise']);
  });

  it('races a signal against a timer and a message behind an event-based gateway', async () => {
    const compiled = await compileXml(
      definitions(
        'P',
        [
          start('S'),
          gateway('eventBased', 'G'),
          signalCatch('OnSig', 'Sig'),
          timerCatch('OnTime', 'duration', 'PT1H'),
          messageCatch('OnMsg', 'M'),
          end('E1'),
          end('E2'),
          end('E3'),
          ...chain('S', 'G'),
          flow('G', 'OnSig'),
          flow('G', 'OnTime'),
          flow('G', 'OnMsg'),
          flow('OnSig', 'E1'),
          flow('OnTime', 'E2'),
          flow('OnMsg', 'E3'),
        ],
        [signal('Sig', 'outage'), message('M', 'reply')],
      ),
    );
    const sim = run(compiled, [received('OnSig')]);
    expect(sim.status).toBe('done');
    expect(sim.visited).toContain('E1');
    expect(effectsOf(sim, 'timer.cancel')).toEqual([{ type: 'timer.cancel', elementId: 'OnTime' }]);
    expect(effectsOf(sim, 'message.unsubscribe')).toEqual([{ type: 'message.unsubscribe', elementId: 'OnMsg' }]);
  });

  it('throws a signal from an intermediate and an end event with what the model passes, and nothing else', async () => {
    const compiled = await compileXml(
      definitions(
        'P',
        [
          start('S'),
          signalThrow('T', 'Sig', { ext: ioMapping([['=region', 'area']]) }),
          signalThrow('End', 'Sig', { end: true, camundaIn: '<camunda:in source="priority" target="level" />' }),
          ...chain('S', 'T', 'End'),
        ],
        [signal('Sig', 'outage')],
      ),
    );
    const sim = run(compiled, [], { region: 'north', priority: 3, secret: 'x' });
    expect(sim.status).toBe('done');
    expect(effectsOf(sim, 'signal.throw')).toEqual([
      { type: 'signal.throw', elementId: 'T', signalName: 'outage', variables: { area: 'north' } },
      { type: 'signal.throw', elementId: 'End', signalName: 'outage', variables: { level: 3 } },
    ]);
    const all = await compileXml(
      definitions(
        'P',
        [
          start('S'),
          signalThrow('End', 'Sig', { end: true, camundaIn: '<camunda:in variables="all" />' }),
          ...chain('S', 'End'),
        ],
        [signal('Sig', 'outage')],
      ),
    );
    expect(effectsOf(run(all, [], { a: 1 }), 'signal.throw')[0].variables).toEqual({ a: 1 });
  });

  it('catches signals inside a sub-process', async () => {
    const compiled = await compileXml(
      definitions(
        'P',
        [
          start('S'),
          subProcess('Sub', [start('SS'), signalCatch('W', 'Sig'), end('SE'), ...chain('SS', 'W', 'SE')]),
          end('E'),
          ...chain('S', 'Sub', 'E'),
        ],
        [signal('Sig', 'outage')],
      ),
    );
    expect(run(compiled).activeElements).toEqual(['Sub', 'W']);
    expect(run(compiled, [received('W')]).status).toBe('done');
  });

  it('starts at the start event it is started at, and lists every start with its trigger', async () => {
    const compiled = await compileXml(
      definitions(
        'P',
        [
          start('Plain'),
          signalStart('OnSig', 'Sig', ioMapping([], [['=region', 'area']])),
          messageStart('OnMsg', 'M'),
          userTask('ByHand'),
          userTask('Broadcast'),
          userTask('Mailed'),
          end('E1'),
          end('E2'),
          end('E3'),
          ...chain('Plain', 'ByHand', 'E1'),
          ...chain('OnSig', 'Broadcast', 'E2'),
          ...chain('OnMsg', 'Mailed', 'E3'),
        ],
        [signal('Sig', 'outage'), message('M', 'complaint')],
      ),
    );
    expect(compiled.starts).toEqual([
      { elementId: 'Plain', kind: 'none' },
      { elementId: 'OnSig', kind: 'signal', name: 'outage' },
      { elementId: 'OnMsg', kind: 'message', name: 'complaint' },
    ]);
    expect(compiled.noneStartEvent).toBe('Plain');
    expect(simulate(compiled).activeElements).toEqual(['ByHand']);
    const bySignal = simulate(compiled, { startEvent: 'OnSig', variables: { region: 'north', noise: 1 } });
    expect(bySignal.activeElements).toEqual(['Broadcast']);
    expect(bySignal.variables).toEqual({ area: 'north' });
    expect(simulate(compiled, { startEvent: 'OnMsg', variables: { a: 1 } })).toMatchObject({
      activeElements: ['Mailed'],
      variables: { a: 1 },
    });
  });

  it('starts a token-region process at the chosen start event', async () => {
    const compiled = await compileXml(
      definitions(
        'P',
        [
          start('Plain'),
          messageStart('OnMsg', 'M'),
          userTask('A'),
          userTask('B'),
          gateway('parallel', 'Split'),
          end('E1'),
          end('E2'),
          ...chain('Plain', 'A', 'E1'),
          flow('OnMsg', 'Split'),
          flow('Split', 'B'),
          flow('Split', 'A'),
          flow('B', 'E2'),
        ],
        [message('M', 'complaint')],
      ),
    );
    expect(simulate(compiled).activeElements).toEqual(['A']);
    expect(simulate(compiled, { startEvent: 'OnMsg' }).activeElements).toEqual(['A', 'B']);
  });

  it('refuses a signal without a name and one named by an expression', async () => {
    const unnamed = await problemsOf(
      definitions(
        'P',
        [start('S'), signalCatch('W', 'Sig'), end('E'), ...chain('S', 'W', 'E')],
        ['<bpmn:signal id="Sig" />'],
      ),
    );
    expect(unnamed).toEqual([expect.objectContaining({ code: 'SIGNAL_NAME_MISSING', elementId: 'W' })]);
    const computed = await problemsOf(
      definitions(
        'P',
        [start('S'), signalCatch('W', 'Sig'), end('E'), ...chain('S', 'W', 'E')],
        [signal('Sig', '=name')],
      ),
    );
    expect(computed).toEqual([expect.objectContaining({ code: 'UNSUPPORTED_ELEMENT', elementId: 'W' })]);
  });
});
