/**
 * KPI reports: the week's service-quality report downloads as XLSX (read back with exceljs), PDF and CSV
 * with the figures of /api/kpis; a schedule e-mails it on the Monday after the week through a real SMTP
 * server (smtp-server, in-process) exactly once, retries a refused send and records a period that failed.
 */
import ExcelJS from 'exceljs';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { referenceApp, shanghai, type ReferenceApp } from '../helpers/reference-app.js';

const CMP = 'CMP-20261123-0001';
const intake = {
  complaintId: CMP,
  channel: 'phone',
  customerId: 'C-1001',
  customerName: 'Li Wei',
  contactPhone: '13800138000',
  preferredContact: 'sms',
  customerTier: 'medium',
  category: 'service',
  description: 'The technician missed two appointments.',
  priority: 'general',
  safetyOrLegalRisk: false,
  isRepeat: false,
};
const firstContact = {
  responseChannel: 'phone',
  contactedAt: '2026-11-23T10:15:00+08:00',
  customerReached: true,
  category: 'service',
  priority: 'general',
  responseSummary: 'Called the customer and promised a plan by tomorrow.',
  resolvedAtFirstContact: true,
  resolutionSummary: 'Rebooked the visit for tomorrow morning.',
  rootCause: 'process',
  remedyType: 'explanation_apology',
};
const AT = encodeURIComponent(shanghai('2026-11-25 12:00'));

interface Mail {
  to: string[];
  raw: string;
}

describe('api/reports', () => {
  let t: ReferenceApp;
  let smtp: SMTPServer;
  const mails: Mail[] = [];
  // the SMTP server refuses these recipients, as a full mailbox would
  const refused = new Set<string>(['full@example.com']);

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo(address, _session, callback) {
        callback(
          refused.has(address.address) ? Object.assign(new Error('mailbox full'), { responseCode: 452 }) : undefined,
        );
      },
      onData(stream, session, callback) {
        let raw = '';
        stream.on('data', (chunk: Buffer) => {
          raw += chunk.toString('latin1');
        });
        stream.on('end', () => {
          mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const { port } = smtp.server.address() as { port: number };
    process.env.SVCFLOW_SMTP_URL = `smtp://127.0.0.1:${port}`;
    process.env.SVCFLOW_MAIL_FROM = 'svcflow <reports@example.com>';
    t = await referenceApp();
    delete process.env.SVCFLOW_SMTP_URL;
    delete process.env.SVCFLOW_MAIL_FROM;
    const { id } = await t.start('agent1', 'complaint-handling', intake);
    await t.at(shanghai('2026-11-23 10:30'));
    await t.work('agent1', id, 'firstResponse', firstContact);
    await t.at(shanghai('2026-11-24 20:00'));
    await t.message('complaint-survey-response', CMP, { satisfactionScore: 5 });
  });
  afterAll(async () => {
    await t.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  it("downloads the week's service-quality report as XLSX with the KPI figures", async () => {
    const res = await (await t.user('owner1')).call(
      'GET',
      `/api/reports/service-quality?period=week&at=${AT}&process=complaint-handling&format=xlsx`,
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers['content-disposition']).toBe(
      'attachment; filename="service-quality-complaint-handling-2026-11-23.xlsx"',
    );
    const summary = await summaryOf(res.rawPayload);
    expect(summary.get('Cases ended')).toBe(1);
    expect(summary.get('SLA compliance %')).toBe(100);
    expect(summary.get('First response, mean (business h)')).toBe(1.5);
  });

  it('downloads the feedback report in Chinese, as PDF and as CSV', async () => {
    const owner = await t.user('owner1');
    const pdf = await owner.call('GET', `/api/reports/feedback?period=week&at=${AT}&format=pdf&lang=zh`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const csv = await owner.call('GET', `/api/reports/feedback?period=week&at=${AT}&format=csv`);
    expect(csv.body).toContain('CSAT mean (1–5),5');
    expect(csv.body).toContain('First-contact resolution %,100');
  });

  it('refuses a Chinese PDF with 503 REPORT_FONT_UNAVAILABLE when the configured font is missing', async () => {
    const owner = await t.user('owner1');
    vi.stubEnv('SVCFLOW_PDF_FONT', '/no/such/font.ttc');
    try {
      const res = await owner.call('GET', `/api/reports/feedback?period=week&at=${AT}&format=pdf&lang=zh`);
      expect(res.statusCode).toBe(503);
      expect(res.json().code).toBe('REPORT_FONT_UNAVAILABLE');
      expect(res.json().detail).toContain('/no/such/font.ttc');
    } finally {
      vi.unstubAllEnvs();
    }
    const csv = await owner.call('GET', `/api/reports/feedback?period=week&at=${AT}&format=csv&lang=zh`);
    expect(csv.statusCode).toBe(200);
  });

  it('refuses reports to staff and names an unknown process', async () => {
    expect((await (await t.user('agent1')).call('GET', '/api/reports/risk')).statusCode).toBe(403);
    const unknown = await (await t.user('owner1')).call('GET', '/api/reports/risk?process=no-such-process');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('DEFINITION_NOT_FOUND');
  });

  it('e-mails the report on the Monday after the week, once, with the XLSX attached', async () => {
    const owner = await t.user('owner1');
    const schedule = await owner.post('/api/report-schedules', {
      kind: 'service-quality',
      period: 'week',
      format: 'xlsx',
      lang: 'en',
      process: 'complaint-handling',
      recipients: ['quality@example.com', 'ops@example.com'],
    });
    expect(schedule.nextRunAt).toBe(shanghai('2026-11-30 08:00'));
    await t.at(shanghai('2026-11-30 07:59'));
    expect(mails).toHaveLength(0);
    await t.at(shanghai('2026-11-30 08:00'));
    await t.tick();
    expect(mails).toHaveLength(1);
    expect(mails[0].to.sort()).toEqual(['ops@example.com', 'quality@example.com']);
    const summary = await summaryOf(attachment(mails[0].raw, 'service-quality-complaint-handling-2026-11-23.xlsx'));
    expect(summary.get('Cases ended')).toBe(1);
    const after = await owner.get(`/api/report-schedules/${schedule.id}`);
    expect(after).toMatchObject({
      nextRunAt: shanghai('2026-12-07 08:00'),
      attempts: 0,
      lastError: null,
      lastSentAt: shanghai('2026-11-30 08:00'),
    });
    expect(after.runs).toEqual([expect.objectContaining({ periodFrom: shanghai('2026-11-23 00:00'), status: 'sent' })]);
    await (await t.user('owner1')).call('DELETE', `/api/report-schedules/${schedule.id}`);
  });

  it('retries a refused send after 5, 10, 20 and 40 minutes, then records the week as failed and moves on', async () => {
    const owner = await t.user('owner1');
    const schedule = await owner.post('/api/report-schedules', {
      kind: 'risk',
      period: 'week',
      format: 'pdf',
      recipients: ['full@example.com'],
    });
    expect(schedule.nextRunAt).toBe(shanghai('2026-12-07 08:00'));
    const before = mails.length;
    await t.at(shanghai('2026-12-07 08:00'));
    let row = await owner.get(`/api/report-schedules/${schedule.id}`);
    expect(row).toMatchObject({ attempts: 1, nextRunAt: shanghai('2026-12-07 08:05') });
    expect(row.lastError).toMatch(/mailbox full/);
    for (const at of ['08:05', '08:15', '08:35']) await t.at(shanghai(`2026-12-07 ${at}`));
    row = await owner.get(`/api/report-schedules/${schedule.id}`);
    expect(row).toMatchObject({ attempts: 4, nextRunAt: shanghai('2026-12-07 09:15') });
    await t.at(shanghai('2026-12-07 09:15'));
    row = await owner.get(`/api/report-schedules/${schedule.id}`);
    expect(row).toMatchObject({ attempts: 0, nextRunAt: shanghai('2026-12-14 08:00') });
    expect(row.runs).toEqual([expect.objectContaining({ periodFrom: shanghai('2026-11-30 00:00'), status: 'failed' })]);
    expect(mails.length).toBe(before);
  });

  it('refuses a schedule without recipients, and lets no scoped supervisor or staff member schedule', async () => {
    const owner = await t.user('owner1');
    const bad = await owner.call('POST', '/api/report-schedules', {
      kind: 'risk',
      period: 'week',
      recipients: ['not-an-address'],
    });
    expect(bad.statusCode).toBe(400);
    expect(
      (
        await (
          await t.user('supervisor1')
        ).call('POST', '/api/report-schedules', { kind: 'risk', period: 'week', recipients: ['a@example.com'] })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await (
          await t.user('agent1')
        ).call('POST', '/api/report-schedules', { kind: 'risk', period: 'week', recipients: ['a@example.com'] })
      ).statusCode,
    ).toBe(403);
  });
});

// helpers

/** The first sheet's rows as label → value. */
async function summaryOf(content: Buffer): Promise<Map<string, unknown>> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(content as unknown as ArrayBuffer);
  const sheet = book.worksheets[0];
  const rows = new Map<string, unknown>();
  sheet.eachRow((row) => rows.set(String(row.getCell(1).value), row.getCell(2).value));
  return rows;
}

/** A base64 attachment of a raw MIME message, by file name. */
function attachment(raw: string, fileName: string): Buffer {
  const at =
    raw.indexOf(`filename=${fileName}`) >= 0
      ? raw.indexOf(`filename=${fileName}`)
      : raw.indexOf(`filename="${fileName}"`);
  expect(at, `attachment ${fileName}`).toBeGreaterThan(0);
  const start = raw.indexOf('\r\n\r\n', at) + 4;
  const end = raw.indexOf('\r\n--', start);
  return Buffer.from(raw.slice(start, end).replace(/\s+/g, ''), 'base64');
}
