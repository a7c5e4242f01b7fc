import { describe, expect, it } from 'vitest';
import { readDmn } from '../../engine/dmn/index.js';
import { dmn, table, type TableSpec } from '../helpers/dmn-builder.js';

const valid = (): TableSpec => ({
  id: 'level',
  inputs: [{ expression: 'score', typeRef: 'number' }],
  outputs: [{ name: 'level', typeRef: 'string' }],
  rules: [
    ['< 5', '"low"'],
    ['>= 5', '"high"'],
  ],
});

async function problemsOf(xml: string) {
  const { document, problems } = await readDmn(xml);
  if (problems.length > 0) expect(document).toBeNull();
  return problems;
}

describe('dmn/validation', () => {
  it('reads a valid table without problems', async () => {
    expect(await problemsOf(table(valid()))).toEqual([]);
  });

  it('refuses an unknown hit policy, naming the table', async () => {
    const problems = await problemsOf(table({ ...valid(), hitPolicy: 'SOMETIMES' }));
    expect(problems).toContainEqual(expect.objectContaining({ code: 'DECISION_INVALID', elementId: 'level_table' }));
    expect(problems[0].message).toContain("hit policy 'SOMETIMES'");
  });

  it('refuses comparisons of comparisons, which the parser reads but no evaluation can answer', async () => {
    for (const entry of ['>= = 3', '< <= 2', '>>3']) {
      const spec = valid();
      spec.rules[1][0] = entry;
      const problems = await problemsOf(table(spec));
      expect(problems, entry).toEqual([expect.objectContaining({ code: 'FEEL_SYNTAX', elementId: 'level_r2_i0' })]);
      expect(problems[0].message).toContain('a comparison needs a value after its operator');
    }
    for (const entry of ['>= 3', '= 3', '< -2', 'not(< 3)', '> 1, < 0']) {
      const spec = valid();
      spec.rules[1][0] = entry;
      expect(await problemsOf(table(spec)), entry).toEqual([]);
    }
  });

  it('refuses an input entry that is not FEEL unary tests, naming the entry and rule', async () => {
    const spec = valid();
    spec.rules[1][0] = '>= 5 and';
    const problems = await problemsOf(table(spec));
    expect(problems).toEqual([expect.objectContaining({ code: 'FEEL_SYNTAX', elementId: 'level_r2_i0' })]);
    expect(problems[0].message).toContain(`rule 'level_r2' is not valid FEEL unary tests: ">= 5 and"`);
  });

  it('refuses an output entry and an input expression that are not FEEL', async () => {
    const spec = valid();
    spec.rules[0][1] = '"low" +';
    spec.inputs[0].expression = 'score >';
    const problems = await problemsOf(table(spec));
    expect(problems.map((p) => [p.code, p.elementId])).toEqual([
      ['FEEL_SYNTAX', 'level_in0'],
      ['FEEL_SYNTAX', 'level_r1_o0'],
    ]);
  });

  it('refuses duplicate ids, naming the id', async () => {
    const xml = table(valid()).replace('id="level_r2"', 'id="level_r1"');
    expect(await problemsOf(xml)).toContainEqual(
      expect.objectContaining({ code: 'ID_INVALID', elementId: 'level_r1' }),
    );
  });

  it('refuses an aggregation over several outputs and one without COLLECT', async () => {
    const wide: TableSpec = {
      ...valid(),
      hitPolicy: 'COLLECT',
      aggregation: 'SUM',
      outputs: [{ name: 'a' }, { name: 'b' }],
      rules: [['-', '1', '2']],
    };
    expect((await problemsOf(table(wide)))[0].message).toContain('an aggregation needs exactly one output');
    expect((await problemsOf(table({ ...valid(), hitPolicy: 'FIRST', aggregation: 'SUM' })))[0].message).toContain(
      'aggregation needs COLLECT',
    );
  });

  it('refuses PRIORITY without output values', async () => {
    expect((await problemsOf(table({ ...valid(), hitPolicy: 'PRIORITY' })))[0]).toMatchObject({
      code: 'DECISION_INVALID',
      elementId: 'level_table',
    });
  });

  it('refuses a rule with the wrong number of entries', async () => {
    const spec = valid();
    spec.rules[0] = ['< 5'];
    expect(await problemsOf(table(spec))).toContainEqual(
      expect.objectContaining({ code: 'DECISION_INVALID', elementId: 'level_r1' }),
    );
  });

  it('refuses a required decision that is missing and a cycle', async () => {
    const missing = await problemsOf(dmn([{ id: 'a', expression: '1', requires: ['nowhere'] }]));
    expect(missing).toEqual([expect.objectContaining({ code: 'REFERENCE_MISSING', elementId: 'a' })]);
    const cycle = await problemsOf(
      dmn([
        { id: 'a', expression: 'b', requires: ['b'] },
        { id: 'b', expression: 'a', requires: ['a'] },
      ]),
    );
    expect(cycle[0].message).toContain("'a' → 'b' → 'a'");
  });

  it('refuses decision logic svcflow does not run yet, naming it', async () => {
    const xml = dmn([{ id: 'a', expression: '1' }]).replace(
      /<literalExpression id="a_lit"><text>1<\/text><\/literalExpression>/,
      '<context id="a_ctx" />',
    );
    const problems = await problemsOf(xml);
    expect(problems).toEqual([expect.objectContaining({ code: 'UNSUPPORTED_ELEMENT', elementId: 'a_ctx' })]);
    expect(problems[0].message).toContain('svcflow does not run context decisions yet');
  });

  it('refuses expression languages other than FEEL', async () => {
    const xml = table(valid()).replace(
      '<inputExpression id="level_ie0"',
      '<inputExpression id="level_ie0" expressionLanguage="javascript"',
    );
    expect((await problemsOf(xml))[0]).toMatchObject({ code: 'UNSUPPORTED_ELEMENT', elementId: 'level_ie0' });
  });

  it('refuses what is not DMN or not XML', async () => {
    expect((await problemsOf('<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" />'))[0].code).toBe(
      'XML_MALFORMED',
    );
    expect((await problemsOf(table(valid()).slice(0, -20)))[0].code).toBe('XML_MALFORMED');
    expect((await problemsOf(dmn([])))[0].code).toBe('NO_DECISION');
  });

  it('reads a DMN 1.2 document as DMN 1.3', async () => {
    const xml = table(valid()).replace(
      'https://www.omg.org/spec/DMN/20191111/MODEL/',
      'http://www.omg.org/spec/DMN/20180521/MODEL/',
    );
    expect(await problemsOf(xml)).toEqual([]);
  });
});
