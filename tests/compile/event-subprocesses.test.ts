// issue #11: what svcflow runs of event sub-processes deploys; the rest is refused naming the element
import { describe, expect, it } from 'vitest';
import { chain, definitions, end, error, start, terminateEnd, userTask } from '../helpers/bpmn-builder.js';
import { eventSubProcess, type EspTrigger } from '../helpers/esp-builder.js';
import { compileXml, problemsOf } from '../helpers/compile.js';

const withEsp = (
  trigger: EspTrigger,
  interrupting = true,
  inner: string[] = [end('EspEnd'), ...chain('EspStart', 'EspEnd')],
) =>
  definitions(
    'P',
    [
      start('S'),
      userTask('Work'),
      end('E'),
      ...chain('S', 'Work', 'E'),
      eventSubProcess('Esp', 'EspStart', trigger, inner, interrupting),
    ],
    [error('Err', 'E1'), '<bpmn:message id="Msg" name="m" />', '<bpmn:signal id="Sig" name="s" />'],
  );

describe('compile/event sub-processes', () => {
  it.each<[string, EspTrigger, boolean]>([
    ['timer', { timer: ['duration', 'PT1H'] }, true],
    ['timer cycle', { timer: ['cycle', 'R/PT1H'] }, false],
    ['message', { message: 'Msg' }, false],
    ['signal', { signal: 'Sig' }, true],
    ['error', { error: 'Err' }, true],
    ['escalation', { escalation: null }, false],
  ])('deploys a %s start', async (_kind, trigger, interrupting) => {
    const compiled = await compileXml(withEsp(trigger, interrupting));
    expect(compiled.starts.map((s) => s.elementId)).toEqual(['S']);
    expect(Object.values(compiled.activeStates)).not.toContain('P__body');
  });

  it('refuses a non-interrupting error start as invalid', async () => {
    expect(await problemsOf(withEsp({ error: 'Err' }, false))).toContainEqual(
      expect.objectContaining({ code: 'START_EVENT_INVALID', elementId: 'EspStart' }),
    );
  });

  it('refuses a start without a trigger as invalid', async () => {
    const xml = withEsp({ signal: 'Sig' }).replace('<bpmn:signalEventDefinition signalRef="Sig" />', '');
    expect(await problemsOf(xml)).toContainEqual(
      expect.objectContaining({ code: 'START_EVENT_INVALID', elementId: 'EspStart' }),
    );
  });

  it('refuses a terminate end event inside one as not run yet', async () => {
    const problems = await problemsOf(
      withEsp({ signal: 'Sig' }, true, [terminateEnd('Stop'), ...chain('EspStart', 'Stop')]),
    );
    expect(problems).toContainEqual(
      expect.objectContaining({
        code: 'UNSUPPORTED_ELEMENT',
        elementId: 'Stop',
        message: expect.stringContaining('not run'),
      }),
    );
  });

  it('deploys one nested inside another, and refuses a terminate end event inside the nested one', async () => {
    const nested = (inner: string[]) =>
      withEsp({ message: 'Msg' }, true, [
        end('EspEnd'),
        ...chain('EspStart', 'EspEnd'),
        eventSubProcess('Deep', 'DeepStart', { signal: 'Sig' }, inner),
      ]);
    const compiled = await compileXml(nested([end('DE'), ...chain('DeepStart', 'DE')]));
    expect(compiled.starts.map((s) => s.elementId)).toEqual(['S']);
    expect(Object.values(compiled.activeStates).filter((id) => id.includes('__'))).toEqual([]);
    expect(await problemsOf(nested([terminateEnd('Stop'), ...chain('DeepStart', 'Stop')]))).toContainEqual(
      expect.objectContaining({ code: 'UNSUPPORTED_ELEMENT', elementId: 'Stop' }),
    );
    // and one in the event sub-process around it, as before it held one
    const outer = withEsp({ message: 'Msg' }, true, [
      terminateEnd('Halt'),
      ...chain('EspStart', 'Halt'),
      eventSubProcess('Deep', 'DeepStart', { signal: 'Sig' }, [end('DE'), ...chain('DeepStart', 'DE')]),
    ]);
    expect(await problemsOf(outer)).toContainEqual(
      expect.objectContaining({ code: 'UNSUPPORTED_ELEMENT', elementId: 'Halt' }),
    );
  });

  it('refuses sequence flows into one as invalid', async () => {
    const xml = withEsp({ signal: 'Sig' }).replace(
      '<bpmn:sequenceFlow id="Flow_Work_E" sourceRef="Work" targetRef="E">',
      '<bpmn:sequenceFlow id="Flow_Work_E" sourceRef="Work" targetRef="Esp">',
    );
    expect(await problemsOf(xml)).toContainEqual(expect.objectContaining({ code: 'FLOW_INVALID', elementId: 'Esp' }));
  });
});

describe('compile/conditional events', () => {
  const catching = (definition: string) =>
    definitions('C', [
      start('S'),
      `<bpmn:intermediateCatchEvent id="Wait">${definition}</bpmn:intermediateCatchEvent>`,
      end('E'),
      ...chain('S', 'Wait', 'E'),
    ]);
  const condition = (body: string, attrs = '') =>
    `<bpmn:conditionalEventDefinition${attrs}><bpmn:condition xsi:type="bpmn:tFormalExpression" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">${body}</bpmn:condition></bpmn:conditionalEventDefinition>`;

  it('deploys FEEL and translatable Camunda 7 conditions, and lists the event for the door', async () => {
    expect((await compileXml(catching(condition('=x &gt; 1')))).conditionals).toEqual([
      expect.objectContaining({ elementId: 'Wait', condition: 'x > 1' }),
    ]);
    expect((await compileXml(catching(condition('${x &gt; 1}')))).conditionals).toHaveLength(1);
  });

  it('refuses a condition that is not FEEL', async () => {
    expect(await problemsOf(catching(condition('=x &gt;')))).toContainEqual(
      expect.objectContaining({ code: 'FEEL_SYNTAX', elementId: 'Wait' }),
    );
  });

  it('refuses an empty condition as invalid and unknown variable events as not run yet', async () => {
    expect(await problemsOf(catching(condition('')))).toContainEqual(
      expect.objectContaining({ code: 'EVENT_DEFINITION_INVALID', elementId: 'Wait' }),
    );
    const odd = catching(
      condition(
        '=true',
        ' xmlns:camunda="http://camunda.org/schema/1.0/bpmn" camunda:variableName="x" camunda:variableEvents="touch"',
      ),
    );
    expect(await problemsOf(odd)).toContainEqual(
      expect.objectContaining({
        code: 'UNSUPPORTED_ELEMENT',
        elementId: 'Wait',
        message: expect.stringContaining('not run'),
      }),
    );
  });

  it('refuses a conditional start event of the process as not run yet', async () => {
    const xml = definitions('C', [
      `<bpmn:startEvent id="When">${condition('=true')}</bpmn:startEvent>`,
      end('E'),
      ...chain('When', 'E'),
    ]);
    expect(await problemsOf(xml)).toContainEqual(
      expect.objectContaining({
        code: 'UNSUPPORTED_ELEMENT',
        elementId: 'When',
        message: expect.stringContaining('not run'),
      }),
    );
  });
});
