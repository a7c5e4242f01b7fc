import { describe, expect, it } from 'vitest';
import type { CalledElement } from '../../engine/bpmn/model.js';
import { loadBpmn } from '../../engine/bpmn/index.js';
import { callInput, callResult } from '../../engine/compile/call-activity.js';

const camunda7 = (over: Partial<CalledElement> = {}): CalledElement => ({
  flavour: 'camunda7',
  processId: 'notify',
  binding: 'latest',
  version: null,
  versionTag: null,
  ins: [],
  outs: [],
  businessKey: null,
  propagateAllParentVariables: false,
  propagateAllChildVariables: false,
  ...over,
});
const camunda8 = (over: Partial<CalledElement> = {}): CalledElement => ({
  ...camunda7(),
  flavour: 'camunda8',
  propagateAllParentVariables: true,
  propagateAllChildVariables: true,
  ...over,
});
const bind = (b: Partial<CalledElement['ins'][number]>) => ({
  all: false,
  source: null,
  expression: null,
  target: null,
  local: false,
  ...b,
});

function callXml(attributes: string, extensions = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  id="d" targetNamespace="t">
  <bpmn:process id="caller" isExecutable="true">
    <bpmn:startEvent id="s"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:callActivity id="Call_notify" ${attributes}>
      <bpmn:extensionElements>${extensions}</bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:callActivity>
    <bpmn:endEvent id="e"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="Call_notify"/>
    <bpmn:sequenceFlow id="f2" sourceRef="Call_notify" targetRef="e"/>
  </bpmn:process>
</bpmn:definitions>`;
}

async function messagesOf(xml: string): Promise<string[]> {
  const { problems } = await loadBpmn(xml);
  return problems.filter((p) => p.elementId === 'Call_notify').map((p) => p.message);
}

describe('compile: call activity variables in and out', () => {
  it('Camunda 7 passes nothing without camunda:in and camunda:out', () => {
    expect(callInput(camunda7(), { a: 1 }, {}).variables).toEqual({});
    expect(callResult(camunda7(), [], { b: 2 }).values).toEqual({});
  });

  it('Camunda 7 passes what camunda:in and camunda:out name: all, source, sourceExpression, local, business key', () => {
    const call = camunda7({
      ins: [bind({ source: 'customer', target: 'who' }), bind({ expression: '${amount * 2}', target: 'twice' })],
      outs: [bind({ source: 'sent', target: 'notified' })],
      businessKey: '${caseId}',
    });
    const passed = callInput(call, { customer: 'Wang', amount: 21, caseId: 'C-7', other: true }, {});
    expect(passed).toEqual({ variables: { who: 'Wang', twice: 42 }, businessKey: 'C-7', error: null });
    expect(callResult(call, [], { sent: true, internal: 1 }).values).toEqual({ notified: true });
    const all = camunda7({ ins: [bind({ all: true })], outs: [bind({ all: true })] });
    expect(callInput(all, { a: 1 }, { l: 2 }).variables).toEqual({ a: 1, l: 2 });
    expect(callResult(all, [], { b: 2 }).values).toEqual({ b: 2 });
    const local = camunda7({ ins: [bind({ all: true, local: true })] });
    expect(callInput(local, { a: 1 }, { l: 2 }).variables).toEqual({ l: 2 });
  });

  it('Camunda 8 propagates every variable both ways by default, and only the mappings when told not to', () => {
    expect(callInput(camunda8(), { a: 1 }, { input: 2 }).variables).toEqual({ a: 1, input: 2 });
    const outputs = [{ source: 'sent', target: 'notified' }];
    expect(callResult(camunda8(), outputs, { sent: true, x: 1 }).values).toEqual({ sent: true, x: 1, notified: true });
    const narrow = camunda8({ propagateAllParentVariables: false, propagateAllChildVariables: false });
    expect(callInput(narrow, { a: 1 }, { input: 2 }).variables).toEqual({ input: 2 });
    expect(callResult(narrow, outputs, { sent: true, x: 1 }).values).toEqual({ notified: true });
  });

  it('a failing sourceExpression is an error, not a silent null', () => {
    const call = camunda7({ ins: [bind({ expression: '${1 +}', target: 'x' })] });
    expect(callInput(call, {}, {}).error).toContain('sourceExpression');
  });
});

describe('bpmn/read: call activities', () => {
  it('are read without problems when they name a process (issue 11: they run)', async () => {
    expect(await messagesOf(callXml('calledElement="notify"'))).toEqual([]);
  });

  it('refuse a CMMN case, naming the element', async () => {
    expect(await messagesOf(callXml('calledElement="notify" camunda:caseRef="c"'))).toEqual([
      expect.stringContaining('svcflow runs no CMMN'),
    ]);
  });

  it('report a version binding without a version and a called element without a key', async () => {
    const version = await messagesOf(callXml('calledElement="notify" camunda:calledElementBinding="version"'));
    expect(version.some((m) => m.includes('camunda:calledElementVersion'))).toBe(true);
    const none = await messagesOf(callXml(''));
    expect(none.some((m) => m.includes('names no called process'))).toBe(true);
    const zeebe = await messagesOf(callXml('', '<zeebe:calledElement />'));
    expect(zeebe.some((m) => m.includes('without a processId'))).toBe(true);
  });
});
