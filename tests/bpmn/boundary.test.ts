import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../engine/bpmn/', import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('bpmn: layer boundary', () => {
  it('imports nothing of ours outside engine/bpmn, and no file system, clock or randomness', () => {
    for (const file of sources(ROOT)) {
      const text = readFileSync(file, 'utf8');
      const imports = [...text.matchAll(/from '([^']+)'/g)].map((match) => match[1]);
      expect(
        imports.filter(
          (target) => target.startsWith('../..') || (target.startsWith('..') && !file.includes('/moddle/')),
        ),
        file,
      ).toEqual([]);
      expect(
        imports.filter((target) => target.startsWith('node:')),
        file,
      ).toEqual([]);
      expect(text, file).not.toMatch(/Date\.now|Math\.random|new Date\(/);
    }
  });
});
