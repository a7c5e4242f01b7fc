/** No tracked file carries the markers of an unresolved merge (a half-merged document or module). */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

function filesWithMarkers(): string[] {
  try {
    const out = execFileSync('git', ['grep', '-n', '-I', '-E', '^(<{7}|>{7})( |$)', '--', '.'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    return out.split('\n').filter(Boolean);
  } catch (error) {
    // git grep exits 1 when nothing matches
    if ((error as { status?: number }).status === 1) return [];
    throw error;
  }
}

describe('build/merge markers', () => {
  it('no tracked file holds an unresolved merge', () => {
    expect(filesWithMarkers()).toEqual([]);
  });
});
