/**
 * Reads the Authorization header: `Bearer <sign-in JWT>`, `Bearer <API token>`, or HTTP Basic with a
 * username and password (Camunda Modeler) or with an API token as the password (external workers).
 */
import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import {
  API_TOKEN_PREFIX,
  inAllSeeingGroup,
  sessionVersion,
  type IdentityConfig,
  type TokenService,
  type TokenView,
  type UserService,
  type UserView,
} from '../runtime/index.js';
import type { Actor, Authenticate, Authentication } from './actor.js';
import { ApiError } from './problem.js';

/** Counts failed Basic sign-ins per client and username, so passwords cannot be guessed through /engine-rest. */
export interface FailureThrottle {
  /** Whether this client and username failed too often to try again now. */
  blocked(request: FastifyRequest): Promise<boolean>;
  /** Counts one failed attempt. */
  failed(request: FastifyRequest): Promise<void>;
}

/** What the authenticator checks credentials against. */
export interface CredentialServices {
  users: UserService;
  tokens: TokenService;
  throttle?: FailureThrottle;
  /** Which groups make a user all-seeing (the engine's configuration). */
  identity: Pick<IdentityConfig, 'allSeeingGroups'>;
}

/** How long a checked Basic password is remembered (while the user is unchanged), so a polling client does not pay scrypt each time. */
const BASIC_CACHE_MS = 60_000;
const BASIC_CACHE_SIZE = 1000;

/** Returns the authenticator the actor seam calls on every request. */
export function credentialAuthenticator(services: CredentialServices): Authenticate {
  const checked = new Map<string, Remembered>();
  return async (request) => {
    const header = request.headers.authorization;
    if (!header) return { actor: null };
    const [scheme = '', value = ''] = header.trim().split(/\s+/, 2);
    switch (scheme.toLowerCase()) {
      case 'bearer':
        return value.startsWith(API_TOKEN_PREFIX)
          ? fromApiToken(services.tokens, value)
          : fromJwt(request, services, value);
      case 'basic':
        return fromBasic(request, services, value, checked);
      default:
        return refused(`the Authorization scheme '${scheme.slice(0, 20)}' is not supported; use Bearer or Basic`);
    }
  };
}

/** The username of HTTP Basic credentials, or null. */
export function basicUsername(request: FastifyRequest): string | null {
  const [scheme = '', value = ''] = (request.headers.authorization ?? '').trim().split(/\s+/, 2);
  if (scheme.toLowerCase() !== 'basic') return null;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  return decoded.includes(':') ? decoded.slice(0, decoded.indexOf(':')) : null;
}

/** The actor of a signed-in user. */
export function userActor(user: UserView, identity: Pick<IdentityConfig, 'allSeeingGroups'>): Actor {
  const { username: id, displayName, roles, groups } = user;
  return { id, displayName, roles, groups, kind: 'user', allSeeing: inAllSeeingGroup(groups, identity) };
}

// helpers

interface Remembered {
  username: string;
  updatedAt: string;
  until: number;
}

async function fromJwt(request: FastifyRequest, services: CredentialServices, token: string): Promise<Authentication> {
  let subject: unknown;
  let version: unknown;
  try {
    ({ sub: subject, ver: version } = request.server.jwt.verify<{ sub?: unknown; ver?: unknown }>(token));
  } catch (err) {
    const expired = (err as { code?: string }).code === 'FAST_JWT_EXPIRED';
    return refused(expired ? 'the sign-in token has expired; sign in again' : 'the sign-in token is not valid');
  }
  const user = typeof subject === 'string' ? await services.users.find(subject) : null;
  if (!user || user.disabled) return refused('the user of this sign-in token no longer exists or is disabled');
  if (version !== sessionVersion(user))
    return refused('the sign-in token was revoked (signed out, password changed or user replaced); sign in again');
  return { actor: userActor(user, services.identity) };
}

async function fromApiToken(tokens: TokenService, token: string): Promise<Authentication> {
  const row = await tokens.verify(token);
  return row ? { actor: tokenActor(row) } : refused('the API token is unknown or revoked');
}

async function fromBasic(
  request: FastifyRequest,
  services: CredentialServices,
  value: string,
  checked: Map<string, Remembered>,
): Promise<Authentication> {
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return refused('the Basic credentials are not username:password');
  if (decoded.includes('\0') || decoded.includes('\uFFFD'))
    throw new ApiError('BAD_REQUEST', 'the Basic credentials contain a NUL character or bytes that are not UTF-8');
  const username = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  if (password.startsWith(API_TOKEN_PREFIX)) return fromApiToken(services.tokens, password);
  const key = createHash('sha256').update(decoded).digest('hex');
  const remembered = checked.get(key);
  if (remembered && remembered.until > Date.now()) {
    const user = await services.users.find(remembered.username);
    if (user && !user.disabled && user.updatedAt === remembered.updatedAt)
      return { actor: userActor(user, services.identity) };
  }
  if (await services.throttle?.blocked(request))
    throw new ApiError('RATE_LIMITED', 'too many failed sign-ins for this username; retry in a minute');
  const user = await services.users.authenticate(username, password);
  if (!user) {
    await services.throttle?.failed(request);
    return refused('wrong username or password');
  }
  if (checked.size >= BASIC_CACHE_SIZE) checked.clear();
  checked.set(key, { username: user.username, updatedAt: user.updatedAt, until: Date.now() + BASIC_CACHE_MS });
  return { actor: userActor(user, services.identity) };
}

function tokenActor(token: TokenView): Actor {
  return { id: `token:${token.name}`, displayName: token.name, roles: token.roles, groups: [], kind: 'token' };
}

function refused(failure: string): Authentication {
  return { actor: null, failure };
}
