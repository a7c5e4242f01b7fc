/** A throw-away SQLite store on a temp file (WAL, as `npm start` uses), plus raw reads of what it persisted. */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore, type Store } from '../engine/store/index.js';
import { migrationSource } from '../migrations/index.js';

export interface BenchStore {
  store: Store;
  file: string;
  /** Length of the instances.snapshot JSON text as stored. */
  snapshotBytes(instanceId: string): number;
  /** Size of the database file plus its WAL. */
  diskBytes(): number;
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
    async close() {
      reader.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A temp directory for non-engine databases (bpmn-engine's state table); the remover deletes it. */
export function tempDir(name: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), `svcflow-bench-${name}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

// helpers

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}
