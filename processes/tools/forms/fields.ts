/**
 * Builders for form-js (schemaVersion 19, as @bpmn-io/form-js 1.23 writes it) fields, with svcflow's
 * conventions: "required if X" = hidden unless X and required when shown; rules form-js cannot
 * express sit in the field's custom properties (`svc.assert`, see processes/forms/README.md).
 */

export const SCHEMA_VERSION = 19;

export type Component = Record<string, unknown>;

export interface FormSchema {
  id: string;
  type: 'default';
  components: Component[];
  executionPlatform: string;
  executionPlatformVersion: string;
  exporter: { name: string; version: string };
  schemaVersion: number;
}

export interface FieldOptions {
  required?: boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  patternMessage?: string;
  email?: boolean;
  min?: number | string;
  max?: number | string;
  decimalDigits?: number;
  /** FEEL (without '='): the field is shown, and then required if `required`, only while this holds. */
  showIf?: string;
  description?: string;
  defaultValue?: unknown;
  /** FEEL (without '='): must hold when the field is shown and filled; checked by the server. */
  assert?: string;
  assertMessage?: string;
  /** User pickers: the candidate group whose members may be chosen. */
  memberOf?: string;
  /** `svc.existingCase`: the value must be the business key of an existing case of this process. */
  existingCase?: string;
}

/** [value, "English / 中文"] pairs; scores are numbers, so FEEL compares them as numbers. */
export type Values = Array<[string | number, string]>;

/** A whole form. */
export function form(id: string, components: Component[]): FormSchema {
  return {
    id,
    type: 'default',
    components: withLayout(components),
    executionPlatform: 'Camunda Cloud',
    executionPlatformVersion: '8.6.0',
    exporter: { name: 'svcflow processes/tools', version: '1.0' },
    schemaVersion: SCHEMA_VERSION,
  };
}

export const textfield = (key: string, label: string, o: FieldOptions = {}) => field('textfield', key, label, o);
export const textarea = (key: string, label: string, o: FieldOptions = {}) => field('textarea', key, label, o);
export const checkbox = (key: string, label: string, o: FieldOptions = {}) =>
  field('checkbox', key, label, { defaultValue: false, ...o });

export function number(key: string, label: string, o: FieldOptions = {}): Component {
  return { ...field('number', key, label, o), decimalDigits: o.decimalDigits ?? 0 };
}

export function select(key: string, label: string, values: Values, o: FieldOptions = {}): Component {
  return { ...field('select', key, label, o), values: options(values) };
}

export function radio(key: string, label: string, values: Values, o: FieldOptions = {}): Component {
  return { ...field('radio', key, label, o), values: options(values) };
}

export function checklist(key: string, label: string, values: Values, o: FieldOptions = {}): Component {
  return { ...field('checklist', key, label, o), values: options(values) };
}

/**
 * A select whose options are the members of a candidate group, supplied by the tasklist as
 * `members_<group>`; with group null, the members of the overdue work's candidate groups (`reassignCandidates`).
 */
export function userSelect(key: string, label: string, group: string | null, o: FieldOptions = {}): Component {
  const component = field('select', key, label, group ? { ...o, memberOf: group } : o);
  return {
    ...component,
    valuesKey: group ? `members_${group.replace(/-/g, '_')}` : 'reassignCandidates',
    searchable: true,
  };
}

/** A date (subtype date) or date-time field; date-times serialise with their UTC offset. */
export function datetime(
  key: string,
  label: string,
  subtype: 'date' | 'datetime',
  o: FieldOptions & { disallowPassedDates?: boolean } = {},
): Component {
  const { label: _unused, ...base } = field('datetime', key, label, o);
  const component: Component = { ...base, subtype, dateLabel: subtype === 'date' ? label : `${label}: date / 日期` };
  if (subtype === 'datetime')
    Object.assign(component, {
      timeLabel: `${label}: time / 时间`,
      use24h: true,
      timeInterval: 1,
      timeSerializingFormat: 'utc_offset',
    });
  if (o.disallowPassedDates) component.disallowPassedDates = true;
  return component;
}

/** Static text (markdown with {{variable}} templating). */
export function text(id: string, markdown: string, o: Pick<FieldOptions, 'showIf'> = {}): Component {
  return {
    type: 'text',
    id: `Text_${id}`,
    text: markdown,
    ...(o.showIf ? { conditional: { hide: `=not(${o.showIf})` } } : {}),
  };
}

// helpers

function field(type: string, key: string, label: string, o: FieldOptions): Component {
  const validate: Record<string, unknown> = {};
  if (o.required) validate.required = true;
  if (o.minLength !== undefined) validate.minLength = o.minLength;
  if (o.maxLength !== undefined) validate.maxLength = o.maxLength;
  if (o.pattern) validate.pattern = o.pattern;
  if (o.patternMessage) validate.patternErrorMessage = o.patternMessage;
  if (o.email) validate.validationType = 'email';
  if (o.min !== undefined) validate.min = o.min;
  if (o.max !== undefined) validate.max = o.max;
  const component: Component = { type, key, label, id: `Field_${key}` };
  if (o.description) component.description = o.description;
  if (o.defaultValue !== undefined) component.defaultValue = o.defaultValue;
  if (Object.keys(validate).length > 0) component.validate = validate;
  if (o.showIf) component.conditional = { hide: `=not(${o.showIf})` };
  const properties: Record<string, string> = {};
  if (o.assert) properties['svc.assert'] = `=${o.assert}`;
  if (o.assertMessage) properties['svc.assertMessage'] = o.assertMessage;
  if (o.memberOf) properties['svc.memberOf'] = o.memberOf;
  if (o.existingCase) properties['svc.existingCase'] = o.existingCase;
  if (Object.keys(properties).length > 0) component.properties = properties;
  return component;
}

function options(values: Values): Array<{ label: string; value: string | number }> {
  return values.map(([value, label]) => ({ label, value }));
}

/** One component per row, as the form-js editor lays out a single column. */
function withLayout(components: Component[]): Component[] {
  return components.map((c, i) => ({ ...c, layout: { row: `Row_${i + 1}`, columns: null } }));
}
