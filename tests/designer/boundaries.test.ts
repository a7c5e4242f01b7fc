/** The web app talks to the engine over HTTP only: it imports no engine code, just the shared svc moddle descriptor. */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SOURCES = join(ROOT, 'designer', 'src');
const SHARED_DATA = ['engine/bpmn/moddle/svc.json'];

describe('designer/boundaries', () => {
  it('imports nothing from engine/ but the svc moddle descriptor', () => {
    const reaching = sourceFiles(SOURCES).flatMap((file) =>
      importsOf(file)
        .filter((specifier) => specifier.startsWith('.'))
        .map((specifier) =>
          relative(ROOT, resolve(file, '..', specifier))
            .split('\\')
            .join('/'),
        )
        .filter((target) => target.startsWith('engine/') && !SHARED_DATA.includes(target))
        .map((target) => `${relative(ROOT, file)} → ${target}`),
    );
    expect(reaching).toEqual([]);
  });
});

// helpers

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|js|mjs)$/.test(entry.name) ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  return [
    ...source.matchAll(
      /(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g,
    ),
  ].map((match) => match[1] ?? match[2] ?? match[3]);
}
