/**
 * ISO 8601 calendar dates and date-times, read strictly and always resolved to a UTC instant.
 * Reads no clock: forms that need "today" (a bare time, week dates) are rejected.
 */
import { DateTime } from 'luxon';

/** A parsed instant as a UTC luxon DateTime, or why the text is not one. */
export type ParsedDateTime = { dateTime: DateTime } | { error: string };

// YYYY-MM-DD, optionally THH:mm[:ss[.fff]] and an offset (Z, ±hh:mm, ±hhmm, ±hh)
const DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$/;

/**
 * Parses an ISO 8601 date-time or calendar date into a UTC DateTime; a date-time without an
 * offset is taken as UTC and a date alone means midnight UTC.
 */
export function parseIsoDateTime(text: string): ParsedDateTime {
  const trimmed = text.trim();
  if (!DATE_TIME.test(trimmed)) {
    return { error: `"${text}" is not an ISO 8601 date-time` };
  }
  // decision: no offset means UTC, so a due date never depends on the server's time zone
  const parsed = DateTime.fromISO(trimmed, { zone: 'utc', setZone: true });
  if (!parsed.isValid) {
    return { error: `"${text}" is not a valid date-time (${parsed.invalidReason ?? 'invalid'})` };
  }
  return { dateTime: parsed.toUTC() };
}

/** Formats a DateTime as the engine's canonical instant, `YYYY-MM-DDTHH:mm:ss.sssZ`. */
export function formatInstant(dateTime: DateTime): string {
  const iso = dateTime.toUTC().toISO({ suppressMilliseconds: false, includeOffset: true });
  if (iso === null) {
    throw new RangeError(`date-time is out of range (${dateTime.invalidReason ?? 'invalid'})`);
  }
  return iso;
}

/** Normalises an ISO 8601 date-time to the canonical UTC instant; throws RangeError when it is not one. */
export function toInstant(text: string): string {
  const parsed = parseIsoDateTime(text);
  if ('error' in parsed) {
    throw new RangeError(parsed.error);
  }
  return formatInstant(parsed.dateTime);
}
