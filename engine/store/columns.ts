import type { Knex } from 'knex';

/** The two SQL dialects the store speaks. */
export type Dialect = 'sqlite' | 'postgres';

/** A knex handle a repository runs on: the plain pool (auto-commit) or one transaction. */
export type Db = Knex | Knex.Transaction;

/** Normalises an ISO 8601 timestamp to UTC with milliseconds, the form stored and compared. */
export function isoIn(value: string): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new RangeError(`'${value}' is not an ISO 8601 timestamp`);
  return date.toISOString();
}

/** Like isoIn, keeping null. */
export function isoInOrNull(value: string | null | undefined): string | null {
  return value == null ? null : isoIn(value);
}

/** Reads a stored timestamp (Date from timestamptz, text from SQLite) as an ISO string with 'Z'. */
export function isoOut(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  return isoIn(String(value));
}

/** Like isoOut, keeping null. */
export function isoOutOrNull(value: unknown): string | null {
  return value == null ? null : isoOut(value);
}

/** Serialises a JSON column compactly. */
export function jsonIn(value: unknown): string {
  return JSON.stringify(value ?? null);
}

/** Parses a JSON text column. */
export function jsonOut<T>(text: unknown): T {
  return (text == null ? null : JSON.parse(String(text))) as T;
}

/** Reads a count or bigint column, which pg returns as a string. */
export function numberOut(value: unknown): number {
  return Number(value ?? 0);
}

/** How each field of a patch becomes column values. */
export type PatchMap<P> = { [K in keyof P]-?: (value: Exclude<P[K], undefined>) => Record<string, unknown> };

/** Maps the defined fields of a patch to column values; undefined fields are left out. */
export function patchColumns<P extends object>(patch: P, columns: PatchMap<P>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(patch) as Array<keyof P>) {
    const value = patch[key];
    if (value !== undefined && columns[key]) Object.assign(out, columns[key](value as Exclude<P[keyof P], undefined>));
  }
  return out;
}
