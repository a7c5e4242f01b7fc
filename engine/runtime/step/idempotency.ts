/**
 * Idempotent requests (IETF draft "The Idempotency-Key HTTP Header Field"): the first request with a key
 * runs and its answer is kept; a retry with the same key and the same request gets that answer again; the
 * same key with another request is refused. A first request that fails keeps nothing, so a retry runs again.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Store, StoreTx } from '../../store/index.js';
import type { Clock } from '../clock.js';
import { EngineError } from '../errors.js';

/** How long an answer is kept for retries. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/** One keyed request: where it goes, who sends it, its key and what it asks. */
export interface IdempotentRequest {
  scope: string;
  owner: string;
  key: string;
  /** Everything that makes two requests the same (parameters and body); hashed. */
  request: unknown;
}

/** What to send back: the status and body of the first answer. */
export interface IdempotentAnswer {
  statusCode: number;
  body: unknown;
}

export class IdempotencyKeyReusedError extends EngineError {
  readonly code = 'IDEMPOTENCY_KEY_REUSED';
  constructor(readonly key: string) {
    super(`Idempotency-Key '${key}' was already used for a different request; use a new key for a new request`);
  }
}

export class IdempotencyInProgressError extends EngineError {
  readonly code = 'IDEMPOTENCY_IN_PROGRESS';
  constructor(readonly key: string) {
    super(`a request with Idempotency-Key '${key}' is still being processed; retry later`);
  }
}

/** How long a first request may stay unanswered before it counts as dead (its node died) and a retry runs it again. */
export const IDEMPOTENCY_LEASE_MS = 60_000;

/**
 * Stores the answer inside the transaction that does the request's work, so the work and its answer commit
 * together: a node dying in between leaves neither. Throws when the key was taken over meanwhile.
 */
export type IdempotentFinish = (tx: StoreTx, answer: IdempotentAnswer) => Promise<void>;

/**
 * Runs `run` once per key: a retry of the same request gets the first answer, another request 422. `run`
 * should hand `finish` to the transaction of its work; a key whose first request is still unanswered after
 * `leaseMs` was held by a request that died before committing (its answer would have committed with its
 * work), so a retry takes it over and runs.
 */
export async function runIdempotent(
  store: Store,
  clock: Clock,
  request: IdempotentRequest,
  run: (finish: IdempotentFinish) => Promise<IdempotentAnswer>,
  leaseMs = IDEMPOTENCY_LEASE_MS,
): Promise<IdempotentAnswer & { replayed: boolean }> {
  const { scope, owner, key } = request;
  const fingerprint = createHash('sha256').update(stableJson(request.request)).digest('hex');
  const reservation = randomUUID();
  const now = clock.now();
  const staleBefore = new Date(now.getTime() - leaseMs).toISOString();
  const reserved = await store.idempotency.reserve(
    { scope, owner, key, fingerprint, reservation, statusCode: null, response: null, createdAt: now.toISOString() },
    staleBefore,
  );
  if (!reserved) return replay(store, request, fingerprint);
  let finished = false;
  const finish: IdempotentFinish = async (tx, answer) => {
    if (!(await tx.idempotency.finish(scope, owner, key, reservation, answer.statusCode, answer.body)))
      throw new IdempotencyInProgressError(key);
    finished = true;
  };
  try {
    const answer = await run(finish);
    if (!finished && !(await store.idempotency.finish(scope, owner, key, reservation, answer.statusCode, answer.body)))
      throw new IdempotencyInProgressError(key);
    return { ...answer, replayed: false };
  } catch (error) {
    await store.idempotency.release(scope, owner, key, reservation).catch(() => undefined);
    throw error;
  }
}

// helpers

async function replay(
  store: Store,
  request: IdempotentRequest,
  fingerprint: string,
): Promise<IdempotentAnswer & { replayed: boolean }> {
  const record = await store.idempotency.get(request.scope, request.owner, request.key);
  if (!record) throw new IdempotencyInProgressError(request.key);
  if (record.statusCode === null) throw new IdempotencyInProgressError(request.key);
  if (record.fingerprint !== fingerprint) throw new IdempotencyKeyReusedError(request.key);
  return { statusCode: record.statusCode, body: record.response, replayed: true };
}

// JSON with object keys sorted, so the same body written in another key order is the same request.
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
