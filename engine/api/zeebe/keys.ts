/** Camunda 8 keys: int64 numbers as strings, mapped one to one onto svcflow's ids (table external_keys). */
import { randomUUID } from 'node:crypto';
import type { Engine } from '../../runtime/index.js';
import { ApiError } from '../problem.js';
import { strictObject } from '../schemas.js';

export type KeyKind =
  | 'definition'
  | 'instance'
  | 'job'
  | 'task'
  | 'incident'
  | 'form'
  | 'deployment'
  | 'message'
  | 'signal'
  | 'decision'
  | 'decision-requirements'
  | 'decision-evaluation'
  /** The run of a call activity that started a called instance (its parent's element instance). */
  | 'element-instance';

/** Zeebe's tenant of an installation without tenants. */
export const DEFAULT_TENANT = '<default>';

/** The key of one of our ids. */
export function keyOf(engine: Engine, kind: KeyKind, id: string): Promise<string> {
  return engine.store.externalKeys.keyOf(kind, id);
}

/** A fresh key for something svcflow does not keep (a deployment, a published message). */
export function newKey(engine: Engine, kind: KeyKind): Promise<string> {
  return engine.store.externalKeys.keyOf(kind, randomUUID());
}

/** Our id behind a key; NOT_FOUND when the key is unknown. */
export async function idOf(engine: Engine, kind: KeyKind, key: string): Promise<string> {
  const id = await engine.store.externalKeys.refOf(kind, key);
  if (!id) throw new ApiError('NOT_FOUND', `no ${kind} with key ${key}`);
  return id;
}

/** A route param holding a key. */
export function keyParams(name: string) {
  return {
    type: 'object',
    properties: { [name]: { type: 'string', pattern: '^-?[0-9]{1,19}$' } },
    required: [name],
    additionalProperties: false,
  } as const;
}

/** A strict request body: unknown fields are refused, never ignored. */
/** A request body with only the given properties (the request types derive from it). */
export const body = strictObject;

export const variables = { type: ['object', 'null'], additionalProperties: true } as const;
export const tenantId = { type: 'string', enum: [DEFAULT_TENANT] } as const;
