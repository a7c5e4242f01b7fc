/**
 * The one error catalogue of the HTTP API: every error code with its status and title, and the
 * plugin that renders every error as an RFC 9457 `application/problem+json` document.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { isDatabaseUnavailable } from '../runtime/index.js';

/** Every code the API answers with, its HTTP status and a short title; docs/errors.md explains each. */
export const ERROR_CODES = {
  MODEL_INVALID: { status: 400, title: 'The BPMN model is not valid' },
  VALIDATION_FAILED: { status: 400, title: 'The request does not match its schema' },
  MALFORMED_JSON: { status: 400, title: 'The request body is not valid JSON' },
  MALFORMED_MULTIPART: { status: 400, title: 'The multipart body cannot be read' },
  BAD_REQUEST: { status: 400, title: 'The request cannot be processed' },
  INVALID_VARIABLES: { status: 400, title: 'The variables are not valid' },
  ASSIGNEE_NOT_CANDIDATE: { status: 400, title: 'The user cannot be given this task' },
  CALENDAR_INVALID: { status: 400, title: 'The business calendar is not valid' },
  SLA_TARGET_INVALID: { status: 400, title: 'The SLA target cannot be measured' },
  FORM_INVALID: { status: 400, title: 'The data does not satisfy the form' },
  USER_INVALID: { status: 400, title: 'The user or group change cannot be made' },
  KRI_INVALID: { status: 400, title: 'The KRI definition is not valid' },
  IMPROVEMENT_STAGE_INVALID: { status: 400, title: 'The improvement action cannot move to that stage' },
  UNAUTHENTICATED: { status: 401, title: 'Authentication required' },
  FORBIDDEN: { status: 403, title: 'Not allowed' },
  START_FORBIDDEN: { status: 403, title: 'Not a candidate starter of the process' },
  NOT_FOUND: { status: 404, title: 'No such route' },
  DEFINITION_NOT_FOUND: { status: 404, title: 'Process definition not found' },
  DECISION_NOT_FOUND: { status: 404, title: 'Decision not found' },
  DECISION_FAILED: { status: 422, title: 'The decision cannot be evaluated on these variables' },
  LISTENER_FAILED: { status: 422, title: 'A listener of the process failed; nothing was applied' },
  INSTANCE_NOT_FOUND: { status: 404, title: 'Process instance not found' },
  TASK_NOT_FOUND: { status: 404, title: 'Task not found' },
  VARIABLE_NOT_FOUND: { status: 404, title: 'Variable not found' },
  CASE_NOT_FOUND: { status: 404, title: 'Case not found' },
  ATTACHMENT_NOT_FOUND: { status: 404, title: 'Attachment not found' },
  ATTACHMENT_TOO_LARGE: { status: 413, title: 'The attachment is too large' },
  ATTACHMENT_TYPE_NOT_ALLOWED: { status: 415, title: 'The attachment is not an allowed kind of file' },
  NOTE_INVALID: { status: 400, title: 'The note is not valid' },
  DUPLICATE_LINK_INVALID: { status: 409, title: 'The case cannot be linked as a duplicate' },
  JOB_NOT_FOUND: { status: 404, title: 'Job not found' },
  INCIDENT_NOT_FOUND: { status: 404, title: 'Incident not found' },
  DEPLOYMENT_NOT_FOUND: { status: 404, title: 'Deployment not found' },
  DEPLOYMENT_IN_USE: { status: 409, title: 'Running instances use the deployment' },
  DEFINITION_DELETED: { status: 409, title: 'The process definition was deleted' },
  MESSAGE_AMBIGUOUS: { status: 409, title: 'The message matches more than one waiting instance' },
  MESSAGE_NOT_CORRELATED: { status: 404, title: 'No instance waits for the message' },
  NO_NONE_START_EVENT: { status: 409, title: 'The process cannot be started directly' },
  START_EVENT_UNKNOWN: { status: 400, title: 'The process has no such start event' },
  CALENDAR_NOT_FOUND: { status: 404, title: 'Business calendar not found' },
  USER_NOT_FOUND: { status: 404, title: 'User not found' },
  GROUP_NOT_FOUND: { status: 404, title: 'Group not found' },
  TOKEN_NOT_FOUND: { status: 404, title: 'API token not found' },
  KRI_NOT_FOUND: { status: 404, title: 'KRI not found' },
  REPORT_SCHEDULE_NOT_FOUND: { status: 404, title: 'Report schedule not found' },
  EMERGENCY_PLAN_NOT_FOUND: { status: 404, title: 'Emergency plan not found' },
  REPORT_MAIL_UNAVAILABLE: { status: 409, title: 'Reports cannot be e-mailed' },
  REPORT_FONT_UNAVAILABLE: { status: 503, title: 'No font for the PDF report' },
  IMPROVEMENT_NOT_FOUND: { status: 404, title: 'Improvement action not found' },
  TASK_NOT_OPEN: { status: 409, title: 'The task is no longer open' },
  TASK_ALREADY_CLAIMED: { status: 409, title: 'The task is claimed by someone else' },
  VERSION_CONFLICT: { status: 409, title: 'The instance was changed concurrently' },
  CURSOR_INVALID: { status: 400, title: 'The list cursor is not valid' },
  INSTANCE_NOT_ACTIVE: { status: 409, title: 'The instance is not active' },
  INSTANCE_SUSPENDED: { status: 409, title: 'The instance is suspended' },
  ELEMENT_NOT_ACTIVATABLE: { status: 409, title: 'The elements cannot be activated now' },
  INSTANCE_IS_CALLED: { status: 409, title: 'The instance was started by a call activity' },
  JOB_NOT_LOCKED: { status: 409, title: 'The job is not locked by this worker' },
  JOB_LOCKED: { status: 409, title: 'The job is locked by another worker' },
  JOB_NOT_ACTIVE: { status: 409, title: 'The job is not pending or locked' },
  USER_EXISTS: { status: 409, title: 'The user exists already' },
  IDEMPOTENCY_IN_PROGRESS: { status: 409, title: 'A request with this Idempotency-Key is still running' },
  GROUP_EXISTS: { status: 409, title: 'The group exists already' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, title: 'The Idempotency-Key was used for another request' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'The request body is too large' },
  URI_TOO_LONG: { status: 414, title: 'A path segment is too long' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported content type' },
  AWAIT_TIMEOUT: { status: 504, title: 'The instance did not complete in time' },
  NOT_SUPPORTED: { status: 501, title: 'svcflow does not support this yet' },
  RATE_LIMITED: { status: 429, title: 'Too many requests' },
  INTERNAL: { status: 500, title: 'Internal error' },
  DATABASE_UNAVAILABLE: { status: 503, title: 'The database does not answer; retry shortly' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** What a 503 asks the client to wait, in seconds. */
export const RETRY_AFTER_SECONDS = 5;

/** An error raised by the HTTP layer itself (content type, multipart), with a catalogue code. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** An error reduced to what a client may see: code, status, detail and extension fields. */
export interface Classified {
  code: ErrorCode;
  status: number;
  detail: string;
  extra: Record<string, unknown>;
}

/** Maps any thrown value onto the catalogue; unknown errors become INTERNAL with a generic detail. */
export function classifyError(error: unknown, requestId: string): Classified {
  const err = error as FastifyError & {
    problems?: unknown[];
    details?: () => Record<string, unknown>;
    extra?: Record<string, unknown>;
  };
  if (err?.validation)
    return known('VALIDATION_FAILED', 'the request does not match the schema of this route', {
      fields: validationFields(err),
    });
  const fastifyCode = typeof err?.code === 'string' ? FASTIFY_CODES[err.code] : undefined;
  if (fastifyCode) return known(fastifyCode, err.message);
  if (typeof err?.code === 'string' && err.code in ERROR_CODES && err.code !== 'INTERNAL') {
    const extra = { ...(typeof err.details === 'function' ? err.details() : {}), ...(err.extra ?? {}) };
    if (err.code === 'MODEL_INVALID' && Array.isArray(err.problems)) extra.problems = err.problems.map(toProblemEntry);
    return known(err.code as ErrorCode, err.message, extra);
  }
  if (typeof err?.code === 'string' && err.code.startsWith('FST_') && err.statusCode && err.statusCode < 500)
    return known('BAD_REQUEST', err.message);
  if (isDatabaseUnavailable(error))
    return known(
      'DATABASE_UNAVAILABLE',
      'the database does not answer in time; nothing was changed by this request unless it said so before; retry in a few seconds',
    );
  return known('INTERNAL', `an unexpected error occurred; it was logged with request id ${requestId}`);
}

/** Renders errors and unknown routes as problem+json; real causes of 500s go to the log only. */
export const problemPlugin = fp(
  async (app: FastifyInstance) => {
    app.setErrorHandler((error, request, reply) => {
      const classified = classifyError(error, request.id);
      if ((error as FastifyError).code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
        classified.detail = `Content-Type '${request.headers['content-type'] ?? ''}' is not accepted by ${request.method} ${request.url.split('?')[0]}; send application/json`;
      }
      if (classified.status >= 500) request.log.error({ err: error }, 'request failed');
      return sendProblem(reply, classified);
    });
    app.setNotFoundHandler((request, reply) => {
      return sendProblem(reply, known('NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`));
    });
  },
  { name: 'svcflow-problem', fastify: '5.x' },
);

/** Renders what the router refuses before any route or hook runs: a malformed or too long path (Fastify's `frameworkErrors`). */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
  void sendProblem(
    reply,
    tooLong
      ? known('URI_TOO_LONG', 'a path segment is longer than 100 characters; ids are shorter')
      : known('BAD_REQUEST', 'the URL is not valid: a path segment has a malformed percent-encoding'),
  );
}

/** Sends one classified error as an RFC 9457 problem document. */
export function sendProblem(reply: FastifyReply, classified: Classified): FastifyReply {
  const { code, status, detail, extra } = classified;
  const body = { type: problemType(code), title: ERROR_CODES[code].title, status, code, detail, ...extra };
  if (status === 503) reply.header('retry-after', RETRY_AFTER_SECONDS);
  return reply.code(status).type('application/problem+json').serializer(JSON.stringify).send(body);
}

/** The shared JSON schema of a problem document, referenced by routes as `Problem#`. */
export const problemSchema = {
  $id: 'Problem',
  type: 'object',
  description: 'RFC 9457 problem details with a stable code',
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    code: { type: 'string', enum: Object.keys(ERROR_CODES) },
    detail: { type: 'string' },
    problems: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          code: { type: 'string' },
          elementId: { type: ['string', 'null'] },
          elementType: { type: ['string', 'null'] },
          message: { type: 'string' },
        },
      },
    },
  },
  required: ['type', 'title', 'status', 'code', 'detail'],
  additionalProperties: true,
} as const;

/** Adds the problem responses every route may answer with to a route's response schemas. */
export function withProblems<T extends Record<string, unknown>>(
  responses: T,
): T & Record<'4xx' | '5xx', typeof problemResponse> {
  return { ...responses, '4xx': problemResponse, '5xx': problemResponse };
}

const problemResponse = {
  description: 'RFC 9457 problem details with a stable code',
  content: { 'application/problem+json': { schema: { $ref: 'Problem#' } } },
} as const;

/** Whether the request's content type is one of the given media types (parameters ignored). */
export function hasMediaType(request: FastifyRequest, types: string[]): boolean {
  const type = String(request.headers['content-type'] ?? '')
    .split(';')[0]
    .trim()
    .toLowerCase();
  return types.includes(type);
}

// helpers

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MALFORMED_JSON',
};

function known(code: ErrorCode, detail: string, extra: Record<string, unknown> = {}): Classified {
  return { code, status: ERROR_CODES[code].status, detail, extra };
}

function problemType(code: ErrorCode): string {
  return `https://svcflow.dev/errors#${code.toLowerCase().replace(/_/g, '-')}`;
}

function toProblemEntry(problem: unknown): Record<string, unknown> {
  const { code, elementId, elementType, message, position } = problem as Record<string, unknown>;
  return position ? { code, elementId, elementType, message, position } : { code, elementId, elementType, message };
}

function validationFields(err: FastifyError): Array<{ name: string; message: string }> {
  const context = err.validationContext ?? 'request';
  return (err.validation ?? []).map((v) => {
    const params = v.params as Record<string, unknown>;
    const leaf = params.missingProperty ?? params.additionalProperty;
    const path = [context, ...v.instancePath.split('/').filter(Boolean), ...(leaf ? [String(leaf)] : [])].join('.');
    const message = params.additionalProperty ? 'is not a known property' : (v.message ?? 'is not valid');
    return { name: path, message };
  });
}
