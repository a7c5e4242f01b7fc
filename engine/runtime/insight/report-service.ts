/**
 * Report downloads and scheduled e-mails. A schedule names a report (kind, week or month, format,
 * language, process) and its recipients; it is due at 08:00 in the installation's zone on the Monday (week) or the
 * 1st (month) after the period and then mails the report of the period just ended through the e-mail
 * channel of the notification delivery (SMTP), as an attachment. The due time is a database row, so a
 * restart loses nothing; a node takes a run by moving that row on (compare-and-set), so two nodes never
 * send the same period twice. A failed send is retried after 5, 10, 20, 40 minutes; after the fifth
 * failure the period is recorded as failed and the schedule moves on.
 */
import { DateTime } from 'luxon';
import type { ReportScheduleRow, ReportRunRow } from '../../store/index.js';
import { newId } from '../definitions.js';
import type { Engine } from '../engine.js';
import type { Channel } from '../notify/channels.js';
import { ReportMailUnavailableError, ReportScheduleNotFoundError } from './insight-errors.js';
import type { InsightService } from './insight-service.js';
import { renderReport, reportFileName, REPORT_TYPES, type ReportFormat } from './report-render.js';
import {
  buildReport,
  reportPeriodOf,
  type ReportKind,
  type ReportLang,
  type ReportModel,
  type ReportPeriod,
  type ReportRequest,
} from './reports.js';

export interface NewReportSchedule {
  kind: ReportKind;
  period: ReportPeriod;
  format: ReportFormat;
  lang?: ReportLang;
  process?: string;
  recipients: string[];
}

export interface ReportServiceOptions {
  /** The e-mail channel reports go out on; without one, schedules are refused. */
  mail: Channel | null;
  /** First retry delay (default 5 min), doubled per failure. */
  retryMs?: number;
  maxAttempts?: number;
}

const SEND_HOUR = 8;
const BATCH = 10;

export class ReportService {
  private readonly retryMs: number;
  private readonly maxAttempts: number;

  constructor(
    private readonly engine: Engine,
    private readonly insight: InsightService,
    private readonly options: ReportServiceOptions,
  ) {
    this.retryMs = options.retryMs ?? 5 * 60_000;
    this.maxAttempts = options.maxAttempts ?? 5;
    engine.extend({ due: () => this.runDue() });
  }

  /** A report as a file. */
  async render(
    request: ReportRequest,
    format: ReportFormat,
  ): Promise<{ model: ReportModel; content: Buffer; fileName: string; contentType: string }> {
    if (request.process) await this.insight.ensureProcess(request.process);
    const model = await buildReport(this.insight, request);
    return {
      model,
      content: await renderReport(model, format),
      fileName: reportFileName(model, format, this.engine.config.zone),
      contentType: REPORT_TYPES[format],
    };
  }

  async create(input: NewReportSchedule, by: string | null): Promise<ReportScheduleRow> {
    if (!this.options.mail) throw new ReportMailUnavailableError();
    if (input.process) await this.insight.ensureProcess(input.process);
    const now = this.engine.clock.now();
    const row: ReportScheduleRow = {
      id: newId(),
      kind: input.kind,
      period: input.period,
      format: input.format,
      lang: input.lang ?? 'zh',
      definitionKey: input.process ?? null,
      recipients: [...new Set(input.recipients.map((r) => r.trim()))],
      nextRunAt: nextRunAfter(input.period, now, this.engine.config.zone).toISOString(),
      attempts: 0,
      lastError: null,
      lastSentAt: null,
      createdBy: by,
      createdAt: now.toISOString(),
    };
    await this.engine.store.insight.insertSchedule(row);
    return row;
  }

  list(): Promise<ReportScheduleRow[]> {
    return this.engine.store.insight.listSchedules();
  }

  async get(id: string): Promise<ReportScheduleRow & { runs: ReportRunRow[] }> {
    const row = await this.engine.store.insight.getSchedule(id);
    if (!row) throw new ReportScheduleNotFoundError(id);
    return { ...row, runs: await this.engine.store.insight.runs(id, 20) };
  }

  async remove(id: string): Promise<void> {
    if (!(await this.engine.store.insight.deleteSchedule(id))) throw new ReportScheduleNotFoundError(id);
  }

  /** Sends every schedule that is due; returns how many were attempted. */
  async runDue(): Promise<number> {
    const now = this.engine.clock.now();
    const due = await this.engine.store.insight.dueSchedules(now.toISOString(), BATCH);
    let attempted = 0;
    for (const schedule of due) if (await this.run(schedule, now)) attempted++;
    return attempted;
  }

  // helpers

  private async run(schedule: ReportScheduleRow, now: Date): Promise<boolean> {
    const store = this.engine.store.insight;
    // the period just before the run was due (a retry minutes later reports the same period)
    const { zone } = this.engine.config;
    const period = reportPeriodOf(schedule.period, new Date(schedule.nextRunAt), zone);
    const next = nextRunAfter(schedule.period, new Date(schedule.nextRunAt), zone).toISOString();
    // take the run: a retry is pencilled in first, so a crash mid-send retries rather than skips
    const retryAt = new Date(now.getTime() + this.retryMs * 2 ** schedule.attempts).toISOString();
    if (
      !(await store.advanceSchedule(schedule.id, schedule.nextRunAt, {
        nextRunAt: retryAt,
        attempts: schedule.attempts + 1,
        lastError: schedule.lastError,
      }))
    )
      return false;
    try {
      if (!this.options.mail) throw new ReportMailUnavailableError();
      const format = schedule.format as ReportFormat;
      const { model, content, fileName, contentType } = await this.render(
        {
          kind: schedule.kind as ReportKind,
          period: schedule.period,
          at: period.from,
          process: schedule.definitionKey ?? undefined,
          lang: schedule.lang as ReportLang,
        },
        format,
      );
      await this.options.mail.send({
        // the same id on every attempt of a period: receivers that saw it keep one copy
        id: `report-${schedule.id}-${period.from.slice(0, 10)}`,
        to: schedule.recipients.join(', '),
        subject: `${model.title} · ${model.periodLabel}`,
        body: mailBody(model, schedule.lang as ReportLang),
        data: { reportKind: model.kind, from: model.from, to: model.to },
        attachments: [{ filename: fileName, content, contentType }],
      });
      const at = this.engine.clock.now().toISOString();
      await store.insertRun({ scheduleId: schedule.id, periodFrom: period.from, status: 'sent', at, error: null });
      await store.advanceSchedule(schedule.id, retryAt, {
        nextRunAt: next,
        attempts: 0,
        lastError: null,
        lastSentAt: at,
      });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const giveUp = schedule.attempts + 1 >= this.maxAttempts;
      if (giveUp)
        await store.insertRun({
          scheduleId: schedule.id,
          periodFrom: period.from,
          status: 'failed',
          at: this.engine.clock.now().toISOString(),
          error: message,
        });
      await store.advanceSchedule(
        schedule.id,
        retryAt,
        giveUp
          ? { nextRunAt: next, attempts: 0, lastError: message }
          : { nextRunAt: retryAt, attempts: schedule.attempts + 1, lastError: message },
      );
    }
    return true;
  }
}

/** 08:00 local (in the installation's zone) on the first day of the next week or month strictly after `after`. */
export function nextRunAfter(period: ReportPeriod, after: Date, zone: string): Date {
  const local = DateTime.fromJSDate(after, { zone });
  let run = local.startOf(period).set({ hour: SEND_HOUR });
  while (run <= local)
    run = run
      .plus({ [`${period}s`]: 1 })
      .startOf(period)
      .set({ hour: SEND_HOUR });
  return run.toJSDate();
}

function mailBody(model: ReportModel, lang: ReportLang): string {
  const summary = model.sections[0];
  const lines = summary ? summary.rows.map((r) => `${r[0]}: ${r[1] ?? '—'}`) : [];
  const intro =
    lang === 'zh'
      ? `附件为 ${model.periodLabel} 的${model.title}。`
      : `Attached: the ${model.title} for ${model.periodLabel}.`;
  return [intro, '', ...lines, '', lang === 'zh' ? '—— svcflow 自动发送' : '— sent by svcflow'].join('\n');
}
