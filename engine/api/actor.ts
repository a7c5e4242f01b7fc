/**
 * The authentication seam: the one place that decides who is acting on a request. For now nobody
 * is identified; the later users/roles/JWT work replaces `resolveActor` and nothing else.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

/** The user behind a request, as the engine's `by` and later authorisation see them. */
export interface Actor {
  id: string;
  groups: string[];
  roles: string[];
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is acting, or null when the request is anonymous. */
    actor: Actor | null;
  }
}

/** Decorates every request with `request.actor`. */
export const actorPlugin = fp(async (app: FastifyInstance) => {
  app.decorateRequest('actor', null);
  app.addHook('onRequest', async (request) => {
    request.actor = await resolveActor(request);
  });
}, { name: 'svcflow-actor', fastify: '5.x' });

/** The id the engine records as `by` for this request's changes. */
export function actorId(request: FastifyRequest): string | null {
  return request.actor?.id ?? null;
}

// helpers

// Reads no credentials yet: authentication arrives with the users and roles work.
async function resolveActor(_request: FastifyRequest): Promise<Actor | null> {
  return null;
}
