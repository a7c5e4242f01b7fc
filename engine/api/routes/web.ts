/**
 * Serves the web app (designer, tasklist, SLA dashboard) from the vite build in designer/dist:
 * hashed assets under /assets, the app shell for each page, and `/` leading each user to theirs.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';

/** The pages of the single-page app; each answers with the same shell, the client router does the rest. */
export const WEB_PAGES = [
  '/designer',
  '/decisions',
  '/tasks',
  '/cases',
  '/cases/:businessKey',
  '/sla',
  '/risks',
  '/emergency-plans',
  '/performance',
  '/calendars',
  '/incidents',
  '/inbox',
  '/admin',
  '/login',
];

// the checkout's designer/dist, found from here both in engine/ (tests) and in the compiled dist/engine/
const DEFAULT_DIST = join(packageRoot(fileURLToPath(import.meta.url)), 'designer', 'dist');
const HOME_COOKIE = 'svcflow-home';

/** Web routes; `distDir` overrides where the build is read from. */
export const webRoutes: FastifyPluginAsync<{ distDir?: string }> = async (app, options) => {
  const dist = options.distDir ?? DEFAULT_DIST;
  app.get('/', { schema: { hide: true } }, async (request, reply) => reply.redirect(homeOf(request)));
  if (!existsSync(join(dist, 'index.html'))) {
    app.log.warn({ dist }, 'the web app is not built; run `npm run build:web` (npm start does it when needed)');
    for (const page of WEB_PAGES)
      app.get(page, { schema: { hide: true } }, async (_request, reply) =>
        reply.code(503).type('text/html').send(NOT_BUILT),
      );
    // the same routes as a built app, so the route table (and its access rules) does not depend on the build
    app.get('/assets/*', { schema: { hide: true } }, async (_request, reply) =>
      reply.code(503).type('text/plain').send('the web app is not built'),
    );
    return;
  }
  // Hashed file names never change content, so browsers may keep them for a year.
  await app.register(fastifyStatic, {
    root: join(dist, 'assets'),
    prefix: '/assets/',
    immutable: true,
    maxAge: '365d',
    index: false,
  });
  for (const page of WEB_PAGES) {
    app.get(page, { schema: { hide: true } }, async (_request, reply) =>
      reply.header('cache-control', 'no-cache').sendFile('index.html', dist, { cacheControl: false }),
    );
  }
};

// helpers

/**
 * The page `/` leads to. A browser's page request carries no bearer token (the app keeps it in
 * localStorage), so the user's role arrives as the home page the app put in a cookie at sign-in;
 * it only picks a page and grants nothing. Without it, the tasklist.
 */
function homeOf(request: FastifyRequest): string {
  const hint = readCookie(request.headers.cookie, HOME_COOKIE);
  return hint && WEB_PAGES.includes(hint) && hint !== '/login' ? hint : '/tasks';
}

function readCookie(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) {
      try {
        return decodeURIComponent(value.join('='));
      } catch {
        return null;
      }
    }
  }
  return null;
}

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>svcflow: web app not built</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; padding: 0 1rem">
<h1>The svcflow web app is not built</h1>
<p>Run <code>npm run build:web</code> and restart the server (<code>npm start</code> builds it when it is missing).
The API is available under <a href="/docs">/docs</a>.</p>
</body></html>
`;

/** The nearest folder above `file` holding a package.json: the checkout. */
function packageRoot(file: string): string {
  const parent = dirname(file);
  if (existsSync(join(parent, 'package.json')) || parent === file) return parent;
  return packageRoot(parent);
}
