/** JSON schemas shared by the routes: the resources the API shows and the paging parameters. */
import type { FastifyPluginAsync, FastifyPluginOptions, FastifyTypeProvider, RawServerDefault } from 'fastify';
import type { FromSchema, JSONSchema } from 'json-schema-to-ts';

const str = { type: 'string' } as const;
const nullableStr = { type: ['string', 'null'] } as const;
const dateTime = { type: 'string', format: 'date-time' } as const;
const nullableDateTime = { type: ['string', 'null'], format: 'date-time' } as const;
const strings = { type: 'array', items: str } as const;
const anyObject = { type: 'object', additionalProperties: true } as const;

/** Process variables: a JSON object of name → value (names and sizes are checked by the engine). */
export const variablesSchema = {
  type: 'object',
  additionalProperties: true,
  description: 'name → JSON value',
} as const;

/** The largest offset a list accepts (beyond what PostgreSQL's bigint and sane paging hold): a larger one is 400. */
export const MAX_OFFSET = 1_000_000_000;

/** `offset` and `limit` querystring properties. */
export const pagingProperties = {
  offset: { type: 'integer', minimum: 0, maximum: MAX_OFFSET, default: 0 },
  limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
} as const;

/** Paging of the lists read in index order: `cursor` continues after a page (its `nextCursor`); `total` asks for a count of every match. */
export const keysetPagingProperties = {
  ...pagingProperties,
  cursor: {
    type: 'string',
    minLength: 1,
    maxLength: 2000,
    description: "the previous page's nextCursor; replaces offset",
  },
  total: { type: 'boolean', default: false, description: 'also count every match (costs a full count)' },
} as const;

/** A route param `id`. */
export const idParams = {
  type: 'object',
  properties: { id: { type: 'string', minLength: 1, maxLength: 200 } },
  required: ['id'],
  additionalProperties: false,
} as const;

export const definitionSchema = {
  $id: 'Definition',
  type: 'object',
  properties: {
    id: str,
    key: str,
    version: { type: 'integer' },
    name: nullableStr,
    hash: str,
    deployedAt: dateTime,
    deployedBy: nullableStr,
    startFormKey: { ...nullableStr, description: 'the form of the start event (single-definition reads only)' },
    elementNames: {
      type: 'object',
      additionalProperties: str,
      description: 'element id → name, for the named elements (single-definition reads only)',
    },
  },
  required: ['id', 'key', 'version', 'name', 'deployedAt'],
} as const;

export const instanceSchema = {
  $id: 'Instance',
  type: 'object',
  properties: {
    id: str,
    definitionId: str,
    definitionKey: str,
    businessKey: nullableStr,
    status: { type: 'string', enum: ['active', 'completed', 'terminated', 'incident'] },
    activeElements: strings,
    variables: anyObject,
    startedAt: dateTime,
    endedAt: nullableDateTime,
    parentInstanceId: { ...nullableStr, description: 'the instance whose call activity started this one' },
    rootInstanceId: { ...str, description: 'the top of the call chain; the own id when nobody called it' },
    callActivityId: { ...nullableStr, description: "the parent's call activity that started this instance" },
    suspended: {
      type: 'boolean',
      description: 'suspended: its tasks, jobs, timers, messages and signals wait until it is resumed',
    },
  },
  required: [
    'id',
    'definitionId',
    'definitionKey',
    'businessKey',
    'status',
    'activeElements',
    'variables',
    'startedAt',
    'endedAt',
  ],
} as const;

export const taskSchema = {
  $id: 'Task',
  type: 'object',
  properties: {
    id: str,
    instanceId: str,
    definitionKey: str,
    elementId: str,
    name: nullableStr,
    status: { type: 'string', enum: ['open', 'completed', 'cancelled'] },
    assignee: nullableStr,
    candidateGroups: strings,
    candidateUsers: strings,
    priority: { type: 'integer' },
    due: nullableDateTime,
    followUp: nullableDateTime,
    formKey: nullableStr,
    inputs: anyObject,
    createdAt: dateTime,
    endedAt: nullableDateTime,
    completedBy: nullableStr,
    businessKey: { ...nullableStr, description: "the instance's business key (task reads and lists)" },
    definitionName: { ...nullableStr, description: "the process's name, else null (task reads and lists)" },
    suspended: {
      type: 'boolean',
      description: 'its instance is suspended: it cannot be claimed or completed (task lists)',
    },
  },
  required: [
    'id',
    'instanceId',
    'definitionKey',
    'elementId',
    'status',
    'candidateGroups',
    'candidateUsers',
    'priority',
    'createdAt',
  ],
} as const;

export const jobSchema = {
  $id: 'Job',
  type: 'object',
  properties: {
    id: str,
    type: str,
    instanceId: str,
    definitionKey: str,
    elementId: str,
    status: { type: 'string', enum: ['pending', 'locked', 'failed', 'completed', 'cancelled'] },
    retries: { type: 'integer' },
    due: dateTime,
    inputs: anyObject,
    workerId: nullableStr,
    lockedUntil: nullableDateTime,
    errorMessage: nullableStr,
    createdAt: dateTime,
  },
  required: ['id', 'type', 'instanceId', 'elementId', 'status', 'retries'],
} as const;

export const incidentSchema = {
  $id: 'Incident',
  type: 'object',
  properties: {
    id: str,
    instanceId: str,
    definitionKey: str,
    elementId: str,
    code: str,
    message: str,
    jobId: nullableStr,
    status: { type: 'string', enum: ['open', 'resolved'] },
    createdAt: dateTime,
    resolvedAt: nullableDateTime,
    causeIncidentId: {
      ...nullableStr,
      description: "on a call activity: the called instance's incident that causes this one",
    },
    rootCauseIncidentId: {
      ...nullableStr,
      description: 'on a call activity: the incident at the bottom of the call chain; retrying this one retries it',
    },
  },
  required: ['id', 'instanceId', 'elementId', 'code', 'message', 'status', 'createdAt'],
} as const;

export const historyItemSchema = {
  $id: 'HistoryItem',
  type: 'object',
  properties: {
    elementId: nullableStr,
    elementType: nullableStr,
    event: str,
    at: dateTime,
    by: nullableStr,
    details: { type: ['object', 'null'], additionalProperties: true },
  },
  required: ['event', 'at'],
} as const;

/** Every shared schema, registered once with app.addSchema so routes and OpenAPI refer to them by $id. */
export const sharedSchemas = [
  definitionSchema,
  instanceSchema,
  taskSchema,
  jobSchema,
  incidentSchema,
  historyItemSchema,
];

/** `{ items: [ref], total?, nextCursor }`, the shape of the lists paged by key: total only when asked for. */
export function keysetPageOf(ref: string) {
  return {
    type: 'object',
    properties: {
      items: { type: 'array', items: { $ref: `${ref}#` } },
      total: { type: 'integer' },
      nextCursor: { type: ['string', 'null'] },
    },
    required: ['items', 'nextCursor'],
  } as const;
}

/** `{ items: [ref], total }`, the shape of every other list. */
export function pageOf(ref: string) {
  return {
    type: 'object',
    properties: { items: { type: 'array', items: { $ref: `${ref}#` } }, total: { type: 'integer' } },
    required: ['items', 'total'],
  } as const;
}

/** A JSON object body/querystring schema with only the given properties. */
export function strictObject<
  const P extends Record<string, unknown>,
  const R extends readonly (keyof P & string)[] = readonly [],
>(properties: P, required?: R) {
  return { type: 'object', properties, required: (required ?? []) as R, additionalProperties: false } as const;
}

const pathId = { type: 'string', minLength: 1, maxLength: 255 } as const;

/** Path parameters of one id named `name` (`/process-definition/key/:key`), typed by its name. */
export function pathParam<const N extends string>(name: N) {
  return {
    type: 'object',
    properties: { [name]: pathId } as Record<N, typeof pathId>,
    required: [name] as [N],
    additionalProperties: false,
  } as const;
}

/** The optional Idempotency-Key request header of routes that create or complete work. */
export const idempotencyHeaders = {
  type: 'object',
  properties: {
    'idempotency-key': {
      type: 'string',
      minLength: 1,
      maxLength: 255,
      description: 'retry-safe: the same key and request answer the first answer again',
    },
  },
} as const;

export const IDEMPOTENCY_NOTE =
  'With an Idempotency-Key header, a retry of the same request answers the first answer again (header Idempotent-Replayed: true); the same key with another request is 422 IDEMPOTENCY_KEY_REUSED.';

/**
 * Request types derived from the routes' JSON schemas (json-schema-to-ts): a handler reads `request.body`,
 * `params`, `query` and `headers` as the schema validates them, with no hand-written type beside. Replies stay
 * untyped: the services answer interfaces, which an object schema's open index signature would not accept.
 */
export interface SchemaTypes extends FastifyTypeProvider {
  validator: this['schema'] extends JSONSchema ? FromSchema<this['schema']> : unknown;
  serializer: unknown;
}

/** A plugin of routes typed by `SchemaTypes`. */
export type RoutePlugin<Options extends FastifyPluginOptions = Record<never, never>> = FastifyPluginAsync<
  Options,
  RawServerDefault,
  SchemaTypes
>;
