import { describe, expect, it } from 'vitest';
import { evaluateCondition, normalizeExpression } from '../../engine/expr/index.js';

describe('expr/juel', () => {
  it.each([
    ["${amount > 100 && priority == 'high'}", 'amount > 100 and priority = "high"'],
    ['#{approved || escalated}', 'approved or escalated'],
    ['${!approved}', 'not(approved)'],
    ['${!(approved && paid)}', 'not(approved and paid)'],
    ['${not approved}', 'not(approved)'],
    ['${!customer.vip && !isOpen(ticket)}', 'not(customer.vip) and not(isOpen(ticket))'],
    ['${reason != null}', 'reason != null'],
    ['${count eq 3 and rating ge 4 or age lt 18}', 'count = 3 and rating >= 4 or age < 18'],
    ['${flag == true}', 'flag = true'],
    ['${note == "a \\"b\\""}', 'note = "a \\"b\\""'],
  ])('converts %s to FEEL', (juel, feel) => {
    expect(normalizeExpression(juel)).toBe(feel);
  });

  it('turns single-quoted strings into FEEL strings, unescaping JUEL escapes', () => {
    expect(normalizeExpression("${name == 'it\\'s \"ok\"'}")).toBe('name = "it\'s \\"ok\\""');
    expect(evaluateCondition("${name == 'it\\'s \"ok\"'}", { name: 'it\'s "ok"' }).value).toBe(true);
  });

  it('does not touch operators and keywords inside strings', () => {
    expect(normalizeExpression("${text == 'a && !b == c'}")).toBe('text = "a && !b == c"');
  });

  it('evaluates negation of a group', () => {
    expect(evaluateCondition('${!(a || b)}', { a: false, b: false }).value).toBe(true);
    expect(evaluateCondition('${!(a || b)}', { a: true, b: false }).value).toBe(false);
  });

  it('leaves text that is not wrapped in ${…} alone', () => {
    expect(normalizeExpression('a == b')).toBe('a == b');
  });
});
