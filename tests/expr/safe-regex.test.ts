import { describe, expect, it } from 'vitest';
import { evaluateFeel, unsafePatternReason } from '../../engine/expr/index.js';
import { validateFormData } from '../../engine/runtime/index.js';
import { DeploymentInvalidError, Engine } from '../../engine/runtime/index.js';
import { openStore } from '../../engine/store/index.js';
import { migrationSource } from '../../migrations/index.js';
import * as b from '../helpers/bpmn-builder.js';

async function deployProblems(pattern: string): Promise<unknown[]> {
  const store = await openStore({ migrations: migrationSource, url: 'sqlite::memory:' });
  await store.migrate();
  const xml = b.definitions('Process_rx', [
    b.start('Start_1'),
    '<bpmn:exclusiveGateway id="Gw" default="Flow_ok" />',
    b.end('End_bad'),
    b.end('End_ok'),
    b.flow('Start_1', 'Gw'),
    b.flow('Gw', 'End_bad', `=matches(code, "${pattern}")`, 'Flow_bad'),
    b.flow('Gw', 'End_ok', undefined, 'Flow_ok'),
  ]);
  try {
    await new Engine({ store }).deploy(xml);
    return [];
  } catch (error) {
    if (error instanceof DeploymentInvalidError) return error.problems;
    throw error;
  } finally {
    await store.close();
  }
}

const EVIL = '^(a+)+$';
const NEAR_MISS = `${'a'.repeat(31)}!`;

describe('expr: regular expressions cannot stall a node', () => {
  it('refuses nested repetitions and accepts ordinary patterns', () => {
    expect(unsafePatternReason(EVIL)).toMatch(/nests repetitions/);
    expect(unsafePatternReason('(x*)*y')).not.toBeNull();
    expect(unsafePatternReason('^[A-Z]{2}\\d+$')).toBeNull();
    expect(unsafePatternReason('^a+$')).toBeNull();
  });

  it(`answers FEEL matches with ${EVIL} on 32 characters at once, as an error rather than a 19 s stall`, () => {
    const started = performance.now();
    const result = evaluateFeel(`matches(x, "${EVIL}")`, { x: NEAR_MISS });
    expect(performance.now() - started).toBeLessThan(100);
    expect(result.error).toMatch(/nests repetitions/);
    expect(evaluateFeel('matches(x, "^a+!$")', { x: NEAR_MISS }).value).toBe(true);
    expect(evaluateFeel('replace("a-b", "-", "+")', {}).value).toBe('a+b');
  });

  it('refuses a form value checked against an unsafe pattern, quickly', () => {
    const started = performance.now();
    const problems = validateFormData(
      { components: [{ type: 'textfield', key: 'code', validate: { pattern: EVIL } }] },
      { code: NEAR_MISS },
      {},
    );
    expect(performance.now() - started).toBeLessThan(100);
    expect(problems).toHaveLength(1);
  });

  it('refuses a model with an unsafe literal pattern at deploy, naming the element', async () => {
    const problems = await deployProblems(EVIL);
    expect(await deployProblems('^a+$')).toEqual([]);
    expect(problems).toContainEqual(expect.objectContaining({ code: 'PATTERN_UNSAFE', elementId: 'Flow_bad' }));
  });
});
