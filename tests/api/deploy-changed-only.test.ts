/**
 * Issue 14, "Operations": the shipped process files deploy at start only when their content differs from what
 * was last deployed from that file, so an owner's later deployment survives a restart (one SQLite file, two starts).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServer } from '../../engine/api/server.js';
import { reviewProcess } from './models.js';

describe('api/server deploy-changed-only across restarts', () => {
  let dir: string;
  const demo = process.env.SVCFLOW_DEMO;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'svcflow-changed-only-'));
    // no demo users: the three starts hash one admin password instead of every demo user's
    process.env.SVCFLOW_DEMO = '0';
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    if (demo === undefined) delete process.env.SVCFLOW_DEMO;
    else process.env.SVCFLOW_DEMO = demo;
  });

  async function start() {
    return startServer({
      databaseUrl: `sqlite:${join(dir, 'svcflow.db')}`,
      port: 0,
      processesDir: join(dir, 'processes'),
      logger: false,
      handleSignals: false,
      print: () => {},
    });
  }
  async function latest(server: Awaited<ReturnType<typeof start>>) {
    const found = await server.store.definitions.latestByKey('Process_review');
    return { id: found?.id, name: found?.name, by: found?.deployedBy };
  }

  it("keeps an owner's deployment across a restart and deploys the file again once it changes", {
    timeout: 60_000,
  }, async () => {
    const processes = join(dir, 'processes');
    mkdirSync(processes);
    writeFileSync(join(processes, 'review.bpmn'), reviewProcess('Shipped'));
    let server = await start();
    try {
      expect(await latest(server)).toEqual({ id: 'Process_review:1', name: 'Shipped', by: null });
      await server.engine.deploy([{ name: 'review.bpmn', xml: reviewProcess('Edited by the owner') }], 'owner1');
    } finally {
      await server.close();
    }

    server = await start();
    try {
      expect(await latest(server)).toEqual({ id: 'Process_review:2', name: 'Edited by the owner', by: 'owner1' });
    } finally {
      await server.close();
    }

    writeFileSync(join(processes, 'review.bpmn'), reviewProcess('Shipped, revised'));
    server = await start();
    try {
      expect(await latest(server)).toEqual({ id: 'Process_review:3', name: 'Shipped, revised', by: null });
    } finally {
      await server.close();
    }
  });
});
