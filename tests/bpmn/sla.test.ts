import { BpmnModdle } from 'bpmn-moddle';
import { describe, expect, it } from 'vitest';
import { readBpmn, svcModdleDescriptor } from '../../engine/bpmn/index.js';
import { problemsOf } from './fixtures.js';

/** Builds a diagram the way the designer will: bpmn-moddle with the svc descriptor, then toXML. */
async function exportWithSla(attrs: Record<string, unknown>): Promise<string> {
  // moddle normalises a descriptor in place, so the shared export is handed over as a copy
  const moddle = new BpmnModdle({ svc: structuredClone(svcModdleDescriptor) });
  const sla = moddle.create('svc:Sla', attrs);
  const task = moddle.create('bpmn:UserTask', {
    id: 'Task_review',
    extensionElements: moddle.create('bpmn:ExtensionElements', { values: [sla] }),
  });
  const start = moddle.create('bpmn:StartEvent', { id: 'StartEvent_1' });
  const flow = moddle.create('bpmn:SequenceFlow', { id: 'Flow_1', sourceRef: start, targetRef: task });
  const process = moddle.create('bpmn:Process', {
    id: 'Process_sla',
    isExecutable: true,
    flowElements: [start, task, flow],
  });
  const definitions = moddle.create('bpmn:Definitions', {
    id: 'Definitions_sla',
    targetNamespace: 'http://bpmn.io/schema/bpmn',
    rootElements: [process],
  });
  return (await moddle.toXML(definitions, { format: true })).xml;
}

describe('bpmn/sla: the svc:sla extension', () => {
  it('round-trips an svc:sla written with the designer descriptor into an SlaDeclaration', async () => {
    const xml = await exportWithSla({
      target: 'PT8H',
      warnAt: '0.75,0.5',
      calendar: 'service-desk',
      pauseWhile: 'Task_waitCustomer,awaiting-customer',
      breachCode: 'review-late',
    });
    expect(xml).toContain('<svc:sla target="PT8H"');
    const { document, problems } = await readBpmn(xml);
    expect(problems).toEqual([]);
    expect(document?.processes[0].nodes.Task_review.sla).toEqual({
      target: 'PT8H',
      warnAt: [0.5, 0.75],
      calendar: 'service-desk',
      pauseWhile: ['Task_waitCustomer', 'awaiting-customer'],
      warningCode: 'sla-warning',
      breachCode: 'review-late',
    });
  });

  it('declares the descriptor the designer needs: name, uri, prefix and an Sla allowed in extension elements', async () => {
    await readBpmn('<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" />');
    expect(svcModdleDescriptor).toMatchObject({
      name: 'svcflow',
      uri: 'https://svcflow.dev/schema/bpmn/1.0',
      prefix: 'svc',
    });
    const sla = svcModdleDescriptor.types.find((type) => type.name === 'Sla');
    expect(sla?.superClass).toEqual(['Element']);
    expect(sla?.meta.allowedIn).toEqual(['bpmn:UserTask', 'bpmn:SubProcess', 'bpmn:Process']);
    expect(sla?.properties.map((p) => p.name)).toEqual([
      'target',
      'warnAt',
      'calendar',
      'pauseWhile',
      'warningCode',
      'breachCode',
    ]);
  });

  it('reports invalid warning thresholds, a missing or malformed target and an SLA on the wrong element', async () => {
    const problems = await problemsOf('invalid-tasks.bpmn');
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'SLA_INVALID', elementId: 'Task_badWarn' }),
        expect.objectContaining({ code: 'SLA_INVALID', elementId: 'Task_noTarget' }),
        expect.objectContaining({ code: 'SLA_INVALID', elementId: 'Task_badTarget' }),
        expect.objectContaining({ code: 'SLA_INVALID', elementId: 'Task_slaOnService' }),
      ]),
    );
    expect(problems.find((p) => p.elementId === 'Task_badWarn')?.message).toContain('"1.5", "abc"');
  });

  it('reports an unknown attribute on svc:sla instead of ignoring a typo', async () => {
    const xml = await exportWithSla({ target: 'PT1H' });
    const { problems } = await readBpmn(xml.replace('target="PT1H"', 'target="PT1H" warnat="0.5"'));
    expect(problems).toEqual([expect.objectContaining({ code: 'SLA_INVALID', elementId: 'Task_review' })]);
    expect(problems[0].message).toContain("unknown attribute 'warnat'");
  });
});
