/**
 * Password hashes with node:crypto scrypt, stored as `scrypt$N$r$p$salt$hash` (base64url) so the cost
 * can rise later without invalidating older hashes; comparisons are constant-time.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** The scrypt cost (N) of new hashes: 2^15 with r = 8 takes 32 MB and tens of milliseconds per hash. */
export const DEFAULT_PASSWORD_COST = 2 ** 15;

const BLOCK_SIZE = 8;
const PARALLEL = 1;
const KEY_LENGTH = 32;
const MAX_MEMORY = 64 * 1024 * 1024;

/** Hashes a password with a fresh random salt. */
export async function hashPassword(password: string, cost = DEFAULT_PASSWORD_COST): Promise<string> {
  const salt = randomBytes(16);
  const hash = await derive(password, salt, { N: cost, r: BLOCK_SIZE, p: PARALLEL });
  return ['scrypt', cost, BLOCK_SIZE, PARALLEL, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

/** Whether the password matches the stored hash; false for a hash it cannot read. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed) return false;
  const hash = await derive(password, parsed.salt, parsed.options).catch(() => null);
  return hash !== null && hash.length === parsed.hash.length && timingSafeEqual(hash, parsed.hash);
}

// helpers

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { ...options, maxmem: MAX_MEMORY }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

function parseHash(stored: string): { salt: Buffer; hash: Buffer; options: ScryptOptions } | null {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  const options = { N: Number(n), r: Number(r), p: Number(p) };
  if (
    scheme !== 'scrypt' ||
    !salt ||
    !hash ||
    ![options.N, options.r, options.p].every((v) => Number.isInteger(v) && v > 0)
  )
    return null;
  // A hash from the database is trusted, but a cost this high would stall the server.
  if (options.N > 2 ** 20 || options.r > 32 || options.p > 16) return null;
  return { salt: Buffer.from(salt, 'base64url'), hash: Buffer.from(hash, 'base64url'), options };
}
