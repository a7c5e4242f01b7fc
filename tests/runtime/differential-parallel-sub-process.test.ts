/**
 * Differential test of parallel multi-instance sub-processes whose inside does not wait (issue 11,
 * "Multi-instance and loops") against bpmn-engine, an independent JavaScript BPMN engine: none tasks,
 * a parallel split and join, a plain sub-process inside, by loop cardinality. svcflow runs them on the
 * engine (store, history) and counts `element.left` in the history; bpmn-engine counts `activity.end`.
 * The multisets of completed elements and the outcome must agree.
 */
import { EventEmitter } from 'node:events';
import { Engine as BpmnEngine } from 'bpmn-engine';
import { afterAll, describe, expect, it } from 'vitest';
import { engineOn } from '../helpers/engine.js';
import { closeStores, storeBackends } from '../helpers/stores.js';

afterAll(closeStores);

const NS =
  'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';
const flow = (from: string, to: string) =>
  `<bpmn:sequenceFlow id="F_${from}_${to}" sourceRef="${from}" targetRef="${to}" />`;
const loop = (n: number) =>
  `<bpmn:multiInstanceLoopCharacteristics isSequential="false"><bpmn:loopCardinality xsi:type="bpmn:tFormalExpression">${n}</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics>`;
const doc = (body: string[]) =>
  `<?xml version="1.0" encoding="UTF-8"?><bpmn:definitions ${NS} id="D" targetNamespace="https://svcflow.dev/test"><bpmn:process id="P" isExecutable="true">${body.join('')}</bpmn:process></bpmn:definitions>`;

const around = (n: number, inside: string[]) => [
  '<bpmn:startEvent id="S" />',
  `<bpmn:subProcess id="Each">${loop(n)}${inside.join('')}</bpmn:subProcess>`,
  '<bpmn:task id="After" />',
  '<bpmn:endEvent id="E" />',
  flow('S', 'Each'),
  flow('Each', 'After'),
  flow('After', 'E'),
];
const line = ['<bpmn:startEvent id="S1" />', '<bpmn:task id="Work" />', '<bpmn:endEvent id="E1" />'];
const MODELS: Array<{ name: string; body: string[] }> = [
  { name: 'three instances of a task', body: around(3, [...line, flow('S1', 'Work'), flow('Work', 'E1')]) },
  {
    name: 'a parallel split and join inside each instance',
    body: around(2, [
      '<bpmn:startEvent id="S1" />',
      '<bpmn:parallelGateway id="Fork" />',
      '<bpmn:task id="A" />',
      '<bpmn:task id="B" />',
      '<bpmn:parallelGateway id="Join" />',
      '<bpmn:endEvent id="E1" />',
      flow('S1', 'Fork'),
      flow('Fork', 'A'),
      flow('Fork', 'B'),
      flow('A', 'Join'),
      flow('B', 'Join'),
      flow('Join', 'E1'),
    ]),
  },
  {
    name: 'a plain sub-process inside each instance',
    body: around(3, [
      '<bpmn:startEvent id="S1" />',
      `<bpmn:subProcess id="Inner">${line.join('').replaceAll('S1', 'S2').replaceAll('E1', 'E2')}${flow('S2', 'Work')}${flow('Work', 'E2')}</bpmn:subProcess>`,
      '<bpmn:endEvent id="E1" />',
      flow('S1', 'Inner'),
      flow('Inner', 'E1'),
    ]),
  },
  { name: 'cardinality 0: the body completes', body: around(0, [...line, flow('S1', 'Work'), flow('Work', 'E1')]) },
];

interface Outcome {
  completed: string[];
  done: boolean;
}

async function svcflowRun(body: string[]): Promise<Outcome> {
  const t = engineOn(await storeBackends()[0].open());
  await t.engine.deploy(doc(body));
  const p = await t.engine.startInstance({ definitionKey: 'P' });
  const completed = (await t.engine.history(p.id))
    .filter((h) => h.event === 'element.left' && h.elementId)
    .map((h) => h.elementId as string);
  return { completed: completed.sort(), done: (await t.engine.getInstance(p.id)).status === 'completed' };
}

async function bpmnEngineRun(body: string[]): Promise<Outcome> {
  const listener = new EventEmitter();
  const completed: string[] = [];
  let done = false;
  listener.on('activity.end', (api: { id: string }) => completed.push(api.id));
  const engine = new BpmnEngine({ name: 'differential-parallel-sub-process', source: doc(body) });
  engine.once('end', () => {
    done = true;
  });
  await engine.execute({ listener });
  for (let i = 0; i < 50 && !done; i++) await new Promise((resolve) => setImmediate(resolve));
  if (!done) await engine.stop();
  return { completed: completed.sort(), done };
}

describe('runtime/parallel multi-instance sub-processes against bpmn-engine', () => {
  for (const model of MODELS)
    it(model.name, async () => {
      const [ours, theirs] = [await svcflowRun(model.body), await bpmnEngineRun(model.body)];
      expect(ours.done).toBe(true);
      // each instance started its own run of the inside
      const n = Number(/<bpmn:loopCardinality[^>]*>(\d+)</.exec(model.body.join(''))?.[1]);
      expect(ours.completed.filter((id) => id === 'S1')).toHaveLength(n);
      expect(ours).toEqual(theirs);
    });
});
