/** Camunda 7 typed variable values (`{ value, type, valueInfo }`) to plain JSON variables and back. */
import { InvalidVariablesError } from '../../runtime/index.js';

/** One variable as the Camunda REST API writes it. */
export interface TypedValue {
  value?: unknown;
  type?: string | null;
  valueInfo?: Record<string, unknown> | null;
}

export type TypedValues = Record<string, TypedValue>;

const INT32 = 2 ** 31;
// A Date variable is kept as text in Camunda's own date format, and read back as a Date by that format.
const CAMUNDA_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{4}$/;

/** Converts Camunda typed values to plain variables; throws InvalidVariablesError naming every value it cannot convert. */
export function fromTypedValues(typed: TypedValues | null | undefined): Record<string, unknown> {
  const variables: Record<string, unknown> = {};
  const problems: Array<{ name: string; message: string }> = [];
  for (const [name, entry] of Object.entries(typed ?? {})) {
    try {
      variables[name] = fromTypedValue(entry);
    } catch (err) {
      problems.push({ name, message: (err as Error).message });
    }
  }
  if (problems.length > 0) throw new InvalidVariablesError(problems);
  return variables;
}

/** Converts plain variables to Camunda typed values (objects and arrays become `Json`). */
export function toTypedValues(variables: Record<string, unknown>): TypedValues {
  return Object.fromEntries(Object.entries(variables).map(([name, value]) => [name, toTypedValue(value)]));
}

/** One plain value as a Camunda typed value. */
export function toTypedValue(value: unknown): Required<TypedValue> {
  if (value === null || value === undefined) return typed(null, 'Null');
  if (typeof value === 'string') return typed(value, CAMUNDA_DATE.test(value) ? 'Date' : 'String');
  if (typeof value === 'boolean') return typed(value, 'Boolean');
  if (typeof value === 'number') return typed(value, numberType(value));
  return typed(JSON.stringify(value), 'Json');
}

// helpers

function fromTypedValue(entry: TypedValue): unknown {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry))
    throw new Error('must be an object { value, type }');
  const { value } = entry;
  const type = (entry.type ?? '').toLowerCase();
  if (value === null || value === undefined || type === 'null') return null;
  switch (type) {
    case '':
      return value;
    case 'string':
      return expectString(value);
    case 'date':
      return toCamundaDate(value);
    case 'integer':
    case 'long':
    case 'short':
    case 'double':
      return toNumber(value, String(entry.type));
    case 'boolean':
      return toBoolean(value);
    case 'json':
      return typeof value === 'string' ? parseJson(value) : value;
    case 'object':
      return fromObjectValue(value, entry.valueInfo);
    default:
      throw new Error(
        `variable type '${entry.type}' is not supported; use String, Integer, Long, Double, Boolean, Json or Null`,
      );
  }
}

function expectString(value: unknown): string {
  if (typeof value !== 'string') throw new Error('a String value must be a string');
  return value;
}

function toCamundaDate(value: unknown): string {
  const text = expectString(value);
  if (CAMUNDA_DATE.test(text)) return text;
  const time = Date.parse(text);
  if (Number.isNaN(time)) throw new Error(`'${text}' is not a valid Date; use yyyy-MM-dd'T'HH:mm:ss.SSSZ`);
  return new Date(time).toISOString().replace(/Z$/, '+0000');
}

function toNumber(value: unknown, type: string): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) throw new Error(`'${String(value)}' is not a valid ${type}`);
  if (type.toLowerCase() !== 'double' && !Number.isInteger(n))
    throw new Error(`'${String(value)}' is not a whole number`);
  return n;
}

function toBoolean(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new Error(`'${String(value)}' is not a Boolean`);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new Error('a Json value must be a JSON text');
  }
}

// Camunda clients send JSON objects either as type Json or as a serialized Object with a JSON data format.
function fromObjectValue(value: unknown, info: TypedValue['valueInfo']): unknown {
  const format = String(info?.serializationDataFormat ?? 'application/json');
  if (format !== 'application/json')
    throw new Error(`Object values serialized as '${format}' are not supported; use application/json`);
  return typeof value === 'string' ? parseJson(value) : value;
}

function numberType(value: number): string {
  if (!Number.isInteger(value)) return 'Double';
  return Math.abs(value) < INT32 ? 'Integer' : 'Long';
}

function typed(value: unknown, type: string): Required<TypedValue> {
  return { value, type, valueInfo: {} };
}
