/**
 * The authentication seam: the one place that decides who is acting on a request. `authenticate`
 * (engine/api/credentials.ts) reads the Authorization header; without it every request is anonymous.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

/** The user (or API token) behind a request, as the engine's `by` and authorisation see them. */
export interface Actor {
  /** The username, or `token:<name>` for an API token. */
  id: string;
  displayName: string;
  groups: string[];
  roles: string[];
  kind: 'user' | 'token';
  /** Member of one of the engine's configured all-seeing groups (EngineConfig.identity.allSeeingGroups). */
  allSeeing?: boolean;
}

/** Who a request's credentials name, or why they name nobody (`failure`, shown in the 401). */
export interface Authentication {
  actor: Actor | null;
  failure?: string;
}

/** Resolves a request's credentials. */
export type Authenticate = (request: FastifyRequest) => Promise<Authentication>;

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is acting, or null when the request is anonymous. */
    actor: Actor | null;
    /** Why presented credentials were refused, or null. */
    authFailure: string | null;
  }
}

/** Decorates every request with `request.actor` (and `request.authFailure`). */
export const actorPlugin = fp<{ authenticate?: Authenticate }>(
  async (app: FastifyInstance, options) => {
    const authenticate = options.authenticate ?? anonymous;
    app.decorateRequest('actor', null);
    app.decorateRequest('authFailure', null);
    app.addHook('onRequest', async (request) => {
      const { actor, failure } = await authenticate(request);
      request.actor = actor;
      request.authFailure = failure ?? null;
    });
  },
  { name: 'svcflow-actor', fastify: '5.x' },
);

/** The id the engine records as `by` for this request's changes. */
export function actorId(request: FastifyRequest): string | null {
  return request.actor?.id ?? null;
}

// helpers

async function anonymous(): Promise<Authentication> {
  return { actor: null };
}
