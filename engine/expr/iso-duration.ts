/**
 * ISO 8601 durations (`PT4H`, `P3D`, `P1DT2H`, `P2W`, `PT0.5S`), read strictly, and calendar
 * arithmetic on UTC instants.
 */
import { Duration, type DurationLikeObject } from 'luxon';
import { formatInstant, parseIsoDateTime } from './iso-date.js';

/** A parsed duration, or why the text is not one. */
export type ParsedDuration = { duration: Duration } | { error: string };

type Unit = 'years' | 'months' | 'weeks' | 'days' | 'hours' | 'minutes' | 'seconds';

const NUMBER = '(\\d+(?:\\.\\d+)?)';
const DURATION = new RegExp(
  `^P(?:${NUMBER}Y)?(?:${NUMBER}M)?(?:${NUMBER}W)?(?:${NUMBER}D)?` +
    `(?:T(?:${NUMBER}H)?(?:${NUMBER}M)?(?:${NUMBER}S)?)?$`,
);
const UNITS: Unit[] = ['years', 'months', 'weeks', 'days', 'hours', 'minutes', 'seconds'];

/**
 * Parses a non-negative ISO 8601 duration; a decimal fraction is allowed on the smallest unit
 * given, except on years and months, whose length varies.
 */
export function parseIsoDuration(text: string): ParsedDuration {
  const trimmed = text.trim().toUpperCase();
  if (trimmed.startsWith('-') || /^P.*-/.test(trimmed)) {
    return { error: `"${text}" is negative; durations must not be negative` };
  }
  const match = DURATION.exec(trimmed);
  if (match === null || trimmed === 'P' || trimmed.endsWith('T')) {
    return { error: `"${text}" is not an ISO 8601 duration` };
  }
  const problem = fractionProblem(match);
  if (problem !== null) {
    return { error: `"${text}" ${problem}` };
  }
  const object = toObject(match);
  if (Object.values(object).some((n) => !Number.isFinite(n) || n > Number.MAX_SAFE_INTEGER)) {
    return { error: `"${text}" is out of range` };
  }
  return { duration: Duration.fromObject(object) };
}

/**
 * Adds an ISO 8601 duration to an instant with calendar rules in UTC (P1D is 24 hours, P1M
 * keeps the day of month or clamps it); throws RangeError on invalid input.
 */
export function addDuration(instantIso: string, durationIso: string): string {
  const start = parseIsoDateTime(instantIso);
  if ('error' in start) {
    throw new RangeError(start.error);
  }
  return formatInstant(start.dateTime.plus(requireDuration(durationIso)));
}

/**
 * The length of an ISO 8601 duration in milliseconds (a day is 24 hours, a week 7 days; a month
 * counts 30 days and a year 365, as luxon's casual conversion); throws RangeError on invalid input.
 */
export function durationToMillis(durationIso: string): number {
  return requireDuration(durationIso).toMillis();
}

// helpers

function requireDuration(durationIso: string): Duration {
  const parsed = parseIsoDuration(durationIso);
  if ('error' in parsed) {
    throw new RangeError(parsed.error);
  }
  return parsed.duration;
}

function fractionProblem(match: RegExpExecArray): string | null {
  const given = UNITS.map((unit, i) => ({ unit, text: match[i + 1] })).filter((g) => g.text !== undefined);
  const fractional = given.filter((g) => g.text.includes('.'));
  if (fractional.length === 0) {
    return null;
  }
  const { unit } = fractional[0];
  if (unit === 'years' || unit === 'months') {
    return 'has fractional years or months; use whole units';
  }
  return fractional.length > 1 || given[given.length - 1].unit !== unit
    ? 'has a fraction before its last unit; only the smallest unit may have one'
    : null;
}

function toObject(match: RegExpExecArray): DurationLikeObject {
  const object: DurationLikeObject = {};
  UNITS.forEach((unit, i) => {
    if (match[i + 1] !== undefined) {
      object[unit] = Number(match[i + 1]);
    }
  });
  return object;
}
