/**
 * Named prepared statements for the hot statements of a step on PostgreSQL: node-pg parses a named
 * statement once per connection and afterwards only binds and executes it, so the server neither parses
 * nor plans it again. The name is derived from the text (one text, one name, on every connection), and
 * at most MAX_PREPARED texts are named per process, so each connection holds a bounded set however many
 * shapes of merged writes a workload produces; beyond that a statement simply runs unnamed.
 * `SVCFLOW_DB_PREPARED=off` names none (for a pooler in transaction mode that cannot keep them).
 */
import { createHash } from 'node:crypto';

export const MAX_PREPARED = 256;

const names = new Map<string, string>();
let enabled: boolean | undefined;

/** The name to prepare this statement text under, or undefined to run it unnamed. */
export function preparedName(sql: string): string | undefined {
  enabled ??= preparedStatements();
  if (!enabled) return undefined;
  if (names.has(sql)) return names.get(sql) || undefined;
  if (names.size >= MAX_PREPARED) return undefined;
  const name = `svcflow_${createHash('sha1').update(sql).digest('hex').slice(0, 24)}`;
  names.set(sql, name);
  return name;
}

/**
 * Runs a statement prepared under its name. A table whose columns changed since a connection prepared it
 * (another node migrated) makes PostgreSQL refuse the cached plan; the statement then runs unnamed, and
 * this process names that text no more.
 */
export async function withPrepared<T>(sql: string, run: (options: { name?: string }) => Promise<T>): Promise<T> {
  const name = preparedName(sql);
  if (!name) return run({});
  try {
    return await run({ name });
  } catch (error) {
    if (!isStalePlan(error)) throw error;
    names.set(sql, '');
    return run({});
  }
}

/** Whether hot statements are prepared: SVCFLOW_DB_PREPARED `on` (default) or `off`; anything else is refused. */
export function preparedStatements(env: NodeJS.ProcessEnv = process.env): boolean {
  const given = env.SVCFLOW_DB_PREPARED;
  if (given === undefined || given === '' || given === 'on') return true;
  if (given === 'off') return false;
  throw new Error(`SVCFLOW_DB_PREPARED must be 'on' or 'off'; got '${given}'`);
}

function isStalePlan(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return e?.code === '0A000' && /cached plan/.test(e.message ?? '');
}
