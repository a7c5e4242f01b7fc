import { describe, expect, it } from 'vitest';
import { evaluateDecision, readDmn, type DmnDocument } from '../../engine/dmn/index.js';
import { table, type TableSpec } from '../helpers/dmn-builder.js';

async function read(xml: string): Promise<DmnDocument> {
  const { document, problems } = await readDmn(xml);
  expect(problems).toEqual([]);
  return document!;
}

async function decide(spec: TableSpec, variables: Record<string, unknown>) {
  const outcome = evaluateDecision(await read(table(spec)), spec.id, variables);
  if (!outcome.ok) throw new Error(outcome.error);
  return outcome.evaluation;
}

// probability × impact → risk level, one rule per band: rules 2 and 3 both match a score of 12
const risk = (hitPolicy: string, aggregation?: string): TableSpec => ({
  id: 'riskLevel',
  hitPolicy,
  aggregation,
  inputs: [{ expression: 'probability * impact', typeRef: 'number' }],
  outputs: [{ name: 'level', typeRef: 'string', values: '"critical","high","medium","low"' }],
  rules: [
    ['< 5', '"low"'],
    ['[5..12]', '"medium"'],
    ['>= 10', '"high"'],
    ['>= 12', '"critical"'],
  ],
});

describe('dmn/hit policies', () => {
  it('UNIQUE gives the one matching rule and refuses two', async () => {
    const spec = { ...risk('UNIQUE'), rules: risk('UNIQUE').rules.slice(0, 2) };
    expect((await decide(spec, { probability: 2, impact: 3 })).value).toBe('medium');
    spec.rules.push(['> 6', '"high"']);
    const outcome = evaluateDecision(await read(table(spec)), 'riskLevel', { probability: 2, impact: 4 });
    expect(outcome).toMatchObject({ ok: false, elementId: 'riskLevel_table' });
    expect(!outcome.ok && outcome.error).toContain("matched 2 rules ('riskLevel_r2', 'riskLevel_r3')");
  });

  it('UNIQUE without a match gives null and an empty result list', async () => {
    const evaluation = await decide({ ...risk('UNIQUE'), rules: [['< 0', '"none"']] }, { probability: 2, impact: 3 });
    expect(evaluation).toMatchObject({ value: null, resultList: [], matchedRules: [] });
  });

  it('FIRST takes the first matching rule in rule order', async () => {
    expect((await decide(risk('FIRST'), { probability: 3, impact: 4 })).value).toBe('medium');
  });

  it('PRIORITY takes the match whose output comes first in the output values', async () => {
    const evaluation = await decide(risk('PRIORITY'), { probability: 3, impact: 4 });
    expect(evaluation).toMatchObject({ value: 'critical', matchedRules: ['riskLevel_r4'] });
  });

  it('ANY accepts matches that agree and refuses matches that differ', async () => {
    const agreeing: TableSpec = {
      ...risk('ANY'),
      rules: [
        ['>= 10', '"high"'],
        ['>= 11', '"high"'],
      ],
    };
    expect((await decide(agreeing, { probability: 3, impact: 4 })).value).toBe('high');
    const outcome = evaluateDecision(await read(table(risk('ANY'))), 'riskLevel', { probability: 3, impact: 4 });
    expect(!outcome.ok && outcome.error).toContain("different outputs ('riskLevel_r2' and 'riskLevel_r3')");
  });

  it('COLLECT gives every match in rule order as a list', async () => {
    expect((await decide(risk('COLLECT'), { probability: 3, impact: 4 })).value).toEqual([
      'medium',
      'high',
      'critical',
    ]);
  });

  it('RULE ORDER gives every match in rule order', async () => {
    expect((await decide(risk('RULE ORDER'), { probability: 3, impact: 4 })).value).toEqual([
      'medium',
      'high',
      'critical',
    ]);
  });

  it('OUTPUT ORDER gives every match by output value priority', async () => {
    const evaluation = await decide(risk('OUTPUT ORDER'), { probability: 3, impact: 4 });
    expect(evaluation.value).toEqual(['critical', 'high', 'medium']);
    expect(evaluation.matchedRules).toEqual(['riskLevel_r4', 'riskLevel_r3', 'riskLevel_r2']);
  });

  describe('COLLECT aggregations', () => {
    const points = (aggregation: string): TableSpec => ({
      id: 'points',
      hitPolicy: 'COLLECT',
      aggregation,
      inputs: [{ expression: 'years', typeRef: 'number' }],
      outputs: [{ name: 'bonus', typeRef: 'number' }],
      rules: [
        ['> 1', '100'],
        ['> 2', '200'],
        ['> 5', '500'],
      ],
    });

    it.each([
      ['SUM', 300],
      ['MIN', 100],
      ['MAX', 200],
      ['COUNT', 2],
    ])('%s over the matches', async (aggregation, expected) => {
      const evaluation = await decide(points(aggregation as string), { years: 3 });
      expect(evaluation.value).toBe(expected);
      expect(evaluation.resultList).toEqual([{ bonus: expected }]);
    });

    it('COUNT of no match is 0, SUM of no match is null', async () => {
      expect((await decide(points('COUNT'), { years: 0 })).value).toBe(0);
      expect((await decide(points('SUM'), { years: 0 })).value).toBeNull();
    });
  });

  it('several outputs make a context per rule, named by output', async () => {
    const spec: TableSpec = {
      id: 'route',
      hitPolicy: 'RULE ORDER',
      inputs: [{ expression: 'channel', typeRef: 'string' }],
      outputs: [
        { name: 'group', typeRef: 'string' },
        { name: 'hours', typeRef: 'number' },
      ],
      rules: [
        ['"phone","web"', '"cs-agents"', '4'],
        ['"phone"', '"supervisors"', '8'],
      ],
    };
    const evaluation = await decide(spec, { channel: 'phone' });
    expect(evaluation.value).toEqual([
      { group: 'cs-agents', hours: 4 },
      { group: 'supervisors', hours: 8 },
    ]);
  });

  it('takes the default output entry when no rule matches', async () => {
    const spec: TableSpec = {
      id: 'sla',
      inputs: [{ expression: 'priority', typeRef: 'string' }],
      outputs: [{ name: 'target', typeRef: 'string', defaultEntry: '"P5D"' }],
      rules: [['"urgent"', '"PT4H"']],
    };
    expect((await decide(spec, { priority: 'urgent' })).value).toBe('PT4H');
    expect((await decide(spec, { priority: 'low' })).value).toBe('P5D');
  });
});
