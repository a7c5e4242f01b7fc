import { describe, expect, it } from 'vitest';
import { readBpmn } from '../../engine/bpmn/index.js';
import { fixture, node, readProcess } from './fixtures.js';

const BPMN = 'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"';

function definitions(body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<bpmn:definitions ${BPMN} id="Definitions_1">${body}</bpmn:definitions>`;
}

function process(id: string, executable?: boolean): string {
  const flag = executable === undefined ? '' : ` isExecutable="${executable}"`;
  return `<bpmn:process id="${id}"${flag}><bpmn:startEvent id="${id}_start" /></bpmn:process>`;
}

describe('bpmn/read: a plain bpmn.io diagram', () => {
  it('reads the process of a pool even when bpmn.io marks it non-executable', async () => {
    const desk = await readProcess('bpmnio-collaboration.bpmn');
    expect(desk.id).toBe('Process_desk');
    expect(Object.keys(desk.nodes)).toEqual([
      'StartEvent_1',
      'Activity_triage',
      'Gateway_split',
      'Activity_answer',
      'Activity_log',
      'Gateway_join',
      'Event_done',
    ]);
  });

  it('ignores lanes, data stores, annotations and black-box pools', async () => {
    const { document } = await readBpmn(fixture('bpmnio-collaboration.bpmn'));
    expect(document?.processes).toHaveLength(1);
    expect(document?.id).toBe('Definitions_1');
  });

  it('reads plain tasks, manual tasks and parallel gateways', async () => {
    const desk = await readProcess('bpmnio-collaboration.bpmn');
    expect(node(desk, 'Activity_triage').type).toBe('task');
    expect(node(desk, 'Activity_answer').type).toBe('manualTask');
    expect(node(desk, 'Gateway_split')).toMatchObject({ type: 'parallelGateway', outgoing: ['Flow_3', 'Flow_4'] });
  });

  it('skips a process marked non-executable when another one is executable', async () => {
    const { document } = await readBpmn(
      definitions(process('Process_customer', false) + process('Process_desk', true)),
    );
    expect(document?.processes.map((p) => p.id)).toEqual(['Process_desk']);
  });

  it('reads a process without isExecutable as executable', async () => {
    const { document } = await readBpmn(definitions(process('Process_a') + process('Process_b', false)));
    expect(document?.processes.map((p) => p.id)).toEqual(['Process_a']);
  });

  it('reads every executable process of the document', async () => {
    const { document } = await readBpmn(definitions(process('Process_a', true) + process('Process_b')));
    expect(document?.processes.map((p) => p.id)).toEqual(['Process_a', 'Process_b']);
  });

  it('gives nested sub-processes their own scopes', async () => {
    const inner = '<bpmn:subProcess id="Sub_inner"><bpmn:startEvent id="Start_inner" /></bpmn:subProcess>';
    const outer = `<bpmn:subProcess id="Sub_outer"><bpmn:startEvent id="Start_outer" />${inner}</bpmn:subProcess>`;
    const { document } = await readBpmn(
      definitions(`<bpmn:process id="P"><bpmn:startEvent id="S" />${outer}</bpmn:process>`),
    );
    const nested = document!.processes[0];
    expect(nested.scopes).toEqual(['Sub_outer', 'Sub_inner']);
    expect(['S', 'Sub_outer', 'Start_outer', 'Sub_inner', 'Start_inner'].map((id) => nested.nodes[id].scopeId)).toEqual(
      ['P', 'P', 'Sub_outer', 'Sub_outer', 'Sub_inner'],
    );
  });

  it('reads a diagram that uses the BPMN namespace as default namespace', async () => {
    const xml =
      '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"><process id="P"><startEvent id="S" /></process></definitions>';
    const { document, problems } = await readBpmn(xml);
    expect(problems).toEqual([]);
    expect(document?.processes[0].nodes.S.type).toBe('startEvent');
  });
});
