/**
 * Issue 11, "Multi-instance and loops": multi-instance script, business rule, none and manual tasks.
 * Nothing waits, so every instance runs within the step, in input order, each with its own loop variables.
 */
import { describe, expect, it } from 'vitest';
import { simulate } from '../../engine/compile/index.js';
import { readDmn } from '../../engine/dmn/index.js';
import { chain, definitions, end, start, userTask } from '../helpers/bpmn-builder.js';
import { compileXml, effectsOf, run } from '../helpers/compile.js';
import { table } from '../helpers/dmn-builder.js';

const xsi = 'xsi:type="bpmn:tFormalExpression" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';
const C8 = (
  collection: string,
  element: string,
  opts: { sequential?: boolean; completion?: string; output?: [string, string] } = {},
) =>
  `<bpmn:multiInstanceLoopCharacteristics${opts.sequential ? ' isSequential="true"' : ''}><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="${collection}" inputElement="${element}"${opts.output ? ` outputCollection="${opts.output[0]}" outputElement="${opts.output[1]}"` : ''} /></bpmn:extensionElements>${opts.completion ? `<bpmn:completionCondition ${xsi}>${opts.completion}</bpmn:completionCondition>` : ''}</bpmn:multiInstanceLoopCharacteristics>`;

const script = (expression: string, result: string, loop: string) =>
  `<bpmn:scriptTask id="Score"><bpmn:extensionElements><zeebe:script expression="${expression}" resultVariable="${result}" /></bpmn:extensionElements>${loop}</bpmn:scriptTask>`;

const around = (element: string) =>
  definitions('P', [start('S'), element, userTask('After'), end('E'), ...chain('S', 'Score', 'After', 'E')]);

describe('compile/multi-instance: script tasks', () => {
  it.each([
    ['parallel', false],
    ['sequential', true],
  ])('%s: runs one script per item in input order and collects the results in input order', async (_, sequential) => {
    const compiled = await compileXml(
      around(script('=item * 10', 'score', C8('=items', 'item', { sequential, output: ['scores', '=score'] }))),
    );
    const sim = run(compiled, [], { items: [3, 1, 2] });
    expect(sim.variables.scores).toEqual([30, 10, 20]);
    expect(sim.activeElements).toEqual(['After']);
    expect(sim.visited).toEqual(['S', 'Score', 'After']);
    // the loop variables were the instances' own: none leaks into the process
    expect(sim.variables).not.toHaveProperty('item');
    expect(sim.variables).not.toHaveProperty('loopCounter');
  });

  it('sees loopCounter and nrOfInstances', async () => {
    const compiled = await compileXml(
      around(
        script(
          '=string(loopCounter) + &quot;/&quot; + string(nrOfInstances)',
          'r',
          C8('=items', 'item', { output: ['all', '=r'] }),
        ),
      ),
    );
    expect(run(compiled, [], { items: ['a', 'b'] }).variables.all).toEqual(['1/2', '2/2']);
  });

  it('a completion condition stops before the remaining instances run; their outputs are null', async () => {
    const compiled = await compileXml(
      around(
        script(
          '=item',
          'seen',
          C8('=items', 'item', { sequential: true, output: ['seen list', '=seen'], completion: '=seen &gt;= 5' }),
        ),
      ),
    );
    const sim = run(compiled, [], { items: [1, 7, 2, 9] });
    expect(sim.variables['seen list']).toEqual([1, 7, null, null]);
    expect(sim.variables.seen).toBe(7);
  });

  it('an empty collection leaves at once', async () => {
    const compiled = await compileXml(around(script('=item', 'x', C8('=items', 'item', { output: ['xs', '=x'] }))));
    const sim = run(compiled, [], { items: [] });
    expect(sim.variables.xs).toEqual([]);
    expect(sim.activeElements).toEqual(['After']);
  });

  it('a failing instance is an incident at the element; a retry with new variables runs on from it', async () => {
    const compiled = await compileXml(
      around(script('=item.weight * factor', 'w', C8('=items', 'item', { output: ['ws', '=w'] }))),
    );
    const items = [{ weight: 2 }, { weight: 5 }];
    const failed = run(compiled, [], { items });
    expect(failed.activeElements).toEqual(['Score']);
    expect(effectsOf(failed, 'incident.raise')).toEqual([
      expect.objectContaining({
        elementId: 'Score',
        code: 'EXPRESSION_FAILED',
        message: expect.stringContaining('factor'),
      }),
    ]);
    const retried = run(compiled, [{ type: 'incident.retry', elementId: 'Score', variables: { factor: 3 } }], {
      items,
    });
    expect(retried.variables.ws).toEqual([6, 15]);
    expect(retried.activeElements).toEqual(['After']);
  });

  it('a standard loop repeats the script while its condition holds', async () => {
    const compiled = await compileXml(
      around(
        `<bpmn:scriptTask id="Score"><bpmn:extensionElements><zeebe:script expression="=n + 1" resultVariable="n" /></bpmn:extensionElements><bpmn:standardLoopCharacteristics><bpmn:loopCondition ${xsi}>=n &lt; 4</bpmn:loopCondition></bpmn:standardLoopCharacteristics></bpmn:scriptTask>`,
      ),
    );
    expect(run(compiled, [], { n: 0 }).variables.n).toBe(4);
  });
});

describe('compile/multi-instance: none, manual and business rule tasks', () => {
  it.each(['task', 'manualTask'])('a multi-instance %s passes once per instance', async (kind) => {
    const compiled = await compileXml(
      definitions('P', [
        start('S'),
        `<bpmn:${kind} id="Score"><bpmn:multiInstanceLoopCharacteristics><bpmn:loopCardinality ${xsi}>3</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics></bpmn:${kind}>`,
        userTask('After'),
        end('E'),
        ...chain('S', 'Score', 'After', 'E'),
      ]),
    );
    const sim = run(compiled);
    expect(sim.activeElements).toEqual(['After']);
    expect(effectsOf(sim, 'element.entered').filter((e) => e.elementId === 'Score')).toHaveLength(1);
  });

  it('a multi-instance business rule task decides once per item (the risk matrix per hazard)', async () => {
    const dmn = await readDmn(
      table({
        id: 'riskLevel',
        hitPolicy: 'FIRST',
        inputs: [{ expression: 'hazard.p * hazard.i', typeRef: 'number' }],
        outputs: [{ name: 'level', typeRef: 'string' }],
        rules: [
          ['>= 15', '"critical"'],
          ['>= 8', '"high"'],
          ['-', '"low"'],
        ],
      }),
    );
    const compiled = await compileXml(
      around(
        `<bpmn:businessRuleTask id="Score"><bpmn:extensionElements><zeebe:calledDecision decisionId="riskLevel" resultVariable="level" /></bpmn:extensionElements>${C8('=hazards', 'hazard', { output: ['levels', '=level'] })}</bpmn:businessRuleTask>`,
      ),
    );
    const sim = simulate(compiled, {
      variables: {
        hazards: [
          { p: 5, i: 4 },
          { p: 1, i: 2 },
          { p: 3, i: 3 },
        ],
      },
      decisions: { riskLevel: dmn.document! },
    });
    expect(sim.variables.levels).toEqual(['critical', 'low', 'high']);
    expect(sim.activeElements).toEqual(['After']);
  });
});

describe('compile/eventless tasks: input mappings', () => {
  it('a script and a business rule task read their input mappings, which do not outlive them', async () => {
    const dmn = await readDmn(
      table({
        id: 'double',
        inputs: [{ expression: 'n', typeRef: 'number' }],
        outputs: [{ name: 'twice', typeRef: 'number' }],
        rules: [['-', 'n * 2']],
      }),
    );
    const io = (target: string) =>
      `<zeebe:ioMapping><zeebe:input source="=x + 1" target="n" /><zeebe:output source="=${target}" target="${target}Out" /></zeebe:ioMapping>`;
    const compiled = await compileXml(
      definitions('P', [
        start('S'),
        `<bpmn:scriptTask id="Script"><bpmn:extensionElements><zeebe:script expression="=n * 10" resultVariable="tenfold" />${io('tenfold')}</bpmn:extensionElements></bpmn:scriptTask>`,
        `<bpmn:businessRuleTask id="Rule"><bpmn:extensionElements><zeebe:calledDecision decisionId="double" resultVariable="twice" />${io('twice')}</bpmn:extensionElements></bpmn:businessRuleTask>`,
        userTask('After'),
        end('E'),
        ...chain('S', 'Script', 'Rule', 'After', 'E'),
      ]),
    );
    const sim = simulate(compiled, { variables: { x: 4, n: 100 }, decisions: { double: dmn.document! } });
    expect(sim.variables).toMatchObject({ tenfoldOut: 50, twiceOut: 10, n: 100 });
  });
});
