/**
 * A PostgreSQL transaction that costs as few round trips as its work allows. The hot writes of a step
 * (`pg-step-writes.ts`) are held and sent together as one statement; reads made before any write run on
 * the pool (under READ COMMITTED a read inside a transaction that has written nothing sees what a read
 * outside it sees); anything else — another write, or a read after a held write — opens a real
 * transaction first, sends the held writes into it, and runs there. A start (writes only) is then one
 * statement in autocommit, all or nothing by itself; a task completion is its reads and one statement.
 */
import type { Knex } from 'knex';
import type { StoreTx } from './types.js';
import {
  caseIndex,
  clashes,
  failedWrite,
  historyAppend,
  instanceInsert,
  instanceSave,
  MAX_DEFERRED_ROWS,
  mergedStatement,
  type StepWrite,
  taskComplete,
  taskInsert,
} from './pg-step-writes.js';
import { withPrepared } from './prepared.js';

type Repositories = (db: Knex | Knex.Transaction) => StoreTx;
type Method = (...args: never[]) => Promise<unknown>;

/** Reads that may run on the pool while nothing is held; every other method opens the transaction. */
const POOL_READS: Partial<Record<keyof StoreTx, string[]>> = {
  instances: ['get'],
  tasks: ['get', 'statusOf'],
  definitions: ['get', 'latestByKey'],
};

/** Runs fn on repositories whose hot writes are held and sent as one statement (see the module comment). */
export async function lazyTransaction<T>(
  knex: Knex,
  repositories: Repositories,
  fn: (tx: StoreTx) => Promise<T>,
  pool: StoreTx = repositories(knex),
): Promise<T> {
  const step = new LazyStep(knex, repositories, pool);
  let result: T;
  try {
    result = await fn(step.tx);
    await step.finish();
  } catch (error) {
    throw await step.abandon(error);
  }
  return result;
}

class LazyStep {
  readonly tx: StoreTx;
  private held: StepWrite[] = [];
  private trx: Knex.Transaction | null = null;
  private opening: Promise<Knex.Transaction> | null = null;
  private sending: Promise<void> = Promise.resolve();

  constructor(
    private readonly knex: Knex,
    private readonly repositories: Repositories,
    private readonly pool: StoreTx,
  ) {
    this.tx = this.wrap();
  }

  /** Sends what is held: in the transaction when one is open, else as one statement in autocommit. */
  async finish(): Promise<void> {
    if (this.trx || this.opening) {
      const trx = await this.open();
      await this.flush(trx);
      await trx.commit();
      return;
    }
    const writes = this.held.splice(0);
    if (writes.length > 0) await send(this.knex, writes);
  }

  /** Undoes what was sent, drops what is held, and says which error the step failed with. */
  async abandon(error: unknown): Promise<unknown> {
    const unsent = this.held.splice(0);
    if (this.trx || this.opening) {
      const trx = await this.open().catch(() => null);
      if (trx && !trx.isCompleted()) await trx.rollback().catch(() => undefined);
    }
    // a held write that would have failed had it run when it was made decides the error, as it did then
    for (const write of unsent) {
      const refused = await write.probe?.(this.knex).catch(() => null);
      if (refused) return refused;
    }
    return error;
  }

  // a step touches a few of the repositories: each is wrapped when first used
  private wrap(): StoreTx {
    const tx = {} as Record<string, unknown>;
    for (const name of Object.keys(this.pool) as Array<keyof StoreTx>) {
      let wrapped: Record<string, Method> | undefined;
      Object.defineProperty(tx, name, { enumerable: true, get: () => (wrapped ??= this.repository(name)) });
    }
    return tx as unknown as StoreTx;
  }

  private repository(name: keyof StoreTx): Record<string, Method> {
    const onPool = this.pool[name] as unknown as Record<string, Method>;
    const wrapped: Record<string, Method> = {};
    for (const method of Object.keys(onPool)) {
      if (typeof onPool[method] !== 'function') continue;
      wrapped[method] = (async (...args: never[]) => {
        const write = this.deferred(name, method, args);
        if (write) return this.hold(write.write, write.answer);
        if (this.held.length === 0 && !this.trx && !this.opening && POOL_READS[name]?.includes(method))
          return onPool[method](...args);
        const trx = await this.open();
        await this.flush(trx);
        const repo = this.repositories(trx)[name] as unknown as Record<string, Method>;
        return repo[method](...args);
      }) as Method;
    }
    return wrapped;
  }

  /** The held form of a hot write, with what the method answers; null for any other call. */
  private deferred(name: keyof StoreTx, method: string, args: unknown[]): { write: StepWrite; answer: unknown } | null {
    const k = this.knex;
    const a = args as never[];
    if (name === 'instances' && method === 'insert') return { write: instanceInsert(k, a[0]), answer: undefined };
    if (name === 'instances' && method === 'save') {
      const history = (a[2] ?? []) as unknown[];
      if (history.length > MAX_DEFERRED_ROWS) return null;
      return { write: instanceSave(k, a[0], a[1], a[2] ?? []), answer: undefined };
    }
    if (name === 'history' && method === 'append') {
      const rows = a[0] as unknown[];
      if (rows.length === 0) return { write: { parts: [], tables: [] }, answer: undefined };
      if (rows.length > MAX_DEFERRED_ROWS) return null;
      return { write: historyAppend(k, a[0]), answer: undefined };
    }
    if (name === 'tasks' && method === 'insert') return { write: taskInsert(k, a[0]), answer: undefined };
    if (name === 'tasks' && method === 'complete') return { write: taskComplete(k, a[0], a[1], a[2]), answer: true };
    if (name === 'cases' && method === 'index') {
      if ((a[2] as unknown[]).length > MAX_DEFERRED_ROWS) return null;
      return { write: caseIndex(a[0], a[1], a[2], a[3]), answer: undefined };
    }
    return null;
  }

  /** Holds a write; one on a table a held write touches first sends those (CTEs of one statement see one snapshot). */
  private async hold(write: StepWrite, answer: unknown): Promise<unknown> {
    if (write.parts.length === 0) return answer;
    const clash = this.held.some((h) => clashes(h, write));
    if (clash) await this.flush(await this.open());
    this.held.push(write);
    return answer;
  }

  private open(): Promise<Knex.Transaction> {
    this.opening ??= this.knex.transaction().then((trx) => {
      this.trx = trx;
      return trx;
    });
    return this.opening;
  }

  private flush(trx: Knex.Transaction): Promise<void> {
    const writes = this.held.splice(0);
    if (writes.length > 0) this.sending = this.sending.then(() => send(trx, writes));
    return this.sending;
  }
}

/** Runs the writes as one statement; a failed required part becomes its write's error. */
async function send(db: Knex | Knex.Transaction, writes: StepWrite[]): Promise<void> {
  const { sql, bindings } = mergedStatement(writes);
  try {
    await withPrepared(sql, (options) => db.raw(sql, bindings as Knex.RawBinding[]).options(options));
  } catch (error) {
    const failed = failedWrite(writes, error);
    throw failed?.required ? failed.required.failure() : error;
  }
}
