/**
 * API tokens for workers and integrations (shown once, kept only as a sha256 hash, revocable at
 * once), and the secret that signs sign-in tokens, shared by every node through the database.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { ApiTokenRow, Store } from '../../store/index.js';
import { systemClock, type Clock } from '../clock.js';
import { TokenNotFoundError } from './user-errors.js';

/** Every API token starts with this, so a bearer credential tells which kind it is. */
export const API_TOKEN_PREFIX = 'svcf_';

/** A token as listed: never the token or its hash. */
export type TokenView = Omit<ApiTokenRow, 'tokenHash'>;

const SECRET_KEY = 'jwt.secret';

/** Creates, verifies, lists and revokes API tokens. */
export class TokenService {
  private readonly clock: Clock;

  constructor(
    private readonly store: Store,
    clock: Clock = systemClock,
  ) {
    this.clock = clock;
  }

  /** Creates a token; the returned `token` is the only time it is shown. */
  async create(input: { name: string; roles: string[] }, by: string | null): Promise<TokenView & { token: string }> {
    const token = `${API_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const row: ApiTokenRow = {
      id: randomUUID(),
      name: input.name,
      tokenHash: hashToken(token),
      roles: [...new Set(input.roles)],
      createdBy: by,
      createdAt: this.clock.now().toISOString(),
      revokedAt: null,
    };
    await this.store.users.insertToken(row);
    return { ...withoutHash(row), token };
  }

  /** The live token row for a presented token, or null (unknown or revoked). */
  async verify(token: string): Promise<TokenView | null> {
    if (!token.startsWith(API_TOKEN_PREFIX)) return null;
    const row = await this.store.users.tokenByHash(hashToken(token));
    return row && row.revokedAt === null ? withoutHash(row) : null;
  }

  async list(): Promise<TokenView[]> {
    return (await this.store.users.listTokens()).map(withoutHash);
  }

  /** Revokes a token; requests bearing it are refused from now on. */
  async revoke(id: string): Promise<void> {
    if (!(await this.store.users.revokeToken(id, this.clock.now().toISOString()))) throw new TokenNotFoundError(id);
  }
}

/** The JWT signing secret: the given one (SVCFLOW_JWT_SECRET), else one generated once and kept in the database. */
export async function sessionSecret(store: Store, configured?: string): Promise<string> {
  if (configured) return configured;
  return store.users.settingOrPut(SECRET_KEY, randomBytes(48).toString('base64url'));
}

// helpers

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function withoutHash(row: ApiTokenRow): TokenView {
  const { tokenHash: _hash, ...view } = row;
  return view;
}
