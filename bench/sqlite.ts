/** A throw-away SQLite store on a temp file (WAL, as `npm start` uses), plus raw reads of what it persisted. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { openStore, type Store } from '../engine/store/index.js';
import { migrationSource } from '../migrations/index.js';

export interface BenchStore {
  store: Store;
  file: string;
  /** Length of the instances.snapshot JSON text as stored. */
  snapshotBytes(instanceId: string): number;
  /** Size of the database file plus its WAL. */
  diskBytes(): number;
  /** Size of the database file after its WAL was checkpointed into it (and truncated). */
  checkpointedBytes(): number;
  close(): Promise<void>;
}

/** Opens and migrates a fresh store in a temp directory; close() removes it. */
export async function tempStore(name: string): Promise<BenchStore> {
  const dir = mkdtempSync(join(tmpdir(), `svcflow-bench-${name}-`));
  const file = join(dir, 'bench.db');
  const store = await openStore({ migrations: migrationSource, url: `sqlite:${file}` });
  await store.migrate();
  const reader = new Database(file, { readonly: true });
  const lengthOf = reader.prepare('select length(snapshot) as bytes from instances where id = ?');
  return {
    store,
    file,
    snapshotBytes: (id) => (lengthOf.get(id) as { bytes: number } | undefined)?.bytes ?? 0,
    diskBytes: () => sizeOf(file) + sizeOf(`${file}-wal`),
    checkpointedBytes() {
      const writer = new Database(file);
      try {
        writer.pragma('wal_checkpoint(TRUNCATE)');
      } finally {
        writer.close();
      }
      return sizeOf(file) + sizeOf(`${file}-wal`);
    },
    async close() {
      reader.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Opens and migrates a fresh store in a new schema of a PostgreSQL database; close() drops the schema. */
export async function tempPgStore(url: string): Promise<BenchStore> {
  const schema = `svcflow_bench_${randomBytes(4).toString('hex')}`;
  const store = await openStore({ migrations: migrationSource, url, schema });
  await store.migrate();
  return {
    store,
    file: `${url} schema ${schema}`,
    snapshotBytes: () => 0,
    diskBytes: () => 0,
    checkpointedBytes: () => 0,
    async close() {
      await store.close();
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`drop schema if exists "${schema}" cascade`);
      await client.end();
    },
  };
}

/** Whether a PostgreSQL server answers at the url (the bench's PostgreSQL parts are skipped otherwise). */
export async function pgReachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

/** A temp directory for non-engine databases (bpmn-engine's state table); the remover deletes it. */
export function tempDir(name: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), `svcflow-bench-${name}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

// helpers

/** A file's size in bytes, 0 when it does not exist. */
export function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}
