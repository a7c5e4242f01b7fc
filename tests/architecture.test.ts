/**
 * The layers of docs/ARCHITECTURE.md, checked: dependency-cruiser judges every import of every folder by
 * .dependency-cruiser.cjs, and a syntax-tree scan finds what it cannot see, the clock and randomness in the
 * pure layers. Each rule is shown to catch a violation on the fixtures in tests/architecture/fixtures/.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join, relative } from 'node:path';
import {
  cruise,
  type ICruiseOptions,
  type ICruiseResult,
  type IForbiddenRuleType,
  type IViolation,
} from 'dependency-cruiser';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const FIXTURES = join(ROOT, 'tests', 'architecture', 'fixtures');
const config = createRequire(import.meta.url)(join(ROOT, '.dependency-cruiser.cjs')) as {
  forbidden: IForbiddenRuleType[];
  options: ICruiseOptions;
};
const FOLDERS = ['engine', 'migrations', 'designer', 'processes', 'bench', 'bin'];
const PURE = ['engine/bpmn', 'engine/compile', 'engine/expr', 'engine/dmn'];

describe('architecture', () => {
  it('every import of every folder follows the allowed arrows', async () => {
    const result = await cruiseFrom(ROOT, FOLDERS);
    // no exceptions: every arrow the rules forbid is gone
    expect(result.summary.violations.map(describeViolation)).toEqual([]);
  }, 60_000);

  it('resolves imports the way TypeScript does, so the rules see the real arrows', async () => {
    const result = await cruiseFrom(ROOT, ['engine/runtime/calendar/calendar-book.ts', 'engine/store/connection.ts']);
    expect(arrowsOf(result, 'engine/runtime/calendar/calendar-book.ts')).toEqual(
      expect.arrayContaining(['engine/store/index.ts (type-only)', 'engine/runtime/calendar/calendar-seeds.ts']),
    );
    expect(arrowsOf(result, 'engine/runtime/calendar/calendar-seeds.ts')).toContain(
      'node_modules/chinese-days/dist/index.min.js',
    );
    expect(arrowsOf(result, 'engine/store/connection.ts')).toEqual(expect.arrayContaining(['fs', 'module']));
  }, 60_000);

  it('each rule catches the fixture named after it, and flags nothing else there', async () => {
    const result = await cruiseFrom(FIXTURES, ['.']);
    const caught = result.summary.violations.map((v) => `${v.rule.name} ← ${basename(v.from, '.ts')}`);
    const expected = config.forbidden.map((rule) => `${rule.name} ← ${rule.name}`);
    expect([...new Set(caught)].sort()).toEqual(expected.sort());
  }, 60_000);

  it('follows every import form: dynamic, type-only, re-export, createRequire', async () => {
    const result = await cruiseFrom(FIXTURES, ['.']);
    const targets = result.summary.violations.map((v) => `${v.from} → ${v.to}`);
    expect(targets).toEqual(
      expect.arrayContaining([
        'engine/compile/compile-imports-bpmn-and-expr.ts → engine/store/target.ts',
        'engine/store/store-imports-nothing-of-ours.ts → migrations/target.ts',
        'engine/runtime/runtime-imports-compile-expr-store-bpmn.ts → engine/api/target.ts',
        expect.stringMatching(
          /^engine\/store\/no-package-internals\.ts → .*node_modules\/knex\/lib\/knex-builder\/make-knex\.js$/,
        ),
        expect.stringMatching(
          /^engine\/store\/no-package-internals\.ts → .*node_modules\/chinese-days\/dist\/chinese-days\.json$/,
        ),
      ]),
    );
    expect(targets).not.toContain('designer/src/designer-talks-http-only.ts → engine/bpmn/descriptor.json');
    expect(targets).toContain(
      'engine/runtime/sla/runtime-sla-reads-step-types-only.ts → engine/runtime/step/target.ts',
    );
    expect(targets).not.toContain(
      'engine/runtime/sla/runtime-sla-reads-step-types-only.ts → engine/runtime/step/types.ts',
    );
  }, 60_000);

  for (const layer of PURE) {
    it(`${layer} reads no clock, randomness, timer or environment`, () => {
      const found = sourcesUnder(join(ROOT, layer)).flatMap((file) =>
        impureCalls(file).map((call) => `${relative(ROOT, file)}: ${call}`),
      );
      expect(found).toEqual([]);
    });
  }

  it('only engine/compile imports xstate: everything else goes through its ProcessMachine', () => {
    const outside = ['engine', 'tests', 'bench']
      .flatMap((dir) => tsFiles(join(ROOT, dir)))
      .filter(
        (f) =>
          !f.startsWith(join(ROOT, 'engine', 'compile')) &&
          !f.startsWith(join(ROOT, 'tests', 'architecture', 'fixtures')),
      );
    const offending = outside.filter((f) =>
      /(?:import|export)[^'"]*from\s+'xstate(?:\/[^']*)?'/.test(readFileSync(f, 'utf8')),
    );
    expect(offending.map((f) => relative(ROOT, f))).toEqual([]);
  });

  it("no code outside engine/compile reads or edits a snapshot's insides", () => {
    const outside = ['runtime', 'api', 'cli'].flatMap((layer) => tsFiles(join(ROOT, 'engine', layer)));
    const offending = outside.filter((f) =>
      /snapshot(?:\?)?\.(?:context|value|status)\b|snapshot as\b/.test(readFileSync(f, 'utf8')),
    );
    expect(offending.map((f) => relative(ROOT, f))).toEqual([]);
  });

  it('services attach to the step only through Engine.extend: no other hook, source, check list or step-keyed map', () => {
    const runtime = tsFiles(join(ROOT, 'engine', 'runtime'));
    const seams = [
      /\.setHooks\(/,
      /scheduler\.addSource\(/,
      /definitions\.checks\.push\(/,
      /WeakMap<StepScope/,
      /hooks\.(sla|settled)\b/,
    ];
    const offending = runtime
      .filter((f) => f !== join(ROOT, 'engine', 'runtime', 'engine.ts'))
      .flatMap((f) => {
        const text = readFileSync(f, 'utf8');
        return seams.filter((seam) => seam.test(text)).map((seam) => `${relative(ROOT, f)}: ${seam.source}`);
      });
    expect(offending).toEqual([]);
  });

  it('the clock scan finds each forbidden call and passes dates made from arguments', () => {
    const found = impureCalls(join(FIXTURES, 'engine', 'compile', 'clock-and-randomness.ts'));
    expect(found).toEqual([
      'line 2: Date.now()',
      'line 3: new Date()',
      'line 4: Date()',
      'line 5: performance.now()',
      'line 6: Math.random()',
      'line 7: crypto.randomUUID()',
      'line 8: crypto.getRandomValues()',
      'line 9: setTimeout()',
      'line 10: process.env',
    ]);
  });
});

// helpers

async function cruiseFrom(baseDir: string, paths: string[]): Promise<ICruiseResult> {
  const options: ICruiseOptions = {
    ...config.options,
    baseDir,
    tsConfig: { fileName: join(ROOT, 'tsconfig.json') },
    exclude: baseDir === ROOT ? config.options.exclude : undefined,
    validate: true,
    ruleSet: { forbidden: config.forbidden },
  };
  const { output } = await cruise(paths, options, {}, { tsConfig: extractTSConfig(join(ROOT, 'tsconfig.json')) });
  if (typeof output === 'string') throw new Error(output);
  return output;
}

function arrowsOf(result: ICruiseResult, source: string): string[] {
  const module = result.modules.find((m) => m.source === source);
  return (module?.dependencies ?? []).map((d) =>
    d.dependencyTypes.includes('type-only') ? `${d.resolved} (type-only)` : d.resolved,
  );
}

function describeViolation(violation: IViolation): string {
  return `${violation.rule.name}: ${violation.from} → ${violation.to}`;
}

const CLOCK_CALLS = new Set([
  'Date.now',
  'performance.now',
  'Math.random',
  'crypto.randomUUID',
  'crypto.getRandomValues',
  'crypto.randomBytes',
  'crypto.randomInt',
  'process.hrtime',
  'process.uptime',
]);
const TIMERS = new Set(['setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask', 'Date']);
const PROCESS_STATE = new Set(['env', 'argv', 'cwd', 'hrtime', 'uptime', 'pid']);

/** The calls in a file that read the clock, randomness, timers or the process environment, by line. */
function impureCalls(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const report = (node: ts.Node, text: string) =>
    found.push(`line ${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${text}`);
  const visit = (node: ts.Node): void => {
    if (ts.isNewExpression(node) && node.expression.getText() === 'Date' && (node.arguments?.length ?? 0) === 0)
      report(node, 'new Date()');
    if (ts.isCallExpression(node)) {
      const callee = node.expression.getText();
      if (CLOCK_CALLS.has(callee) || TIMERS.has(callee)) report(node, `${callee}()`);
    }
    if (
      ts.isPropertyAccessExpression(node) &&
      node.expression.getText() === 'process' &&
      PROCESS_STATE.has(node.name.text) &&
      !ts.isCallExpression(node.parent)
    ) {
      report(node, `process.${node.name.text}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourcesUnder(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Every .ts file under a folder. */
function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : tsFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}
