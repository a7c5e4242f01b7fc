/**
 * Issue 14, "Forms": the server's field problems appear in Chinese on a Chinese page. Every message the engine's
 * form validation writes (checked here by making it write each) has a Chinese wording in the web app, so a new
 * or reworded engine message shows up here instead of as English on a Chinese form.
 */
import { describe, expect, it } from 'vitest';
import { zhFieldMessage } from '../../designer/src/tasklist/field-messages.js';
import { type FormComponent, validateFormData } from '../../engine/runtime/forms/form-validation.js';

/** One field per engine message, with the value that provokes it. */
const CASES: Array<[FormComponent, unknown]> = [
  [{ type: 'textfield', key: 'f', validate: { required: true } }, ''],
  [{ type: 'checkbox', key: 'f' }, 'yes'],
  [{ type: 'number', key: 'f' }, 'many'],
  [{ type: 'number', key: 'f', validate: { min: 1 } }, 0],
  [{ type: 'number', key: 'f', validate: { max: 5 } }, 9],
  [{ type: 'textfield', key: 'f' }, 42],
  [{ type: 'textfield', key: 'f', validate: { minLength: 10 } }, 'short'],
  [{ type: 'textfield', key: 'f', validate: { maxLength: 3 } }, 'too long'],
  [{ type: 'textfield', key: 'f', validate: { pattern: '^[0-9]+$' } }, 'abc'],
  [{ type: 'textfield', key: 'f', validate: { validationType: 'email' } }, 'nobody'],
  [{ type: 'textfield', key: 'f', validate: { validationType: 'phone' } }, 'call me'],
  [{ type: 'select', key: 'f', values: [{ value: 'phone' }, { value: 'email' }] }, 'fax'],
  [{ type: 'taglist', key: 'f', values: [{ value: 'a' }] }, 'a'],
  [{ type: 'taglist', key: 'f', values: [{ value: 'a' }] }, ['b']],
  [{ type: 'datetime', key: 'f', subtype: 'date' }, 7],
  [{ type: 'datetime', key: 'f', subtype: 'date' }, 'tomorrow'],
  [{ type: 'datetime', key: 'f', subtype: 'time' }, 'noon'],
  [{ type: 'datetime', key: 'f', subtype: 'datetime' }, 'soon'],
  [{ type: 'textfield', key: 'f', properties: { 'svc.assert': '=f = "x"' } }, 'y'],
  [{ type: 'textfield', key: 'f', properties: { 'svc.memberOf': 'cs-agents' } }, 'eve'],
  [{ type: 'textfield', key: 'f', properties: { 'svc.existingCase': 'complaint-handling' } }, 'CMP-0'],
];

describe('designer/field-messages', () => {
  it('writes every field message of the engine in Chinese', () => {
    const messages = CASES.map(([component, value]) => {
      const problems = validateFormData(
        { components: [component] },
        { f: value },
        {},
        {
          groupMembers: { 'cs-agents': ['agent1'] },
          knownCases: { 'complaint-handling': ['CMP-1'] },
        },
      );
      expect(problems, JSON.stringify(component)).toHaveLength(1);
      return problems[0].message;
    });
    expect(new Set(messages).size).toBe(CASES.length);
    for (const message of messages) {
      const zh = zhFieldMessage(message);
      expect(zh, message).not.toBe(message);
      // only the values the message quotes stay in Latin letters
      expect(
        zh.replace(/"[^"]*"|\^\[0-9\]\+\$|cs-agents|complaint-handling|ISO 8601|YYYY-MM-DD|HH:mm|f = "x"|=/g, ''),
        message,
      ).not.toMatch(/[A-Za-z]{2}/);
    }
  });

  it('leaves an owner-written message as written', () => {
    expect(zhFieldMessage('联系时间不能早于受理时间')).toBe('联系时间不能早于受理时间');
  });
});
