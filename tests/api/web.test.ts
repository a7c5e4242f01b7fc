/** The web app's routes: the app shell for each page, hashed assets, where `/` leads, and a missing build. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../engine/api/app.js';
import { WEB_PAGES } from '../../engine/api/routes/web.js';
import { Engine } from '../../engine/runtime/index.js';
import { openStore, type Store } from '../../engine/store/index.js';
import { TEST_PASSWORD_COST } from '../helpers/app.js';
import { migrationSource } from '../../migrations/index.js';

describe('api/web', () => {
  const open: Array<{ app: FastifyInstance; store: Store; dir: string }> = [];

  afterEach(async () => {
    for (const { app, store, dir } of open.splice(0)) {
      await app.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('serves the app shell for every page, uncached, and hashed assets for a year', async () => {
    const app = await webApp({ built: true });
    for (const page of WEB_PAGES) {
      const res = await app.inject({ url: page });
      expect([res.statusCode, res.headers['cache-control'], res.body]).toEqual([
        200,
        'no-cache',
        '<!doctype html><title>svcflow</title>',
      ]);
    }
    const asset = await app.inject({ url: '/assets/index-abc123.js' });
    expect([asset.statusCode, asset.headers['cache-control']]).toEqual([200, 'public, max-age=31536000, immutable']);
    expect((await app.inject({ url: '/assets/nothing.js' })).headers['content-type']).toContain(
      'application/problem+json',
    );
  });

  it('leads / to the page the app noted at sign-in (a cookie naming one of its pages), else to the tasklist', async () => {
    const app = await webApp({ built: true });
    const cases: Array<[Record<string, string>, string]> = [
      [{ cookie: 'svcflow-home=%2Fdesigner' }, '/designer'],
      [{ cookie: 'theme=dark; svcflow-home=%2Fsla' }, '/sla'],
      [{ cookie: 'svcflow-home=https%3A%2F%2Fevil.example' }, '/tasks'],
      [{ cookie: 'svcflow-home=%2Flogin' }, '/tasks'],
      [{}, '/tasks'],
    ];
    for (const [headers, location] of cases) {
      const res = await app.inject({ url: '/', headers });
      expect([res.statusCode, res.headers.location]).toEqual([302, location]);
    }
  });

  it('answers every page with a note to run the build when designer/dist is missing', async () => {
    const app = await webApp({ built: false });
    const res = await app.inject({ url: '/tasks' });
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('npm run build:web');
  });

  // helpers

  async function webApp({ built }: { built: boolean }): Promise<FastifyInstance> {
    const dir = mkdtempSync(join(tmpdir(), 'svcflow-web-'));
    if (built) {
      mkdirSync(join(dir, 'assets'));
      writeFileSync(join(dir, 'index.html'), '<!doctype html><title>svcflow</title>');
      writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'export {};');
    }
    const store = await openStore({ migrations: migrationSource, url: 'sqlite::memory:' });
    await store.migrate();
    const app = await buildApp({
      engine: new Engine({ store }),
      logger: false,
      webDir: dir,
      auth: { passwordCost: TEST_PASSWORD_COST },
    });
    open.push({ app, store, dir });
    return app;
  }
});
