/**
 * The storage contract of SLA clocks and business calendars. Timestamps are ISO 8601 strings in UTC;
 * durations are business milliseconds.
 */
import type { Page, Paging } from './types.js';

export type SlaStatus = 'running' | 'paused' | 'met' | 'breached' | 'cancelled';
export type SlaKind = 'task' | 'subprocess' | 'process';

/** One SLA clock: an element's (or the process's) target measured in business time. */
export interface SlaRow {
  id: string;
  instanceId: string;
  definitionKey: string;
  elementId: string;
  elementName: string | null;
  kind: SlaKind;
  /** The user task the SLA measures; its assignee and candidate groups are read through it. */
  taskId: string | null;
  /** The instance's priority variable (config caseFields.priority) when the SLA started, as text. */
  priority: string | null;
  calendarId: string;
  /** The evaluated ISO 8601 target and its business length. */
  target: string;
  targetMs: number;
  /** The FEEL expression the target came from (re-evaluated when variables change), or null for a literal. */
  targetExpression: string | null;
  /** Warning fractions (ascending), their instants, and the index of the next one to fire. */
  warnAt: number[];
  warningsDue: string[];
  nextWarning: number;
  warningCode: string;
  breachCode: string;
  status: SlaStatus;
  startedAt: string;
  dueAt: string;
  pausedMs: number;
  pauseCount: number;
  /** How many pausing elements are active now (the clock stands while > 0). */
  pauseDepth: number;
  pausedSince: string | null;
  /** The instant of the latest warning and of the breach, as scheduled in business time. */
  warnedAt: string | null;
  breachedAt: string | null;
  /** When the row closed (work completed, element left, instance ended). */
  completedAt: string | null;
  /** Business time the work took, set when the row closes. */
  businessMs: number | null;
  /** The due date falls in a year for which the calendar has no holiday data. */
  holidayDataMissing: boolean;
  /** The next warning or breach instant: the durable job the scheduler claims. */
  nextCheckAt: string | null;
  lockedBy: string | null;
  lockedUntil: string | null;
}

/** An SLA row as lists show it, with its task's current assignee and candidate groups. */
export interface SlaListItem extends SlaRow {
  assignee: string | null;
  candidateGroups: string[];
}

/** List filter: at-risk means warned and not breached; running includes paused. */
export interface SlaFilter extends Paging {
  status?: 'running' | 'paused' | 'at-risk' | 'breached' | 'met' | 'cancelled';
  definitionKey?: string;
  instanceId?: string;
  assignee?: string;
  candidateGroup?: string;
  /** A supervisor's scope: rows of tasks offered to any of these groups, and rows without a task (sub-process, process). */
  scopeGroups?: string[];
  /** true: rows not yet closed; false: closed rows. */
  open?: boolean;
  /** false: skip counting every match (the API counts only with total=true). */
  withTotal?: boolean;
}

/** The report's period and grouping, and a supervisor's scope (as in SlaFilter). */
export interface SlaReportFilter {
  from: string;
  to: string;
  groupBy: SlaGroupBy;
  scopeGroups?: string[];
}

export type SlaGroupBy = 'definition' | 'element' | 'priority' | 'assignee' | 'group';

/** Figures of one group over met and breached SLAs that closed in the period. */
export interface SlaReportRow {
  key: string | null;
  total: number;
  met: number;
  breached: number;
  meanBusinessMs: number;
  p90BusinessMs: number;
}

type SlaPatch = Partial<
  Omit<SlaRow, 'id' | 'instanceId' | 'definitionKey' | 'elementId' | 'kind' | 'startedAt' | 'calendarId'>
>;

export interface SlaRepository {
  insert(row: SlaRow): Promise<void>;
  get(id: string): Promise<SlaRow | null>;
  /** Like get, row-locked until the transaction ends (FOR UPDATE on PostgreSQL). */
  lock(id: string): Promise<SlaRow | null>;
  /** The latest row of an element that has not closed yet. */
  openByElement(instanceId: string, elementId: string): Promise<SlaRow | null>;
  openByInstance(instanceId: string): Promise<SlaRow[]>;
  update(id: string, patch: SlaPatch): Promise<void>;
  /** Claims up to `limit` rows with nextCheckAt <= now whose lease is free or expired (SKIP LOCKED on PostgreSQL). */
  claimDue(now: string, owner: string, lockUntil: string, limit: number): Promise<SlaRow[]>;
  nextDue(): Promise<string | null>;
  /** Sorted by urgency: due first. */
  list(filter: SlaFilter): Promise<Page<SlaListItem>>;
  /** Met and breached rows closed in [from, to), grouped; p90 is nearest-rank. */
  report(filter: SlaReportFilter): Promise<SlaReportRow[]>;
}

/** A business calendar as stored: weekday → 'HH:mm-HH:mm' intervals, holidays, make-up working days. */
export interface CalendarRow {
  id: string;
  name: string;
  zone: string;
  week: Record<'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun', string[]>;
  holidays: string[];
  extraWorkingDays: string[];
  updatedAt: string;
}

export interface CalendarRepository {
  get(id: string): Promise<CalendarRow | null>;
  /** Every calendar, by id. */
  list(): Promise<CalendarRow[]>;
  /** Creates or replaces a calendar. */
  put(row: CalendarRow): Promise<void>;
  /** Creates a calendar unless one with its id exists; true when created. */
  insertIfAbsent(row: CalendarRow): Promise<boolean>;
}
