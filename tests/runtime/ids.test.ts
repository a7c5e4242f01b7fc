import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../../engine/runtime/ids.js';

describe('runtime/ids', () => {
  it('makes version-7 UUIDs that sort in the order they were made, unique across many random-pool refills', () => {
    const ids = Array.from({ length: 3000 }, (_, i) => uuidv7(1_800_000_000_000 + Math.floor(i / 1000)));
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids.map((id) => id.slice(19))).size).toBe(ids.length);
  });

  it('carries the given milliseconds in its first 48 bits', () => {
    const ms = 1_900_000_000_123;
    expect(Number.parseInt(uuidv7(ms).replace(/-/g, '').slice(0, 12), 16)).toBe(ms);
  });
});
