/**
 * Route-level authorisation, declared beside each route as `config: { auth: { roles: [...] } }` and
 * checked in one onRequest hook. A route without a rule is closed to everyone (deny by default),
 * except the public ones: health, OpenAPI docs, sign-in and the web app's pages and assets.
 * Admins pass every role check.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import type { Role } from '../runtime/index.js';
import type { Actor } from './actor.js';
import { ApiError } from './problem.js';
import { WEB_PAGES } from './routes/web.js';

/** Who may call a route: anyone, any authenticated caller, or holders of one of the roles. */
export type RouteAuth = 'public' | { roles: 'any' | Role[] };

/** One registered route and its rule, for tests that must cover every route. */
export interface RouteEntry {
  method: string;
  url: string;
  auth: RouteAuth | undefined;
  /** The input schemas, so tests can check each is strict. */
  schema: { params?: unknown; querystring?: unknown; body?: unknown };
}

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: RouteAuth;
    /** The body is a file whose bytes may hold NUL (stored in a binary column); the NUL guard skips it. */
    binaryBody?: boolean;
  }
  interface FastifyInstance {
    /** Every route registered after the access plugin, with its rule. */
    routeTable: RouteEntry[];
  }
}

/** Paths that are public without a rule of their own; `*` ends a prefix. */
export const PUBLIC_PATHS = [
  '/health',
  '/ready',
  '/docs',
  '/docs/*',
  '/api/auth/login',
  '/',
  '/assets/*',
  ...WEB_PAGES,
];

/** Records every route with its rule and enforces the rules; register before any route. */
export const accessPlugin = fp(
  async (app: FastifyInstance) => {
    app.decorate('routeTable', [] as RouteEntry[]);
    app.addHook('onRoute', (route) => {
      const auth = route.config?.auth ?? (isPublicPath(route.url ?? route.path) ? 'public' : undefined);
      route.config = { ...route.config, auth } as RouteOptions['config'];
      const { params, querystring, body } = (route.schema ?? {}) as RouteEntry['schema'];
      for (const method of [route.method].flat())
        app.routeTable.push({ method, url: route.url ?? route.path, auth, schema: { params, querystring, body } });
    });
    app.addHook('onRequest', enforce);
  },
  { name: 'svcflow-access', fastify: '5.x', dependencies: ['svcflow-actor'] },
);

/** Whether the actor holds one of the roles (admins hold them all). */
export function hasRole(actor: Actor | null, roles: readonly string[]): boolean {
  return !!actor && (actor.roles.includes('admin') || roles.some((role) => actor.roles.includes(role)));
}

// helpers

async function enforce(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const auth = request.is404 ? undefined : request.routeOptions.config.auth;
  if (auth === 'public') return;
  if (!request.actor) {
    reply.header(
      'www-authenticate',
      request.url.startsWith('/engine-rest') ? 'Basic realm="svcflow", charset="UTF-8"' : 'Bearer realm="svcflow"',
    );
    throw new ApiError(
      'UNAUTHENTICATED',
      request.authFailure ??
        'sign in first: send Authorization: Bearer <token> from POST /api/auth/login, or an API token',
    );
  }
  // An unknown route is answered 404 only to an authenticated caller.
  if (request.is404) return;
  const route = `${request.method} ${request.routeOptions.url}`;
  if (!auth) throw new ApiError('FORBIDDEN', `route ${route} declares no access rule, so it is closed to everyone`);
  if (auth.roles === 'any' || hasRole(request.actor, auth.roles)) return;
  throw new ApiError(
    'FORBIDDEN',
    `route ${route} needs one of the roles ${auth.roles.join(', ')}; '${request.actor.id}' has ${request.actor.roles.join(', ') || 'none'}`,
  );
}

function isPublicPath(url: string): boolean {
  return PUBLIC_PATHS.some((path) => (path.endsWith('*') ? url.startsWith(path.slice(0, -1)) : url === path));
}
