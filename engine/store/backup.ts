/**
 * Online backups of a SQLite database: `VACUUM INTO` on a connection of its own writes a consistent copy
 * of the last committed state while the server keeps running (WAL readers do not block writers), so it
 * loses nothing acknowledged. Copying the .db file of a running server instead can give a torn or stale
 * copy (the WAL holds recent commits), so never do that. PostgreSQL is backed up with its own tools.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

/** What `svcflow backup` tells a PostgreSQL operator. */
export const POSTGRES_BACKUP_ADVICE =
  'svcflow backup copies SQLite databases only. For PostgreSQL use its own tools: ' +
  '`pg_dump --format=custom --file=svcflow.dump "$DATABASE_URL"` for a consistent logical backup while running ' +
  '(restore with `pg_restore --clean --dbname="$DATABASE_URL" svcflow.dump`), or continuous WAL archiving with a base ' +
  'backup (pg_basebackup) for point-in-time recovery.';

interface BackupConnection {
  prepare(sql: string): { run(...params: unknown[]): unknown };
  close(): void;
}
type BackupDriver = new (
  file: string,
  options: { readonly?: boolean; fileMustExist?: boolean; timeout?: number },
) => BackupConnection;

/** Writes a consistent copy of the SQLite database at `url` to `file` (which must not exist). */
export function backupSqlite(url: string, file: string): { source: string; target: string } {
  if (!url.startsWith('sqlite:') || url === 'sqlite::memory:')
    throw new Error('backupSqlite needs a sqlite:<path> database url');
  const source = resolve(url.slice('sqlite:'.length).replace(/^\/\/(?=\/|\.)/, ''));
  const target = resolve(file);
  if (!existsSync(source)) throw new Error(`there is no database at ${source}`);
  if (existsSync(target)) throw new Error(`${target} exists already; back up into a new file`);
  const Database = createRequire(import.meta.url)('better-sqlite3') as BackupDriver;
  const db = new Database(source, { fileMustExist: true, timeout: 5000 });
  try {
    db.prepare('VACUUM INTO ?').run(target);
  } finally {
    db.close();
  }
  return { source, target };
}
