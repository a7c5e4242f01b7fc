// issue #13: camunda:asyncBefore / asyncAfter (and camunda:exclusive) are accepted; every svcflow step is one
// transaction already, so the model runs as without them (docs/ARCHITECTURE.md, "Camunda 7 listeners")
import { describe, expect, it } from 'vitest';
import { complete, compileXml, jobDone, run } from '../helpers/compile.js';

const model = (async: boolean) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Definitions_1" targetNamespace="http://bpmn.io/schema/bpmn" exporter="Camunda Modeler" exporterVersion="5.17.0">
  <bpmn:process id="Async" isExecutable="true">
    <bpmn:startEvent id="S"${async ? ' camunda:asyncAfter="true"' : ''}><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="Charge" />
    <bpmn:serviceTask id="Charge" camunda:type="external" camunda:topic="charge"${async ? ' camunda:asyncBefore="true" camunda:asyncAfter="true" camunda:exclusive="false"' : ''}>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:serviceTask>
    <bpmn:sequenceFlow id="f2" sourceRef="Charge" targetRef="Review" />
    <bpmn:userTask id="Review"${async ? ' camunda:asyncBefore="true"' : ''}>
      <bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="f3" sourceRef="Review" targetRef="E" />
    <bpmn:endEvent id="E"${async ? ' camunda:asyncBefore="true"' : ''}><bpmn:incoming>f3</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>`;

describe('compile/camunda async continuations', () => {
  it('accepts asyncBefore, asyncAfter and exclusive and runs the model as without them', async () => {
    const events = [jobDone('Charge', { receipt: 'R-1' }), complete('Review', { ok: true })];
    const plain = run(await compileXml(model(false)), events);
    const async = run(await compileXml(model(true)), events);
    expect(async.visited).toEqual(plain.visited);
    expect(async.steps.map((s) => s.activeElements)).toEqual([['Charge'], ['Review'], []]);
    expect(async.status).toBe('done');
    expect(async.variables).toEqual({ receipt: 'R-1', ok: true });
  });
});
