/**
 * The SLA clock as pure functions of a row, a calendar and an instant (domain.md §4, rules 4–7): due and
 * warning instants, the next check, pauses, re-targeting, the outcome when the row closes, and its notifications.
 */
import type { SlaRow, SlaStatus } from '../../store/index.js';
import {
  addBusinessMs,
  businessDurationMs,
  businessTimeBetween,
  holidayDataMissing,
  type BusinessCalendar,
} from '../calendar/business-calendar.js';
import type { EngineNotification } from '../step/effect-executor.js';

/** A change to an SLA row. */
export type SlaPatch = Partial<SlaRow>;

/** A warning or the breach that has fallen due, at its business instant. */
export type SlaCheck = { kind: 'warning'; index: number; at: string } | { kind: 'breach'; at: string };

/** What closing a row did: its final status and whether the breach was first recorded now. */
export interface SlaOutcome {
  patch: SlaPatch;
  status: SlaStatus;
  newlyBreached: boolean;
}

/** Due, warning instants and next check of a running row: start + f × target + paused business time (rules 4, 5). */
export function scheduleOf(
  calendar: BusinessCalendar,
  row: Pick<SlaRow, 'startedAt' | 'targetMs' | 'pausedMs' | 'warnAt' | 'nextWarning' | 'status' | 'breachedAt'>,
): SlaPatch {
  const dueAt = addBusinessMs(calendar, row.startedAt, row.targetMs + row.pausedMs);
  const warningsDue = row.warnAt.map((f) =>
    addBusinessMs(calendar, row.startedAt, Math.round(f * row.targetMs) + row.pausedMs),
  );
  const scheduled = { ...row, dueAt, warningsDue };
  return {
    dueAt,
    warningsDue,
    nextCheckAt: nextCheckAt(scheduled),
    lockedBy: null,
    lockedUntil: null,
    holidayDataMissing: holidayDataMissing(calendar, dueAt),
  };
}

/** A new target (rule 6): due = start + new target + pauses, warnings rescheduled; a due already passed fires at the next check. */
export function retargetRow(calendar: BusinessCalendar, row: SlaRow, target: string): SlaPatch {
  const next = { ...row, target, targetMs: businessDurationMs(calendar, target) };
  return { target, targetMs: next.targetMs, ...scheduleOf(calendar, next) };
}

/** The next warning or breach instant of a running row; null once breached, paused or closed. */
export function nextCheckAt(
  row: Pick<SlaRow, 'status' | 'nextWarning' | 'warningsDue' | 'dueAt' | 'breachedAt'>,
): string | null {
  if (row.status !== 'running' || row.breachedAt) return null;
  return row.nextWarning < row.warningsDue.length ? row.warningsDue[row.nextWarning] : row.dueAt;
}

/** The warning or breach due at `now`, earliest first (a missed warning fires before the breach). */
export function dueCheck(row: SlaRow, now: string): SlaCheck | null {
  if (row.status !== 'running' || row.breachedAt) return null;
  const at = Date.parse(now);
  const warning = row.warningsDue[row.nextWarning];
  if (warning !== undefined && Date.parse(warning) <= at)
    return { kind: 'warning', index: row.nextWarning, at: warning };
  if (Date.parse(row.dueAt) <= at) return { kind: 'breach', at: row.dueAt };
  return null;
}

/** Records a fired check: a warning moves to the next one, a breach marks the row breached. */
export function recordCheck(row: SlaRow, check: SlaCheck): SlaPatch {
  if (check.kind === 'breach')
    return { status: 'breached', breachedAt: check.at, nextCheckAt: null, lockedBy: null, lockedUntil: null };
  const next = { ...row, nextWarning: check.index + 1 };
  return {
    nextWarning: check.index + 1,
    warnedAt: check.at,
    nextCheckAt: nextCheckAt(next),
    lockedBy: null,
    lockedUntil: null,
  };
}

/** Business time the clock has run: from start to now (or to the pause), minus paused time; a closed row keeps its figure. */
export function elapsedBusinessMs(calendar: BusinessCalendar, row: SlaRow, now: string): number {
  if (row.businessMs !== null) return row.businessMs;
  return businessTimeBetween(calendar, row.startedAt, row.pausedSince ?? now) - row.pausedMs;
}

/** Business time left until due; negative when overdue. */
export function remainingBusinessMs(calendar: BusinessCalendar, row: SlaRow, now: string): number {
  return row.targetMs - elapsedBusinessMs(calendar, row, now);
}

/** One more pausing element is active; the first one stops the clock. */
export function pauseRow(row: SlaRow, now: string): SlaPatch {
  const patch: SlaPatch = { pauseDepth: row.pauseDepth + 1 };
  if (row.pauseDepth > 0 || row.status !== 'running') return patch;
  return {
    ...patch,
    status: 'paused',
    pausedSince: now,
    pauseCount: row.pauseCount + 1,
    nextCheckAt: null,
    lockedBy: null,
    lockedUntil: null,
  };
}

/** One pausing element is left; when none is, the paused business time moves due and warnings later (rule 5). */
export function resumeRow(calendar: BusinessCalendar, row: SlaRow, now: string): SlaPatch {
  const pauseDepth = Math.max(0, row.pauseDepth - 1);
  if (pauseDepth > 0 || row.status !== 'paused' || !row.pausedSince) return { pauseDepth };
  const resumed = {
    ...row,
    pauseDepth,
    status: 'running' as const,
    pausedSince: null,
    pausedMs: row.pausedMs + businessTimeBetween(calendar, row.pausedSince, now),
  };
  return {
    pauseDepth,
    status: 'running',
    pausedSince: null,
    pausedMs: resumed.pausedMs,
    ...scheduleOf(calendar, resumed),
  };
}

/**
 * Closes a row. Completed work is met when it ends by the business due instant, else breached (rule 7);
 * work left any other way is cancelled; a breached row stays breached either way.
 */
export function closeRow(calendar: BusinessCalendar, row: SlaRow, now: string, completed: boolean): SlaOutcome {
  const pausedMs = row.pausedSince ? row.pausedMs + businessTimeBetween(calendar, row.pausedSince, now) : row.pausedMs;
  const businessMs = businessTimeBetween(calendar, row.startedAt, now) - pausedMs;
  const dueAt = row.pausedSince ? addBusinessMs(calendar, row.startedAt, row.targetMs + pausedMs) : row.dueAt;
  const late = completed && row.status !== 'breached' && Date.parse(now) > Date.parse(dueAt);
  const status: SlaStatus = row.status === 'breached' || late ? 'breached' : completed ? 'met' : 'cancelled';
  const patch: SlaPatch = {
    status,
    pausedMs,
    pausedSince: null,
    businessMs,
    completedAt: now,
    nextCheckAt: null,
    lockedBy: null,
    lockedUntil: null,
    ...(late ? { breachedAt: dueAt, dueAt } : {}),
  };
  return { patch, status, newlyBreached: late };
}

/** A notification about one SLA row (`sla.started`, `sla.warning`, `sla.breached`, `sla.met`, …) carrying what a live dashboard needs. */
export function slaNote(
  type: string,
  row: SlaRow,
  at: string,
  details: Record<string, unknown> = {},
): EngineNotification {
  return {
    type,
    instanceId: row.instanceId,
    definitionKey: row.definitionKey,
    elementId: row.elementId,
    at,
    ...(row.taskId ? { taskId: row.taskId } : {}),
    data: { slaId: row.id, kind: row.kind, status: row.status, dueAt: row.dueAt, ...details },
  };
}
