/**
 * Server-side checks of task completion data against the task's form-js schema, as form-js checks
 * it in the browser: required fields, types by component, allowed values, patterns, ranges and
 * lengths. A field hidden by its `conditional.hide` FEEL (against the data and the instance
 * variables) is neither required nor checked. Pure: no I/O, no clock unless `now` is given.
 *
 * Two svcflow custom properties (processes/README.md) add rules form-js cannot express, checked for a
 * field that is shown, filled and otherwise valid:
 * - `svc.assert`: FEEL that must yield true over the instance variables, the submitted data and
 *   `instanceStartedAt` (with `now()`/`today()` from `now`); otherwise the problem is `svc.assertMessage`.
 * - `svc.memberOf`: the value (each value of a list) must be a member of the named group, as
 *   `groupMembers` lists them; a group `groupMembers` does not name is not checked.
 * - `svc.existingCase`: the value must be the business key of an existing case (instance) of the named
 *   process, as `knownCases` lists those found; a process `knownCases` does not name is not checked.
 */
import { evaluateFeel, safeRegExp, unsafePatternReason } from '../../expr/index.js';
import type { FieldProblem } from '../identity/user-errors.js';

/** The part of a form-js component the checks read. */
export interface FormComponent {
  type: string;
  key?: string;
  path?: string;
  components?: FormComponent[];
  values?: Array<{ value: unknown }>;
  valuesKey?: string;
  valuesExpression?: string;
  subtype?: string;
  serializeToString?: boolean;
  conditional?: { hide?: string };
  /** Rules; form-js lets each be a FEEL expression ('=…') too. */
  validate?: Record<string, unknown>;
  /** Labels, texts, layout and whatever else form-js keeps. */
  [property: string]: unknown;
}

/** A form-js form schema. */
export interface FormSchema {
  components?: FormComponent[];
}

/** What the checks may know beyond the form, the data and the variables. */
export interface FormValidationOptions {
  /** The ISO instant FEEL `now()` and `today()` answer with. */
  now?: string;
  /** When the instance started: `instanceStartedAt` in `svc.assert` expressions. */
  instanceStartedAt?: string;
  /** The members (usernames) of the groups `svc.memberOf` names, by group id; an unknown group maps to []. */
  groupMembers?: Record<string, string[]>;
  /** The business keys, by process key, that name existing cases among those `caseReferences` asked about. */
  knownCases?: Record<string, string[]>;
}

/** A field whose value must name an existing case of a process (`svc.existingCase`). */
export interface CaseReference {
  path: string;
  processKey: string;
}

/** The group ids the form's `svc.memberOf` properties name, for the caller to look their members up. */
export function memberOfGroups(form: FormSchema): string[] {
  const groups = new Set<string>();
  const walk = (components: FormComponent[] | undefined): void => {
    for (const component of components ?? []) {
      const group = customProperty(component, 'svc.memberOf');
      if (typeof group === 'string' && group !== '') groups.add(group);
      walk(component.components);
    }
  };
  walk(form.components);
  return [...groups];
}

/** The top-level fields whose values must name existing cases, for the caller to look those up. */
export function caseReferences(form: FormSchema): CaseReference[] {
  const references: CaseReference[] = [];
  for (const component of form.components ?? []) {
    const processKey = customProperty(component, 'svc.existingCase');
    if (component.key && typeof processKey === 'string' && processKey !== '')
      references.push({ path: component.key, processKey });
  }
  return references;
}

/** Lists every field of the data that does not satisfy the form; empty when all do. */
export function validateFormData(
  form: FormSchema,
  data: Record<string, unknown>,
  variables: Record<string, unknown>,
  options: FormValidationOptions = {},
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const walk = (
    components: FormComponent[] | undefined,
    scope: Record<string, unknown>,
    prefix: string,
    context: Record<string, unknown>,
  ): void => {
    for (const component of components ?? []) {
      if (isHidden(component, context, options.now)) continue;
      if (component.type === 'dynamiclist') walkList(component, scope, prefix, context);
      else if (component.components)
        walk(component.components, nested(scope, component.path), join(prefix, component.path), context);
      else if (component.key) {
        const value = readPath(scope, component.key);
        const problem =
          checkField(component, value, context, options.now) ?? checkCustomRules(component, value, context, options);
        if (problem) problems.push({ name: join(prefix, component.key), message: problem });
      }
    }
  };
  const walkList = (
    list: FormComponent,
    scope: Record<string, unknown>,
    prefix: string,
    context: Record<string, unknown>,
  ): void => {
    const items = list.path ? readPath(scope, list.path) : undefined;
    if (items === undefined || items === null) return;
    if (!Array.isArray(items)) {
      problems.push({ name: join(prefix, list.path), message: 'must be a list' });
      return;
    }
    items.forEach((item, i) => {
      const itemScope = isObject(item) ? item : {};
      walk(list.components, itemScope, `${join(prefix, list.path)}[${i}]`, { ...context, ...itemScope });
    });
  };
  const base =
    options.instanceStartedAt === undefined
      ? { ...variables, ...data }
      : { ...variables, ...data, instanceStartedAt: options.instanceStartedAt };
  walk(form.components, data, '', base);
  return problems;
}

// helpers

type Rules = Record<string, unknown>;

// form-js's own e-mail pattern; phone numbers loosely, as (+|00), a country code and digits
const EMAIL =
  /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;
const PHONE = /^(\+|00)[1-9]\d{5,14}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:?\d{2})?$/;

function isHidden(component: FormComponent, context: Record<string, unknown>, now?: string): boolean {
  const hide = component.conditional?.hide;
  if (typeof hide !== 'string' || hide.trim() === '') return false;
  // An expression that cannot be evaluated hides nothing: the field is checked.
  return evaluateFeel(hide, context, { now }).value === true;
}

function checkField(
  component: FormComponent,
  value: unknown,
  context: Record<string, unknown>,
  now?: string,
): string | null {
  const rules = resolveRules(component.validate ?? {}, context, now);
  // As form-js: a required checkbox must be checked.
  if (isEmpty(value) || (component.type === 'checkbox' && value === false))
    return rules.required === true ? 'is required' : null;
  switch (component.type) {
    case 'number':
      return checkNumber(component, rules, value);
    case 'checkbox':
      return typeof value === 'boolean' ? null : 'must be true or false';
    case 'select':
    case 'radio':
      return checkChoice(allowedValues(component, context, now), value);
    case 'checklist':
    case 'taglist':
      return checkChoices(allowedValues(component, context, now), value);
    case 'datetime':
      return checkDateTime(component.subtype ?? 'datetime', value);
    case 'textfield':
    case 'textarea':
      return checkText(rules, value);
    default:
      return null;
  }
}

// svc.assert and svc.memberOf of a shown field; an empty value has passed the required check already.
function checkCustomRules(
  component: FormComponent,
  value: unknown,
  context: Record<string, unknown>,
  options: FormValidationOptions,
): string | null {
  if (isEmpty(value) || (component.type === 'checkbox' && value === false)) return null;
  const group = customProperty(component, 'svc.memberOf');
  if (typeof group === 'string' && group !== '' && options.groupMembers && group in options.groupMembers) {
    const members = options.groupMembers[group] ?? [];
    const values = Array.isArray(value) ? value : [value];
    if (!values.every((v) => typeof v === 'string' && members.includes(v)))
      return `must be a member of the group ${group}`;
  }
  const processKey = customProperty(component, 'svc.existingCase');
  if (
    typeof processKey === 'string' &&
    options.knownCases &&
    processKey in options.knownCases &&
    !options.knownCases[processKey].includes(String(value))
  ) {
    return `must name an existing case of ${processKey}`;
  }
  const assertion = customProperty(component, 'svc.assert');
  if (typeof assertion === 'string' && assertion.trim() !== '') {
    // null (an expression that cannot decide) does not hold either
    if (evaluateFeel(assertion, context, { now: options.now }).value !== true) {
      const message = customProperty(component, 'svc.assertMessage');
      return typeof message === 'string' && message.trim() !== '' ? message : `must satisfy ${assertion}`;
    }
  }
  return null;
}

// form-js keeps custom properties under `properties`
function customProperty(component: FormComponent, name: string): unknown {
  const properties = component.properties;
  return isObject(properties) ? properties[name] : undefined;
}

function checkNumber(component: FormComponent, rules: Rules, value: unknown): string | null {
  const n = typeof value === 'string' && component.serializeToString && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) return 'must be a number';
  const { min, max } = rules;
  if (typeof min === 'number' && n < min) return `must be at least ${min}`;
  if (typeof max === 'number' && n > max) return `must be at most ${max}`;
  return null;
}

function checkText(rules: Rules, value: unknown): string | null {
  if (typeof value !== 'string') return 'must be text';
  const { minLength, maxLength, pattern, validationType } = rules;
  // form-js measures lengths without surrounding white space
  const length = value.trim().length;
  if (typeof minLength === 'number' && length < minLength) return `must have at least ${minLength} characters`;
  if (typeof maxLength === 'number' && length > maxLength) return `must have at most ${maxLength} characters`;
  if (typeof pattern === 'string' && pattern !== '' && !matches(pattern, value))
    return `must match the pattern ${pattern}`;
  if (validationType === 'email' && !EMAIL.test(value)) return 'must be an email address';
  if (validationType === 'phone' && !PHONE.test(value.replace(/[\s()-]/g, '')))
    return 'must be an international phone number, e.g. +4930664040900';
  return null;
}

function resolveRules(validate: Record<string, unknown>, context: Record<string, unknown>, now?: string): Rules {
  const rules: Rules = {};
  for (const [name, rule] of Object.entries(validate)) {
    rules[name] =
      typeof rule === 'string' && rule.startsWith('=') && name !== 'pattern'
        ? evaluateFeel(rule, context, { now }).value
        : rule;
  }
  return rules;
}

function checkChoice(allowed: unknown[] | null, value: unknown): string | null {
  if (allowed === null) return null;
  return allowed.some((a) => a === value) ? null : `must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`;
}

function checkChoices(allowed: unknown[] | null, value: unknown): string | null {
  if (!Array.isArray(value)) return 'must be a list';
  const wrong = value.map((v) => checkChoice(allowed, v)).find((problem) => problem !== null);
  return wrong ? `each value ${wrong}` : null;
}

function checkDateTime(subtype: string, value: unknown): string | null {
  if (typeof value !== 'string') return 'must be a date or time text';
  if (subtype === 'date')
    return DATE.test(value) && !Number.isNaN(Date.parse(value)) ? null : "must be a date 'YYYY-MM-DD'";
  if (subtype === 'time') return TIME.test(value) ? null : "must be a time 'HH:mm'";
  return /^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(Date.parse(value))
    ? null
    : 'must be an ISO 8601 date and time';
}

// Static values, else the values a variable or FEEL expression names; null when they cannot be known here.
function allowedValues(component: FormComponent, context: Record<string, unknown>, now?: string): unknown[] | null {
  if (Array.isArray(component.values) && !component.valuesKey && !component.valuesExpression)
    return component.values.map((v) => v?.value);
  const dynamic = component.valuesKey
    ? context[component.valuesKey]
    : component.valuesExpression
      ? evaluateFeel(component.valuesExpression, context, { now }).value
      : undefined;
  if (!Array.isArray(dynamic)) return null;
  return dynamic.map((v) => (isObject(v) && 'value' in v ? v.value : v));
}

// An unsafe pattern (nested repetitions) never runs: the value is refused with the reason.
function matches(pattern: string, value: string): boolean {
  if (unsafePatternReason(pattern)) return false;
  return safeRegExp(pattern).test(value);
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function readPath(scope: Record<string, unknown>, path: string): unknown {
  let current: unknown = scope;
  for (const part of path.split('.')) current = isObject(current) ? current[part] : undefined;
  return current;
}

function nested(scope: Record<string, unknown>, path: string | undefined): Record<string, unknown> {
  if (!path) return scope;
  const value = readPath(scope, path);
  return isObject(value) ? value : {};
}

function join(prefix: string, key: string | undefined): string {
  if (!key) return prefix;
  return prefix ? `${prefix}.${key}` : key;
}
