/** The layers of DESIGN.md, checked: data flows one way and the pure core touches no I/O, clock or randomness. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');

const ALLOWED: Record<string, string[]> = {
  bpmn: [],
  expr: [],
  compile: ['bpmn', 'expr'],
  store: [],
  runtime: ['compile', 'expr', 'store', 'bpmn'],
  api: ['runtime', 'store', 'bpmn', 'compile', 'expr'],
};

const PURE = ['bpmn', 'expr', 'compile'];
const FORBIDDEN_IN_PURE = [/from 'node:fs'/, /from 'fs'/, /from 'knex'/, /from 'fastify'/, /Date\.now\(/, /Math\.random\(/, /new Date\(\)/];

describe('architecture', () => {
  for (const [layer, allowed] of Object.entries(ALLOWED)) {
    it(`engine/${layer} imports only ${allowed.length > 0 ? allowed.join(', ') : 'nothing of ours'}`, () => {
      const offending = sourcesOf(layer).flatMap((file) =>
        importsOf(file).filter((target) => {
          const other = layerOf(target, file);
          return other !== null && other !== layer && !allowed.includes(other);
        }).map((target) => `${relative(ROOT, file)} → ${target}`));
      expect(offending).toEqual([]);
    });
  }

  for (const layer of PURE) {
    it(`engine/${layer} reaches for no file system, database, server, clock or randomness`, () => {
      const offending = sourcesOf(layer).flatMap((file) => {
        const text = readFileSync(file, 'utf8');
        return FORBIDDEN_IN_PURE.filter((re) => re.test(text)).map((re) => `${relative(ROOT, file)}: ${re.source}`);
      });
      expect(offending).toEqual([]);
    });
  }

  it('only engine/compile imports xstate: everything else goes through its ProcessMachine', () => {
    const outside = [...walk(join(ROOT, 'engine')), ...walk(join(ROOT, 'tests')), ...walk(join(ROOT, 'bench'))]
      .filter((f) => f.endsWith('.ts') && !f.startsWith(join(ROOT, 'engine', 'compile')));
    const offending = outside.filter((f) => importsOf(f).some((target) => target === 'xstate' || target.startsWith('xstate/')));
    expect(offending.map((f) => relative(ROOT, f))).toEqual([]);
  });

  it('no code outside engine/compile reads or edits a snapshot\'s insides', () => {
    const outside = ['runtime', 'api', 'cli'].flatMap(sourcesOf);
    const offending = outside.filter((f) => /snapshot(?:\?)?\.(?:context|value|status)\b|snapshot as\b/.test(readFileSync(f, 'utf8')));
    expect(offending.map((f) => relative(ROOT, f))).toEqual([]);
  });

  it('the designer talks to the engine only over HTTP', () => {
    const dir = join(ROOT, 'designer', 'src');
    const files = exists(dir) ? walk(dir).filter((f) => /\.(ts|tsx|js)$/.test(f)) : [];
    // data files (the svc moddle descriptor) are shared; engine code is not
    const offending = files.filter((f) => [...readFileSync(f, 'utf8').matchAll(/from ['"]((?:\.\.\/)+engine\/[^'"]+)['"]/g)].some((m) => !m[1].endsWith('.json')));
    expect(offending).toEqual([]);
  });
});

// helpers

function sourcesOf(layer: string): string[] {
  return walk(join(ROOT, 'engine', layer)).filter((f) => f.endsWith('.ts'));
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:import|export)[^'"]*from\s+'([^']+)'/g)].map((m) => m[1]);
}

/** The engine layer an import points at, or null for packages and files outside engine/. */
function layerOf(target: string, from: string): string | null {
  if (!target.startsWith('.')) return null;
  const path = relative(join(ROOT, 'engine'), join(from, '..', target));
  if (path.startsWith('..')) return null;
  return path.split(/[\\/]/)[0];
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}
