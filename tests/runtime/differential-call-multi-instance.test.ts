/**
 * Differential test of multi-instance call activities (issue 11, "Multi-instance and loops") against
 * bpmn-engine, an independent JavaScript BPMN engine that runs called processes of its own definitions
 * document: parallel and sequential bodies by loop cardinality, children that end at once. (A child's error
 * end is not compared: bpmn-engine completes the call activity instead of throwing the error at it, which
 * BPMN 2.0 and Camunda do; tests/runtime/call-activity-multi-instance.test.ts covers it.) svcflow's side deploys the called process as a file of its own
 * and counts the elements left in the parent and in every child instance (their history); bpmn-engine's
 * side counts `activity.end`. The multisets of completed elements and the outcome must agree.
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
const loop = (sequential: boolean, n: number) =>
  `<bpmn:multiInstanceLoopCharacteristics isSequential="${sequential}"><bpmn:loopCardinality xsi:type="bpmn:tFormalExpression">${n}</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics>`;
const process = (id: string, executable: boolean, body: string[]) =>
  `<bpmn:process id="${id}" isExecutable="${executable}">${body.join('')}</bpmn:process>`;
const doc = (processes: string[], roots: string[] = []) =>
  `<?xml version="1.0" encoding="UTF-8"?><bpmn:definitions ${NS} id="D" targetNamespace="https://svcflow.dev/test">${roots.join('')}${processes.join('')}</bpmn:definitions>`;

interface Model {
  name: string;
  parent: string[];
  child: string[];
}

const plainChild = [
  '<bpmn:startEvent id="CS" />',
  '<bpmn:task id="Work" />',
  '<bpmn:endEvent id="CE" />',
  flow('CS', 'Work'),
  flow('Work', 'CE'),
];
const caller = (sequential: boolean, n: number) => [
  '<bpmn:startEvent id="S" />',
  `<bpmn:callActivity id="Call" calledElement="Child">${loop(sequential, n)}</bpmn:callActivity>`,
  '<bpmn:task id="After" />',
  '<bpmn:endEvent id="E" />',
  flow('S', 'Call'),
  flow('Call', 'After'),
  flow('After', 'E'),
];

const MODELS: Model[] = [
  { name: 'parallel, three children', parent: caller(false, 3), child: plainChild },
  { name: 'sequential, three children', parent: caller(true, 3), child: plainChild },
  { name: 'cardinality 0: no child, the body completes', parent: caller(false, 0), child: plainChild },
];

interface Outcome {
  completed: string[];
  done: boolean;
}

async function svcflowRun(model: Model): Promise<Outcome> {
  const t = engineOn(await storeBackends()[0].open());
  await t.engine.deploy(doc([process('Child', true, model.child)], []));
  await t.engine.deploy(doc([process('Parent', true, model.parent)], []));
  const p = await t.engine.startInstance({ definitionKey: 'Parent' });
  const ids = [p.id, ...(await t.engine.listInstances({ parentInstanceId: p.id, limit: 100 })).items.map((c) => c.id)];
  const completed: string[] = [];
  for (const id of ids)
    for (const h of await t.engine.history(id))
      if (h.event === 'element.left' && h.elementId) completed.push(h.elementId);
  return { completed: completed.sort(), done: (await t.engine.getInstance(p.id)).status === 'completed' };
}

async function bpmnEngineRun(model: Model): Promise<Outcome> {
  const xml = doc([process('Parent', true, model.parent), process('Child', false, model.child)], []);
  const listener = new EventEmitter();
  const completed: string[] = [];
  let done = false;
  listener.on('activity.end', (api: { id: string }) => completed.push(api.id));
  const engine = new BpmnEngine({ name: 'differential-call-mi', source: xml });
  engine.once('end', () => {
    done = true;
  });
  await engine.execute({ listener });
  for (let i = 0; i < 50 && !done; i++) await new Promise((resolve) => setImmediate(resolve));
  if (!done) await engine.stop();
  return { completed: completed.sort(), done };
}

describe('runtime/multi-instance call activities against bpmn-engine', () => {
  for (const model of MODELS)
    it(model.name, async () => {
      const [ours, theirs] = [await svcflowRun(model), await bpmnEngineRun(model)];
      expect(ours).toEqual(theirs);
    });
});
