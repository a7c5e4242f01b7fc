/** What the CLI writes: problem lines, task tables, and the `--var name=value` reader. */
import type { Problem } from '../bpmn/index.js';
import type { TaskRow } from '../store/index.js';

/** Where a command writes; tests pass their own. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
}

/** A usage mistake: printed with the command's usage line, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** One line per problem: `FILE: elementId (type): message [CODE]`; document-level problems name only the file (and position). */
export function problemLine(file: string, problem: Problem): string {
  if (problem.elementId === null) {
    const where = problem.position ? `${file}:${problem.position.line}:${problem.position.column}` : file;
    return `${where}: ${problem.message} [${problem.code}]`;
  }
  const type = problem.elementType ? ` (${problem.elementType})` : '';
  return `${file}: ${problem.elementId}${type}: ${problem.message} [${problem.code}]`;
}

/** Reads repeated `--var name=value` options; a value is JSON when it parses as JSON, else a string. */
export function parseVars(entries: string[] | undefined): Record<string, unknown> {
  const variables: Record<string, unknown> = {};
  for (const entry of entries ?? []) {
    const eq = entry.indexOf('=');
    if (eq <= 0) throw new UsageError(`--var takes name=value, got '${entry}'`);
    variables[entry.slice(0, eq)] = jsonOrString(entry.slice(eq + 1));
  }
  return variables;
}

/** Open tasks as an aligned text table with full ids (so they can be pasted into `complete`). */
export function taskTable(tasks: TaskRow[]): string {
  if (tasks.length === 0) return 'no tasks\n';
  const header = ['ID', 'NAME', 'ELEMENT', 'ASSIGNEE', 'GROUPS', 'PRIORITY', 'DUE', 'INSTANCE'];
  const rows = tasks.map((t) => [
    t.id,
    t.name ?? '',
    t.elementId,
    t.assignee ?? '-',
    t.candidateGroups.join(',') || '-',
    String(t.priority),
    t.due ?? '-',
    t.instanceId,
  ]);
  return table([header, ...rows]);
}

// helpers

function jsonOrString(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, col) => Math.max(...rows.map((row) => row[col].length)));
  return (
    rows
      .map((row) =>
        row
          .map((cell, col) => cell.padEnd(widths[col]))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}
