/**
 * The security shell of the app, registered before any route: security headers (helmet, with a CSP
 * for the web app and Swagger UI), the login rate limiter, a NUL-character guard on every input,
 * sign-in tokens (@fastify/jwt, HS256, 8 h), the actor seam and route-level authorisation.
 */
import jwt from '@fastify/jwt';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import helmet from 'helmet';
import { sessionSecret, TokenService, UserService, type Engine, type IdentityConfig } from '../runtime/index.js';
import { accessPlugin } from './access.js';
import { actorPlugin } from './actor.js';
import { basicUsername, credentialAuthenticator, type FailureThrottle } from './credentials.js';
import { ApiError } from './problem.js';

/** The services and secret the security shell runs on. */
export interface SecurityOptions {
  users: UserService;
  tokens: TokenService;
  /** The HS256 secret of sign-in tokens. */
  secret: string;
  /** The engine's configured all-seeing groups (EngineConfig.identity). */
  identity: Pick<IdentityConfig, 'allSeeingGroups'>;
}

/** Authentication settings of buildApp. */
export interface AuthOptions {
  /** The JWT secret; default SVCFLOW_JWT_SECRET, else one generated and kept in the database. */
  jwtSecret?: string;
  /** scrypt N of new password hashes (tests lower it). */
  passwordCost?: number;
}

/** How long a sign-in token is valid. */
export const SESSION_TTL = '8h';

/** The Content-Security-Policy: own scripts only; inline styles, which bpmn-js and form-js set. */
export const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  baseUri: ["'self'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  workerSrc: ["'self'", 'blob:'],
  objectSrc: ["'none'"],
  frameAncestors: ["'none'"],
  formAction: ["'self'"],
};

/** Registers the security shell; the app's routes come after it. */
export const securityPlugin = fp<SecurityOptions>(
  async (app: FastifyInstance, options) => {
    // The headers' middleware is built once: building it parses the CSP and costs more than the headers.
    const securityHeaders = helmet({ contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES } });
    app.addHook('onRequest', (request, reply, done) =>
      securityHeaders(request.raw, reply.raw, (err) => done(err as Error | undefined)),
    );
    await app.register(rateLimit, {
      global: false,
      errorResponseBuilder: (_request, context) =>
        new ApiError('RATE_LIMITED', `too many requests; retry in ${context.after}`),
    });
    app.addHook('onRequest', async (request) => {
      if (/%00|\0/.test(request.url)) throw new ApiError('BAD_REQUEST', 'the URL contains a NUL character');
    });
    // Before authorisation runs on parsed input; text columns (PostgreSQL) cannot hold NUL.
    // A route that stores files (case attachments) declares `binaryBody`: its bytes go to a binary column.
    app.addHook('preValidation', async (request) => {
      if (request.routeOptions.config?.binaryBody) return;
      if (containsNul(request.body))
        throw new ApiError('BAD_REQUEST', 'the body contains a NUL character (\\u0000), which no field may hold');
    });
    await app.register(jwt, {
      secret: options.secret,
      sign: { algorithm: 'HS256', expiresIn: SESSION_TTL },
      verify: { algorithms: ['HS256'], requiredClaims: ['exp', 'sub'] },
    });
    const authenticate = credentialAuthenticator({ ...options, throttle: basicThrottle(app) });
    // Public routes never look at credentials, so nobody makes the server hash passwords for free.
    await app.register(actorPlugin, {
      authenticate: async (request) =>
        request.routeOptions.config.auth === 'public' ? { actor: null } : authenticate(request),
    });
    await app.register(accessPlugin);
  },
  { name: 'svcflow-security', fastify: '5.x' },
);

/** The user and token services over the engine's store, and the shared JWT secret. */
export async function securityServices(engine: Engine, options: AuthOptions = {}): Promise<SecurityOptions> {
  const users = new UserService(engine.store, { clock: engine.clock, passwordCost: options.passwordCost });
  const tokens = new TokenService(engine.store, engine.clock);
  const secret = await sessionSecret(engine.store, options.jwtSecret ?? process.env.SVCFLOW_JWT_SECRET);
  return { users, tokens, secret, identity: engine.config.identity };
}

/** The login route's limit: 10 attempts a minute per client address and username. */
export const loginRateLimit = {
  max: 10,
  timeWindow: '1 minute',
  hook: 'preHandler' as const,
  keyGenerator: (request: FastifyRequest) =>
    `${request.ip}|${String((request.body as { username?: unknown } | undefined)?.username ?? '').toLowerCase()}`,
};

// helpers

function basicThrottle(app: FastifyInstance): FailureThrottle {
  const limit = app.createRateLimit({
    max: loginRateLimit.max,
    timeWindow: loginRateLimit.timeWindow,
    keyGenerator: (request) => `basic|${request.ip}|${basicUsername(request)?.toLowerCase() ?? ''}`,
  });
  return {
    blocked: async (request) => {
      const state = await limit(request, { increment: false });
      return 'remaining' in state && state.remaining === 0;
    },
    failed: async (request) => {
      await limit(request);
    },
  };
}

// Iterative, so a deeply nested body cannot overflow the stack.
function containsNul(body: unknown): boolean {
  const pending: unknown[] = [body];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === 'string') {
      if (value.includes('\0')) return true;
    } else if (Buffer.isBuffer(value)) {
      if (value.includes(0)) return true;
    } else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        if (key.includes('\0')) return true;
        pending.push(child);
      }
    }
  }
  return false;
}
