/**
 * Differential test of the event constructs that need no outside trigger (issue #12): errors and escalations
 * caught by boundary events and event sub-processes (nested ones too), link events, terminate inside a
 * sub-process. Hand-made models of none tasks run through svcflow's simulator and through bpmn-engine (an
 * independent JavaScript BPMN engine); the multisets of completed elements and the outcome must agree.
 *
 * Two differences of bookkeeping are evened out first, both documented in docs/ARCHITECTURE.md: svcflow leaves an
 * activity an interrupting boundary event cancelled (bpmn-engine does not count it as ended), and it records no
 * event sub-process of its own, only what runs inside (bpmn-engine also ends the event sub-process).
 */
import { EventEmitter } from 'node:events';
import { Engine as BpmnEngine } from 'bpmn-engine';
import { describe, expect, it } from 'vitest';
import {
  boundary,
  chain,
  definitions,
  end,
  error,
  errorEnd,
  escalation,
  escalationEnd,
  escalationThrow,
  gateway,
  start,
  subProcess,
  task,
  terminateEnd,
} from '../helpers/bpmn-builder.js';
import { compileXml, run } from '../helpers/compile.js';
import { eventSubProcess } from '../helpers/esp-builder.js';

interface Outcome {
  completed: string[];
  done: boolean;
}

async function svcflowRun(xml: string): Promise<Outcome> {
  const sim = run(await compileXml(xml));
  const completed = [...sim.left];
  for (const [boundaryId, attachedTo] of interruptingBoundaries(xml))
    if (completed.includes(boundaryId)) completed.splice(completed.indexOf(attachedTo), 1);
  return { completed: completed.sort(), done: sim.status === 'done' };
}

/** [boundary id, activity id] of every interrupting boundary event of the model. */
function interruptingBoundaries(xml: string): Array<[string, string]> {
  return [...xml.matchAll(/<bpmn:boundaryEvent id="([^"]+)" attachedToRef="([^"]+)" cancelActivity="true"/g)].map(
    (m) => [m[1], m[2]],
  );
}

async function bpmnEngineRun(xml: string): Promise<Outcome> {
  const listener = new EventEmitter();
  const completed: string[] = [];
  let done = false;
  listener.on('activity.end', (api: { id: string }) => completed.push(api.id));
  const engine = new BpmnEngine({ name: 'differential-events', source: xml });
  engine.once('end', () => {
    done = true;
  });
  await engine.execute({ listener });
  for (let i = 0; i < 50 && !done; i++) await new Promise((resolve) => setImmediate(resolve));
  if (!done) await engine.stop();
  const eventSubProcesses = new Set(
    [...xml.matchAll(/<bpmn:subProcess id="([^"]+)" triggeredByEvent="true"/g)].map((m) => m[1]),
  );
  return { completed: completed.filter((id) => !eventSubProcesses.has(id)).sort(), done };
}

/** True when every element of `a` occurs in `b` at least as often. */
function within(a: string[], b: string[]): boolean {
  const counts = new Map<string, number>();
  for (const id of b) counts.set(id, (counts.get(id) ?? 0) + 1);
  return a.every((id) => {
    const left = counts.get(id) ?? 0;
    counts.set(id, left - 1);
    return left > 0;
  });
}

const linkThrow = (id: string, name: string) =>
  `<bpmn:intermediateThrowEvent id="${id}"><bpmn:linkEventDefinition name="${name}" /></bpmn:intermediateThrowEvent>`;
const linkCatch = (id: string, name: string) =>
  `<bpmn:intermediateCatchEvent id="${id}"><bpmn:linkEventDefinition name="${name}" /></bpmn:intermediateCatchEvent>`;

const ROOTS = [error('Err', 'FAILED'), escalation('Esc', 'LATE')];

const MODELS: Record<string, string> = {
  'error end caught by an interrupting boundary on the sub-process': definitions(
    'P',
    [
      start('S'),
      subProcess('Sub', [start('SubS'), task('Try'), errorEnd('Fail', 'Err'), ...chain('SubS', 'Try', 'Fail')]),
      boundary('Caught', 'Sub', { error: 'Err' }),
      task('Recover'),
      end('E'),
      end('E2'),
      ...chain('S', 'Sub', 'E'),
      ...chain('Caught', 'Recover', 'E2'),
    ],
    ROOTS,
  ),
  'escalation thrown mid-way, caught by a non-interrupting boundary': definitions(
    'P',
    [
      start('S'),
      subProcess('Sub', [
        start('SubS'),
        task('First'),
        escalationThrow('Raise', 'Esc'),
        task('Second'),
        end('SubE'),
        ...chain('SubS', 'First', 'Raise', 'Second', 'SubE'),
      ]),
      boundary('Noted', 'Sub', { escalation: 'Esc' }, false),
      task('Inform'),
      end('E'),
      end('E2'),
      ...chain('S', 'Sub', 'E'),
      ...chain('Noted', 'Inform', 'E2'),
    ],
    ROOTS,
  ),
  'escalation end caught by an interrupting boundary': definitions(
    'P',
    [
      start('S'),
      subProcess('Sub', [
        start('SubS'),
        task('Try'),
        escalationEnd('GiveUp', 'Esc'),
        ...chain('SubS', 'Try', 'GiveUp'),
      ]),
      boundary('Escalated', 'Sub', { escalation: 'Esc' }),
      task('Manager'),
      end('E'),
      end('E2'),
      ...chain('S', 'Sub', 'E'),
      ...chain('Escalated', 'Manager', 'E2'),
    ],
    ROOTS,
  ),
  'error caught by an event sub-process of the process': definitions(
    'P',
    [
      start('S'),
      task('Work'),
      errorEnd('Fail', 'Err'),
      ...chain('S', 'Work', 'Fail'),
      eventSubProcess('OnError', 'OnErrorS', { error: 'Err' }, [
        task('Apologise'),
        end('OnErrorE'),
        ...chain('OnErrorS', 'Apologise', 'OnErrorE'),
      ]),
    ],
    ROOTS,
  ),
  'error in a sub-process caught by its own event sub-process; the process goes on': definitions(
    'P',
    [
      start('S'),
      subProcess('Sub', [
        start('SubS'),
        task('Try'),
        errorEnd('Fail', 'Err'),
        ...chain('SubS', 'Try', 'Fail'),
        eventSubProcess('Handle', 'HandleS', { error: 'Err' }, [
          task('Fix'),
          end('HandleE'),
          ...chain('HandleS', 'Fix', 'HandleE'),
        ]),
      ]),
      task('After'),
      end('E'),
      ...chain('S', 'Sub', 'After', 'E'),
    ],
    ROOTS,
  ),
  'non-interrupting escalation event sub-process beside the work': definitions(
    'P',
    [
      start('S'),
      task('First'),
      escalationThrow('Raise', 'Esc'),
      task('Second'),
      end('E'),
      ...chain('S', 'First', 'Raise', 'Second', 'E'),
      eventSubProcess(
        'OnLate',
        'OnLateS',
        { escalation: 'Esc' },
        [task('Tell'), end('OnLateE'), ...chain('OnLateS', 'Tell', 'OnLateE')],
        false,
      ),
    ],
    ROOTS,
  ),
  'error in an event sub-process run caught by the one nested in it': definitions(
    'P',
    [
      start('S'),
      task('First'),
      escalationThrow('Raise', 'Esc'),
      task('Second'),
      end('E'),
      ...chain('S', 'First', 'Raise', 'Second', 'E'),
      eventSubProcess(
        'OnLate',
        'OnLateS',
        { escalation: 'Esc' },
        [
          task('Tell'),
          errorEnd('TellFailed', 'Err'),
          ...chain('OnLateS', 'Tell', 'TellFailed'),
          eventSubProcess('OnTellFailed', 'OnTellFailedS', { error: 'Err' }, [
            task('Write'),
            end('WriteE'),
            ...chain('OnTellFailedS', 'Write', 'WriteE'),
          ]),
        ],
        false,
      ),
    ],
    ROOTS,
  ),
  'link events jump within the process': definitions('P', [
    start('S'),
    task('A'),
    linkThrow('GoTo', 'next'),
    linkCatch('Arrive', 'next'),
    task('B'),
    end('E'),
    ...chain('S', 'A', 'GoTo'),
    ...chain('Arrive', 'B', 'E'),
  ]),
  'terminate inside a sub-process ends only the sub-process': definitions('P', [
    start('S'),
    subProcess('Sub', [
      start('SubS'),
      gateway('parallel', 'Fork'),
      task('Quick'),
      terminateEnd('Stop'),
      task('Slow'),
      end('SubE'),
      ...chain('SubS', 'Fork', 'Quick', 'Stop'),
      ...chain('Fork', 'Slow', 'SubE'),
    ]),
    task('After'),
    end('E'),
    ...chain('S', 'Sub', 'After', 'E'),
  ]),
};

/**
 * Models whose parallel branches race a terminate: bpmn-engine runs every branch to its end before the terminate
 * (the departure the random-model differential documents), so svcflow's run is a part of bpmn-engine's.
 */
const RACES_A_TERMINATE = new Set(['terminate inside a sub-process ends only the sub-process']);

describe('compile/differential of event constructs against bpmn-engine', () => {
  it.each(Object.entries(MODELS))('%s', async (name, xml) => {
    const [ours, theirs] = [await svcflowRun(xml), await bpmnEngineRun(xml)];
    expect(ours.done, 'svcflow ends the process').toBe(true);
    if (!RACES_A_TERMINATE.has(name)) return expect(ours).toEqual(theirs);
    expect(theirs.done).toBe(true);
    expect(within(ours.completed, theirs.completed), `${ours.completed} within ${theirs.completed}`).toBe(true);
    expect(ours.completed).toContain('After');
  });
});
