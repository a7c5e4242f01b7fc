import { describe, expect, it } from 'vitest';
import { caseReferences, memberOfGroups, validateFormData, type FormSchema } from '../../engine/runtime/index.js';

// The shared SLA overdue-review form of domain.md, as the designer saves it.
const overdueReview: FormSchema = {
  components: [
    {
      type: 'radio',
      key: 'action',
      validate: { required: true },
      values: [{ value: 'expedite' }, { value: 'reassign' }, { value: 'extend_agreed' }, { value: 'escalate' }],
    },
    {
      type: 'select',
      key: 'newAssignee',
      valuesKey: 'groupMembers',
      validate: { required: true },
      conditional: { hide: '=action != "reassign"' },
    },
    {
      type: 'datetime',
      key: 'agreedDate',
      subtype: 'datetime',
      validate: { required: true },
      conditional: { hide: '=action != "extend_agreed"' },
    },
    { type: 'textarea', key: 'note', validate: { required: true, minLength: 10, maxLength: 1000 } },
    { type: 'text', text: '# Overdue' },
  ],
};

const validReview = { action: 'expedite', note: 'customer called twice' };

describe('runtime/form-validation', () => {
  it('accepts data that satisfies the form', () => {
    expect(validateFormData(overdueReview, validReview, {})).toEqual([]);
  });

  it('lists every missing required field at once', () => {
    expect(validateFormData(overdueReview, {}, {})).toEqual([
      { name: 'action', message: 'is required' },
      { name: 'note', message: 'is required' },
    ]);
  });

  it('requires a conditionally shown field only when it is shown', () => {
    expect(validateFormData(overdueReview, { ...validReview, action: 'reassign' }, {})).toEqual([
      { name: 'newAssignee', message: 'is required' },
    ]);
    expect(
      validateFormData(overdueReview, { ...validReview, action: 'extend_agreed', agreedDate: 'soon' }, {}),
    ).toEqual([{ name: 'agreedDate', message: 'must be an ISO 8601 date and time' }]);
  });

  it('evaluates a hide condition against instance variables too', () => {
    const form: FormSchema = {
      components: [
        {
          type: 'textfield',
          key: 'reason',
          validate: { required: true },
          conditional: { hide: '=priority != "urgent"' },
        },
      ],
    };
    expect(validateFormData(form, {}, { priority: 'general' })).toEqual([]);
    expect(validateFormData(form, {}, { priority: 'urgent' })).toEqual([{ name: 'reason', message: 'is required' }]);
  });

  it('refuses a value outside the allowed values of a radio, select or checklist', () => {
    const form: FormSchema = {
      components: [
        { type: 'select', key: 'channel', values: [{ value: 'phone' }, { value: 'mail' }] },
        { type: 'checklist', key: 'causes', values: [{ value: 'delay' }, { value: 'damage' }] },
      ],
    };
    expect(validateFormData(form, { channel: 'fax', causes: ['delay', 'weather'] }, {})).toEqual([
      { name: 'channel', message: 'must be one of "phone", "mail"' },
      { name: 'causes', message: 'each value must be one of "delay", "damage"' },
    ]);
  });

  it('takes the allowed values of a dynamic select from a variable when it has them', () => {
    const form: FormSchema = { components: [{ type: 'select', key: 'engineerId', valuesKey: 'engineers' }] };
    expect(validateFormData(form, { engineerId: 'eve' }, { engineers: [{ label: 'Ann', value: 'ann' }] })).toEqual([
      { name: 'engineerId', message: 'must be one of "ann"' },
    ]);
    expect(validateFormData(form, { engineerId: 'eve' }, {})).toEqual([]);
  });

  it('checks types by component type', () => {
    const form: FormSchema = {
      components: [
        { type: 'number', key: 'amount' },
        { type: 'checkbox', key: 'agreed' },
        { type: 'textfield', key: 'name' },
        { type: 'datetime', key: 'day', subtype: 'date' },
        { type: 'datetime', key: 'at', subtype: 'time' },
      ],
    };
    expect(validateFormData(form, { amount: '12', agreed: 'yes', name: 5, day: '2026-13-45', at: 'noon' }, {})).toEqual(
      [
        { name: 'amount', message: 'must be a number' },
        { name: 'agreed', message: 'must be true or false' },
        { name: 'name', message: 'must be text' },
        { name: 'day', message: "must be a date 'YYYY-MM-DD'" },
        { name: 'at', message: "must be a time 'HH:mm'" },
      ],
    );
    expect(
      validateFormData(form, { amount: 12.5, agreed: false, name: 'Ann', day: '2026-11-23', at: '09:30' }, {}),
    ).toEqual([]);
  });

  it('checks ranges, lengths, patterns and e-mail addresses', () => {
    const form: FormSchema = {
      components: [
        { type: 'number', key: 'score', validate: { min: 1, max: 5 } },
        { type: 'textfield', key: 'code', validate: { pattern: '^C-\\d{4}$', maxLength: 6 } },
        { type: 'textfield', key: 'mail', validate: { validationType: 'email' } },
        { type: 'textarea', key: 'comment', validate: { minLength: 10 } },
      ],
    };
    expect(validateFormData(form, { score: 6, code: 'X-1', mail: 'not-mail', comment: '   short   ' }, {})).toEqual([
      { name: 'score', message: 'must be at most 5' },
      { name: 'code', message: 'must match the pattern ^C-\\d{4}$' },
      { name: 'mail', message: 'must be an email address' },
      { name: 'comment', message: 'must have at least 10 characters' },
    ]);
    expect(
      validateFormData(form, { score: 1, code: 'C-1234', mail: 'ann@example.com', comment: 'long enough text' }, {}),
    ).toEqual([]);
  });

  it('requires a required checkbox to be checked, as form-js does', () => {
    const form: FormSchema = { components: [{ type: 'checkbox', key: 'confirmed', validate: { required: true } }] };
    expect(validateFormData(form, { confirmed: false }, {})).toEqual([{ name: 'confirmed', message: 'is required' }]);
    expect(validateFormData(form, { confirmed: true }, {})).toEqual([]);
  });

  it('evaluates FEEL rules against the data and variables', () => {
    const form: FormSchema = { components: [{ type: 'number', key: 'refund', validate: { max: '=orderAmount' } }] };
    expect(validateFormData(form, { refund: 120 }, { orderAmount: 100 })).toEqual([
      { name: 'refund', message: 'must be at most 100' },
    ]);
  });

  it('walks groups with a path and each item of a dynamic list', () => {
    const form: FormSchema = {
      components: [
        {
          type: 'group',
          path: 'customer',
          components: [{ type: 'textfield', key: 'phone', validate: { required: true } }],
        },
        { type: 'dynamiclist', path: 'parts', components: [{ type: 'number', key: 'qty', validate: { min: 1 } }] },
      ],
    };
    expect(validateFormData(form, { customer: {}, parts: [{ qty: 2 }, { qty: 0 }] }, {})).toEqual([
      { name: 'customer.phone', message: 'is required' },
      { name: 'parts[1].qty', message: 'must be at least 1' },
    ]);
    expect(validateFormData(form, { customer: { phone: '1' }, parts: 'none' }, {})).toEqual([
      { name: 'parts', message: 'must be a list' },
    ]);
  });

  it('checks svc.assert over variables, data, instanceStartedAt and the clock, with svc.assertMessage', () => {
    const form: FormSchema = {
      components: [
        {
          type: 'datetime',
          key: 'contactedAt',
          subtype: 'datetime',
          properties: {
            'svc.assert':
              '=date and time(contactedAt) >= date and time(instanceStartedAt) and date and time(contactedAt) <= now()',
            'svc.assertMessage': 'Between the start and now',
          },
        },
        {
          type: 'select',
          key: 'transferTo',
          values: [{ value: 'billing' }, { value: 'logistics' }],
          properties: { 'svc.assert': '=transferTo != resolverGroup' },
        },
      ],
    };
    const options = { now: '2026-11-23T10:00:00Z', instanceStartedAt: '2026-11-23T09:00:00Z' };
    expect(
      validateFormData(
        form,
        { contactedAt: '2026-11-23T17:30:00+08:00', transferTo: 'logistics' },
        { resolverGroup: 'billing' },
        options,
      ),
    ).toEqual([]);
    expect(
      validateFormData(
        form,
        { contactedAt: '2026-11-23T08:59:00Z', transferTo: 'billing' },
        { resolverGroup: 'billing' },
        options,
      ),
    ).toEqual([
      { name: 'contactedAt', message: 'Between the start and now' },
      { name: 'transferTo', message: 'must satisfy =transferTo != resolverGroup' },
    ]);
    expect(validateFormData(form, { contactedAt: '2026-11-23T10:01:00Z' }, {}, options)).toEqual([
      { name: 'contactedAt', message: 'Between the start and now' },
    ]);
  });

  it('checks svc.assert only for a field that is shown, filled and otherwise valid', () => {
    const form: FormSchema = {
      components: [
        { type: 'radio', key: 'outcome', values: [{ value: 'transfer' }, { value: 'resolved' }] },
        {
          type: 'select',
          key: 'transferTo',
          values: [{ value: 'billing' }],
          conditional: { hide: '=outcome != "transfer"' },
          properties: { 'svc.assert': '=transferTo != resolverGroup', 'svc.assertMessage': 'Another group' },
        },
        {
          type: 'datetime',
          key: 'day',
          subtype: 'date',
          properties: { 'svc.assert': '=date(day) <= today()', 'svc.assertMessage': 'Not after today' },
        },
      ],
    };
    const vars = { resolverGroup: 'billing' };
    expect(validateFormData(form, { outcome: 'resolved', transferTo: 'billing' }, vars)).toEqual([]);
    expect(validateFormData(form, { outcome: 'transfer' }, vars)).toEqual([]);
    expect(validateFormData(form, { day: 'tomorrow' }, vars, { now: '2026-11-23T10:00:00Z' })).toEqual([
      { name: 'day', message: "must be a date 'YYYY-MM-DD'" },
    ]);
    expect(validateFormData(form, { day: '2026-11-24' }, vars, { now: '2026-11-23T10:00:00Z' })).toEqual([
      { name: 'day', message: 'Not after today' },
    ]);
    expect(validateFormData(form, { day: '2026-11-23' }, vars, { now: '2026-11-23T10:00:00Z' })).toEqual([]);
  });

  it('requires a svc.memberOf value (each value of a list) to be a member of the group', () => {
    const form: FormSchema = {
      components: [
        {
          type: 'select',
          key: 'riskOwner',
          valuesKey: 'members_risk_owners',
          properties: { 'svc.memberOf': 'risk-owners' },
        },
        {
          type: 'taglist',
          key: 'helpers',
          valuesKey: 'members_risk_owners',
          properties: { 'svc.memberOf': 'risk-owners' },
        },
      ],
    };
    const groupMembers = { 'risk-owners': ['ann', 'bob'] };
    expect(memberOfGroups(form)).toEqual(['risk-owners']);
    expect(validateFormData(form, { riskOwner: 'ann', helpers: ['bob'] }, {}, { groupMembers })).toEqual([]);
    expect(validateFormData(form, { riskOwner: 'eve', helpers: ['ann', 'eve'] }, {}, { groupMembers })).toEqual([
      { name: 'riskOwner', message: 'must be a member of the group risk-owners' },
      { name: 'helpers', message: 'must be a member of the group risk-owners' },
    ]);
    expect(validateFormData(form, { riskOwner: 'eve' }, {}, { groupMembers: { 'risk-owners': [] } })).toEqual([
      { name: 'riskOwner', message: 'must be a member of the group risk-owners' },
    ]);
    // without the group's members (a caller that did not look them up) the rule is not checked
    expect(validateFormData(form, { riskOwner: 'eve' }, {})).toEqual([]);
  });

  it('reads dotted keys as nested values', () => {
    const form: FormSchema = { components: [{ type: 'textfield', key: 'address.city', validate: { required: true } }] };
    expect(validateFormData(form, { address: { city: 'Suzhou' } }, {})).toEqual([]);
    expect(validateFormData(form, { address: {} }, {})).toEqual([{ name: 'address.city', message: 'is required' }]);
  });
});

describe('runtime/form-validation svc.existingCase', () => {
  const form = {
    components: [{ type: 'textfield', key: 'duplicateOf', properties: { 'svc.existingCase': 'risk-response' } }],
  };

  it('refuses a value that names no existing case of the process, and checks nothing the caller did not look up', () => {
    expect(
      validateFormData(
        form,
        { duplicateOf: 'RSK-2026-0001' },
        {},
        { knownCases: { 'risk-response': ['RSK-2026-0001'] } },
      ),
    ).toEqual([]);
    expect(
      validateFormData(
        form,
        { duplicateOf: 'RSK-2026-0009' },
        {},
        { knownCases: { 'risk-response': ['RSK-2026-0001'] } },
      ),
    ).toEqual([{ name: 'duplicateOf', message: 'must name an existing case of risk-response' }]);
    expect(validateFormData(form, { duplicateOf: 'RSK-2026-0009' }, {})).toEqual([]);
    expect(caseReferences(form)).toEqual([{ path: 'duplicateOf', processKey: 'risk-response' }]);
  });
});
