/**
 * Complex gateways (BPMN 2.0 §10.6.5, §13.3.5): the activation condition decides when a wave of tokens fires the
 * gateway; the wave's later tokens are taken without firing again (reset); the outgoing flows are chosen as an
 * inclusive gateway chooses them, with a default flow.
 */
import { describe, expect, it } from 'vitest';
import { definitions, end, flow, gateway, start, userTask } from '../helpers/bpmn-builder.js';
import { complete, compileXml, effectsOf, problemsOf, run } from '../helpers/compile.js';
import type { Simulation } from '../../engine/compile/index.js';

function complex(id: string, condition?: string, defaultFlow?: string, language?: string): string {
  const attrs = defaultFlow ? ` default="${defaultFlow}"` : '';
  const lang = language ? ` language="${language}"` : '';
  const body = condition
    ? `<bpmn:activationCondition xsi:type="bpmn:tFormalExpression"${lang}>${xmlText(condition)}</bpmn:activationCondition>`
    : '';
  return `<bpmn:complexGateway id="${id}"${attrs}>${body}</bpmn:complexGateway>`;
}

function xmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The document with the xsi namespace the activation condition's type needs. */
function doc(body: string[]): string {
  return definitions('P', body).replace(
    '<bpmn:definitions ',
    '<bpmn:definitions xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ',
  );
}

function count(sim: Simulation, id: string): number {
  return sim.visited.filter((v) => v === id).length;
}

/** S → P1 splits into user tasks A, B, C → complex gateway G (activation `condition`) → user task D → E. */
function threeBranches(condition: string): string {
  return doc([
    start('S'),
    gateway('parallel', 'P1'),
    userTask('A'),
    userTask('B'),
    userTask('C'),
    complex('G', condition),
    userTask('D'),
    end('E'),
    flow('S', 'P1'),
    flow('P1', 'A'),
    flow('P1', 'B'),
    flow('P1', 'C'),
    flow('A', 'G'),
    flow('B', 'G'),
    flow('C', 'G'),
    flow('G', 'D'),
    flow('D', 'E'),
  ]);
}

/** B decides whether it goes to G at all; D loops back to the split through the merge M when `again`. */
function loopModel(): string {
  return doc([
    start('S'),
    gateway('exclusive', 'M'),
    gateway('parallel', 'P1'),
    userTask('A'),
    userTask('B'),
    gateway('exclusive', 'X', 'Flow_X_E2'),
    end('E2'),
    complex('G', 'activationCount >= 1'),
    userTask('D'),
    gateway('exclusive', 'Y', 'Flow_Y_E'),
    end('E'),
    flow('S', 'M'),
    flow('M', 'P1'),
    flow('P1', 'A'),
    flow('P1', 'B'),
    flow('A', 'G'),
    flow('B', 'X'),
    flow('X', 'G', 'toG = true', 'Flow_X_G'),
    flow('X', 'E2', undefined, 'Flow_X_E2'),
    flow('G', 'D'),
    flow('D', 'Y'),
    flow('Y', 'M', 'again = true', 'Flow_Y_M'),
    flow('Y', 'E', undefined, 'Flow_Y_E'),
  ]);
}

describe('compile/complex gateway: activation', () => {
  it('fires on the first token (discriminator) and takes the wave’s later tokens without firing again', async () => {
    const compiled = await compileXml(threeBranches('activationCount >= 1'));
    const first = run(compiled, [complete('B')]);
    expect(first.visited).toContain('G');
    expect(first.activeElements).toEqual(['A', 'C', 'D']);

    const sim = run(compiled, [complete('B'), complete('A'), complete('C'), complete('D')]);
    expect(count(sim, 'G')).toBe(1);
    expect(count(sim, 'D')).toBe(1);
    expect([...sim.visited].sort()).toEqual(['A', 'B', 'C', 'D', 'E', 'G', 'P1', 'S']);
    expect(sim.status).toBe('done');
  });

  it('waits until the condition holds: two of three branches', async () => {
    const compiled = await compileXml(threeBranches('activationCount >= 2'));
    const one = run(compiled, [complete('C')]);
    expect(one.visited).not.toContain('G');
    expect(one.activeElements).toEqual(['A', 'B', 'G']);

    const two = run(compiled, [complete('C'), complete('A')]);
    expect(count(two, 'G')).toBe(1);
    expect(two.activeElements).toEqual(['B', 'D']);

    const all = run(compiled, [complete('C'), complete('A'), complete('B'), complete('D')]);
    expect(count(all, 'G')).toBe(1);
    expect(count(all, 'D')).toBe(1);
    expect(all.status).toBe('done');
  });

  it('sees the tokens per incoming flow and the process variables', async () => {
    const compiled = await compileXml(
      threeBranches('activationCounts.Flow_A_G = 1 or (activationCount >= 2 and urgent = false)'),
    );
    const urgentB = run(compiled, [complete('B'), complete('C')], { urgent: true });
    expect(urgentB.visited).not.toContain('G');
    const calm = run(compiled, [complete('B'), complete('C')], { urgent: false });
    expect(count(calm, 'G')).toBe(1);
    const viaA = run(compiled, [complete('A')], { urgent: true });
    expect(count(viaA, 'G')).toBe(1);
  });

  it('resets when the branches it still waits for can no longer reach it, so the next wave fires again', async () => {
    const compiled = await compileXml(loopModel());
    const sim = run(compiled, [
      complete('A'),
      complete('B', { toG: false }),
      complete('D', { again: true }),
      // second wave: B comes first this time and fires G (the first wave's reset is over)
      complete('B', { toG: true, again: false }),
    ]);
    expect(count(sim, 'G')).toBe(2);
    expect(sim.activeElements).toEqual(['A', 'D']);
    const done = run(compiled, [
      complete('A'),
      complete('B', { toG: false }),
      complete('D', { again: true }),
      complete('B', { toG: true, again: false }),
      complete('A'),
      complete('D'),
    ]);
    expect(count(done, 'G')).toBe(2);
    expect(count(done, 'D')).toBe(2);
    expect(done.status).toBe('done');
  });

  it('holds the next wave’s token until the current wave has reset', async () => {
    // D loops back to A alone (through MA): wave 2 is A's next token, while wave 1's B is still out
    const compiled = await compileXml(
      doc([
        start('S'),
        gateway('parallel', 'P1'),
        gateway('exclusive', 'MA'),
        userTask('A'),
        userTask('B'),
        gateway('exclusive', 'X', 'Flow_X_E2'),
        end('E2'),
        complex('G', 'activationCount >= 1'),
        userTask('D'),
        gateway('exclusive', 'Y', 'Flow_Y_E'),
        end('E'),
        flow('S', 'P1'),
        flow('P1', 'MA'),
        flow('MA', 'A'),
        flow('P1', 'B'),
        flow('A', 'G'),
        flow('B', 'X'),
        flow('X', 'G', 'toG = true', 'Flow_X_G'),
        flow('X', 'E2', undefined, 'Flow_X_E2'),
        flow('G', 'D'),
        flow('D', 'Y'),
        flow('Y', 'MA', 'again = true', 'Flow_Y_MA'),
        flow('Y', 'E', undefined, 'Flow_Y_E'),
      ]),
    );
    const waiting = run(compiled, [complete('A'), complete('D', { again: true }), complete('A')]);
    expect(count(waiting, 'G')).toBe(1);
    expect(waiting.activeElements).toContain('G');
    // wave 1's B comes in: taken without firing, the gateway resets, and wave 2's waiting token fires it
    const sim = run(compiled, [
      complete('A'),
      complete('D', { again: true }),
      complete('A'),
      complete('B', { toG: true }),
    ]);
    expect(count(sim, 'G')).toBe(2);
    expect(sim.activeElements).toEqual(['D']);
  });
});

describe('compile/complex gateway: outgoing flows', () => {
  const model = doc([
    start('S'),
    complex('G', undefined, 'Flow_G_T3'),
    userTask('T1'),
    userTask('T2'),
    userTask('T3'),
    end('E1'),
    end('E2'),
    end('E3'),
    flow('S', 'G'),
    flow('G', 'T1', 'x > 1', 'Flow_G_T1'),
    flow('G', 'T2', 'x > 5', 'Flow_G_T2'),
    flow('G', 'T3', undefined, 'Flow_G_T3'),
    flow('T1', 'E1'),
    flow('T2', 'E2'),
    flow('T3', 'E3'),
  ]);

  it('takes every flow whose condition holds, as an inclusive gateway', async () => {
    const compiled = await compileXml(model);
    expect(run(compiled, [], { x: 3 }).activeElements).toEqual(['T1']);
    expect(run(compiled, [], { x: 9 }).activeElements).toEqual(['T1', 'T2']);
  });

  it('takes the default flow when no condition holds', async () => {
    const sim = run(await compileXml(model), [complete('T3')], { x: 0 });
    expect([...sim.visited].sort()).toEqual(['E3', 'G', 'S', 'T3']);
    expect(sim.status).toBe('done');
  });
});

describe('compile/complex gateway: what cannot run', () => {
  it('raises an incident when the activation condition gives no boolean, and fires after a retry that fixes it', async () => {
    const compiled = await compileXml(threeBranches('activationCount >= limit'));
    const sim = run(compiled, [complete('A')]);
    expect(effectsOf(sim, 'incident.raise')).toEqual([
      expect.objectContaining({ elementId: 'G', code: 'CONDITION_FAILED' }),
    ]);
    expect(sim.visited).not.toContain('G');
    const fixed = run(compiled, [
      complete('A'),
      { type: 'variables.set', elementId: 'P', variables: { limit: 1 } },
      { type: 'incident.retry', elementId: 'G' },
    ]);
    expect(count(fixed, 'G')).toBe(1);
  });

  it('refuses at deploy a join without an activation condition, naming the gateway', async () => {
    const problems = await problemsOf(threeBranches(''));
    expect(problems).toContainEqual(
      expect.objectContaining({
        code: 'UNSUPPORTED_ELEMENT',
        elementId: 'G',
        message: expect.stringContaining('activationCondition'),
      }),
    );
  });

  it('refuses an activation condition in another language, and one that is not valid FEEL', async () => {
    const js = await problemsOf(
      threeBranches('x').replace('<bpmn:activationCondition ', '<bpmn:activationCondition language="javascript" '),
    );
    expect(js).toContainEqual(expect.objectContaining({ code: 'UNSUPPORTED_ELEMENT', elementId: 'G' }));
    const bad = await problemsOf(threeBranches('activationCount >= '));
    expect(bad).toContainEqual(expect.objectContaining({ code: 'FEEL_SYNTAX', elementId: 'G' }));
  });
});
