/** Issue #13: Camunda 7 JUEL and Camunda 8 FEEL extension functions mean what they mean in the source engine. */
import { describe, expect, it } from 'vitest';
import { checkFeel, evaluateCondition, evaluateFeel } from '../../engine/expr/index.js';

describe('expr/juel as Camunda 7 evaluates it', () => {
  it('compares variables read through execution and task method calls', () => {
    expect(evaluateCondition("${execution.getVariable('approved') == true}", { approved: true })).toMatchObject({
      value: true,
      error: null,
    });
    expect(evaluateCondition("${execution.getVariable('approved') == true}", { approved: false })).toMatchObject({
      value: false,
      error: null,
    });
    expect(
      evaluateCondition('${task.getVariable("amount") > 100 && execution.hasVariable(\'vip\')}', {
        amount: 120,
        vip: false,
      }),
    ).toMatchObject({ value: true });
    expect(evaluateCondition("${!execution.hasVariable('vip')}", {})).toMatchObject({ value: true, error: null });
  });

  it('fails, never decides, when a compared variable is missing', () => {
    const result = evaluateCondition("${execution.getVariable('approved') == true}", {});
    expect(result.value).toBe(false);
    expect(result.error).toMatch(/approved.*missing variable/);
    expect(evaluateCondition('${amount > 100}', {}).error).toMatch(/amount/);
  });

  it('refuses at check time every form it cannot translate', () => {
    expect(checkFeel('${empty items}')).toMatch(
      /^JUEL "empty items" cannot be translated to FEEL: `empty` is not supported/,
    );
    expect(checkFeel("${execution.getProcessBusinessKey() == 'A'}")).toMatch(
      /method and function calls are not supported/,
    );
    expect(checkFeel("${execution.getVariable(name) == 'A'}")).toMatch(/method and function calls are not supported/);
    expect(checkFeel("${execution.getVariable('x') == 'a(b)?'}")).toBeNull();
  });
});

describe('expr/feel Camunda 8 extension functions', () => {
  const value = (expression: string, variables: Record<string, unknown> = {}) =>
    evaluateFeel(expression, variables).value;

  it('checks and defaults values', () => {
    expect(value('is defined(x)')).toBe(false);
    expect(value('is defined(x)', { x: 1 })).toBe(true);
    expect(value('get or else(x, "none")')).toBe('none');
    expect(value('get or else(x, "none")', { x: 'set' })).toBe('set');
    expect(checkFeel('get or else(order.total, 0) > 10')).toBeNull();
  });

  it('fails the evaluation when an assertion does not hold', () => {
    expect(value('assert(x, x > 0)', { x: 2 })).toBe(2);
    expect(evaluateFeel('assert(x, x > 0, "x must be positive")', { x: -1 }).error).toMatch(/x must be positive/);
  });

  it('works on lists and strings', () => {
    expect(value('duplicate values([1, 2, 2, 3, 3, 3])')).toEqual([2, 3]);
    expect(value('partition([1, 2, 3, 4, 5], 2)')).toEqual([[1, 2], [3, 4], [5]]);
    expect(value('is empty([])')).toBe(true);
    expect(value('string join(["a", "b"], "-")')).toBe('a-b');
    expect(value('distinct values([1, 1, 2])')).toEqual([1, 2]);
    expect(value('sort([3, 1, 2], function(a, b) a < b)')).toEqual([1, 2, 3]);
    expect(value('trim("  x ")')).toBe('x');
    expect(value('is blank("  ")')).toBe(true);
  });

  it('converts JSON, and makes ids and random numbers from the injected source only', () => {
    expect(value('to json({a: 1})')).toBe('{"a":1}');
    expect(value('from json("{\\"a\\": [1]}")')).toEqual({ a: [1] });
    const random = { number: () => 0.25, uuid: () => '0190a0e4-0000-7000-8000-000000000001' };
    expect(evaluateFeel('uuid()', {}, { random }).value).toBe('0190a0e4-0000-7000-8000-000000000001');
    expect(evaluateFeel('random number()', {}, { random }).value).toBe(0.25);
    expect(evaluateFeel('uuid()', {})).toMatchObject({
      value: null,
      warnings: [expect.stringContaining('needs a random source')],
    });
  });

  it('lets a process variable of the same name win', () => {
    expect(value('uuid', { uuid: 'mine' })).toBe('mine');
  });
});

describe('expr/feel unknown functions', () => {
  it('refuses a call to a function FEEL does not know, at check time', () => {
    expect(checkFeel('if x then nope(1) else 2')).toBe(
      "unknown function 'nope' at 10; use a FEEL built-in or a Camunda 8 extension function",
    );
    expect(checkFeel('upper case(name) + string join(["a"], ",") + get or else(x, "")')).toBeNull();
    expect(checkFeel('{ twice: function(n) n * 2, r: twice(2) }.r')).toBeNull();
  });
});
