/** Errors of the insight side: KRIs and improvement actions. */
import { EngineError } from '../errors.js';

export class KriNotFoundError extends EngineError {
  readonly code = 'KRI_NOT_FOUND';
  constructor(readonly kriId: string) {
    super(`no KRI '${kriId}'`);
  }
}

export class KriInvalidError extends EngineError {
  readonly code = 'KRI_INVALID';
  constructor(readonly reason: string) {
    super(reason);
  }
}

export class ImprovementNotFoundError extends EngineError {
  readonly code = 'IMPROVEMENT_NOT_FOUND';
  constructor(readonly improvementId: string) {
    super(`no improvement action '${improvementId}'`);
  }
}

export class ImprovementStageError extends EngineError {
  readonly code = 'IMPROVEMENT_STAGE_INVALID';
  constructor(
    readonly improvementId: string,
    readonly from: string,
    readonly to: string,
  ) {
    super(
      `improvement action '${improvementId}' cannot move from ${from} to ${to}; PDCA moves plan → do → check → act → closed, and check may go back to plan`,
    );
  }

  details(): Record<string, unknown> {
    return { from: this.from, to: this.to };
  }
}

export class ReportScheduleNotFoundError extends EngineError {
  readonly code = 'REPORT_SCHEDULE_NOT_FOUND';
  constructor(readonly scheduleId: string) {
    super(`no report schedule '${scheduleId}'`);
  }
}

export class ReportMailUnavailableError extends EngineError {
  readonly code = 'REPORT_MAIL_UNAVAILABLE';
  constructor() {
    super('reports cannot be e-mailed: no e-mail channel is configured (set SVCFLOW_SMTP_URL and SVCFLOW_MAIL_FROM)');
  }
}

export class EmergencyPlanNotFoundError extends EngineError {
  readonly code = 'EMERGENCY_PLAN_NOT_FOUND';
  constructor(readonly planId: string) {
    super(`no emergency plan '${planId}'`);
  }
}

/** A PDF report has Chinese (or other non-Latin) text and no font that can draw it: refused, never tofu boxes. */
export class ReportFontUnavailableError extends EngineError {
  readonly code = 'REPORT_FONT_UNAVAILABLE';
  constructor(readonly reason: string) {
    super(`the PDF report cannot be drawn: ${reason}`);
  }
  override details(): Record<string, unknown> {
    return { env: 'SVCFLOW_PDF_FONT' };
  }
}
