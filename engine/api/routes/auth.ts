/** /api/auth/login and /api/me: sign in with username and password, and who the caller is. */
import { sessionVersion, type TokenService, type UserService } from '../../runtime/index.js';
import { ApiError, withProblems } from '../problem.js';
import { loginRateLimit, SESSION_TTL } from '../security.js';
import { strictObject, type RoutePlugin } from '../schemas.js';
import { tokenRoutes } from './tokens.js';
import { userRoutes } from './users.js';

const loginBody = strictObject(
  {
    username: { type: 'string', minLength: 1, maxLength: 64 },
    password: { type: 'string', minLength: 1, maxLength: 200 },
  },
  ['username', 'password'],
);

/** Sign-in attempts one client address may make a minute, across all usernames. */
export const LOGINS_PER_ADDRESS = 30;

const passwordBody = strictObject(
  {
    currentPassword: { type: 'string', minLength: 1, maxLength: 200 },
    newPassword: { type: 'string', minLength: 8, maxLength: 200 },
  },
  ['currentPassword', 'newPassword'],
);

/** The signed-in user as the web app keeps it. */
export const sessionUserSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    username: { type: 'string' },
    displayName: { type: 'string' },
    roles: { type: 'array', items: { type: 'string' } },
    groups: { type: 'array', items: { type: 'string' } },
    kind: { type: 'string', enum: ['user', 'token'] },
  },
  required: ['username', 'displayName', 'roles', 'groups'],
} as const;

const loginAnswer = {
  type: 'object',
  additionalProperties: false,
  properties: { token: { type: 'string', description: `a JWT, valid for ${SESSION_TTL}` }, user: sessionUserSchema },
  required: ['token', 'user'],
} as const;

/** Sign-in routes; a wrong username or password answers 401, more than 10 tries a minute 429. */
export const authRoutes: RoutePlugin<{ users: UserService }> = async (app, { users }) => {
  // Beside the limit per address and username: password spraying across many usernames from one address.
  const perAddress = app.createRateLimit({
    max: LOGINS_PER_ADDRESS,
    timeWindow: '1 minute',
    keyGenerator: (request) => `login-address|${request.ip}`,
  });
  app.post(
    '/auth/login',
    {
      config: { auth: 'public', rateLimit: loginRateLimit },
      preHandler: async (request) => {
        const state = await perAddress(request);
        if ('isExceeded' in state && state.isExceeded)
          throw new ApiError(
            'RATE_LIMITED',
            `more than ${LOGINS_PER_ADDRESS} sign-ins a minute from this address; retry in a minute`,
          );
      },
      schema: {
        tags: ['auth'],
        summary: 'Sign in: returns a bearer token (JWT, 8 h) and the user',
        body: loginBody,
        response: withProblems({ 200: loginAnswer }),
      },
    },
    async (request) => {
      const user = await users.authenticate(request.body.username, request.body.password);
      if (!user) throw new ApiError('UNAUTHENTICATED', 'wrong username or password');
      const token = app.jwt.sign({ sub: user.username, ver: sessionVersion(user) });
      return {
        token,
        user: { username: user.username, displayName: user.displayName, roles: user.roles, groups: user.groups },
      };
    },
  );

  app.post(
    '/auth/logout',
    {
      config: { auth: { roles: 'any' } },
      schema: {
        tags: ['auth'],
        summary: 'Sign out: revokes every sign-in token of the user (API tokens are revoked under /api/tokens)',
        response: withProblems({ 204: { type: 'null' } }),
      },
    },
    async (request, reply) => {
      if (request.actor!.kind === 'user') await users.revokeSessions(request.actor!.id);
      return reply.code(204).send();
    },
  );

  app.post(
    '/me/password',
    {
      config: { auth: { roles: 'any' }, rateLimit: loginRateLimit },
      schema: {
        tags: ['auth'],
        summary: 'Change your own password: every earlier sign-in token is revoked; sign in again',
        body: passwordBody,
        response: withProblems({ 204: { type: 'null' } }),
      },
    },
    async (request, reply) => {
      if (request.actor!.kind !== 'user') throw new ApiError('FORBIDDEN', 'an API token has no password');
      if (!(await users.changeOwnPassword(request.actor!.id, request.body.currentPassword, request.body.newPassword)))
        throw new ApiError('UNAUTHENTICATED', 'the current password is wrong');
      return reply.code(204).send();
    },
  );

  app.get(
    '/me',
    {
      config: { auth: { roles: 'any' } },
      schema: {
        tags: ['auth'],
        summary: 'The signed-in user (or API token): name, roles and groups',
        response: withProblems({ 200: sessionUserSchema }),
      },
    },
    async (request) => {
      const actor = request.actor!;
      return {
        username: actor.id,
        displayName: actor.displayName,
        roles: actor.roles,
        groups: actor.groups,
        kind: actor.kind,
      };
    },
  );
};

/** Sign-in, users, groups and API tokens together; mount under /api. */
export const accountRoutes: RoutePlugin<{ users: UserService; tokens: TokenService }> = async (
  app,
  { users, tokens },
) => {
  await app.register(authRoutes, { users });
  await app.register(userRoutes, { users });
  await app.register(tokenRoutes, { tokens });
};
