import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import knexFactory, { type Knex } from 'knex';
import type { Dialect } from './columns.js';

/** Where the store connects and how it reports. */
export interface ConnectionOptions {
  /** `sqlite:./data/svcflow.db` (default), `sqlite:/abs/path.db`, `sqlite::memory:`, `postgres://…`. */
  url?: string;
  /** PostgreSQL only: the schema to work in (knex searchPath); created by migrate(). */
  schema?: string;
  /** PostgreSQL only: the time limit of statements, replies and connection waits (default SVCFLOW_DB_TIMEOUT_MS or 10 s). */
  timeoutMs?: number;
  /** PostgreSQL only: the most connections the pool opens (default SVCFLOW_DB_POOL_MAX or 10). */
  poolMax?: number;
  logger?: { debug(...args: unknown[]): void };
}

/** A knex instance for a store url, with the dialect it speaks. */
export interface Connection {
  knex: Knex;
  dialect: Dialect;
}

type SqliteDriver = 'better-sqlite3' | 'sqlite3';
type Conn = { pragma?(sql: string): unknown; exec?(sql: string, cb: (err: Error | null) => void): unknown };

const DEFAULT_URL = 'sqlite:./data/svcflow.db';
const SQLITE_DRIVERS: SqliteDriver[] = ['better-sqlite3', 'sqlite3'];

/** Opens a knex pool for the url: SQLite with one connection and WAL, or PostgreSQL with up to SVCFLOW_DB_POOL_MAX (10). */
export function connect(options: ConnectionOptions = {}): Connection {
  const url = options.url ?? DEFAULT_URL;
  const log = knexLog(options.logger);
  if (url.startsWith('sqlite:')) return { knex: knexFactory(sqliteConfig(sqliteFile(url), log)), dialect: 'sqlite' };
  if (/^postgres(ql)?:\/\//.test(url))
    return {
      knex: knexFactory(
        postgresConfig(url, options.schema, log, options.timeoutMs ?? dbTimeoutMs(), options.poolMax ?? poolMax()),
      ),
      dialect: 'postgres',
    };
  throw new Error(`unsupported database url '${redact(url)}'; use sqlite:<path>, sqlite::memory: or postgres://…`);
}

/** The SQLite driver SVCFLOW_SQLITE_DRIVER selects (default better-sqlite3); throws when it is not installed. */
export function sqliteDriver(env: NodeJS.ProcessEnv = process.env): SqliteDriver {
  const name = env.SVCFLOW_SQLITE_DRIVER || 'better-sqlite3';
  if (!SQLITE_DRIVERS.includes(name as SqliteDriver)) {
    throw new Error(`SVCFLOW_SQLITE_DRIVER must be one of ${SQLITE_DRIVERS.join(', ')}; got '${name}'`);
  }
  if (!isInstalled(name)) {
    throw new Error(
      `SVCFLOW_SQLITE_DRIVER=${name} selects the '${name}' package, which is not installed; run \`npm install ${name}\` or unset SVCFLOW_SQLITE_DRIVER`,
    );
  }
  return name as SqliteDriver;
}

// helpers

function sqliteFile(url: string): string {
  const path = url.slice('sqlite:'.length).replace(/^\/\/(?=\/|\.)/, '');
  if (path === ':memory:') return path;
  if (path === '') throw new Error(`database url '${url}' names no file; use e.g. sqlite:./data/svcflow.db`);
  const file = resolve(process.cwd(), path);
  mkdirSync(dirname(file), { recursive: true });
  return file;
}

// One connection: SQLite has one writer, and ':memory:' is private to its connection.
function sqliteConfig(filename: string, log: Knex.Logger): Knex.Config {
  const driver = sqliteDriver();
  const pragmas = ['busy_timeout = 5000', 'synchronous = NORMAL', 'foreign_keys = ON'];
  if (filename !== ':memory:') pragmas.unshift('journal_mode = WAL');
  return {
    client: driver,
    connection: { filename },
    useNullAsDefault: true,
    log,
    pool: {
      min: 1,
      max: 1,
      afterCreate: (conn: Conn, done: (err: Error | null, conn: Conn) => void) => applyPragmas(conn, pragmas, done),
    },
  };
}

function applyPragmas(conn: Conn, pragmas: string[], done: (err: Error | null, conn: Conn) => void): void {
  if (conn.pragma) {
    try {
      for (const pragma of pragmas) conn.pragma(pragma);
      done(null, conn);
    } catch (error) {
      done(error as Error, conn);
    }
    return;
  }
  conn.exec?.(pragmas.map((p) => `PRAGMA ${p};`).join(' '), (err) => done(err, conn));
}

/**
 * Database time limits: a statement the server runs longer than this is cancelled (statement_timeout),
 * a reply that does not come (a frozen server) fails the query on our side a second later, and waiting
 * for a pooled connection or a new one is bounded too, so a request fails (503) instead of hanging.
 */
export function dbTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const given = env.SVCFLOW_DB_TIMEOUT_MS;
  if (given === undefined || given === '') return 10_000;
  const n = Number(given);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`SVCFLOW_DB_TIMEOUT_MS must be a positive integer (milliseconds); got '${given}'`);
  return n;
}

/** The PostgreSQL pool's size from SVCFLOW_DB_POOL_MAX (default 10); anything but a positive integer is refused. */
export function poolMax(env: NodeJS.ProcessEnv = process.env): number {
  const given = env.SVCFLOW_DB_POOL_MAX;
  if (given === undefined || given === '') return 10;
  const n = Number(given);
  if (!Number.isInteger(n) || n < 1) throw new Error(`SVCFLOW_DB_POOL_MAX must be a positive integer; got '${given}'`);
  return n;
}

function postgresConfig(
  url: string,
  schema: string | undefined,
  log: Knex.Logger,
  timeoutMs: number,
  max: number,
): Knex.Config {
  return {
    client: 'pg',
    log,
    searchPath: schema ? [schema] : undefined,
    connection: {
      connectionString: url,
      statement_timeout: timeoutMs,
      query_timeout: timeoutMs + 1000,
      connectionTimeoutMillis: timeoutMs,
    },
    acquireConnectionTimeout: timeoutMs,
    pool: { min: 0, max },
  };
}

// knex would otherwise print its warnings to the console.
function knexLog(logger: ConnectionOptions['logger']): Knex.Logger {
  const debug = (message: unknown) => logger?.debug(message);
  return {
    debug,
    warn: debug,
    error: debug,
    deprecate: (method: string, alternative: string) => debug(`${method} is deprecated; use ${alternative}`),
  };
}

function isInstalled(name: string): boolean {
  try {
    createRequire(import.meta.url).resolve(name);
    return true;
  } catch {
    return false;
  }
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
