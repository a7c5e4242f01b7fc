/** The Idempotency-Key header on a route: the engine keeps the first answer (engine/runtime/step/idempotency.ts). */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { runIdempotent, type Engine, type IdempotentAnswer, type IdempotentFinish } from '../runtime/index.js';
import { ApiError } from './problem.js';

const KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * Sends the route's answer, run once per Idempotency-Key (without the header, every request runs). `run` gets
 * the function that stores the answer inside its work's transaction (undefined without the header).
 */
export async function sendIdempotent(
  engine: Engine,
  request: FastifyRequest,
  reply: FastifyReply,
  run: (finish?: IdempotentFinish) => Promise<IdempotentAnswer>,
): Promise<FastifyReply> {
  const header = request.headers['idempotency-key'];
  if (header === undefined) return send(reply, await run());
  const key = Array.isArray(header) ? header[0] : header;
  if (!KEY.test(key)) throw new ApiError('BAD_REQUEST', 'Idempotency-Key must be 1 to 255 visible ASCII characters');
  const scope = `${request.method} ${request.routeOptions.url}`;
  const owner = request.actor?.id ?? '';
  const answer = await runIdempotent(
    engine.store,
    engine.clock,
    { scope, owner, key, request: { params: request.params, body: request.body ?? null } },
    run,
    engine.idempotencyLeaseMs,
  );
  if (answer.replayed) reply.header('idempotent-replayed', 'true');
  return send(reply, answer);
}

function send(reply: FastifyReply, answer: IdempotentAnswer): FastifyReply {
  return reply.code(answer.statusCode).send(answer.body);
}
