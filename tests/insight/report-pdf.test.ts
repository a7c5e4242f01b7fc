/**
 * PDF reports in Chinese: the PDF embeds a CJK font (WenQuanYi Micro Hei from fonts-wqy-microhei, or the
 * font SVCFLOW_PDF_FONT names) and its text, read back through the font's ToUnicode map, is the Chinese of
 * the report. Without a font that can draw the text the render is refused (REPORT_FONT_UNAVAILABLE, 503),
 * never printed as empty boxes; a Latin-only report still renders with Helvetica.
 */
import { existsSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../engine/api/problem.js';
import { ReportFontUnavailableError, renderReport } from '../../engine/runtime/index.js';
import type { ReportModel } from '../../engine/runtime/insight/reports.js';

const WQY = '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc';

function model(title: string, label: string, metric: string): ReportModel {
  return {
    kind: 'feedback',
    title,
    periodLabel: 'Week of 2026-11-23 (Asia/Shanghai)',
    from: '2026-11-22T16:00:00.000Z',
    to: '2026-11-29T16:00:00.000Z',
    process: null,
    generatedAt: '2026-11-30T01:00:00.000Z',
    sections: [{ title: label, columns: [metric, 'Value'], rows: [[metric, 4.5]] }],
  };
}

const chinese = model('客户反馈报告', '满意度', '客户满意度');

/** The streams of a PDF, inflated where they are compressed. */
function streams(pdf: Buffer): string[] {
  const out: string[] = [];
  const text = pdf.toString('latin1');
  for (const m of text.matchAll(/stream\r?\n/g)) {
    const start = (m.index ?? 0) + m[0].length;
    const end = text.indexOf('endstream', start);
    const raw = pdf.subarray(start, end);
    try {
      out.push(inflateSync(raw).toString('latin1'));
    } catch {
      out.push(raw.toString('latin1'));
    }
  }
  return out;
}

/** The text drawn, decoded through the ToUnicode map of the (Identity-H) font: a tiny PDF text extractor. */
function extractText(pdf: Buffer): string {
  const all = streams(pdf);
  const map = new Map<number, string>();
  for (const cmap of all.filter((s) => s.includes('begincmap'))) {
    for (const range of cmap.matchAll(/<([0-9a-f]{4})>\s*<([0-9a-f]{4})>\s*\[([^\]]*)\]/gi)) {
      const first = Number.parseInt(range[1], 16);
      [...range[3].matchAll(/<([0-9a-f]+)>/gi)].forEach((u, i) => {
        map.set(first + i, String.fromCodePoint(Number.parseInt(u[1], 16)));
      });
    }
  }
  const lines: string[] = [];
  for (const content of all.filter((s) => s.includes(' TJ'))) {
    for (const tj of content.matchAll(/\[([^\]]*)\]\s*TJ/g)) {
      let line = '';
      for (const hex of tj[1].matchAll(/<([0-9a-f]+)>/gi))
        for (let i = 0; i < hex[1].length; i += 4) line += map.get(Number.parseInt(hex[1].slice(i, i + 4), 16)) ?? '?';
      lines.push(line);
    }
  }
  return lines.join('\n');
}

describe.runIf(existsSync(WQY))('PDF reports in Chinese', () => {
  it('embed WenQuanYi Micro Hei and carry the Chinese text', async () => {
    const pdf = await renderReport(chinese, 'pdf', { env: {} });
    const raw = pdf.toString('latin1');
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+WenQuanYiMicroHei/);
    expect(raw).toContain('/FontFile2');
    expect(raw).not.toContain('/Helvetica');
    const text = extractText(pdf);
    expect(text).toContain('客户反馈报告');
    expect(text).toContain('满意度');
    expect(text).toContain('客户满意度');
    expect(text).toContain('4.5');
    expect(text).not.toContain('?');
  });

  it('use the font SVCFLOW_PDF_FONT names, with SVCFLOW_PDF_FONT_FAMILY choosing the face of a collection', async () => {
    const env = { SVCFLOW_PDF_FONT: WQY, SVCFLOW_PDF_FONT_FAMILY: 'WenQuanYiMicroHeiMono' };
    const pdf = await renderReport(chinese, 'pdf', { env, candidates: [] });
    expect(pdf.toString('latin1')).toMatch(/\/BaseFont \/[A-Z]{6}\+WenQuanYiMicroHeiMono/);
    expect(extractText(pdf)).toContain('客户满意度');
  });
});

describe('PDF reports without a CJK font', () => {
  it('refuse Chinese text with REPORT_FONT_UNAVAILABLE (503) rather than print empty boxes', async () => {
    const refused = renderReport(chinese, 'pdf', { env: {}, candidates: ['/no/such/font.ttf'] });
    await expect(refused).rejects.toBeInstanceOf(ReportFontUnavailableError);
    await expect(refused).rejects.toMatchObject({ code: 'REPORT_FONT_UNAVAILABLE' });
    await expect(refused).rejects.toThrow(/客户反馈报告.*no CJK font.*SVCFLOW_PDF_FONT/);
    expect(ERROR_CODES.REPORT_FONT_UNAVAILABLE.status).toBe(503);
  });

  it('refuse a SVCFLOW_PDF_FONT that does not exist, even for a Latin report', async () => {
    const env = { SVCFLOW_PDF_FONT: '/no/such/font.ttc' };
    await expect(renderReport(model('Feedback', 'Satisfaction', 'CSAT'), 'pdf', { env })).rejects.toMatchObject({
      code: 'REPORT_FONT_UNAVAILABLE',
      message: expect.stringContaining('/no/such/font.ttc'),
    });
  });

  it('refuse a font collection without the face to use', async () => {
    if (!existsSync(WQY)) return;
    const env = { SVCFLOW_PDF_FONT: WQY };
    await expect(renderReport(chinese, 'pdf', { env })).rejects.toMatchObject({ code: 'REPORT_FONT_UNAVAILABLE' });
  });

  it('still render a Latin-only report with Helvetica', async () => {
    const latin = model('Feedback report', 'Satisfaction – week', 'CSAT mean (1–5)');
    const pdf = await renderReport(latin, 'pdf', { env: {}, candidates: [] });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.toString('latin1')).toContain('/Helvetica');
  });
});
