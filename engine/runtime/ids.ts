/**
 * Time-ordered ids (UUID version 7, RFC 9562): 48 bits of Unix milliseconds, a 12-bit sequence that
 * keeps ids made in the same millisecond in order, and 62 random bits. New rows land at the end of
 * every id index instead of on random pages, so an insert costs the same at a million rows as at none.
 */
import { randomFillSync } from 'node:crypto';

let lastMs = 0;
let sequence = 0;
// random bytes drawn in bulk: one randomFillSync per 256 ids instead of one per id
const POOL = new Uint8Array(16 * 256);
let poolAt = POOL.length;

/** A new UUIDv7, later than every one made before it in this process. */
export function uuidv7(nowMs: number = Date.now()): string {
  if (nowMs > lastMs) {
    lastMs = nowMs;
    sequence = 0;
  } else if (++sequence > 0xfff) {
    lastMs += 1;
    sequence = 0;
  }
  if (poolAt === POOL.length) {
    randomFillSync(POOL);
    poolAt = 0;
  }
  const bytes = POOL.slice(poolAt, poolAt + 16);
  poolAt += 16;
  const ms = lastMs;
  for (let i = 0; i < 6; i++) bytes[i] = Math.floor(ms / 2 ** (8 * (5 - i))) & 0xff;
  bytes[6] = 0x70 | (sequence >> 8);
  bytes[7] = sequence & 0xff;
  bytes[8] = 0x80 | (bytes[8] & 0x3f);
  const hex = Buffer.from(bytes).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
