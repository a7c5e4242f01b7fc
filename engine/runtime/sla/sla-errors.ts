/** Errors of business calendars and SLA clocks: small classes with readonly context and a stable code. */
import { EngineError } from '../errors.js';

/** One thing wrong with a calendar: the field it concerns and what is wrong with it. */
export interface CalendarProblem {
  field: string;
  message: string;
}

export class CalendarNotFoundError extends EngineError {
  readonly code = 'CALENDAR_NOT_FOUND';
  constructor(readonly calendarId: string) {
    super(
      `business calendar '${calendarId}' does not exist; create it with PUT /api/calendars/${calendarId} or name another calendar`,
    );
  }

  override details(): Record<string, unknown> {
    return { calendarId: this.calendarId };
  }
}

export class CalendarInvalidError extends EngineError {
  readonly code = 'CALENDAR_INVALID';
  constructor(
    readonly calendarId: string,
    readonly problems: CalendarProblem[],
  ) {
    super(
      `business calendar '${calendarId}' has ${problems.length} problem(s); first: ${problems[0]?.field} ${problems[0]?.message}`,
    );
  }

  override details(): Record<string, unknown> {
    return { calendarId: this.calendarId, fields: this.problems.map((p) => ({ name: p.field, message: p.message })) };
  }
}

export class SlaTargetError extends EngineError {
  readonly code = 'SLA_TARGET_INVALID';
  constructor(
    readonly target: string,
    reason: string,
  ) {
    super(`SLA target "${target}" cannot be measured in business time: ${reason}`);
  }

  override details(): Record<string, unknown> {
    return { target: this.target };
  }
}
