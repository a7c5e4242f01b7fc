/** Errors under /engine-rest in Camunda 7's shape `{ type, message }`, mapped from the one catalogue in problem.ts. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Problem } from '../../bpmn/index.js';
import { classifyError, type ErrorCode } from '../problem.js';

/** Camunda exception type names clients (Modeler, external task clients) look at. */
const CAMUNDA_TYPES: Partial<Record<ErrorCode, string>> = {
  MODEL_INVALID: 'ParseException',
  VERSION_CONFLICT: 'OptimisticLockingException',
  TASK_ALREADY_CLAIMED: 'TaskAlreadyClaimedException',
  INSTANCE_SUSPENDED: 'SuspendedEntityInteractionException',
  MESSAGE_NOT_CORRELATED: 'RestException',
  MESSAGE_AMBIGUOUS: 'RestException',
  LISTENER_FAILED: 'ProcessEngineException',
  INTERNAL: 'ProcessEngineException',
};

/** Camunda answers a message nobody waits for with 400, not 404. */
const CAMUNDA_STATUS: Partial<Record<ErrorCode, number>> = { MESSAGE_NOT_CORRELATED: 400, MESSAGE_AMBIGUOUS: 400 };

/** Sends any error as a Camunda-style exception document with the status of our catalogue. */
export function sendCamundaError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const classified = classifyError(error, request.id);
  if (classified.status >= 500) request.log.error({ err: error }, 'request failed');
  const status = CAMUNDA_STATUS[classified.code] ?? classified.status;
  const type = CAMUNDA_TYPES[classified.code] ?? 'InvalidRequestException';
  // Camunda's own `code` is numeric; ours stays out of the body so typed clients do not choke on it.
  const message = messageOf(classified.detail, classified.extra);
  // Camunda prefixes correlation failures with the message name, as its REST layer does.
  const correlation = classified.code === 'MESSAGE_AMBIGUOUS' || classified.code === 'MESSAGE_NOT_CORRELATED';
  const body = {
    type,
    message: correlation ? `Cannot correlate message '${String(classified.extra.messageName)}': ${message}` : message,
  };
  return reply.code(status).type('application/json').serializer(JSON.stringify).send(body);
}

/** A ParseException body for invalid BPMN, with the message prefix Camunda Modeler recognises and per-resource details. */
export function parseExceptionBody(resource: string, problems: Problem[]): Record<string, unknown> {
  const lines = problems.map((p) => `* ${p.message}${p.elementId ? ` | ${p.elementId}` : ''} [${p.code}]`);
  const errors = problems.map((p) => ({
    message: p.message,
    line: p.position?.line ?? 0,
    column: p.position?.column ?? 0,
    mainElementId: p.elementId,
    elementIds: p.elementId ? [p.elementId] : [],
  }));
  return {
    type: 'ParseException',
    message: `ENGINE-09005 Could not parse BPMN process. Errors in ${resource}:\n${lines.join('\n')}`,
    details: { [resource]: { errors, warnings: [] } },
  };
}

// helpers

function messageOf(detail: string, extra: Record<string, unknown>): string {
  const fields = extra.fields as Array<{ name: string; message: string }> | undefined;
  return fields && fields.length > 0 ? `${detail}: ${fields.map((f) => `${f.name} ${f.message}`).join('; ')}` : detail;
}
