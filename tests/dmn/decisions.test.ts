import { describe, expect, it } from 'vitest';
import { evaluateDecision, mapDecisionResult, readDmn, type DmnDocument } from '../../engine/dmn/index.js';
import { dmn, table, type TableSpec } from '../helpers/dmn-builder.js';

async function read(xml: string): Promise<DmnDocument> {
  const { document, problems } = await readDmn(xml);
  expect(problems).toEqual([]);
  return document!;
}

const simple = (entry: string, output = '"yes"'): TableSpec => ({
  id: 'check',
  inputs: [{ expression: 'amount', typeRef: 'number' }],
  outputs: [{ name: 'ok', typeRef: 'string' }],
  rules: [[entry, output]],
});

describe('dmn/decisions', () => {
  it('evaluates a literal expression decision', async () => {
    const doc = await read(dmn([{ id: 'fee', expression: 'amount * 0.02 + 1', typeRef: 'number' }]));
    const outcome = evaluateDecision(doc, 'fee', { amount: 100 });
    expect(outcome).toMatchObject({ ok: true, evaluation: { value: 3, resultList: [{ fee: 3 }] } });
  });

  it('evaluates required decisions first and binds each result to its name', async () => {
    const doc = await read(
      dmn([
        { id: 'score', name: 'Risk Score', expression: 'probability * impact' },
        {
          id: 'level',
          requires: ['score'],
          inputs: [{ expression: 'Risk Score', typeRef: 'number' }],
          outputs: [{ name: 'riskLevel', typeRef: 'string' }],
          rules: [
            ['>= 12', '"critical"'],
            ['< 12', '"normal"'],
          ],
        },
        {
          id: 'owner',
          requires: ['level'],
          expression: 'if riskLevel = "critical" then "service-managers" else "risk-managers"',
        },
      ]),
    );
    const outcome = evaluateDecision(doc, 'owner', { probability: 4, impact: 3 });
    expect(outcome.ok && outcome.evaluation.value).toBe('service-managers');
    expect(outcome.ok && outcome.evaluation.required.map((r) => [r.decisionId, r.value])).toEqual([
      ['score', 12],
      ['level', 'critical'],
    ]);
  });

  it('fails on an input variable that is not set, naming it, rather than deciding with null', async () => {
    const outcome = evaluateDecision(await read(table(simple('> 10'))), 'check', {});
    expect(outcome).toMatchObject({ ok: false, elementId: 'check_in0' });
    expect(!outcome.ok && outcome.error).toContain("names the variable 'amount', which is not set");
  });

  it('converts typed inputs as Camunda 7 does and refuses values of another type', async () => {
    const doc = await read(table(simple('> 10')));
    expect(evaluateDecision(doc, 'check', { amount: '12' })).toMatchObject({ ok: true, evaluation: { value: 'yes' } });
    const outcome = evaluateDecision(doc, 'check', { amount: 'twelve' });
    expect(!outcome.ok && outcome.error).toContain(`input 'amount' is "twelve", which is not of type 'number'`);
  });

  it('refuses an output of the wrong type, naming the rule', async () => {
    const spec: TableSpec = { ...simple('-'), outputs: [{ name: 'ok', typeRef: 'boolean' }], rules: [['-', '"yes"']] };
    const outcome = evaluateDecision(await read(table(spec)), 'check', { amount: 1 });
    expect(outcome).toMatchObject({ ok: false, elementId: 'check_r1' });
  });

  it('compares typed dates as dates', async () => {
    const spec: TableSpec = {
      id: 'late',
      inputs: [{ expression: 'due', typeRef: 'date' }],
      outputs: [{ name: 'late', typeRef: 'boolean' }],
      rules: [
        ['< date("2026-03-01")', 'true'],
        ['>= date("2026-03-01")', 'false'],
      ],
    };
    const doc = await read(table(spec));
    expect(evaluateDecision(doc, 'late', { due: '2026-02-10' })).toMatchObject({
      ok: true,
      evaluation: { value: true },
    });
    expect(evaluateDecision(doc, 'late', { due: '2026-04-10' })).toMatchObject({
      ok: true,
      evaluation: { value: false },
    });
  });

  it('gives input entries the Camunda 7 input variable', async () => {
    const spec: TableSpec = { ...simple('cellInput > 10'), inputs: [{ expression: 'amount', typeRef: 'number' }] };
    expect(evaluateDecision(await read(table(spec)), 'check', { amount: 11 })).toMatchObject({
      ok: true,
      evaluation: { value: 'yes' },
    });
    const named: TableSpec = {
      ...simple('x > 10'),
      inputs: [{ expression: 'amount', typeRef: 'number', inputVariable: 'x' }],
    };
    expect(evaluateDecision(await read(table(named)), 'check', { amount: 11 })).toMatchObject({
      ok: true,
      evaluation: { value: 'yes' },
    });
  });

  it('output entries see the variables', async () => {
    const spec = simple('-', 'amount * 2');
    spec.outputs[0].typeRef = 'number';
    expect(evaluateDecision(await read(table(spec)), 'check', { amount: 4 })).toMatchObject({
      ok: true,
      evaluation: { value: 8 },
    });
  });

  describe('mapDecisionResult (Camunda 7)', () => {
    const one = { resultList: [{ level: 'high' }] };
    const two = { resultList: [{ level: 'high' }, { level: 'low' }] };
    const wide = { resultList: [{ level: 'high', hours: 4 }] };

    it('singleEntry gives the one value, null for none, and refuses two entries or two outputs', () => {
      expect(mapDecisionResult(one, 'singleEntry')).toEqual({ value: 'high' });
      expect(mapDecisionResult({ resultList: [] }, 'singleEntry')).toEqual({ value: null });
      expect(mapDecisionResult(two, 'singleEntry')).toHaveProperty('error');
      expect(mapDecisionResult(wide, 'singleEntry')).toHaveProperty('error');
    });

    it('singleResult gives the one entry and refuses two', () => {
      expect(mapDecisionResult(wide, 'singleResult')).toEqual({ value: { level: 'high', hours: 4 } });
      expect(mapDecisionResult(two, 'singleResult')).toHaveProperty('error');
    });

    it('collectEntries lists the single outputs, resultList the entries', () => {
      expect(mapDecisionResult(two, 'collectEntries')).toEqual({ value: ['high', 'low'] });
      expect(mapDecisionResult(wide, 'collectEntries')).toHaveProperty('error');
      expect(mapDecisionResult(two, 'resultList')).toEqual({ value: two.resultList });
    });
  });
});
