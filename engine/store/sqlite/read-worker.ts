/**
 * Read-only queries of a file SQLite database on a second connection in a worker thread. better-sqlite3 runs
 * every statement synchronously on the calling thread, so one slow list or KPI query on the step connection
 * stalls the whole node: timers, SLA checks, `/health`. WAL lets a second connection read the last committed
 * state while the step connection writes, so the lists and reports run there, off the event loop, and the
 * step loop never waits for them (nor they for a step). Every statement a step reads stays on the step
 * connection, inside its transaction.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import knexFactory, { type Knex } from 'knex';

/** What the worker answers for one statement. */
type Answer = { id: number; rows: unknown[] } | { id: number; error: { message: string; code?: string } };

// Plain JavaScript, so the worker needs no TypeScript loader; a writing statement is refused there too,
// besides the connection being read-only.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.filename, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
const statements = new Map();
parentPort.on('message', ({ id, sql, bindings }) => {
  try {
    let statement = statements.get(sql);
    if (statement === undefined) {
      statement = db.prepare(sql);
      if (statements.size > 500) statements.clear();
      statements.set(sql, statement);
    }
    if (!statement.reader) throw new Error('the read connection runs queries only: ' + sql.slice(0, 80));
    parentPort.postMessage({ id, rows: statement.all(bindings) });
  } catch (error) {
    parentPort.postMessage({ id, error: { message: error.message, code: error.code } });
  }
});
`;

/** The worker thread holding the read connection, started on the first read. */
export class SqliteReader {
  readonly knex: Knex;
  #worker: Worker | null = null;
  #next = 0;
  readonly #pending = new Map<number, { resolve(rows: unknown[]): void; reject(error: Error): void }>();

  constructor(
    pool: Knex,
    private readonly filename: string,
  ) {
    this.knex = knexOnReader(pool, this);
  }

  /** Every row of a read-only statement, read on the worker's connection. */
  all(sql: string, bindings: unknown[]): Promise<unknown[]> {
    const worker = this.worker();
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      // an idle reader keeps no process alive; a statement in flight does
      if (this.#pending.size === 1) worker.ref();
      worker.postMessage({ id, sql, bindings });
    });
  }

  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = null;
    if (worker) await worker.terminate();
  }

  private worker(): Worker {
    if (this.#worker) return this.#worker;
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, filename: this.filename } });
    worker.unref();
    worker.on('message', (answer: Answer) => this.settle(answer));
    worker.on('error', (error) => this.failAll(error));
    worker.on('exit', () => {
      if (this.#worker === worker) this.#worker = null;
      this.failAll(new Error('the SQLite read worker stopped'));
    });
    this.#worker = worker;
    return worker;
  }

  private settle(answer: Answer): void {
    const waiting = this.#pending.get(answer.id);
    if (!waiting) return;
    this.#pending.delete(answer.id);
    if (this.#pending.size === 0) this.#worker?.unref();
    if ('rows' in answer) waiting.resolve(answer.rows.map(withBuffers));
    else waiting.reject(Object.assign(new Error(answer.error.message), { code: answer.error.code }));
  }

  private failAll(error: Error): void {
    for (const waiting of this.#pending.values()) waiting.reject(error);
    this.#pending.clear();
  }
}

/** A reader for a file database; none for an in-memory one (private to its connection) or when switched off. */
export function readerFor(pool: Knex, env: NodeJS.ProcessEnv = process.env): SqliteReader | null {
  const filename = (pool.client.config as { connection?: { filename?: string } }).connection?.filename;
  if (!filename || filename === ':memory:' || env.SVCFLOW_SQLITE_READER === 'off') return null;
  return new SqliteReader(pool, filename);
}

/**
 * The repository methods that only read and serve lists, searches and reports: outside a step they run on
 * the read connection. Everything else (a step's reads, claims, locks, writes) stays on the step connection.
 */
export const READ_CONNECTION_METHODS: Record<string, readonly string[]> = {
  instances: ['list'],
  tasks: ['list'],
  incidents: ['list'],
  jobs: ['list'],
  definitions: ['list'],
  decisions: ['list'],
  deployments: ['list'],
  deliveries: ['list'],
  notifications: ['list'],
  sla: ['list', 'report'],
  cases: ['search'],
  statistics: ['runningByDefinition', 'failedJobsByDefinition', 'incidentsByDefinition', 'activities', 'runningIds'],
  insight: [
    'caseAggregates',
    'caseSamples',
    'slaAggregates',
    'backlog',
    'startedCounts',
    'improvementAggregates',
    'rollupRows',
    'monthlyRows',
    'listImprovements',
    'listKris',
    'readings',
    'volumes',
  ],
};

// helpers

/** Rows cross the thread boundary by structured clone, which turns a Buffer into a plain Uint8Array. */
function withBuffers(row: unknown): unknown {
  if (!row || typeof row !== 'object') return row;
  const out = row as Record<string, unknown>;
  for (const [key, value] of Object.entries(out))
    if (value instanceof Uint8Array && !Buffer.isBuffer(value))
      out[key] = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return out;
}

/** A knex of the pool's dialect whose queries the reader runs: knex takes a client class of one's own. */
function knexOnReader(pool: Knex, reader: SqliteReader): Knex {
  const Dialect = pool.client.constructor as typeof knexFactory.Client;
  class ReaderClient extends Dialect {
    override async acquireConnection(): Promise<object> {
      return reader;
    }

    override async releaseConnection(): Promise<void> {}

    async _query(_connection: unknown, obj: { sql: string; bindings?: unknown[]; response?: unknown }) {
      const format = (this as unknown as { _formatBindings(b?: unknown[]): unknown[] })._formatBindings;
      obj.response = await reader.all(obj.sql, format.call(this, obj.bindings));
      return obj;
    }
  }
  const { connection: _settings, pool: _pool, ...config } = pool.client.config as Knex.Config;
  return knexFactory({ ...config, client: ReaderClient });
}
