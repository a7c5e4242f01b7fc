/**
 * Turns feelin results into plain JSON-able values, so they can be stored as process variables.
 *
 * - date and time with a zone (`Z`, `+02:00`, `@Europe/Paris`) → UTC instant `2026-01-01T09:00:00.000Z`
 * - date and time without a zone → its local ISO text `2026-01-01T10:00:00` (timers read it as UTC)
 * - date → `2026-01-01`; time → `10:00:00`, `10:00:00Z` or `10:00:00@Europe/Paris`
 * - duration → ISO 8601 duration text, `P1DT2H` or `P1Y2M` (negative ones keep their `-`)
 * - range → `{ start, end, startIncluded, endIncluded }`
 * - functions, symbols, NaN and ±Infinity → null (functions and non-finite numbers add a warning)
 */
import { DateTime } from 'luxon';
import { FeelDate, FeelDateTime, FeelDuration, FeelFunction, FeelRange, FeelTime } from 'feelin';
import { formatInstant } from './iso-date.js';

/** Converts a feelin value to plain data, appending a warning for each part that had to become null. */
export function toPlainValue(value: unknown, warnings: string[]): unknown {
  if (value === null || value === undefined) {
    return null;
  }
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return finiteOrNull(value, warnings);
    case 'bigint':
      return finiteOrNull(Number(value), warnings);
    case 'function':
      return dropped('a function', warnings);
    case 'symbol':
      return null;
    default:
      return objectToPlain(value as object, warnings);
  }
}

// helpers

function objectToPlain(value: object, warnings: string[]): unknown {
  if (value instanceof FeelDateTime) {
    return value.zone === null ? value.iso : zonedToInstant(value);
  }
  if (value instanceof FeelDate || value instanceof FeelTime || value instanceof FeelDuration) {
    return value.iso;
  }
  if (value instanceof FeelRange) {
    return {
      start: toPlainValue(value.start, warnings),
      end: toPlainValue(value.end, warnings),
      startIncluded: value['start included'],
      endIncluded: value['end included'],
    };
  }
  if (value instanceof FeelFunction) {
    return dropped('a function', warnings);
  }
  if (Array.isArray(value)) {
    return value.map((item) => toPlainValue(item, warnings));
  }
  return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, toPlainValue(entry, warnings)]));
}

function zonedToInstant(value: FeelDateTime): string {
  try {
    const millis = value.unwrap().toZonedDateTime(value.zone as string).epochMilliseconds;
    return formatInstant(DateTime.fromMillis(millis, { zone: 'utc' }));
  } catch {
    return value.iso;
  }
}

function finiteOrNull(value: number, warnings: string[]): number | null {
  return Number.isFinite(value) ? value : dropped(`the number ${value}`, warnings);
}

function dropped(what: string, warnings: string[]): null {
  warnings.push(`the result holds ${what}, which has no JSON form; it became null`);
  return null;
}
