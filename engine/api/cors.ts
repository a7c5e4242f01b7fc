/**
 * Cross-origin access for browser tools (Camunda Modeler's web flavour, a custom tasklist): off unless
 * origins are configured (`SVCFLOW_CORS_ORIGINS`, comma-separated, or `*`). Preflights are answered before
 * authentication and never allow credentials (cookies); callers send an Authorization header.
 */
import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';

/** Parses `SVCFLOW_CORS_ORIGINS`: `https://a.example, https://b.example` or `*`; empty → no CORS. */
export function corsOriginsFrom(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
}

/** Registers @fastify/cors for the given origins (nothing when there are none). */
export async function registerCors(app: FastifyInstance, origins: string[]): Promise<void> {
  if (origins.length === 0) return;
  await app.register(cors, {
    origin: origins.includes('*') ? '*' : origins,
    credentials: false,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Accept'],
    maxAge: 600,
  });
}
