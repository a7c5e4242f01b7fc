/**
 * The OpenAPI document's house rules, applied to every route in one place (@fastify/swagger's `transform`
 * and `transformObject`), so a new route needs nothing to be documented validly: an `operationId` derived
 * from method and path when the route names none, no empty `required` lists, and an open querystring
 * schema without properties documented as no parameters rather than as bogus ones.
 */
import type { SwaggerTransform, SwaggerTransformObject } from '@fastify/swagger';

type OpenApiDocument = { paths?: Record<string, Record<string, unknown>> };

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const PARAMETER_SCHEMAS = ['querystring', 'params', 'headers'] as const;

/** Per route: parameter schemas without `properties` become objects with none (swagger would list their keywords). */
export const documentRoute: SwaggerTransform = ({ schema, url }) => {
  if (!schema) return { schema, url };
  const fixed: Record<string, unknown> = { ...schema };
  for (const part of PARAMETER_SCHEMAS) {
    const parameters = fixed[part] as Record<string, unknown> | undefined;
    if (parameters && typeof parameters === 'object' && parameters.type === 'object' && !parameters.properties) {
      fixed[part] = { type: 'object', properties: {} };
    }
  }
  return { schema: fixed as typeof schema, url };
};

/** The whole document: every operation gets a unique operationId, and empty `required` lists are dropped. */
export const tidyDocument: SwaggerTransformObject = (documentObject) => {
  const document = 'openapiObject' in documentObject ? documentObject.openapiObject : documentObject.swaggerObject;
  nameOperations(document as OpenApiDocument);
  dropEmptyRequired(document);
  return document;
};

/** `GET /api/instances/{id}/history` → `getApiInstancesByIdHistory`. */
export function operationIdOf(method: string, path: string): string {
  const words = path
    .split('/')
    .filter(Boolean)
    .map((segment) => {
      const parameter = /^\{(.+)\}$/.exec(segment) ?? /^:(.+)$/.exec(segment);
      return parameter ? `by-${parameter[1]}` : segment;
    });
  return (
    method.toLowerCase() +
    words
      .join('-')
      .split(/[^A-Za-z0-9]+/)
      .filter(Boolean)
      .map(capitalise)
      .join('')
  );
}

// helpers

function nameOperations(doc: OpenApiDocument): void {
  const taken = new Set<string>();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS.filter((m) => item[m])) {
      const operation = item[method] as { operationId?: string };
      const wanted =
        operation.operationId && !taken.has(operation.operationId)
          ? operation.operationId
          : operationIdOf(method, path);
      // several methods of one route share one operation object; each gets its own copy and id
      item[method] = { ...operation, operationId: unique(wanted, taken) };
    }
  }
}

function unique(id: string, taken: Set<string>): string {
  let candidate = id;
  for (let n = 2; taken.has(candidate); n += 1) candidate = `${id}${n}`;
  taken.add(candidate);
  return candidate;
}

function dropEmptyRequired(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) dropEmptyRequired(item);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const record = node as Record<string, unknown>;
  if (Array.isArray(record.required) && record.required.length === 0) delete record.required;
  for (const value of Object.values(record)) dropEmptyRequired(value);
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
