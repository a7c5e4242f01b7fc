/** /api/tokens: API tokens for workers and integrations; the token is shown once, revoking takes effect at once. */
import { ROLES, type TokenService } from '../../runtime/index.js';
import { actorId } from '../actor.js';
import { withProblems } from '../problem.js';
import { idParams, strictObject, type RoutePlugin } from '../schemas.js';

const tokenBody = strictObject(
  {
    name: { type: 'string', minLength: 1, maxLength: 200, description: 'who uses it, e.g. mail-worker' },
    roles: {
      type: 'array',
      items: { type: 'string', enum: [...ROLES] },
      uniqueItems: true,
      minItems: 1,
      default: ['worker'],
      description: "default ['worker']: the job and external-task routes",
    },
  },
  ['name'],
);

const tokenProperties = {
  id: { type: 'string' },
  name: { type: 'string' },
  roles: { type: 'array', items: { type: 'string' } },
  createdBy: { type: ['string', 'null'] },
  createdAt: { type: 'string', format: 'date-time' },
  revokedAt: { type: ['string', 'null'], format: 'date-time' },
} as const;

const tokenSchema = {
  type: 'object',
  additionalProperties: false,
  properties: tokenProperties,
  required: ['id', 'name', 'roles', 'createdAt', 'revokedAt'],
} as const;
const createdSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...tokenProperties,
    token: { type: 'string', description: 'shown only in this answer; send it as Authorization: Bearer <token>' },
  },
  required: ['id', 'token', 'name', 'roles'],
} as const;
const admin = { auth: { roles: ['admin' as const] } };

/** Token routes (admins only). */
export const tokenRoutes: RoutePlugin<{ tokens: TokenService }> = async (app, { tokens }) => {
  const tags = ['users'];
  app.post(
    '/tokens',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Create an API token for a worker or integration',
        body: tokenBody,
        response: withProblems({ 201: createdSchema }),
      },
    },
    async (request, reply) => reply.code(201).send(await tokens.create(request.body, actorId(request))),
  );

  app.get(
    '/tokens',
    {
      config: admin,
      schema: {
        tags,
        summary: 'List API tokens (never the tokens themselves)',
        response: withProblems({
          200: { type: 'object', properties: { items: { type: 'array', items: tokenSchema } }, required: ['items'] },
        }),
      },
    },
    async () => ({ items: await tokens.list() }),
  );

  app.delete(
    '/tokens/:id',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Revoke an API token; requests bearing it are refused from now on',
        params: idParams,
        response: withProblems({ 204: { type: 'null' } }),
      },
    },
    async (request, reply) => {
      await tokens.revoke(request.params.id);
      return reply.code(204).send();
    },
  );
};
