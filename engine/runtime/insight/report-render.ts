/**
 * Renders a report model: XLSX through exceljs (one sheet per section, the summary first), PDF through
 * pdfkit (a table per section; Chinese needs a CJK font, found at SVCFLOW_PDF_FONT or the usual system
 * paths), and CSV (sections one after another, formula-looking cells quoted against spreadsheet injection).
 */
import { existsSync } from 'node:fs';
import ExcelJS from 'exceljs';
import PDFDocument from 'pdfkit';
import { ReportFontUnavailableError } from './insight-errors.js';
import { localDay } from './periods.js';
import type { Cell, ReportModel } from './reports.js';

export const REPORT_FORMATS = ['xlsx', 'pdf', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const REPORT_TYPES: Record<ReportFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
  csv: 'text/csv; charset=utf-8',
};

/** The file name a download or an attachment carries. */
export function reportFileName(model: ReportModel, format: ReportFormat, zone: string): string {
  return `${model.kind}${model.process ? `-${model.process}` : ''}-${localDay(model.from, zone)}.${format}`;
}

export async function renderReport(
  model: ReportModel,
  format: ReportFormat,
  fonts: PdfFontSearch = {},
): Promise<Buffer> {
  if (format === 'xlsx') return toXlsx(model);
  if (format === 'pdf') return toPdf(model, fonts);
  return Buffer.from(toCsv(model), 'utf8');
}

// helpers

async function toXlsx(model: ReportModel): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'svcflow';
  book.created = new Date(model.generatedAt);
  const used = new Set<string>();
  for (const section of model.sections) {
    const sheet = book.addWorksheet(sheetName(section.title, used));
    sheet.addRow([model.title]).font = { bold: true, size: 14 };
    sheet.addRow([model.periodLabel]);
    sheet.addRow([]);
    const head = sheet.addRow(section.columns);
    head.font = { bold: true };
    head.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEEF0F4' } };
    for (const row of section.rows) sheet.addRow(row.map((c) => (c === null ? '—' : c)));
    sheet.columns.forEach((column, i) => {
      const widest = Math.max(
        ...[section.columns[i] ?? '', ...section.rows.map((r) => String(r[i] ?? ''))].map(textWidth),
      );
      column.width = Math.min(60, Math.max(10, widest + 2));
    });
    sheet.getColumn(1).width = Math.max(sheet.getColumn(1).width ?? 10, Math.min(60, textWidth(model.title)));
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** Sheet names: at most 31 characters, none of []:*?/\, unique. */
function sheetName(title: string, used: Set<string>): string {
  const base = title.replace(/[[\]:*?/\\]/g, ' ').slice(0, 28) || 'Sheet';
  let name = base;
  for (let i = 2; used.has(name); i++) name = `${base} ${i}`;
  used.add(name);
  return name;
}

/** Characters as spreadsheet width: CJK characters count double. */
function textWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += /[\u2e80-\u9fff\uff00-\uffef]/.test(ch) ? 2 : 1;
  return width;
}

const CJK_FONTS = [
  '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc',
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf',
];

/** Where the PDF looks for a font: the environment (SVCFLOW_PDF_FONT) and the system paths tried in order. */
export interface PdfFontSearch {
  env?: NodeJS.ProcessEnv;
  candidates?: readonly string[];
}

/**
 * A font that has Chinese glyphs, or null (then only Helvetica's Latin text can be drawn). A configured
 * SVCFLOW_PDF_FONT that does not exist is refused rather than passed over.
 */
export function cjkFont(search: PdfFontSearch = {}): { path: string; family?: string } | null {
  const env = search.env ?? process.env;
  if (env.SVCFLOW_PDF_FONT) {
    if (!existsSync(env.SVCFLOW_PDF_FONT))
      throw new ReportFontUnavailableError(`SVCFLOW_PDF_FONT names '${env.SVCFLOW_PDF_FONT}', which does not exist`);
    return { path: env.SVCFLOW_PDF_FONT, family: env.SVCFLOW_PDF_FONT_FAMILY || undefined };
  }
  const path = (search.candidates ?? CJK_FONTS).find((p) => existsSync(p));
  if (!path) return null;
  return {
    path,
    family: path.includes('wqy-microhei')
      ? 'WenQuanYiMicroHei'
      : path.includes('NotoSansCJK')
        ? 'NotoSansCJKsc-Regular'
        : undefined,
  };
}

/** Characters Helvetica (WinAnsi) can draw: Latin-1 and the few typographic extras. */
const WIN_ANSI = /^[\n\r\t\u0020-\u007e\u00a0-\u00ff\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u20ac\u2122]*$/;

function modelText(model: ReportModel): string[] {
  return [
    model.title,
    model.periodLabel,
    ...model.sections.flatMap((s) => [
      s.title,
      ...s.columns,
      ...s.rows.flat().map((c) => (c === null ? '' : String(c))),
    ]),
  ];
}

function toPdf(model: ReportModel, fonts: PdfFontSearch): Promise<Buffer> {
  const font = cjkFont(fonts);
  if (!font) {
    const odd = modelText(model).find((text) => !WIN_ANSI.test(text));
    if (odd !== undefined)
      throw new ReportFontUnavailableError(
        `the report has text such as '${odd.slice(0, 40)}' and no CJK font is installed ` +
          '(install fonts-wqy-microhei or set SVCFLOW_PDF_FONT)',
      );
  }
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: 'A4',
      margin: 40,
      info: { Title: model.title, Author: 'svcflow', CreationDate: new Date(model.generatedAt) },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    if (font) {
      try {
        doc.registerFont('body', font.path, font.family);
        doc.font('body');
      } catch (err) {
        throw new ReportFontUnavailableError(
          `'${font.path}' is not a usable font${font.family ? ` with the face '${font.family}'` : ''} ` +
            `(${err instanceof Error ? err.message : String(err)}; a .ttc needs SVCFLOW_PDF_FONT_FAMILY)`,
        );
      }
    } else {
      doc.font('Helvetica');
    }
    const left = doc.page.margins.left;
    const width = doc.page.width - left - doc.page.margins.right;
    const bottom = doc.page.height - doc.page.margins.bottom;
    doc.fontSize(16).text(model.title, { width });
    doc
      .fontSize(10)
      .fillColor('#555')
      .text(model.periodLabel, { width })
      .text(`${new Date(model.generatedAt).toISOString().slice(0, 16).replace('T', ' ')} UTC`, { width })
      .fillColor('#000');
    for (const section of model.sections) {
      if (doc.y > bottom - 80) doc.addPage();
      doc.moveDown(0.8).fontSize(12).text(section.title, left, doc.y, { width });
      const widths = columnWidths(section.columns.length, width);
      const row = (cells: Cell[], bold: boolean) => {
        if (doc.y > bottom - 16) doc.addPage();
        const y = doc.y + 2;
        if (bold)
          doc
            .rect(left, y - 2, width, 15)
            .fill('#eef0f4')
            .fillColor('#000');
        let x = left;
        cells.forEach((cell, i) => {
          doc.fontSize(8.5).text(cell === null ? '—' : String(cell), x + 2, y, {
            width: widths[i] - 4,
            height: 12,
            lineBreak: false,
            ellipsis: true,
          });
          x += widths[i];
        });
        doc.x = left;
        doc.y = y + 14;
      };
      doc.moveDown(0.3);
      row(section.columns, true);
      if (section.rows.length === 0) row(['—'], false);
      for (const cells of section.rows) row(cells, false);
    }
    doc.end();
  });
}

/** The first column (labels) gets more room. */
function columnWidths(n: number, width: number): number[] {
  if (n <= 1) return [width];
  const first = Math.min(width * 0.4, Math.max(width / n, 150));
  const rest = (width - first) / (n - 1);
  return [first, ...Array.from({ length: n - 1 }, () => rest)];
}

function toCsv(model: ReportModel): string {
  const lines = [csvRow([model.title]), csvRow([model.periodLabel]), ''];
  for (const section of model.sections) {
    lines.push(csvRow([section.title]), csvRow(section.columns), ...section.rows.map((r) => csvRow(r)), '');
  }
  return `\ufeff${lines.join('\r\n')}`;
}

function csvRow(cells: Cell[]): string {
  return cells
    .map((c) => {
      let text = c === null ? '' : String(c);
      if (typeof c === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
      return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
    })
    .join(',');
}
