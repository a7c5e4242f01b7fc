import type BetterSqlite3 from 'better-sqlite3';
import knexFactory, { type Knex } from 'knex';
import type { Store, StoreTx } from '../types.js';
import type { Db } from '../columns.js';
import {
  fastDefinitions,
  fastHistory,
  fastIncidents,
  fastInstances,
  fastJobs,
  fastSla,
  fastSubscriptions,
  fastTimers,
} from './repositories.js';
import { fastTasks } from './tasks.js';
import { READ_CONNECTION_METHODS, readerFor } from './read-worker.js';

/** What the SQLite store borrows from the generic one: its knex repositories and its migration. */
export interface SqliteStoreParts {
  repositories(db: Db): StoreTx;
  migrate(): Promise<void>;
}

type AnyRepository = Record<string, unknown>;
type Method = (...args: unknown[]) => Promise<unknown>;

// As long as knex's pool waits for its one connection before giving up.
const WAIT_MS = 60_000;

/**
 * A store on one held better-sqlite3 connection: transactions are plain BEGIN IMMEDIATE/COMMIT,
 * the hot statements are prepared by hand, and every call waits its turn for the connection.
 */
export function sqliteStore(knex: Knex, parts: SqliteStoreParts): Store {
  const session = new SqliteSession(knex);
  const tx = fastRepositories(session, parts.repositories(session.knex));
  const reader = readerFor(knex);
  return {
    dialect: 'sqlite',
    ...guarded(session, tx, reader && parts.repositories(reader.knex)),
    transaction: (fn) => session.transaction(() => fn(tx)),
    group: (fn) => session.transaction(() => fn((work) => session.savepoint(() => work(tx)), tx)),
    migrate: () =>
      session.exclusive(async () => {
        await session.release();
        await parts.migrate();
      }),
    ping: () => session.withConnection(async () => session.get('select 1', []) !== undefined).catch(() => false),
    close: () =>
      session.exclusive(async () => {
        await reader?.close();
        await session.release();
        await knex.destroy();
      }),
  };
}

/** Whether a knex pool speaks better-sqlite3, the driver the SQLite store needs. */
export function isBetterSqlite(knex: Knex): boolean {
  return (knex.client as { driverName?: string }).driverName === 'better-sqlite3';
}

/** The better-sqlite3 connection the session holds. */
export type SqliteConnection = BetterSqlite3.Database;

/** Values a prepared statement binds, in placeholder order. */
export type Params = unknown[];

/**
 * The single SQLite connection, taken out of knex's pool on first use and kept until released;
 * every use of it (prepared statements, knex-built queries, transactions) runs one at a time.
 */
export class SqliteSession {
  /** A knex handle whose queries run on the held connection, for the statements not written by hand. */
  readonly knex: Knex;
  #connection: SqliteConnection | undefined;
  // knex prepares every statement anew; preparing was the largest cost of a step, and the hand-written
  // statements are a small fixed set, so the session keeps them prepared while it holds the connection.
  readonly #statements = new Map<string, BetterSqlite3.Statement>();
  #tail: Promise<unknown> = Promise.resolve();
  #queued = 0;
  #dequeue = () => {
    this.#queued -= 1;
  };

  constructor(private readonly pool: Knex) {
    this.knex = knexOnHeldConnection(pool, () => this.connection);
  }

  /** The held connection; only valid inside exclusive work that opened it. */
  get connection(): SqliteConnection {
    if (!this.#connection) throw new Error('the SQLite connection is not open');
    return this.#connection;
  }

  /** Runs fn after all work queued before it has settled, and before any work queued after it;
   * like knex's pool, gives up after a minute of waiting. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const previous = this.#tail;
    const run = (this.#queued > 0 ? waitAtMost(previous, WAIT_MS) : previous).then(fn);
    this.#queued += 1;
    this.#tail = previous.then(() => run).then(this.#dequeue, this.#dequeue);
    return run;
  }

  /** Runs fn exclusively on the held connection, taking it from the pool first if need be. */
  withConnection<T>(fn: () => Promise<T>): Promise<T> {
    return this.exclusive(async () => {
      this.#connection ??= (await this.pool.client.acquireConnection()) as SqliteConnection;
      return fn();
    });
  }

  /** Runs fn in BEGIN IMMEDIATE … COMMIT, rolling back when it throws. */
  transaction<T>(fn: () => Promise<T>): Promise<T> {
    return this.withConnection(async () => {
      const connection = this.connection;
      this.statement('BEGIN IMMEDIATE').run();
      try {
        const result = await fn();
        this.statement('COMMIT').run();
        return result;
      } catch (error) {
        if (connection.inTransaction) this.statement('ROLLBACK').run();
        throw error;
      }
    });
  }

  /**
   * Inside a transaction: runs fn in a savepoint, undoing only its writes when it throws. A unit runs
   * after the one before it has settled; when SQLite itself ended the transaction (a full disk), the
   * error aborts the whole group.
   */
  async savepoint<T>(fn: () => Promise<T>): Promise<T> {
    const connection = this.connection;
    if (!connection.inTransaction) throw new Error('a savepoint needs an open transaction');
    this.statement('SAVEPOINT unit').run();
    try {
      const result = await fn();
      this.statement('RELEASE unit').run();
      return result;
    } catch (error) {
      if (!connection.inTransaction) throw new GroupAbortedError(error);
      this.statement('ROLLBACK TO unit').run();
      this.statement('RELEASE unit').run();
      throw error;
    }
  }

  /** Gives the held connection back to knex's pool (call inside exclusive work). */
  async release(): Promise<void> {
    const connection = this.#connection;
    this.#connection = undefined;
    this.#statements.clear();
    if (connection) await this.pool.client.releaseConnection(connection);
  }

  /**
   * Runs several writes as one unit, like a multi-row insert: outside a transaction in one of its own;
   * inside one the enclosing transaction (or group unit) is the unit, since a throw rolls it back whole.
   */
  atomically(count: number, fn: () => void): void {
    if (count > 1 && !this.connection.inTransaction) this.connection.transaction(fn)();
    else if (count >= 1) fn();
  }

  /** Every row a prepared statement returns. */
  all<T>(sql: string, params: Params): T[] {
    return this.statement(sql).all(params) as T[];
  }

  /** The first row a prepared statement returns, if any. */
  get<T>(sql: string, params: Params): T | undefined {
    return this.statement(sql).get(params) as T | undefined;
  }

  /** Runs a prepared writing statement and returns how many rows it changed. */
  run(sql: string, params: Params): number {
    return this.statement(sql).run(params).changes;
  }

  private statement(sql: string): BetterSqlite3.Statement {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = this.connection.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }
}

/** SQLite rolled the whole transaction back while a unit of a group ran; nothing of the group is kept. */
export class GroupAbortedError extends Error {
  constructor(readonly reason: unknown) {
    super(`the group's transaction ended: ${reason instanceof Error ? reason.message : String(reason)}`);
    this.name = 'GroupAbortedError';
  }
}

// helpers

/**
 * A knex whose queries run on the session's held connection: knex takes a client class of one's own
 * (its public `client` option), here the pool's own dialect asking the session instead of a pool.
 */
function knexOnHeldConnection(pool: Knex, connection: () => SqliteConnection): Knex {
  const Dialect = pool.client.constructor as typeof knexFactory.Client;
  class HeldConnectionClient extends Dialect {
    override async acquireConnection(): Promise<SqliteConnection> {
      return connection();
    }

    override async releaseConnection(): Promise<void> {}
  }
  const { connection: _settings, pool: _pool, ...config } = pool.client.config as Knex.Config;
  return knexFactory({ ...config, client: HeldConnectionClient });
}

function fastRepositories(session: SqliteSession, base: StoreTx): StoreTx {
  return {
    ...base,
    definitions: fastDefinitions(session, base.definitions),
    instances: fastInstances(session, base.instances),
    tasks: fastTasks(session, base.tasks),
    timers: fastTimers(session, base.timers),
    jobs: fastJobs(session, base.jobs),
    subscriptions: fastSubscriptions(session, base.subscriptions),
    incidents: fastIncidents(session, base.incidents),
    history: fastHistory(session, base.history),
    sla: fastSla(session, base.sla),
  };
}

/**
 * Outside a transaction each call takes the connection for itself, waiting for any transaction — except the
 * lists and reports, which run on the read connection when there is one (read-worker.ts) and wait for nothing.
 */
function guarded(session: SqliteSession, tx: StoreTx, onReader: StoreTx | null): StoreTx {
  const out: Record<string, AnyRepository> = {};
  const readers = (onReader ?? {}) as unknown as Record<string, AnyRepository>;
  for (const [name, repository] of Object.entries(tx as unknown as Record<string, AnyRepository>)) {
    out[name] = Object.fromEntries(
      Object.entries(repository).map(([method, fn]) => {
        if (typeof fn !== 'function') return [method, fn];
        const read = READ_CONNECTION_METHODS[name]?.includes(method) ? readers[name]?.[method] : undefined;
        if (typeof read === 'function') return [method, (read as Method).bind(readers[name])];
        return [method, guard(session, fn as Method, repository)];
      }),
    );
  }
  return out as unknown as StoreTx;
}

function guard(session: SqliteSession, fn: Method, self: AnyRepository): Method {
  return (...args: unknown[]) => session.withConnection(() => fn.apply(self, args));
}

function waitAtMost(previous: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new Error(
            `waited ${ms / 1000} s for the SQLite connection; is a store call made inside a transaction instead of on its tx?`,
          ),
        ),
      ms,
    );
    timer.unref();
    void previous.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
