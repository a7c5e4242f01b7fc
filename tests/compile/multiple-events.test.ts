/**
 * Multiple and parallel multiple events (BPMN 2.0 §10.5.1): a multiple catch fires on any one of its definitions,
 * a parallel multiple catch once all of them occurred, a multiple boundary event on any one; a multiple throw
 * throws every definition. Each trace shows the original event once and nothing fired twice.
 */
import { describe, expect, it } from 'vitest';
import { definitions, end, escalation, flow, message, start, userTask } from '../helpers/bpmn-builder.js';
import { signal } from '../helpers/event-builder.js';
import { complete, compileXml, effectsOf, fire, problemsOf, receive, run } from '../helpers/compile.js';
import type { EngineEvent, Simulation } from '../../engine/compile/index.js';

const XSI = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';
const TIMER = `<bpmn:timerEventDefinition><bpmn:timeDuration xsi:type="bpmn:tFormalExpression" ${XSI}>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition>`;
const MESSAGE = '<bpmn:messageEventDefinition messageRef="Msg" />';
const SIGNAL = '<bpmn:signalEventDefinition signalRef="Sig" />';
const ESCALATION = '<bpmn:escalationEventDefinition escalationRef="Esc" />';
const ROOTS = [message('Msg', 'reply'), signal('Sig', 'outage'), escalation('Esc', 'late')];

function multipleCatch(id: string, defs: string[], parallel = false): string {
  return `<bpmn:intermediateCatchEvent id="${id}"${parallel ? ' parallelMultiple="true"' : ''}>${defs.join('')}</bpmn:intermediateCatchEvent>`;
}

/** S → W (the catch) → T (user task) → E. */
function waiting(catcher: string): string {
  return definitions(
    'P',
    [start('S'), catcher, userTask('T'), end('E'), flow('S', 'W'), flow('W', 'T'), flow('T', 'E')],
    ROOTS,
  );
}

function count(sim: Simulation, id: string): number {
  return sim.visited.filter((v) => v === id).length;
}

/** The element id the engine armed a trigger of this kind at (what the runtime's timer, message or signal names). */
function armedAt(sim: Simulation, type: 'timer.schedule' | 'message.subscribe' | 'signal.subscribe'): string {
  const armed = effectsOf(sim, type);
  expect(armed).toHaveLength(1);
  return armed[0].elementId;
}

const signalled = (elementId: string): EngineEvent =>
  ({ type: 'signal.received', elementId, variables: {} }) as EngineEvent;

describe('compile/multiple events: catch', () => {
  it('a multiple catch arms every definition and goes on at the first that occurs, disarming the others', async () => {
    const compiled = await compileXml(waiting(multipleCatch('W', [MESSAGE, TIMER])));
    const armed = run(compiled);
    expect(armed.activeElements).toEqual(['W']);
    const timerAt = armedAt(armed, 'timer.schedule');
    const messageAt = armedAt(armed, 'message.subscribe');

    const byMessage = run(compiled, [receive(messageAt, { answer: 'yes' })]);
    expect(byMessage.visited).toEqual(['S', 'W', 'T']);
    expect(byMessage.variables.answer).toBe('yes');
    expect(effectsOf(byMessage, 'timer.cancel').map((e) => e.elementId)).toEqual([timerAt]);

    const byTimer = run(compiled, [fire(timerAt), receive(messageAt), complete('T')]);
    expect(byTimer.visited).toEqual(['S', 'W', 'T', 'E']);
    expect(count(byTimer, 'T')).toBe(1);
    expect(byTimer.status).toBe('done');
  });

  it('a parallel multiple catch waits until every definition occurred', async () => {
    const compiled = await compileXml(waiting(multipleCatch('W', [MESSAGE, SIGNAL, TIMER], true)));
    const armed = run(compiled);
    const at = {
      timer: armedAt(armed, 'timer.schedule'),
      message: armedAt(armed, 'message.subscribe'),
      signal: armedAt(armed, 'signal.subscribe'),
    };
    const two = run(compiled, [fire(at.timer), receive(at.message)]);
    expect(two.visited).not.toContain('T');
    expect(two.activeElements).toEqual(['W']);
    const all = run(compiled, [fire(at.timer), receive(at.message), signalled(at.signal), complete('T')]);
    expect(all.visited.filter((v) => !v.startsWith('W__'))).toEqual(['S', 'W', 'T', 'E']);
    expect(count(all, 'T')).toBe(1);
    expect(all.status).toBe('done');
  });
});

describe('compile/multiple events: boundary', () => {
  function attached(interrupting: boolean): string {
    return definitions(
      'P',
      [
        start('S'),
        userTask('A'),
        `<bpmn:boundaryEvent id="B" attachedToRef="A" cancelActivity="${interrupting}">${MESSAGE}${TIMER}</bpmn:boundaryEvent>`,
        userTask('R'),
        end('E'),
        end('ER'),
        flow('S', 'A'),
        flow('A', 'E'),
        flow('B', 'R'),
        flow('R', 'ER'),
      ],
      ROOTS,
    );
  }

  it('an interrupting multiple boundary event leaves the activity on the first trigger', async () => {
    const compiled = await compileXml(attached(true));
    const armed = run(compiled);
    expect(armed.activeElements).toEqual(['A']);
    const timerAt = armedAt(armed, 'timer.schedule');
    const messageAt = armedAt(armed, 'message.subscribe');
    const sim = run(compiled, [fire(timerAt), receive(messageAt), complete('R')]);
    expect(sim.visited).toEqual(['S', 'A', 'B', 'R', 'ER']);
    // the timer's step cancels the task and the message subscription; the late message finds nothing
    const fired = sim.steps[1].effects;
    expect(fired).toContainEqual(expect.objectContaining({ type: 'task.cancel', elementId: 'A' }));
    expect(fired).toContainEqual(expect.objectContaining({ type: 'message.unsubscribe', elementId: messageAt }));
    expect(count(sim, 'B')).toBe(1);
    expect(sim.status).toBe('done');
  });

  it('a non-interrupting one runs its path for each trigger while the activity goes on', async () => {
    const compiled = await compileXml(attached(false));
    const armed = run(compiled);
    const sim = run(compiled, [receive(armedAt(armed, 'message.subscribe')), complete('R'), complete('A')]);
    expect(sim.visited).toEqual(['S', 'A', 'B', 'R', 'ER', 'E']);
    expect(sim.status).toBe('done');
  });
});

describe('compile/multiple events: parallel multiple boundary', () => {
  function attached(interrupting: boolean): string {
    return definitions(
      'P',
      [
        start('S'),
        userTask('A'),
        `<bpmn:boundaryEvent id="B" attachedToRef="A" cancelActivity="${interrupting}" parallelMultiple="true">${MESSAGE}${TIMER}${SIGNAL}</bpmn:boundaryEvent>`,
        userTask('R'),
        end('E'),
        end('ER'),
        flow('S', 'A'),
        flow('A', 'E'),
        flow('B', 'R'),
        flow('R', 'ER'),
      ],
      ROOTS,
    );
  }
  const armedOf = (sim: Simulation) => ({
    timer: armedAt(sim, 'timer.schedule'),
    message: armedAt(sim, 'message.subscribe'),
    signal: armedAt(sim, 'signal.subscribe'),
  });

  it('an interrupting one leaves the activity only once every trigger occurred, in any order', async () => {
    const compiled = await compileXml(attached(true));
    const at = armedOf(run(compiled));
    const two = run(compiled, [receive(at.message, { answer: 'yes' }), fire(at.timer)]);
    expect(two.activeElements).toEqual(['A']);
    expect(two.visited).not.toContain('B');
    // the same trigger twice is still one of three
    const again = run(compiled, [signalled(at.signal), signalled(at.signal), fire(at.timer)]);
    expect(again.activeElements).toEqual(['A']);
    const all = run(compiled, [fire(at.timer), signalled(at.signal), receive(at.message, { answer: 'yes' })]);
    expect(all.visited).toEqual(['S', 'A', 'B', 'R']);
    expect(all.activeElements).toEqual(['R']);
    expect(all.variables.answer).toBe('yes');
    expect(all.steps[3].effects).toContainEqual(expect.objectContaining({ type: 'task.cancel', elementId: 'A' }));
    expect(run(compiled, [fire(at.timer), signalled(at.signal), receive(at.message), complete('R')]).status).toBe(
      'done',
    );
  });

  it('an activity that completes first takes its remembered triggers along: they count nothing later', async () => {
    const compiled = await compileXml(attached(true));
    const at = armedOf(run(compiled));
    const sim = run(compiled, [fire(at.timer), signalled(at.signal), complete('A'), receive(at.message)]);
    expect(sim.visited).toEqual(['S', 'A', 'E']);
    expect(sim.status).toBe('done');
  });

  it('a non-interrupting one runs its path once all occurred, beside the activity', async () => {
    const compiled = await compileXml(attached(false));
    const at = armedOf(run(compiled));
    const sim = run(compiled, [signalled(at.signal), receive(at.message), fire(at.timer)]);
    expect(sim.activeElements.sort()).toEqual(['A', 'R']);
    expect(count(sim, 'B')).toBe(1);
    const done = run(compiled, [
      signalled(at.signal),
      receive(at.message),
      fire(at.timer),
      complete('R'),
      complete('A'),
    ]);
    expect(done.visited).toEqual(['S', 'A', 'B', 'R', 'ER', 'E']);
    expect(done.status).toBe('done');
  });
});

describe('compile/multiple events: parallel multiple boundary on an activity running twice at once', () => {
  it('remembers the triggers per run: only the run that saw all of them is interrupted', async () => {
    const compiled = await compileXml(
      definitions(
        'P',
        [
          start('S'),
          '<bpmn:parallelGateway id="G" />',
          userTask('A'),
          `<bpmn:boundaryEvent id="B" attachedToRef="A" parallelMultiple="true">${MESSAGE}${TIMER}</bpmn:boundaryEvent>`,
          userTask('R'),
          end('E'),
          end('ER'),
          flow('S', 'G'),
          flow('G', 'A', undefined, 'f1'),
          flow('G', 'A', undefined, 'f2'),
          flow('A', 'E'),
          flow('B', 'R'),
          flow('R', 'ER'),
        ],
        ROOTS,
      ),
    );
    const armed = run(compiled);
    const timers = effectsOf(armed, 'timer.schedule');
    const messages = effectsOf(armed, 'message.subscribe');
    expect(timers).toHaveLength(2);
    const [first, second] = timers.map((t) => t.activationId);
    expect(first).not.toBe(second);
    const at = (list: typeof timers | typeof messages, id: string | undefined) =>
      list.find((e) => e.activationId === id)?.elementId ?? '';
    const events: EngineEvent[] = [
      { type: 'timer.fired', elementId: at(timers, first), activationId: first } as EngineEvent,
      // the message of the other run: each run has seen one trigger of two
      { type: 'message.received', elementId: at(messages, second), activationId: second, variables: {} } as EngineEvent,
    ];
    expect(run(compiled, events).visited).not.toContain('R');
    const sim = run(compiled, [
      ...events,
      { type: 'message.received', elementId: at(messages, first), activationId: first, variables: {} } as EngineEvent,
    ]);
    expect(sim.visited.filter((v) => v === 'R')).toHaveLength(1);
    expect(sim.activeElements.sort()).toEqual(['A', 'R']);
  });
});

describe('compile/multiple events: throw', () => {
  it('a multiple intermediate throw throws every definition, once each, in order', async () => {
    const compiled = await compileXml(
      definitions(
        'P',
        [
          start('S'),
          `<bpmn:intermediateThrowEvent id="X">${SIGNAL}${ESCALATION}</bpmn:intermediateThrowEvent>`,
          end('E'),
          flow('S', 'X'),
          flow('X', 'E'),
        ],
        ROOTS,
      ),
    );
    const sim = run(compiled);
    expect(sim.visited).toEqual(['S', 'X', 'E']);
    expect(effectsOf(sim, 'signal.throw').map((e) => e.signalName)).toEqual(['outage']);
    expect(sim.status).toBe('done');
  });

  it('an escalation thrown second is caught by the enclosing sub-process after the signal went out', async () => {
    const compiled = await compileXml(
      definitions(
        'P',
        [
          start('S'),
          `<bpmn:subProcess id="Sub"><bpmn:startEvent id="SS" /><bpmn:intermediateThrowEvent id="X">${SIGNAL}${ESCALATION}</bpmn:intermediateThrowEvent><bpmn:endEvent id="SE" /><bpmn:sequenceFlow id="f1" sourceRef="SS" targetRef="X" /><bpmn:sequenceFlow id="f2" sourceRef="X" targetRef="SE" /></bpmn:subProcess>`,
          `<bpmn:boundaryEvent id="Caught" attachedToRef="Sub">${ESCALATION}</bpmn:boundaryEvent>`,
          end('E'),
          end('EC'),
          flow('S', 'Sub'),
          flow('Sub', 'E'),
          flow('Caught', 'EC'),
        ],
        ROOTS,
      ),
    );
    const sim = run(compiled);
    expect(sim.visited).toEqual(['S', 'Sub', 'SS', 'X', 'Caught', 'EC']);
    expect(effectsOf(sim, 'signal.throw').map((e) => e.signalName)).toEqual(['outage']);
    expect(sim.status).toBe('done');
  });

  it('a multiple end event throws both and ends, recorded as the end event', async () => {
    const compiled = await compileXml(
      definitions(
        'P',
        [start('S'), `<bpmn:endEvent id="X">${ESCALATION}${SIGNAL}</bpmn:endEvent>`, flow('S', 'X')],
        ROOTS,
      ),
    );
    const sim = run(compiled);
    expect(sim.visited).toEqual(['S', 'X']);
    expect(effectsOf(sim, 'element.entered').find((e) => e.elementId === 'X')?.elementType).toBe('endEvent');
    expect(effectsOf(sim, 'signal.throw').map((e) => e.signalName)).toEqual(['outage']);
    expect(sim.status).toBe('done');
  });
});

describe('compile/multiple events: what cannot run', () => {
  it('refuses combinations svcflow does not run, naming the element', async () => {
    const cases: Array<[string, string]> = [
      [`<bpmn:startEvent id="W" parallelMultiple="true">${MESSAGE}${TIMER}</bpmn:startEvent>`, 'multiple start event'],
      [
        `<bpmn:intermediateThrowEvent id="W">${SIGNAL}<bpmn:compensateEventDefinition /></bpmn:intermediateThrowEvent>`,
        'compensation',
      ],
      [multipleCatch('W', [MESSAGE, '<bpmn:linkEventDefinition name="x" />']), 'link'],
    ];
    for (const [element, says] of cases) {
      const problems = await problemsOf(
        definitions('P', [start('S0'), element, end('E'), flow('S0', 'W'), flow('W', 'E')], ROOTS),
      );
      expect(problems, element).toContainEqual(
        expect.objectContaining({ elementId: 'W', message: expect.stringContaining(says) }),
      );
    }
  });

  it('refuses a parallel multiple boundary event on a multi-instance activity', async () => {
    const parallelBoundary = `<bpmn:boundaryEvent id="B" attachedToRef="A" parallelMultiple="true">${MESSAGE}${TIMER}</bpmn:boundaryEvent>`;
    const onMulti = await problemsOf(
      definitions(
        'P',
        [
          start('S'),
          '<bpmn:userTask id="A"><bpmn:multiInstanceLoopCharacteristics><bpmn:loopCardinality>2</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics></bpmn:userTask>',
          parallelBoundary,
          end('E'),
          end('EB'),
          flow('S', 'A'),
          flow('A', 'E'),
          flow('B', 'EB'),
        ],
        ROOTS,
      ),
    );
    expect(onMulti).toContainEqual(
      expect.objectContaining({ code: 'UNSUPPORTED_ELEMENT', elementId: 'B', message: expect.stringContaining('yet') }),
    );
  });

  it('refuses a multiple start event with two outgoing flows and one of an event sub-process, naming it', async () => {
    const forked = await problemsOf(
      definitions(
        'P',
        [
          `<bpmn:startEvent id="W">${MESSAGE}${SIGNAL}</bpmn:startEvent>`,
          userTask('A'),
          userTask('B'),
          end('E'),
          end('E2'),
          flow('W', 'A'),
          flow('W', 'B'),
          flow('A', 'E'),
          flow('B', 'E2'),
        ],
        ROOTS,
      ),
    );
    expect(forked).toContainEqual(expect.objectContaining({ elementId: 'W', message: expect.stringContaining('yet') }));
    const inEsp = await problemsOf(
      definitions(
        'P',
        [
          start('S'),
          userTask('A'),
          end('E'),
          flow('S', 'A'),
          flow('A', 'E'),
          `<bpmn:subProcess id="Esp" triggeredByEvent="true"><bpmn:startEvent id="W">${MESSAGE}${SIGNAL}</bpmn:startEvent><bpmn:endEvent id="EE" /><bpmn:sequenceFlow id="fe" sourceRef="W" targetRef="EE" /></bpmn:subProcess>`,
        ],
        ROOTS,
      ),
    );
    expect(inEsp).toContainEqual(expect.objectContaining({ elementId: 'W', message: expect.stringContaining('yet') }));
  });

  it('checks every definition: a signal without a name in the second is reported at the event', async () => {
    const problems = await problemsOf(
      waiting(multipleCatch('W', [MESSAGE, '<bpmn:signalEventDefinition signalRef="Nowhere" />'])),
    );
    expect(problems).toContainEqual(expect.objectContaining({ elementId: 'W' }));
  });
});
