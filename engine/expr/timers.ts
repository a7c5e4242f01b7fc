/**
 * Due dates of BPMN timers (timeDuration, timeDate, timeCycle) as absolute UTC instants.
 * `now` is always an argument; every error quotes the timer value.
 *
 * Dates and cycle starts in the past are kept (the timer is due at once); a cycle's later firings
 * follow one interval after the previous due date. Cron cycles (Camunda 7's Quartz form `0 0 9 * * ?`,
 * or five fields) are read with croner in the zone the caller gives (the installation's zone, EngineConfig.zone,
 * which the `default` business calendar is seeded with); UTC when none is given.
 */
import { Cron } from 'croner';
import type { DateTime, Duration } from 'luxon';
import { formatInstant, parseIsoDateTime } from './iso-date.js';
import { addDuration, parseIsoDuration } from './iso-duration.js';
import { resolveValue } from './mappings.js';

/** A timer as declared: an ISO 8601 literal or a FEEL expression (`=…`) yielding one. */
export interface TimerDefinition {
  type: 'duration' | 'date' | 'cycle';
  value: string;
}

/** What is left of a cycle after the current firing: `remaining` null means unbounded. */
export interface TimerRepeat {
  remaining: number | null;
  interval: string;
  /** A cron cycle: the pattern and the zone its fields are read in (then `interval` is the pattern too). */
  cron?: string;
  zone?: string;
}

/** The zone cron fields are read in when the caller names none. */
export const DEFAULT_CRON_ZONE = 'UTC';

/** When a timer is due, and for cycles how it repeats. */
export interface TimerSchedule {
  due: string;
  repeat: TimerRepeat | null;
}

const EXPECTED = {
  duration: 'an ISO 8601 duration',
  date: 'an ISO 8601 date-time',
  cycle: 'an ISO 8601 repeating interval',
} as const;
const CYCLE = /^R(\d*)\/([^/]+)(?:\/([^/]+))?$/;

/**
 * Computes the first due instant of a timer from `now` (ISO); a date without offset is UTC, and a
 * cycle `R3/PT10M` is first due at now+10m with 2 repetitions remaining. A cron cycle's fields are
 * read in `cronZone` (an IANA zone), which its repeat keeps.
 */
export function computeTimer(
  def: TimerDefinition,
  variables: Record<string, unknown>,
  now: string,
  cronZone: string = DEFAULT_CRON_ZONE,
): TimerSchedule | { error: string } {
  const start = parseIsoDateTime(now);
  if ('error' in start) {
    return { error: `now ${start.error}` };
  }
  const text = timerText(def, variables, now);
  if (typeof text !== 'string') {
    return text;
  }
  const outcome =
    def.type === 'duration'
      ? durationTimer(text, start.dateTime)
      : def.type === 'date'
        ? dateTimer(text)
        : cycleTimer(text, start.dateTime, cronZone);
  const suffix = text === def.value.trim() ? '' : ` (from "${def.value}")`;
  return 'error' in outcome ? { error: `timer value ${outcome.error}${suffix}` } : outcome;
}

/**
 * The next firing of a cycle, one interval after `previousDue` (so firings never drift), or null
 * when no repetitions remain; throws RangeError on invalid input.
 */
export function nextCycleDue(previousDue: string, repeat: TimerRepeat): { due: string; repeat: TimerRepeat } | null {
  if (repeat.remaining !== null && repeat.remaining <= 0) {
    return null;
  }
  if (repeat.cron) {
    const next = cronNext(repeat.cron, repeat.zone ?? DEFAULT_CRON_ZONE, previousDue);
    if ('error' in next) throw new RangeError(next.error);
    return { due: next.due, repeat };
  }
  return {
    due: addDuration(previousDue, repeat.interval),
    repeat: { remaining: repeat.remaining === null ? null : repeat.remaining - 1, interval: repeat.interval },
  };
}

// helpers

type Outcome = TimerSchedule | { error: string };

function timerText(def: TimerDefinition, variables: Record<string, unknown>, now: string): string | { error: string } {
  const resolved = resolveValue(def.value, variables, { now });
  if (resolved.error !== null) {
    return { error: `timer value "${def.value}" cannot be evaluated: ${resolved.error}` };
  }
  if (typeof resolved.value !== 'string') {
    const got = JSON.stringify(resolved.value);
    const why = resolved.warnings.length > 0 ? ` (${resolved.warnings[0]})` : '';
    return { error: `timer value "${def.value}" yielded ${got}, not ${EXPECTED[def.type]}${why}` };
  }
  return resolved.value.trim();
}

function durationTimer(text: string, now: DateTime): Outcome {
  const parsed = parseIsoDuration(text);
  return 'error' in parsed ? parsed : schedule(() => now.plus(parsed.duration), text, null);
}

function dateTimer(text: string): Outcome {
  const parsed = parseIsoDateTime(text);
  return 'error' in parsed ? parsed : schedule(() => parsed.dateTime, text, null);
}

function cycleTimer(text: string, now: DateTime, zone: string): Outcome {
  if (isCron(text)) {
    const next = cronNext(text, zone, formatInstant(now));
    return 'error' in next ? next : { due: next.due, repeat: { remaining: null, interval: text, cron: text, zone } };
  }
  const match = CYCLE.exec(text.toUpperCase());
  if (match === null) {
    return { error: `"${text}" is not ${EXPECTED.cycle} (R<n>/<duration> or R<n>/<start>/<duration>)` };
  }
  const [, count, first, second] = match;
  const remaining = count === '' ? null : Number(count) - 1;
  if (remaining !== null && (remaining < 0 || !Number.isSafeInteger(remaining))) {
    return { error: `"${text}" must repeat at least once and at most ${Number.MAX_SAFE_INTEGER} times` };
  }
  const interval = cycleInterval(text, second ?? first);
  if ('error' in interval) {
    return interval;
  }
  const start = second === undefined ? null : parseIsoDateTime(first);
  if (start !== null && 'error' in start) {
    return { error: `"${text}" has a start that is not ${EXPECTED.date}` };
  }
  const repeat = { remaining, interval: (second ?? first).trim() };
  return schedule(() => (start === null ? now.plus(interval.duration) : start.dateTime), text, repeat);
}

function cycleInterval(text: string, intervalText: string): { duration: Duration } | { error: string } {
  const parsed = parseIsoDuration(intervalText);
  if ('error' in parsed) {
    const forms = 'only R<n>/<duration> and R<n>/<start>/<duration> are supported';
    return { error: `"${text}" has an interval that is not an ISO 8601 duration; ${forms}` };
  }
  if (parsed.duration.toMillis() <= 0) {
    return { error: `"${text}" has a zero interval` };
  }
  return parsed;
}

function schedule(due: () => DateTime, text: string, repeat: TimerRepeat | null): Outcome {
  try {
    return { due: formatInstant(due()), repeat };
  } catch {
    return { error: `"${text}" gives a due date out of range` };
  }
}

/** The first firing of a cron pattern strictly after `after`. */
function cronNext(pattern: string, zone: string, after: string): { due: string } | { error: string } {
  if (pattern.trim().split(/\s+/).length > 6)
    return { error: `"${pattern}" has a year field; cron cycles take 5 or 6 fields (seconds first)` };
  try {
    // Quartz's `?` (no specific value) is a wildcard; croner would read it as the current time
    const next = new Cron(pattern.replace(/\?/g, '*'), { timezone: zone, paused: true }).nextRun(new Date(after));
    return next ? { due: next.toISOString() } : { error: `"${pattern}" never fires again` };
  } catch (err) {
    return {
      error: `"${pattern}" is not a cron expression croner reads: ${err instanceof Error ? err.message : String(err)}`,
    };
  }
}

function isCron(text: string): boolean {
  const fields = text.trim().split(/\s+/);
  return fields.length >= 5 && fields.length <= 7 && fields.every((field) => /^[\w*?/,#-]+$/.test(field));
}
