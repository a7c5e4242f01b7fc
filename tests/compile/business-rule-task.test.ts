import { describe, expect, it } from 'vitest';
import { simulate } from '../../engine/compile/index.js';
import { readDmn, type DmnDocument } from '../../engine/dmn/index.js';
import * as b from '../helpers/bpmn-builder.js';
import { compileXml, effectsOf, problemsOf } from '../helpers/compile.js';
import { table, type TableSpec } from '../helpers/dmn-builder.js';

const RISK: TableSpec = {
  id: 'riskLevel',
  hitPolicy: 'RULE ORDER',
  inputs: [{ expression: 'probability * impact', typeRef: 'number' }],
  outputs: [
    { name: 'level', typeRef: 'string' },
    { name: 'owner', typeRef: 'string' },
  ],
  rules: [
    ['>= 15', '"critical"', '"service-managers"'],
    ['>= 8', '"high"', '"risk-managers"'],
    ['>= 1', '"low"', '"risk-managers"'],
  ],
};

async function doc(spec: TableSpec): Promise<DmnDocument> {
  return (await readDmn(table(spec))).document!;
}

/** A process whose business rule task is written as Camunda 7 (`camunda:decisionRef`) or Camunda 8 (`zeebe:calledDecision`). */
function process(task: string): string {
  return b.definitions('Process_risk', [
    b.start('Start_1'),
    task,
    b.userTask('Task_after'),
    b.end('End_1'),
    ...b.chain('Start_1', 'Task_rate', 'Task_after', 'End_1'),
  ]);
}
const c7 = (attrs: string) =>
  process(`<bpmn:businessRuleTask id="Task_rate" camunda:decisionRef="riskLevel" ${attrs} />`);
const c8 = (resultVariable = 'risk') =>
  process(
    `<bpmn:businessRuleTask id="Task_rate"><bpmn:extensionElements><zeebe:calledDecision decisionId="riskLevel" resultVariable="${resultVariable}" /></bpmn:extensionElements></bpmn:businessRuleTask>`,
  );

describe('compile/business-rule-task', () => {
  it('Camunda 8: puts the DMN value in the result variable and moves on in the same step', async () => {
    const sim = simulate(await compileXml(c8()), {
      variables: { probability: 4, impact: 4 },
      decisions: { riskLevel: await doc({ ...RISK, hitPolicy: 'FIRST' }) },
    });
    expect(sim.visited).toEqual(['Start_1', 'Task_rate', 'Task_after']);
    expect(sim.variables.risk).toEqual({ level: 'critical', owner: 'service-managers' });
  });

  it.each([
    [
      'resultList',
      [
        { level: 'high', owner: 'risk-managers' },
        { level: 'low', owner: 'risk-managers' },
      ],
      RISK,
    ],
    ['singleResult', { level: 'high', owner: 'risk-managers' }, { ...RISK, hitPolicy: 'FIRST' }],
    [
      'singleEntry',
      'high',
      { ...RISK, hitPolicy: 'FIRST', outputs: [RISK.outputs[0]], rules: RISK.rules.map((r) => r.slice(0, 2)) },
    ],
    [
      'collectEntries',
      ['high', 'low'],
      {
        ...RISK,
        outputs: [RISK.outputs[0]],
        rules: [
          ['>= 8', '"high"'],
          ['>= 2', '"low"'],
        ],
      },
    ],
  ] as const)('Camunda 7 mapDecisionResult %s', async (mapping, expected, spec) => {
    const compiled = await compileXml(c7(`camunda:resultVariable="risk" camunda:mapDecisionResult="${mapping}"`));
    const sim = simulate(compiled, {
      variables: { probability: 2, impact: 4 },
      decisions: { riskLevel: await doc(spec as TableSpec) },
    });
    expect(sim.variables.risk).toEqual(expected);
    expect(sim.activeElements).toEqual(['Task_after']);
  });

  it('a result that does not fit the mapping is a DECISION_FAILED incident at the task', async () => {
    const compiled = await compileXml(c7('camunda:resultVariable="risk" camunda:mapDecisionResult="singleEntry"'));
    const sim = simulate(compiled, {
      variables: { probability: 2, impact: 4 },
      decisions: { riskLevel: await doc(RISK) },
    });
    expect(effectsOf(sim, 'incident.raise')).toEqual([
      expect.objectContaining({
        elementId: 'Task_rate',
        code: 'DECISION_FAILED',
        message: expect.stringContaining("'singleEntry' takes at most one"),
      }),
    ]);
    expect(sim.machineStatus).toBe('incident');
  });

  it('a decision that is not deployed is a DECISION_NOT_FOUND incident naming it; a retry after deploying runs it', async () => {
    const compiled = await compileXml(c8());
    const missing = simulate(compiled, { variables: { probability: 1, impact: 1 }, decisions: {} });
    expect(effectsOf(missing, 'incident.raise')).toEqual([
      expect.objectContaining({
        elementId: 'Task_rate',
        code: 'DECISION_NOT_FOUND',
        message: expect.stringContaining("the decision 'riskLevel', which is not deployed"),
      }),
    ]);
    const retried = simulate(compiled, {
      variables: { probability: 1, impact: 1 },
      decisions: { riskLevel: await doc({ ...RISK, hitPolicy: 'FIRST' }) },
    });
    expect(retried.variables.risk).toMatchObject({ level: 'low' });
  });

  it('a failing evaluation (a variable not set) is a DECISION_FAILED incident', async () => {
    const sim = simulate(await compileXml(c8()), {
      variables: { probability: 1 },
      decisions: { riskLevel: await doc(RISK) },
    });
    expect(effectsOf(sim, 'incident.raise')[0]).toMatchObject({
      code: 'DECISION_FAILED',
      message: expect.stringContaining("'impact', which is not set"),
    });
  });

  it('finds a version-bound decision by id:version', async () => {
    const compiled = await compileXml(
      c7(
        'camunda:decisionRefBinding="version" camunda:decisionRefVersion="2" camunda:resultVariable="risk" camunda:mapDecisionResult="singleEntry"',
      ),
    );
    expect(compiled.decisions).toEqual([
      expect.objectContaining({ decisionId: 'riskLevel', binding: 'version', version: 2 }),
    ]);
    const sim = simulate(compiled, {
      variables: {},
      decisions: {
        'riskLevel:2': (
          await readDmn(table({ id: 'riskLevel', inputs: [], outputs: [{ name: 'level' }], rules: [['"v2"']] }))
        ).document!,
      },
    });
    expect(sim.variables.risk).toBe('v2');
  });

  it.each([
    [
      'a decision id given as an expression',
      process(
        '<bpmn:businessRuleTask id="Task_rate"><bpmn:extensionElements><zeebe:calledDecision decisionId="=which" resultVariable="r" /></bpmn:extensionElements></bpmn:businessRuleTask>',
      ),
      'UNSUPPORTED_ELEMENT',
      'decision ids given as expressions',
    ],
    [
      'no result variable (Camunda 8)',
      process(
        '<bpmn:businessRuleTask id="Task_rate"><bpmn:extensionElements><zeebe:calledDecision decisionId="riskLevel" /></bpmn:extensionElements></bpmn:businessRuleTask>',
      ),
      'DECISION_INVALID',
      'without a resultVariable',
    ],
    [
      'the deployment binding',
      c7('camunda:decisionRefBinding="deployment"'),
      'UNSUPPORTED_ELEMENT',
      "decisionRefBinding 'deployment'",
    ],
    [
      'an unknown mapping',
      c7('camunda:mapDecisionResult="firstOnly"'),
      'DECISION_INVALID',
      "mapDecisionResult 'firstOnly'",
    ],
    [
      'a Java delegate',
      process('<bpmn:businessRuleTask id="Task_rate" camunda:class="com.acme.Rules" />'),
      'UNSUPPORTED_ELEMENT',
      'Java delegates',
    ],
    [
      'no decision at all',
      process('<bpmn:businessRuleTask id="Task_rate" />'),
      'UNSUPPORTED_ELEMENT',
      'references no decision',
    ],
  ])('refuses %s at deploy, naming the task', async (_what, xml, code, text) => {
    const problems = await problemsOf(xml);
    expect(problems).toContainEqual(
      expect.objectContaining({ code, elementId: 'Task_rate', message: expect.stringContaining(text) }),
    );
  });
});
