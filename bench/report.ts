/** Renders benchmark results: aligned text tables for the terminal, markdown for bench/results/latest.md. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem, type as osType, release } from 'node:os';
import { dirname } from 'node:path';

export interface Table {
  title: string;
  head: string[];
  rows: Array<Array<string | number>>;
}

/** A target from the issue and whether this run met it. */
export interface Check {
  name: string;
  ok: boolean;
  figure: string;
}

export interface BenchResult {
  name: string;
  tables: Table[];
  checks: Check[];
  notes?: string[];
  json: Record<string, unknown>;
}

export interface Machine {
  date: string;
  cores: number;
  cpu: string;
  memoryGb: number;
  node: string;
  os: string;
  /** 1-minute load average when the run started: above the core count, other work shared the CPUs. */
  load: number;
}

/** Facts about the machine the figures come from. */
export function machineFacts(): Machine {
  const cpu = cpus();
  return {
    date: new Date().toISOString(),
    cores: cpu.length,
    cpu: cpu[0]?.model.trim() ?? 'unknown',
    memoryGb: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    os: `${osType()} ${release()}`,
    load: Math.round(loadavg()[0] * 100) / 100,
  };
}

/** A table as aligned plain text. */
export function textTable(table: Table): string {
  const cells = [table.head, ...table.rows].map((row) => row.map(String));
  const widths = table.head.map((_, c) => Math.max(...cells.map((row) => (row[c] ?? '').length)));
  const line = (row: string[]) =>
    row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [table.title, line(cells[0]), rule, ...cells.slice(1).map(line)].join('\n');
}

/** One benchmark's tables, notes and target checks as plain text. */
export function textResult(result: BenchResult): string {
  const checks = result.checks.map((c) => `${c.ok ? 'MET ' : 'MISS'}  ${c.name}: ${c.figure}`);
  const notes = (result.notes ?? []).map((n) => `note: ${n}`);
  return [`== ${result.name} ==`, ...result.tables.map(textTable), ...notes, ...checks].join('\n\n');
}

/** The whole run as commit-ready markdown. */
export function markdown(results: BenchResult[], machine: Machine, command: string): string {
  return [
    '# svcflow benchmark results',
    '',
    `Run on ${machine.date.slice(0, 10)} with \`${command}\`. Figures come from this machine only:`,
    `${machine.cores} cores (${machine.cpu}), ${machine.memoryGb} GB RAM, Node ${machine.node}, ${machine.os}.`,
    `Load average when the run started: ${machine.load}; other work may have shared the machine during the run.`,
    '',
    ...results.flatMap(markdownResult),
  ].join('\n');
}

/** Writes the markdown report, creating its folder. */
export function writeReport(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text.endsWith('\n') ? text : `${text}\n`);
}

// helpers

function markdownResult(result: BenchResult): string[] {
  const checks = result.checks.map((c) => `- ${c.ok ? '✅' : '❌'} ${c.name}: **${c.figure}**`);
  const notes = (result.notes ?? []).map((n) => `> ${n}`);
  return [
    `## ${result.name}`,
    '',
    ...result.tables.flatMap(markdownTable),
    ...(notes.length ? [...notes, ''] : []),
    ...checks,
    '',
  ];
}

function markdownTable(table: Table): string[] {
  const row = (cells: Array<string | number>) => `| ${cells.map((c) => String(c).replace(/\|/g, '\\|')).join(' | ')} |`;
  const align = table.head.map((_, c) => (c === 0 ? ':---' : '---:'));
  return [`**${table.title}**`, '', row(table.head), row(align), ...table.rows.map(row), ''];
}
