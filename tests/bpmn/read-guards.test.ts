import { describe, expect, it } from 'vitest';
import { loadBpmn, readBpmn } from '../../engine/bpmn/index.js';
import { fixture, problemsOf } from './fixtures.js';

const OPEN =
  '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"><bpmn:process id="P"><bpmn:startEvent id="S" />';
const CLOSE = '</bpmn:process></bpmn:definitions>';

describe('bpmn/read: hostile and broken input', () => {
  it('refuses a DOCTYPE with an external entity (XXE) before parsing', async () => {
    const { document, problems } = await readBpmn(fixture('invalid-xxe.bpmn'));
    expect(document).toBeNull();
    expect(problems).toEqual([
      expect.objectContaining({ code: 'XML_MALFORMED', elementId: null, position: { line: 2, column: 1 } }),
    ]);
    expect(problems[0].message).toContain('DTDs and entity declarations are not allowed');
  });

  it('refuses entity expansion bombs (billion laughs)', async () => {
    const { problems } = await readBpmn(fixture('invalid-billion-laughs.bpmn'));
    expect(problems).toEqual([expect.objectContaining({ code: 'XML_MALFORMED', elementId: null })]);
  });

  it('refuses a document larger than maxBytes, counting UTF-8 bytes', async () => {
    const xml = `${OPEN}<bpmn:documentation>${'ü'.repeat(600)}</bpmn:documentation>${CLOSE}`;
    const { problems } = await readBpmn(xml, { maxBytes: 1000 });
    expect(problems).toEqual([expect.objectContaining({ code: 'XML_TOO_LARGE', elementId: null })]);
    expect((await readBpmn(xml, { maxBytes: 2000 })).problems).toEqual([]);
  });

  it('refuses more elements than maxElements', async () => {
    const tasks = Array.from({ length: 50 }, (_, i) => `<bpmn:task id="Task_${i}" />`).join('');
    const { problems } = await readBpmn(`${OPEN}${tasks}${CLOSE}`, { maxElements: 40 });
    expect(problems).toEqual([expect.objectContaining({ code: 'XML_TOO_LARGE' })]);
    expect(problems[0].message).toContain('more than 40 elements');
  });

  it('refuses nesting deeper than maxDepth, by default 100', async () => {
    const depth = 120;
    const nested = `${'<bpmn:subProcess>'.repeat(depth)}${'</bpmn:subProcess>'.repeat(depth)}`;
    const { problems } = await readBpmn(`${OPEN}${nested}${CLOSE}`);
    expect(problems).toEqual([expect.objectContaining({ code: 'XML_TOO_LARGE' })]);
    expect(problems[0].message).toContain('deeper than 100 levels');
  });

  it('does not count tags inside comments, CDATA or attribute values', async () => {
    const noise = `<!-- ${'<a>'.repeat(50)} --><bpmn:documentation><![CDATA[${'<b>'.repeat(50)}]]></bpmn:documentation>`;
    const { problems } = await readBpmn(`${OPEN.replace('id="S"', 'id="S" name="a > b"')}${noise}${CLOSE}`, {
      maxElements: 10,
      maxDepth: 5,
    });
    expect(problems).toEqual([]);
  });

  it('reports malformed XML with the line and column where it breaks', async () => {
    const { document, problems } = await readBpmn(fixture('invalid-malformed.bpmn'));
    expect(document).toBeNull();
    expect(problems).toEqual([expect.objectContaining({ code: 'XML_MALFORMED', position: { line: 5, column: 3 } })]);
    expect(problems[0].message).toContain('line 5, column 3');
  });

  it('reports a broken attribute as malformed instead of dropping it', async () => {
    const { problems } = await readBpmn(`${OPEN}\n<bpmn:task id="T" name="unterminated />${CLOSE}`);
    expect(problems[0]).toMatchObject({ code: 'XML_MALFORMED', position: { line: 2 } });
  });

  it('stops at the first broken attribute instead of rescanning the document for each one', async () => {
    const tasks = Array.from({ length: 5000 }, (_, i) => `<bpmn:task id="Task_${i}" name />`).join('\n');
    const { problems } = await readBpmn(`${OPEN}\n${tasks}${CLOSE}`);
    expect(problems).toEqual([expect.objectContaining({ code: 'XML_MALFORMED', position: { line: 2, column: 1 } })]);
  });

  it('reports an unbound namespace prefix as malformed', async () => {
    const { problems } = await readBpmn(`${OPEN}<bpmn:userTask id="T" camunda:assignee="bob" />${CLOSE}`);
    expect(problems).toEqual([expect.objectContaining({ code: 'XML_MALFORMED' })]);
    expect(problems[0].message).toContain('camunda');
  });

  it('stops reading after a budget of unknown elements and says so', async () => {
    const unknown = Array.from({ length: 5000 }, (_, i) => `<bpmn:foo id="Foo_${i}" />`).join('\n');
    const { document, problems } = await readBpmn(`${OPEN}\n${unknown}${CLOSE}`);
    expect(document).toBeNull();
    expect(problems.length).toBeLessThanOrEqual(101);
    expect(problems.at(-1)).toMatchObject({ code: 'XML_TOO_LARGE', elementId: null });
    expect(problems[0]).toMatchObject({ code: 'UNSUPPORTED_ELEMENT', elementId: 'Foo_0' });
  });

  it('says when a well-formed document is not BPMN', async () => {
    const { problems } = await readBpmn('<html><body /></html>');
    expect(problems).toEqual([expect.objectContaining({ code: 'XML_MALFORMED', elementId: null })]);
    expect(problems[0].message).toContain('not BPMN 2.0');
  });

  it('reports a document without any process', async () => {
    const { document, problems } = await readBpmn(fixture('invalid-no-process.bpmn'));
    expect(document).toBeNull();
    expect(problems).toEqual([expect.objectContaining({ code: 'NO_PROCESS', elementId: null })]);
  });

  it('reports unknown BPMN elements and misspelt extension elements instead of ignoring them', async () => {
    expect(await problemsOf('invalid-unknown-elements.bpmn')).toEqual([
      expect.objectContaining({ code: 'UNSUPPORTED_ELEMENT', elementId: 'Task_typo', elementType: 'bpmn:UserTsk' }),
      expect.objectContaining({
        code: 'UNSUPPORTED_ELEMENT',
        elementId: 'Task_lookup',
        elementType: 'zeebe:TaskDefiniton',
      }),
      expect.objectContaining({ code: 'JOB_TYPE_MISSING', elementId: 'Task_lookup' }),
    ]);
  });

  it('reports duplicate and illegal ids, without repeating it as dangling flows', async () => {
    expect(await problemsOf('invalid-ids.bpmn')).toEqual([
      expect.objectContaining({ code: 'ID_INVALID', elementId: 'Task_check' }),
      expect.objectContaining({ code: 'ID_INVALID', elementId: '1_task' }),
    ]);
  });

  it('keeps ids such as constructor and __proto__ harmless', async () => {
    const xml = `${OPEN}<bpmn:task id="constructor" /><bpmn:sequenceFlow id="toString" sourceRef="S" targetRef="hasOwnProperty" />${CLOSE}`;
    const { document, problems } = await loadBpmn(xml.replace('id="P"', 'id="__proto__"'));
    expect(Object.keys(document!.processes[0].nodes)).toEqual(['S', 'constructor']);
    expect(problems).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: 'FLOW_TARGET_MISSING', elementId: 'toString' })]),
    );
  });
});
