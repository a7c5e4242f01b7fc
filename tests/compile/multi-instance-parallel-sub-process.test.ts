/**
 * Issue 11, "Multi-instance and loops": parallel multi-instance sub-processes whose inside does not wait
 * (tasks, script tasks, gateways, none and error end events). Their instances run one after another inside
 * the step, each with its own item and loop counter; a sub-process with anything inside that waits is
 * refused at deploy, naming the element.
 */
import { describe, expect, it } from 'vitest';
import {
  boundary,
  chain,
  definitions,
  end,
  error,
  errorEnd,
  flow,
  gateway,
  scriptTask,
  start,
  subProcess,
  task,
  userTask,
} from '../helpers/bpmn-builder.js';
import { compileXml, problemsOf, run } from '../helpers/compile.js';

const xsi = 'xsi:type="bpmn:tFormalExpression" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';
const parallelLoop = (collection: string, element: string, opts: { completion?: string; output?: string } = {}) =>
  `<bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="${collection}" inputElement="${element}"${opts.output ? ` outputCollection="results" outputElement="${opts.output}"` : ''} /></bpmn:extensionElements>${opts.completion ? `<bpmn:completionCondition ${xsi}>${opts.completion}</bpmn:completionCondition>` : ''}</bpmn:multiInstanceLoopCharacteristics>`;

/** S → Each (parallel over `items`: S1 → Price (script) → G → Cheap | Dear → E1) → After → E. */
function priced(loop: string, outer: string[] = [], roots: string[] = [], inner: string[] = []): string {
  return definitions(
    'P',
    [
      start('S'),
      subProcess('Each', [
        loop,
        start('S1'),
        scriptTask('Price', '=item.qty * 10 + loopCounter', 'price'),
        gateway('exclusive', 'G', 'f_dear'),
        task('Cheap'),
        task('Dear'),
        end('E1'),
        end('E2'),
        ...chain('S1', 'Price', 'G'),
        flow('G', 'Cheap', 'price < 30', 'f_cheap'),
        flow('G', 'Dear', undefined, 'f_dear'),
        ...chain('Cheap', 'E1'),
        ...chain('Dear', 'E2'),
        ...inner,
      ]),
      userTask('After'),
      end('E'),
      ...chain('S', 'Each', 'After', 'E'),
      ...outer,
    ],
    roots,
  );
}

const items = [{ qty: 1 }, { qty: 5 }, { qty: 2 }];
const count = (visited: string[], id: string) => visited.filter((v) => v === id).length;

describe('compile/multi-instance sub-processes: parallel, nothing inside waits', () => {
  it('runs every instance in the step, each with its own item and loop counter, the output collection in input order', async () => {
    const compiled = await compileXml(priced(parallelLoop('=items', 'item', { output: '=price' })));
    const sim = run(compiled, [], { items });
    expect(sim.activeElements).toEqual(['After']);
    expect(sim.variables.results).toEqual([11, 52, 23]);
    expect(count(sim.visited, 'S1')).toBe(3);
    expect(count(sim.visited, 'Cheap')).toBe(2);
    expect(count(sim.visited, 'Dear')).toBe(1);
    // the loop variables never become process variables
    expect(sim.variables).not.toHaveProperty('item');
    expect(sim.variables).not.toHaveProperty('loopCounter');
  });

  it('an empty collection completes the body at once', async () => {
    const sim = run(await compileXml(priced(parallelLoop('=items', 'item', { output: '=price' }))), [], { items: [] });
    expect(sim.activeElements).toEqual(['After']);
    expect(sim.variables.results).toEqual([]);
    expect(sim.visited).not.toContain('S1');
  });

  it('a completion condition cuts the instances not yet run; nrOfActiveInstances counts every one not completed', async () => {
    const loop = parallelLoop('=items', 'item', {
      completion: '=nrOfCompletedInstances = 2 and nrOfActiveInstances = 1',
      output: '=price',
    });
    const sim = run(await compileXml(priced(loop)), [], { items });
    expect(sim.activeElements).toEqual(['After']);
    expect(count(sim.visited, 'S1')).toBe(2);
    // the instance that did not complete gives null
    expect(sim.variables.results).toEqual([11, 52, null]);
  });

  it('an error thrown by one instance and caught on the body ends them all', async () => {
    const inner = [
      gateway('exclusive', 'Check', 'f_fine'),
      errorEnd('Fail', 'Err'),
      flow('Dear', 'Check', undefined, 'f_toCheck'),
      flow('Check', 'Fail', 'item.qty > 4', 'f_fail'),
      flow('Check', 'E2', undefined, 'f_fine'),
    ];
    const xml = priced(
      parallelLoop('=items', 'item'),
      [boundary('Caught', 'Each', { error: 'Err' }), userTask('Repair'), end('E3'), ...chain('Caught', 'Repair', 'E3')],
      [error('Err', 'BAD')],
      inner,
    ).replace(flow('Dear', 'E2'), '');
    const sim = run(await compileXml(xml), [], { items });
    expect(sim.activeElements).toEqual(['Repair']);
    expect(count(sim.visited, 'S1')).toBe(2);
    expect(sim.visited).not.toContain('After');
  });
});

describe('compile/multi-instance sub-processes: parallel ones that wait are refused', () => {
  it('a user task inside, naming the sub-process and the task', async () => {
    const xml = definitions('P', [
      start('S'),
      subProcess('Each', [
        parallelLoop('=items', 'item'),
        start('S1'),
        userTask('Handle'),
        end('E1'),
        ...chain('S1', 'Handle', 'E1'),
      ]),
      end('E'),
      ...chain('S', 'Each', 'E'),
    ]);
    expect(await problemsOf(xml)).toEqual([
      expect.objectContaining({
        code: 'UNSUPPORTED_ELEMENT',
        elementId: 'Each',
        message: expect.stringMatching(/parallel multi-instance sub-processes .*'Handle'.* yet$/),
      }),
    ]);
  });

  it('a boundary event inside', async () => {
    const xml = priced(
      parallelLoop('=items', 'item'),
      [],
      [error('Err', 'BAD')],
      [boundary('Inner', 'Price', { error: 'Err' }), end('E4'), ...chain('Inner', 'E4')],
    );
    expect(await problemsOf(xml)).toEqual([
      expect.objectContaining({ elementId: 'Each', message: expect.stringContaining("'Inner'") }),
    ]);
  });
});
