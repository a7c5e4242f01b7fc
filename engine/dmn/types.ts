/**
 * Typed inputs and outputs: a `typeRef` (FEEL types, Camunda 7's `integer`/`long`/`double`, or an
 * item definition) resolved to a base type; values checked and converted the way Camunda 7's type
 * transformers do (a numeral string for a number, "true"/"false" for a boolean, ISO text for dates and
 * durations). A value that does not fit is an error naming the input or output, never a silent null.
 */
import { date, dateAndTime, duration, time } from 'feelin';
import type { DmnElement } from 'dmn-moddle';
import type { BaseType, TypeSpec } from './model.js';

const BASE_TYPES: Record<string, BaseType | null> = {
  string: 'string',
  number: 'number',
  integer: 'integer',
  long: 'integer',
  double: 'number',
  decimal: 'number',
  int: 'integer',
  boolean: 'boolean',
  date: 'date',
  time: 'time',
  datetime: 'dateTime',
  'date and time': 'dateTime',
  daytimeduration: 'dayTimeDuration',
  'days and time duration': 'dayTimeDuration',
  yearmonthduration: 'yearMonthDuration',
  'years and months duration': 'yearMonthDuration',
  context: 'context',
  any: null,
};

/** Resolves a typeRef against the document's item definitions; null when there is none. */
export function resolveType(typeRef: string | undefined | null, items: Record<string, DmnElement>): TypeSpec | null {
  if (!typeRef) return null;
  const name = typeRef.replace(/^(feel|xsd):/, '');
  const key = name.toLowerCase();
  if (key in BASE_TYPES) return { name: typeRef, base: BASE_TYPES[key], allowedValues: null, isCollection: false };
  const item = items[name];
  if (!item) return { name: typeRef, base: null, allowedValues: null, isCollection: false };
  const isCollection = item.isCollection === true;
  if (item.itemComponent?.length)
    return { name: typeRef, base: isCollection ? null : 'context', allowedValues: null, isCollection };
  const inner = item.typeRef && item.typeRef !== name ? resolveType(item.typeRef, items) : null;
  return {
    name: typeRef,
    base: inner?.base ?? null,
    allowedValues: item.allowedValues?.text ?? inner?.allowedValues ?? null,
    isCollection,
  };
}

/** A value checked against a type: converted (plain → plain), or an error saying what it is instead. */
export type Typed = { ok: true; value: unknown } | { ok: false; error: string };

/** Checks and converts a plain value (null always passes); `what` names it in the error. */
export function checkType(value: unknown, type: TypeSpec | null, what: string): Typed {
  if (value === null || value === undefined || !type?.base || type.isCollection)
    return { ok: true, value: value ?? null };
  const converted = convert(value, type.base);
  if (converted === undefined)
    return {
      ok: false,
      error: `${what} is ${JSON.stringify(value)}, which is not of type '${type.name}' (${type.base})`,
    };
  return { ok: true, value: converted };
}

/** The FEEL value a plain value of a type is compared as: ISO text becomes a feelin date, time or duration. */
export function toFeel(value: unknown, type: TypeSpec | null): unknown {
  if (typeof value !== 'string' || !type?.base) return value;
  try {
    switch (type.base) {
      case 'date':
        return date(value);
      case 'time':
        return time(value);
      case 'dateTime':
        return dateAndTime(value);
      case 'dayTimeDuration':
      case 'yearMonthDuration':
        return duration(value);
      default:
        return value;
    }
  } catch {
    return value;
  }
}

// helpers

const ISO_DATE = /^-?\d{4,}-\d{2}-\d{2}$/;
const ISO_TIME = /^\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}|@[\w/+-]+)?$/;
const ISO_DATE_TIME = /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}|@[\w/+-]+)?$/;
const DAY_TIME = /^-?P(\d+D)?(T(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;
const YEAR_MONTH = /^-?P(\d+Y)?(\d+M)?$/;

function convert(value: unknown, base: BaseType): unknown {
  switch (base) {
    case 'string':
      return typeof value === 'string' ? value : undefined;
    case 'number':
      return toNumber(value);
    case 'integer': {
      const n = toNumber(value);
      return n !== undefined && Number.isInteger(n) ? n : undefined;
    }
    case 'boolean':
      if (typeof value === 'boolean') return value;
      return value === 'true' ? true : value === 'false' ? false : undefined;
    case 'date':
      return matches(value, ISO_DATE);
    case 'time':
      return matches(value, ISO_TIME);
    case 'dateTime':
      return matches(value, ISO_DATE_TIME);
    case 'dayTimeDuration':
      return matches(value, DAY_TIME);
    case 'yearMonthDuration':
      return matches(value, YEAR_MONTH);
    case 'context':
      return typeof value === 'object' && !Array.isArray(value) ? value : undefined;
  }
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?([eE][+-]?\d+)?\s*$/.test(value)) return Number(value);
  return undefined;
}

function matches(value: unknown, pattern: RegExp): string | undefined {
  return typeof value === 'string' && pattern.test(value) && value !== 'P' && value !== '-P' ? value : undefined;
}
