import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../engine/cli/run.js';
import { Engine } from '../../engine/runtime/index.js';
import { openStore, type Store } from '../../engine/store/index.js';
import { migrationSource } from '../../migrations/index.js';
import * as b from '../helpers/bpmn-builder.js';

const oneTask = b.definitions('Process_keep', [b.start('S'), b.userTask('T'), b.end('E'), ...b.chain('S', 'T', 'E')]);

async function cli(env: NodeJS.ProcessEnv, ...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    out: (t) => {
      stdout += t;
    },
    err: (t) => {
      stderr += t;
    },
    env,
  });
  return { code, stdout, stderr };
}

describe('cli: svcflow backup', () => {
  let dir: string;
  let store: Store;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'svcflow-backup-'));
    store = await openStore({ migrations: migrationSource, url: `sqlite:${join(dir, 'live.db')}` });
    await store.migrate();
  });
  afterEach(async () => {
    await store.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('copies the running database under load: the restored copy holds every instance acknowledged before the backup', async () => {
    const engine = new Engine({ store });
    await engine.deploy(oneTask);
    const acknowledged: string[] = [];
    for (let i = 0; i < 30; i++) acknowledged.push((await engine.startInstance({ definitionKey: 'Process_keep' })).id);
    // more starts keep coming while the backup runs
    let running = true;
    const load = (async () => {
      while (running) acknowledged.push((await engine.startInstance({ definitionKey: 'Process_keep' })).id);
    })();
    const before = acknowledged.length;
    const result = await cli({ DATABASE_URL: `sqlite:${join(dir, 'live.db')}` }, 'backup', join(dir, 'copy.db'));
    running = false;
    await load;
    expect(result).toMatchObject({ code: 0, stdout: expect.stringContaining('copy.db') });
    const restored = await openStore({ migrations: migrationSource, url: `sqlite:${join(dir, 'copy.db')}` });
    try {
      await restored.migrate();
      const ids = new Set((await restored.instances.list({ limit: 500, offset: 0 })).items.map((i) => i.id));
      for (const id of acknowledged.slice(0, before)) expect(ids.has(id), id).toBe(true);
      expect((await restored.tasks.list({ status: 'open', limit: 1, offset: 0 })).total).toBe(ids.size);
    } finally {
      await restored.close();
    }
  });

  it('refuses to overwrite a file, and tells PostgreSQL users to use pg_dump', async () => {
    const env = { DATABASE_URL: `sqlite:${join(dir, 'live.db')}` };
    expect((await cli(env, 'backup', join(dir, 'copy.db'))).code).toBe(0);
    expect((await cli(env, 'backup', join(dir, 'copy.db'))).code).toBe(1);
    expect(await cli({ DATABASE_URL: 'postgres://x@127.0.0.1/none' }, 'backup', join(dir, 'pg.db'))).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('pg_dump'),
    });
  });
});
